#!/usr/bin/env bash
# The whole suite, once on SQLite and once on PostgreSQL (the same tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/chromium.sh
PG_URL=$(scripts/postgres.sh start)
trap 'scripts/postgres.sh stop' EXIT

echo "== tests on SQLite =="
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
echo "== tests on PostgreSQL =="
CAIRN_TEST_DATABASE_URL="$PG_URL" .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
