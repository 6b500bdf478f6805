#!/usr/bin/env bash
# The load generator works: a short, slow run of `baken-load` in chat and echo mode against
# `baken serve` (debug build, bench routes on) answers every message with no error. The figures
# themselves are measured on release builds by hand (BENCHMARKS.md), not here.
set -euo pipefail
cd "$(dirname "$0")/.."

source .ci/lib.sh

BIN=$(swift build --show-bin-path)/baken
LOAD=$(swift build --show-bin-path)/baken-load
DATA=$(mktemp -d)
HTTP=18980
LOG="$DATA/server.log"
trap 'kill -9 $(jobs -p) 2>/dev/null || true' EXIT

start_server "$LOG" --data "$DATA" --port $HTTP --tcp-port=-1 --metrics-port=-1 --config Tests/load/bench.yaml

check() {
  local mode=$1 path=$2 out
  out=$(timeout 120 "$LOAD" "$mode" --url "ws://127.0.0.1:$HTTP$path" --sessions 40 --rate 40 --duration 4 --warmup 1 --drain 3 --pid $PID)
  echo "$out"
  grep -q "^opened 40 of 40 sessions" <<<"$out" || { echo "FAIL: $mode: not every session opened"; exit 1; }
  grep -q "^  unanswered *0$" <<<"$out" || { echo "FAIL: $mode: messages left unanswered"; exit 1; }
  if grep -q "^  error " <<<"$out"; then echo "FAIL: $mode: errors"; exit 1; fi
  # 40 msg/s offered over the 3 s window: about 120 answered
  awk '/^  answered/ { if ($2 < 36) { print "FAIL: answered " $2 "/s of 40"; exit 1 } }' <<<"$out"
}
check chat /ws/chat
check echo /ws/echo
kill -TERM $PID; wait $PID || true
echo "load generator: chat and echo answered every message"
