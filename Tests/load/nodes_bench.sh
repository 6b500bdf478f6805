#!/usr/bin/env bash
# Chat throughput and latency with 1 node and with 2 nodes on the same PostgreSQL, in one run
# (and, as the reference, 1 node on SQLite).
#   swift build -c release --product baken --scratch-path .build-release
#   bash Tests/load/nodes_bench.sh .build-release/release/baken
# Starts its own PostgreSQL (fsync on, as a real one), a fresh database per measurement, and
# the load client of Tests/load/load.py. Prints the machine, the commit and each run's summary.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:?path to a release build of baken}
RATE=${RATE:-2000}
SATURATE=${SATURATE:-8000}
SESSIONS=${SESSIONS:-2000}
DURATION=${DURATION:-15}
PG=$(mktemp -d)
WORK=$(mktemp -d)
cleanup() { kill $(jobs -p) 2>/dev/null || true; sleep 1; bash .ci/postgres.sh stop "$PG"; }
trap cleanup EXIT
eval "$(bash .ci/postgres.sh start "$PG")"
# A real server syncs its log: turn fsync back on (the CI server runs without it).
OPTS=$(sed -e 's/^[^ ]* //' -e 's/"//g' -e 's/-c fsync=off//' "$PG/data/postmaster.opts")
RUN=""; [ "$(id -u)" = 0 ] && RUN="runuser -u $(stat -c %U "$PG/data") --"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
$RUN "$PGBIN/pg_ctl" -D "$PG/data" -m fast -w stop >/dev/null
$RUN "$PGBIN/pg_ctl" -D "$PG/data" -l "$PG/server.log" -w -o "$OPTS" start >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); commit $(git rev-parse --short HEAD)"
echo "PostgreSQL: $(psql "$BAKEN_TEST_POSTGRES" -tA -c 'SHOW server_version'), fsync $(psql "$BAKEN_TEST_POSTGRES" -tA -c 'SHOW fsync')"
ulimit -n 20000 || true

database() {
  psql "$BAKEN_TEST_POSTGRES" -q -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
  python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$BAKEN_TEST_POSTGRES" "$1"
}
node() {  # node NAME URL HTTP_PORT
  "$BIN" serve --database "$2" --node "$1" --port "$3" --tcp-port=-1 --metrics-port=-1 --config Tests/load/bench.yaml --log-level warning \
    >"$WORK/$1.log" 2>&1 &
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$3/health" >/dev/null && return 0; sleep 0.1; done
  echo "node $1 did not start"; cat "$WORK/$1.log"; exit 1
}
measure() {  # LABEL URLS PROCESSES RATE
  echo "== $1: $SESSIONS sessions, $4 msg/s offered"
  python3 Tests/load/load.py chat --url "$2" --sessions "$SESSIONS" --rate "$4" --duration "$DURATION" --processes "$3" | grep -v "^$" | tail -n 9
}

# The reference, same run: one node on SQLite (the embedded default).
"$BIN" serve --data "$WORK/sqlite" --port 18780 --tcp-port=-1 --metrics-port=-1 --config Tests/load/bench.yaml --log-level warning \
  >"$WORK/sqlite.log" 2>&1 &
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:18780/health" >/dev/null && break; sleep 0.1; done
measure "1 node on SQLite" ws://127.0.0.1:18780/ws/chat 2 "$RATE"
measure "1 node on SQLite, saturating" ws://127.0.0.1:18780/ws/chat 2 "$SATURATE"
kill $(jobs -p); wait 2>/dev/null || true

URL=$(database bench_one)
node one "$URL" 18780
measure "1 node" ws://127.0.0.1:18780/ws/chat 2 "$RATE"
measure "1 node, saturating" ws://127.0.0.1:18780/ws/chat 2 "$SATURATE"
kill $(jobs -p); wait 2>/dev/null || true

URL=$(database bench_two)
node a "$URL" 18780
node b "$URL" 18782
measure "2 nodes" ws://127.0.0.1:18780/ws/chat,ws://127.0.0.1:18782/ws/chat 2 "$RATE"
measure "2 nodes, saturating" ws://127.0.0.1:18780/ws/chat,ws://127.0.0.1:18782/ws/chat 2 "$SATURATE"
