#!/usr/bin/env bash
# End-to-end on PostgreSQL: `baken serve --database postgres://…` holds a conversation over
# WebSocket and TCP, is killed with -9, restarts on the same database, and the resident
# resumes without losing anything acknowledged (the same script as the SQLite suite); then
# `baken staff` and `baken report` read the same database.
# Uses the server of `.ci/run` (BAKEN_TEST_POSTGRES) or starts its own.
set -euo pipefail
cd "$(dirname "$0")/.."

source .ci/lib.sh
install_websockets

BIN=$(swift build --show-bin-path)/baken
DATA=$(mktemp -d)
HTTP=18490
TCP=18491
LOG="$DATA/server.log"
OWN_PG=""
cleanup() {
  kill -9 $(jobs -p) 2>/dev/null || true
  [ -n "$OWN_PG" ] && bash .ci/postgres.sh stop "$OWN_PG"
  return 0
}
trap cleanup EXIT
if [ -z "${BAKEN_TEST_POSTGRES:-}" ]; then
  OWN_PG=$(mktemp -d)
  eval "$(bash .ci/postgres.sh start "$OWN_PG")"
fi
NAME="baken_e2e_$$"
ADMIN_URL=${BAKEN_TEST_POSTGRES}
python3 - "$ADMIN_URL" "$NAME" <<'PY'
import subprocess, sys
subprocess.run(["psql", sys.argv[1], "-q", "-c", f"CREATE DATABASE {sys.argv[2]}"], check=True)
PY
URL=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$ADMIN_URL" "$NAME")

start() { start_server "$LOG" --database "$URL" --port $HTTP --tcp-port $TCP --metrics-port=-1; }

start
grep -q '"data": ' "$LOG" || true
python3 Tests/e2e/conversation_test.py phase1 $HTTP $TCP "$DATA/state.json"
kill -9 $PID; wait $PID 2>/dev/null || true
echo "-- killed with -9, restarting on the same PostgreSQL database"
start
python3 Tests/e2e/conversation_test.py phase2 $HTTP $TCP "$DATA/state.json"
kill -TERM $PID
status=0
wait $PID || status=$?
[ "$status" -eq 0 ] || { echo "FAIL: exit status $status after SIGTERM"; tail -20 "$LOG"; exit 1; }
echo "ok   exit status 0 after SIGTERM"
[ ! -e data/baken.sqlite ] || [ data/baken.sqlite -ot "$DATA/state.json" ] || { echo "FAIL: a SQLite file was written beside PostgreSQL"; exit 1; }

echo "-- PostgreSQL stops while a resident chats, and starts again (the server keeps running)"
if [ -n "${PG_TEST_DIR:-}" ] && [ -f "$PG_TEST_DIR/data/postmaster.opts" ]; then
  start
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  PG_OPTS=$(sed -e 's/^[^ ]* //' -e 's/"//g' "$PG_TEST_DIR/data/postmaster.opts")
  RUN=""; [ "$(id -u)" = 0 ] && RUN="runuser -u $(stat -c %U "$PG_TEST_DIR/data") --"
  python3 Tests/e2e/outage_test.py $TCP \
    "$RUN $PG_BIN/pg_ctl -D $PG_TEST_DIR/data -m fast -w stop" \
    "$RUN $PG_BIN/pg_ctl -D $PG_TEST_DIR/data -l $PG_TEST_DIR/server.log -w -o '$PG_OPTS' start"
  kill -TERM $PID; wait $PID || true
else
  echo "skip: no PostgreSQL of this run to stop (PG_TEST_DIR)"; exit 1
fi

echo "-- baken staff and baken report on the same database (BAKEN_DATABASE)"
BAKEN_DATABASE="$URL" "$BIN" staff add anna --role admin > "$DATA/token" 2>/dev/null
BAKEN_DATABASE="$URL" "$BIN" staff list | grep -q "^anna	admin" || { echo "FAIL: staff list does not show anna"; exit 1; }
TODAY=$(date -u +%F)
"$BIN" report --database "$URL" --from "$TODAY" --to "$TODAY" --format csv > "$DATA/report.csv"
count=$(psql "$URL" -tA -c "SELECT COUNT(*) FROM conversation")
python3 - "$count" "$DATA/report.csv" <<'PY'
import csv, sys
count = int(sys.argv[1])
rows = list(csv.DictReader(open(sys.argv[2], newline="")))
total = [r for r in rows if r["group"] == "total"]
expected = "< 5" if 0 < count < 5 else str(count)
assert total and total[0]["conversations"] == expected, f"report {total}, database {count}"
print(f"ok   baken report counts all {count} conversations in PostgreSQL")
PY
echo "ok   staff account stored in PostgreSQL"

echo "-- no server at the URL: a clear error, exit 1"
if "$BIN" serve --database "postgres://baken@127.0.0.1:1/baken?sslmode=disable" --port $HTTP --tcp-port=-1 --metrics-port=-1 > "$DATA/down.log" 2>&1; then
  echo "FAIL: started without a database"; exit 1
fi
grep -q "PostgreSQL, connecting to postgres://baken@127.0.0.1:1/baken" "$DATA/down.log" || { echo "FAIL: no clear error"; cat "$DATA/down.log"; exit 1; }
echo "ok   $(grep -m1 'PostgreSQL, connecting' "$DATA/down.log" | cut -c1-160)"
psql "$ADMIN_URL" -q -c "DROP DATABASE $NAME WITH (FORCE)"

echo "-- two nodes on one database: a resident moves between them; node A is killed with -9"
psql "$ADMIN_URL" -q -c "CREATE DATABASE ${NAME}_n"
URL3=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$ADMIN_URL" "${NAME}_n")
HTTP_B=18492; TCP_B=18493
start_server "$DATA/node-a.log" --database "$URL3" --port $HTTP --tcp-port $TCP --metrics-port=-1
PID_A=$PID
HTTP_SAVED=$HTTP; HTTP=$HTTP_B
start_server "$DATA/node-b.log" --database "$URL3" --port $HTTP_B --tcp-port $TCP_B --metrics-port=-1
PID_B=$PID; HTTP=$HTTP_SAVED
python3 Tests/e2e/two_nodes_test.py $TCP $TCP_B $PID_A || { tail -n 20 "$DATA/node-a.log" "$DATA/node-b.log"; exit 1; }
grep -q "conversation taken over by another node" "$DATA/node-a.log" || { echo "FAIL: node A did not log the takeover"; exit 1; }
echo "ok   node A logged that another node took the conversation over"
kill -TERM $PID_B; wait $PID_B || true
psql "$ADMIN_URL" -q -c "DROP DATABASE ${NAME}_n WITH (FORCE)"

echo "-- two nodes: staff on node B claim and help a resident on node A; A is killed with -9; the chat goes on on B"
psql "$ADMIN_URL" -q -c "CREATE DATABASE ${NAME}_s"
URL5=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$ADMIN_URL" "${NAME}_s")
always_open_knowledge "$DATA/open-knowledge"
NORA=$(BAKEN_DATABASE="$URL5" "$BIN" staff add Nora --role staff --locations den_helder)
METRICS_A=18494  # node A's metrics tell the test when it knows that staff on node B are available
start_server "$DATA/staff-a.log" --database "$URL5" --node node-a --knowledge "$DATA/open-knowledge" --port $HTTP --tcp-port=-1 --metrics-port $METRICS_A
PID_A=$PID
HTTP_SAVED=$HTTP; HTTP=$HTTP_B
start_server "$DATA/staff-b.log" --database "$URL5" --node node-b --knowledge "$DATA/open-knowledge" --port $HTTP_B --tcp-port=-1 --metrics-port=-1
PID_B=$PID; HTTP=$HTTP_SAVED
python3 Tests/e2e/two_nodes_staff_test.py $HTTP $HTTP_B $PID_A "$NORA" $METRICS_A || { tail -n 30 "$DATA/staff-a.log" "$DATA/staff-b.log"; exit 1; }
kill -TERM $PID_B; wait $PID_B || true
psql "$ADMIN_URL" -q -c "DROP DATABASE ${NAME}_s WITH (FORCE)"

echo "-- two nodes: a referral queued on node A (its partner down) is delivered once, by node B, after A is killed"
psql "$ADMIN_URL" -q -c "CREATE DATABASE ${NAME}_w"
URL4=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$ADMIN_URL" "${NAME}_w")
HOOK=18499
export BAKEN_WEBHOOK_SECRET_TAALHUIS="whsec_$(python3 -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())')"
cat > "$DATA/partners.yaml" <<YAML
partners:
  taalhuis:
    url: http://127.0.0.1:$HOOK/hook
    secret_env: BAKEN_WEBHOOK_SECRET_TAALHUIS
    local: true
    timeout_seconds: 2
YAML
start_server "$DATA/hook-a.log" --database "$URL4" --node node-a --partners "$DATA/partners.yaml" --port $HTTP --tcp-port=-1 --metrics-port=-1
PID_A=$PID
HTTP_SAVED=$HTTP; HTTP=$HTTP_B
start_server "$DATA/hook-b.log" --database "$URL4" --node node-b --partners "$DATA/partners.yaml" --port $HTTP_B --tcp-port=-1 --metrics-port=-1
PID_B=$PID; HTTP=$HTTP_SAVED
python3 Tests/e2e/referral_test.py offer $HTTP "$DATA/referral.json"
REFERRAL=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["referral"])' "$DATA/referral.json")
# The retry comes about 5 s after the first attempt: node A dies and the receiver is up before it.
wait_for_attempt "$BIN" "--database=$URL4" 1
kill -9 $PID_A; wait $PID_A 2>/dev/null || true
python3 Tests/e2e/webhook_receiver.py $HOOK "$BAKEN_WEBHOOK_SECRET_TAALHUIS" "$DATA/received.jsonl" &
wait_port $HOOK "the webhook receiver"
"$BIN" referrals list --database "$URL4" | grep -q "$REFERRAL  queued" || { echo "FAIL: the referral is not queued"; exit 1; }
echo "ok   node A queued the referral; its first attempt failed (partner down)"
for _ in $(seq 1 200); do "$BIN" referrals list --database "$URL4" --status delivered | grep -q "$REFERRAL" && break; sleep 0.5; done
"$BIN" referrals list --database "$URL4" --status delivered | grep -q "$REFERRAL" || { echo "FAIL: not delivered"; tail -n 20 "$DATA/hook-b.log"; exit 1; }
sleep 7   # a second delivery, if there were one, would come within the next retry
python3 - "$DATA/received.jsonl" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
if len(lines) != 1 or not lines[0]["verified"]:
    print(f"FAIL: {len(lines)} deliveries"); sys.exit(1)
print("ok   node A killed with -9: node B delivered the referral once, signed")
PY
grep -q 'outcome=delivered' "$DATA/hook-b.log" && echo "ok   the delivery is in node B's log" || { echo "FAIL: node B did not deliver it"; exit 1; }
kill -TERM $PID_B; wait $PID_B || true
psql "$ADMIN_URL" -q -c "DROP DATABASE ${NAME}_w WITH (FORCE)"

echo "-- baken migrate: a conversation begun on SQLite resumes on PostgreSQL"
SQLITE_DATA="$DATA/sqlite"
start_server "$LOG" --data "$SQLITE_DATA" --port $HTTP --tcp-port $TCP --metrics-port=-1
python3 Tests/e2e/conversation_test.py phase1 $HTTP $TCP "$DATA/state2.json"
"$BIN" staff add bea --role staff --data "$SQLITE_DATA" > /dev/null 2>&1
kill -TERM $PID; wait $PID || true
psql "$ADMIN_URL" -q -c "CREATE DATABASE ${NAME}_m"
URL2=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$ADMIN_URL" "${NAME}_m")
"$BIN" migrate --data "$SQLITE_DATA" --to "$URL2" | tee "$DATA/migrate.out"
grep -q "read back the same" "$DATA/migrate.out" || { echo "FAIL: baken migrate did not confirm the copy"; exit 1; }
if "$BIN" migrate --data "$SQLITE_DATA" --to "$URL2" > "$DATA/migrate2.out" 2>&1; then echo "FAIL: migrated twice into one database"; exit 1; fi
grep -q "is not empty" "$DATA/migrate2.out" || { echo "FAIL: no clear refusal"; cat "$DATA/migrate2.out"; exit 1; }
echo "ok   a second migrate into the same database is refused: $(head -c 120 "$DATA/migrate2.out")"
start_server "$LOG" --database "$URL2" --port $HTTP --tcp-port $TCP --metrics-port=-1
python3 Tests/e2e/conversation_test.py phase2 $HTTP $TCP "$DATA/state2.json"
BAKEN_DATABASE="$URL2" "$BIN" staff list | grep -q "^bea	staff" || { echo "FAIL: the staff account did not move"; exit 1; }
echo "ok   the staff account moved with the data"
kill -TERM $PID; wait $PID || true
psql "$ADMIN_URL" -q -c "DROP DATABASE ${NAME}_m WITH (FORCE)"
