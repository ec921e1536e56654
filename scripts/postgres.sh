#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite: installed from Debian's
# packages if missing, with its own data directory and a private port.
#   scripts/postgres.sh start   -> prints the database URL on stdout
#   scripts/postgres.sh stop
set -euo pipefail

PORT="${CAIRN_TEST_PG_PORT:-54329}"
DATA="${CAIRN_TEST_PG_DIR:-/tmp/cairn-test-pg-$PORT}"
URL="postgresql://cairn@127.0.0.1:$PORT/cairn_test"

find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ] && [ "$(id -u)" = 0 ]; then
    echo "installing PostgreSQL from Debian packages..." >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  [ -n "$dir" ] || { echo "PostgreSQL is not installed and I am not root to install it" >&2; exit 1; }
  echo "$dir"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local bin; bin=$(find_bin)
  if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
    if [ ! -f "$DATA/PG_VERSION" ]; then
      mkdir -p "$DATA"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
      as_owner "$bin/initdb" -D "$DATA" -U postgres -A trust --no-sync >/dev/null
    fi
    as_owner "$bin/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -o \
      "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" \
      start >/dev/null
  fi
  "$bin/psql" -q -h 127.0.0.1 -p "$PORT" -U postgres -tc \
    "SELECT 1 FROM pg_roles WHERE rolname='cairn'" | grep -q 1 ||
    "$bin/psql" -q -h 127.0.0.1 -p "$PORT" -U postgres -c "CREATE ROLE cairn LOGIN SUPERUSER" >/dev/null
  "$bin/psql" -q -h 127.0.0.1 -p "$PORT" -U postgres -c "DROP DATABASE IF EXISTS cairn_test" >/dev/null 2>&1
  "$bin/psql" -q -h 127.0.0.1 -p "$PORT" -U postgres -c "CREATE DATABASE cairn_test OWNER cairn" >/dev/null
  echo "$URL"
}

stop() {
  local bin; bin=$(find_bin)
  [ -f "$DATA/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$DATA" -m fast stop >/dev/null || true
}

"${1:-start}"
