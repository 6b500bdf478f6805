#!/usr/bin/env bash
# End-to-end staff handoff: accounts from the CLI, queue → claim race → chat → release →
# close, refusals, location rights, and a restart with a queued and a claimed conversation.
set -euo pipefail
cd "$(dirname "$0")/.."

source .ci/lib.sh
install_websockets

BIN=$(swift build --show-bin-path)/baken
WORK=$(mktemp -d)
DATA="$WORK/data"
HTTP=18580
TCP=18581
LOG="$WORK/server.log"
trap 'kill -9 $(jobs -p) 2>/dev/null || true' EXIT

always_open_knowledge "$WORK/knowledge"

ANNA=$("$BIN" staff add Anna --role staff --locations den_helder --data "$DATA")
PIET=$("$BIN" staff add Piet --role volunteer --locations den_helder den_burg --data "$DATA")
TESS=$("$BIN" staff add Tess --role volunteer --locations den_burg --data "$DATA")
OLD=$("$BIN" staff add Oud --data "$DATA")
"$BIN" staff revoke Oud --data "$DATA"
"$BIN" staff list --data "$DATA"

METRICS=18482
start() { start_server "$LOG" --data "$DATA" --knowledge "$WORK/knowledge" --port $HTTP --tcp-port $TCP --metrics-port $METRICS; }
metric() {  # metric NAME — fails unless /metrics has a sample of NAME
  if curl -sf "http://127.0.0.1:$METRICS/metrics" | grep -q "^$1"; then echo "ok   /metrics has $1"; else echo "FAIL: /metrics lacks $1"; exit 1; fi
}

start
python3 Tests/e2e/staff_test.py phase1 $HTTP $TCP "$WORK/state.json" "$ANNA" "$PIET" "$OLD" "$TESS"
metric 'baken_handoff_wait_seconds_count{location="den_helder"}'
kill -TERM $PID; wait $PID || true
echo "-- restarted"
start
python3 Tests/e2e/staff_test.py phase2 $HTTP $TCP "$WORK/state.json" "$ANNA" "$PIET"
metric 'baken_conversations_closed_total{'
kill -TERM $PID; wait $PID || true

echo "-- a BSN, an IBAN and a password typed by residents and staff: nowhere in the files"
start
python3 Tests/e2e/secrets_test.py talk $HTTP $TCP "$ANNA"
kill -TERM $PID; wait $PID || true
python3 Tests/e2e/secrets_test.py scan "$DATA" "$LOG"
