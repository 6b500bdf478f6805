#!/usr/bin/env bash
# End-to-end: start `baken serve`, talk to it with Python's websockets package and a TCP
# socket, kill -9 it, restart on the same data directory, and check nothing acked was lost;
# then check that SIGTERM drains and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."

source .ci/lib.sh
install_websockets

BIN=$(swift build --show-bin-path)/baken
DATA=$(mktemp -d)
HTTP=18480
TCP=18481
LOG="$DATA/server.log"
trap 'kill -9 $(jobs -p) 2>/dev/null || true' EXIT

start() { start_server "$LOG" --data "$DATA" --port $HTTP --tcp-port $TCP; }

start
python3 Tests/e2e/conversation_test.py phase1 $HTTP $TCP "$DATA/state.json"
kill -9 $PID; wait $PID 2>/dev/null || true
echo "-- killed with -9, restarting on the same data directory"
start
python3 Tests/e2e/conversation_test.py phase2 $HTTP $TCP "$DATA/state.json"

echo "-- SIGTERM: the server drains and exits 0"
kill -TERM $PID
status=0
wait $PID || status=$?
if [ "$status" -ne 0 ]; then echo "FAIL: exit status $status after SIGTERM"; tail -20 "$LOG"; exit 1; fi
echo "ok   exit status 0 after SIGTERM"

echo "-- baken report over the conversations above"
TODAY=$(date -u +%F)
"$BIN" report --data "$DATA" --from "$TODAY" --to "$TODAY" --by municipality --format csv > "$DATA/report.csv"
python3 - "$DATA/baken.sqlite" "$DATA/report.csv" <<'PY'
import csv, sqlite3, sys
count = sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM conversation").fetchone()[0]
rows = list(csv.DictReader(open(sys.argv[2], newline="")))
total = [r for r in rows if r["group"] == "total"]
assert total, f"no total row in {rows}"
expected = "< 5" if 0 < count < 5 else str(count)
assert total[0]["conversations"] == expected, f"report says {total[0]['conversations']}, the database has {count}"
print(f"ok   baken report counts all {count} conversations of today")
PY

echo "-- knowledge reload on SIGHUP (a copy of the knowledge base)"
KB="$DATA/kb"
mkdir -p "$KB"
cp -r knowledge intents "$KB/"
start_server "$LOG" --data "$DATA/reload" --port $HTTP --tcp-port=-1 --metrics-port=-1 --knowledge "$KB/knowledge" --intents "$KB/intents"
version() { curl -sf "http://127.0.0.1:$HTTP/health" | python3 -c "import json,sys; print(json.load(sys.stdin)['knowledge']['version'])"; }
V1=$(version)
sed -i 's/Wachtwoord wijzigen/Nieuw wachtwoord kiezen/' "$KB/knowledge/nl/digid_inloggen/wachtwoord_vergeten.md"
kill -HUP $PID
for _ in $(seq 1 50); do [ "$(version)" != "$V1" ] && break; sleep 0.1; done
V2=$(version)
if [ "$V2" = "$V1" ]; then echo "FAIL: /health still shows $V1 after SIGHUP"; tail -20 "$LOG"; exit 1; fi
echo "ok   SIGHUP loads the edited answer (/health: $V1 -> $V2)"
printf '\n  - id: kapot\n    article: bestaat_niet\n' >> "$KB/intents/digid.yaml"
kill -HUP $PID
for _ in $(seq 1 50); do grep -q "knowledge reload refused" "$LOG" && break; sleep 0.1; done
grep -q "knowledge reload refused" "$LOG" || { echo "FAIL: a broken edit was not refused"; tail -20 "$LOG"; exit 1; }
[ "$(version)" = "$V2" ] || { echo "FAIL: a broken edit replaced the knowledge"; exit 1; }
echo "ok   a broken edit is refused, logged, and the previous answers stay"
kill -TERM $PID; wait $PID || true

echo "-- a misspelt setting in the config file is refused with its line"
printf 'port: %s\nretension:\n  transcripts_days: 10\n' $HTTP > "$DATA/bad.yaml"
if "$BIN" serve --config "$DATA/bad.yaml" --data "$DATA/bad" > "$DATA/bad.log" 2>&1; then echo "FAIL: started with an unknown setting"; exit 1; fi
grep -q "bad.yaml:2: unknown setting 'retension'" "$DATA/bad.log" || { echo "FAIL: no clear error"; cat "$DATA/bad.log"; exit 1; }
echo "ok   unknown setting 'retension' refused at bad.yaml:2"
