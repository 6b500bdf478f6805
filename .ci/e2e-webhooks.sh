#!/usr/bin/env bash
# End-to-end referral: the bot offers a partner, the resident consents over the protocol,
# the partner's receiver (written from docs/webhooks.md) is DOWN; the server is restarted;
# the receiver comes up; the referral arrives once, signed, with only consented fields.
set -euo pipefail
cd "$(dirname "$0")/.."

source .ci/lib.sh
install_websockets

BIN=$(swift build --show-bin-path)/baken
WORK=$(mktemp -d)
HTTP=18680
TCP=18681
HOOK=18699
LOG="$WORK/server.log"
trap 'kill -9 $(jobs -p) 2>/dev/null || true' EXIT

export BAKEN_WEBHOOK_SECRET_TAALHUIS="whsec_$(python3 -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())')"
cat > "$WORK/partners.yaml" <<YAML
partners:
  taalhuis:
    url: http://127.0.0.1:$HOOK/hook
    secret_env: BAKEN_WEBHOOK_SECRET_TAALHUIS
    local: true
    timeout_seconds: 2
YAML

start() { start_server "$LOG" --data "$WORK/data" --partners "$WORK/partners.yaml" --port $HTTP --tcp-port $TCP; }

start
python3 Tests/e2e/referral_test.py offer $HTTP "$WORK/state.json"
REFERRAL=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["referral"])' "$WORK/state.json")
# The receiver is down: the first attempt fails and is scheduled again (about 5 s later).
wait_for_attempt "$BIN" "$WORK/data" 1
"$BIN" referrals list --data "$WORK/data" | tee "$WORK/list.txt"
grep -q "$REFERRAL  queued" "$WORK/list.txt" && echo "ok   the referral waits as queued while the receiver is down" || { echo "FAIL: not queued"; exit 1; }
grep -q "#1 " "$WORK/list.txt" && echo "ok   the failed attempt is logged" || { echo "FAIL: no attempt logged"; exit 1; }

kill -TERM $PID; wait $PID || true
echo "-- server restarted; receiver comes up"
python3 Tests/e2e/webhook_receiver.py $HOOK "$BAKEN_WEBHOOK_SECRET_TAALHUIS" "$WORK/received.jsonl" &
wait_port $HOOK "the webhook receiver"
start
python3 Tests/e2e/referral_test.py after $HTTP "$WORK/state.json"
python3 - "$WORK/received.jsonl" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
def check(c, m):
    if not c: print("FAIL:", m); sys.exit(1)
    print("ok  ", m)
check(len(lines) == 1, "delivered once")
check(lines[0]["verified"], "the signature verifies with the recipe in docs/webhooks.md")
check(not lines[0]["tampered_verified"], "a tampered body fails the same check")
fields = lines[0]["body"]["data"]["fields"]
check(fields["first_name"] == "Fatima" and "111222333" not in json.dumps(lines[0]["body"]), "consented fields only; the BSN is never sent")
check(set(fields) <= {"first_name", "contact", "location", "language", "topic", "summary"}, "no other fields")
PY
"$BIN" referrals list --data "$WORK/data" --status delivered | grep -q "$REFERRAL" && echo "ok   baken referrals list shows it delivered"
kill -TERM $PID; wait $PID || true
