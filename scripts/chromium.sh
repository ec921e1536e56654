#!/usr/bin/env bash
# Debian's Chromium for the browser tests (Playwright drives it by executable_path).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "chromium is missing; install Debian's 'chromium' package (needs root)" >&2; exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
