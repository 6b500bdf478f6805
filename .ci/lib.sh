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
