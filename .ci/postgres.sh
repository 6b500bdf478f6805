#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the tests and prints its URL on stdout.
#   eval "$(bash .ci/postgres.sh start DIR)"   # sets BAKEN_TEST_POSTGRES and PG_TEST_DIR
#   bash .ci/postgres.sh stop DIR
# Uses Debian's `postgresql` package (installs it when missing). The server listens on
# 127.0.0.1 on a free port, trusts local connections, and keeps everything in DIR. initdb
# refuses to run as root, so as root the server runs as the `postgres` user (or `nobody`).
set -euo pipefail
command=${1:?start or stop}
dir=${2:?a directory for the server}

bindir() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$found" ] && command -v pg_ctl >/dev/null; then found=$(dirname "$(readlink -f "$(command -v pg_ctl)")"); fi
  echo "$found"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    local user=postgres
    id "$user" >/dev/null 2>&1 || user=nobody
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

case "$command" in
start)
  bin=$(bindir)
  if [ -z "$bin" ]; then
    echo "PostgreSQL is not installed; installing Debian's postgresql package" >&2
    apt-get install -y -q postgresql >&2 || { apt-get update -q >&2 && apt-get install -y -q postgresql >&2; }
    bin=$(bindir)
  fi
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    user=postgres; id "$user" >/dev/null 2>&1 || user=nobody
    chown "$user" "$dir"
  fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  # fsync off: a test server; nothing here must survive a power loss.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >&2 \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "export BAKEN_TEST_POSTGRES='postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable'"
  echo "export PG_TEST_DIR='$dir'"
  ;;
stop)
  bin=$(bindir)
  [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >&2 || true
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
