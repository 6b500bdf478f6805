#!/usr/bin/env bash
# End-to-end staff handoff: accounts from the CLI, queue → claim race → chat → release →
# close, refusals, location rights, and a restart with a queued and a claimed conversation.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check 'websockets>=12' 2>&1 | grep -v "WARNING: Running pip as" || true

BIN=$(swift build --show-bin-path)/baken
WORK=$(mktemp -d)
DATA="$WORK/data"
HTTP=18580
TCP=18581
LOG="$WORK/server.log"
trap 'kill -9 $(jobs -p) 2>/dev/null || true' EXIT

# The shipped knowledge base with chat hours open all day, every day (hours have their own tests).
cp -r knowledge "$WORK/knowledge"
python3 - "$WORK/knowledge/locations.yaml" <<'PY'
import sys, yaml
path = sys.argv[1]
data = yaml.safe_load(open(path))
data["holidays"] = []
for location in data["locations"]:
    location["chat_hours"] = {day: ["00:00-24:00"] for day in ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]}
    location["closed_dates"] = []
yaml.safe_dump(data, open(path, "w"), allow_unicode=True)
PY

ANNA=$("$BIN" staff add Anna --role staff --locations den_helder --data "$DATA")
PIET=$("$BIN" staff add Piet --role volunteer --locations den_helder den_burg --data "$DATA")
TESS=$("$BIN" staff add Tess --role volunteer --locations den_burg --data "$DATA")
OLD=$("$BIN" staff add Oud --data "$DATA")
"$BIN" staff revoke Oud --data "$DATA"
"$BIN" staff list --data "$DATA"

start() {
  "$BIN" serve --data "$DATA" --knowledge "$WORK/knowledge" --port $HTTP --tcp-port $TCP >>"$LOG" 2>&1 &
  PID=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$HTTP/health" >/dev/null && return 0
    sleep 0.1
  done
  echo "server did not start"; cat "$LOG"; exit 1
}

start
python3 Tests/e2e/staff_test.py phase1 $HTTP $TCP "$WORK/state.json" "$ANNA" "$PIET" "$OLD" "$TESS"
kill -TERM $PID; wait $PID || true
echo "-- restarted"
start
python3 Tests/e2e/staff_test.py phase2 $HTTP $TCP "$WORK/state.json" "$ANNA" "$PIET"
kill -TERM $PID; wait $PID || true
