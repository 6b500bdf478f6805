#!/usr/bin/env bash
# Builds Baken's libFuzzer targets (release, -sanitize=fuzzer,address) and runs each for
# FUZZ_SECONDS (default 60). Every input in Fuzz/Regressions/<target>/ is run first; a crash
# is written to Fuzz/Regressions/<target>/ (keep it: commit it with the fix) and fails the run.
#
#   bash Fuzz/run.sh                  # all targets, 60 s each
#   FUZZ_SECONDS=600 bash Fuzz/run.sh FuzzPrivacy
#
# Prints one line per target: executions, new inputs found, crashes. With CI_SUMMARY set, the
# same lines are appended to that file for the CI summary table.
set -uo pipefail
cd "$(dirname "$0")"

SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(FuzzProtocol FuzzLines FuzzText FuzzPrivacy)

# SwiftPM passes `-sanitize=fuzzer -sanitize=address` in that order, and swiftc 6.1 then drops
# the fuzzer's coverage instrumentation from Swift code (only C targets get it): libFuzzer runs
# blind. Asking for the coverage explicitly restores it; the run below fails if it is missing.
FLAGS=(-c release --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table)
echo "== building fuzz targets (release, -sanitize=fuzzer -sanitize=address, coverage)"
buildlog=$(mktemp)
if ! swift build "${FLAGS[@]}" >"$buildlog" 2>&1; then
  echo "---- the fuzz targets did not build:"
  grep -E "error" "$buildlog" | head -20 || tail -40 "$buildlog"
  rm -f "$buildlog"
  exit 1
fi
grep -E "Build complete" "$buildlog" || true
rm -f "$buildlog"
BIN=$(swift build "${FLAGS[@]}" --show-bin-path)

# Swift's own backtracer and ASan both want the crash signal; ASan must have it.
export SWIFT_BACKTRACE=enable=no
# FuzzText reads the shipped knowledge base from here.
export BAKEN_ROOT=$(cd .. && pwd)

failed=0
for target in "${TARGETS[@]}"; do
  corpus=$(mktemp -d)
  regressions=Regressions/$target
  mkdir -p "$regressions"
  log=$(mktemp)
  # The first directory collects new inputs (thrown away); the others are read only.
  "$BIN/$target" -max_total_time="$SECONDS_EACH" -max_len=8192 -timeout=5 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$regressions/" \
    "$corpus" "Corpus/$target" "$regressions" >"$log" 2>&1
  status=$?
  runs=$(sed -n 's/^Done \([0-9]*\) runs in .*/\1/p' "$log" | tail -1)
  found=$(find "$corpus" -type f | wc -l)
  if grep -q "Is the code instrumented for coverage" "$log" || { [ $status -eq 0 ] && [ "$found" -eq 0 ]; }; then
    echo "---- $target: libFuzzer found no new inputs: no coverage from the code under test (instrumentation missing?)"
    crashes=0
    failed=1
  elif [ $status -eq 0 ] && [ -n "$runs" ]; then
    crashes=0
  else
    crashes=1
    failed=1
    runs=${runs:-$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)}
    echo "---- $target failed (exit $status); the input is kept in Fuzz/$regressions/:"
    grep -E "PROPERTY FAILED|ERROR: |SUMMARY: |Test unit written|Fatal error" "$log" | head -20
  fi
  line=$(printf "fuzz %-13s %3ss  executions %10s  new inputs %5s  crashes %s" "$target" "$SECONDS_EACH" "${runs:-?}" "$found" "$crashes")
  echo "$line"
  [ -n "${CI_SUMMARY:-}" ] && echo "$line" >>"$CI_SUMMARY"
  rm -rf "$corpus" "$log"
done
exit $failed
