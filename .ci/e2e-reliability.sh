#!/usr/bin/env bash
# Reliability: 20 residents chat while `baken serve` is killed with SIGKILL 20 times; after
# each restart every acknowledged message must be stored once, with seqs without gaps.
set -euo pipefail
cd "$(dirname "$0")/.."

source .ci/lib.sh
install_websockets

BIN=$(swift build --show-bin-path)/baken
DATA=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null || true' EXIT
python3 Tests/e2e/reliability.py "$BIN" "$DATA" 18880 --kills 20 --sessions 20 | tee "$DATA/summary"
if [ -n "${CI_SUMMARY:-}" ]; then grep "^kills survived" "$DATA/summary" | sed 's/^/reliability: /' >>"$CI_SUMMARY" || true; fi
rm -rf "$DATA"
