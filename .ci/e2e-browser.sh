#!/usr/bin/env bash
# End-to-end in a real browser: the resident chat (/) and the staff console (/staff) in
# headless Chromium driven by Selenium, with axe-core for accessibility. Screenshots go to
# build/screenshots/. The test starts, kills and restarts `baken serve` itself.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "-- installing chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y --no-install-recommends chromium chromium-driver >/dev/null
fi

if ! python3 -c "import selenium" 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check 'selenium>=4.20' 2>&1 | grep -v "WARNING: Running pip as" || true
fi
# axe-core 4.12.1: the axe.min.js inside the axe-playwright-python wheel (only the file is
# used; the copy in axe-selenium-python is years older).
AXE_DIR=build/axe
if [ ! -f "$AXE_DIR/axe.min.js" ]; then
  mkdir -p "$AXE_DIR"
  python3 -m pip download --quiet --disable-pip-version-check --no-deps -d "$AXE_DIR" 'axe-playwright-python==0.1.8' 2>&1 | grep -v "WARNING: Running pip as" || true
  python3 -c "import zipfile, glob, sys; z = zipfile.ZipFile(glob.glob('$AXE_DIR/axe_playwright_python-*.whl')[0]); open('$AXE_DIR/axe.min.js', 'wb').write(z.read('axe_playwright_python/axe.min.js'))"
fi
export BAKEN_AXE="$PWD/$AXE_DIR/axe.min.js"
python3 -c "import yaml" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check pyyaml 2>&1 | grep -v "WARNING: Running pip as" || true
python3 -c "import pytest" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check pytest 2>&1 | grep -v "WARNING: Running pip as" || true

BIN=$(swift build --show-bin-path)/baken
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The shipped knowledge base with chat hours open all day, every day, and one article whose
# body carries markup (it must show as text in the browser).
source .ci/lib.sh
always_open_knowledge "$WORK/knowledge"
python3 - "$WORK/knowledge/nl/bedankt.md" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read().replace("Tot ziens!", "Tot ziens! <img src=x onerror=alert(1)>")
open(path, "w").write(text)
PY

STAFF_TOKEN=$("$BIN" staff add Anna --role staff --data "$WORK/data")
# A second colleague, for the transfer from Anna's console.
STAFF_TOKEN_2=$("$BIN" staff add Bert --role staff --data "$WORK/data")
# An admin for the figures page (/insight): the conversations of this run have no branch.
COORDINATOR_TOKEN=$("$BIN" staff add Ada --role admin --data "$WORK/data")

# Referrals are offered only for partners with a webhook: a local receiver for two of them.
export BAKEN_WEBHOOK_SECRET="whsec_$(python3 -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())')"
cat > "$WORK/partners.yaml" <<YAML
partners:
  taalhuis: {url: "http://127.0.0.1:18698/hook", secret_env: BAKEN_WEBHOOK_SECRET, local: true}
  digisterker: {url: "http://127.0.0.1:18698/hook", secret_env: BAKEN_WEBHOOK_SECRET, local: true}
YAML
python3 Tests/e2e/webhook_receiver.py 18698 "$BAKEN_WEBHOOK_SECRET" "$WORK/received.jsonl" &
RECEIVER=$!
trap 'kill $RECEIVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

mkdir -p build/screenshots
BAKEN_PARTNERS="$WORK/partners.yaml" BAKEN_BIN="$BIN" BAKEN_DATA="$WORK/data" BAKEN_KNOWLEDGE="$WORK/knowledge" BAKEN_STAFF_TOKEN="$STAFF_TOKEN" BAKEN_STAFF_TOKEN_2="$STAFF_TOKEN_2" BAKEN_COORDINATOR_TOKEN="$COORDINATOR_TOKEN" \
  BAKEN_HTTP_PORT=18680 BAKEN_TCP_PORT=18681 BAKEN_SCREENSHOTS=build/screenshots \
  python3 -m pytest -q -s -p no:cacheprovider Tests/browser/test_browser.py
