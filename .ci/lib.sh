# Shared by the end-to-end suites: sourced, not run.

# Python's websockets package: a client no one on the team wrote.
install_websockets() {
  python3 -m pip install --quiet --disable-pip-version-check 'websockets>=12' pyyaml tzdata 2>&1 | grep -v "WARNING: Running pip as" || true
}

# start_server LOG ARGS… — starts `baken serve ARGS…` in the background, sets PID, and waits
# until /health answers on $HTTP.
start_server() {
  local log=$1
  shift
  # Another server on the port would answer /health for us and the tests would talk to it.
  if curl -sf "http://127.0.0.1:$HTTP/health" >/dev/null; then
    echo "port $HTTP is already in use by another server: stop it first"
    exit 1
  fi
  "$BIN" serve "$@" >>"$log" 2>&1 &
  PID=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$HTTP/health" >/dev/null && return 0
    sleep 0.1
  done
  echo "server did not start"
  cat "$log"
  exit 1
}

# A copy of the knowledge base whose chat hours are always open (hours have their own tests).
always_open_knowledge() {
  local target=$1
  cp -r knowledge "$target"
  python3 - "$target/locations.yaml" <<'PY'
import sys, yaml
path = sys.argv[1]
data = yaml.safe_load(open(path))
data["holidays"] = []
for location in data["locations"]:
    location["chat_hours"] = {day: ["00:00-24:00"] for day in ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]}
    location["closed_dates"] = []
yaml.safe_dump(data, open(path, "w"), allow_unicode=True)
PY
}

# wait_port PORT [WHAT] — waits up to 20 s until something accepts connections on PORT.
wait_port() {
  local port=$1 what=${2:-"port $1"}
  for _ in $(seq 1 200); do
    python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.5).close()' "$port" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$what did not start"
  exit 1
}

# wait_for_attempt BIN STORE N — waits up to 30 s until delivery attempt #N is logged;
# STORE is a data directory or `--database=URL` (the scripts that use it have one referral).
wait_for_attempt() {
  local bin=$1 store=$2 n=$3
  local where=(--data "$store")
  [[ $store == --database=* ]] && where=("$store")
  for _ in $(seq 1 150); do
    "$bin" referrals list "${where[@]}" 2>/dev/null | grep -q "#$n " && return 0
    sleep 0.2
  done
  echo "FAIL: delivery attempt #$n was not logged within 30 s"
  exit 1
}
