#!/bin/sh
# Re-runs everything docs/RELIABILITY.md reports, and prints its figures:
# the stress suite (meson test --suite stress), the fuzzers, valgrind.
#
#   tests/stress/run-reliability.sh [BUILDDIR]    (default: build-reliability)
#
# Durations and sizes come from the environment, with these defaults:
#   SHMV_STRESS_KILLS=300          writer kills in each crash storm
#   SHMV_STRESS_READER_KILLS=200   reader kills
#   SHMV_STRESS_HOSTILE_SECONDS=20 the hostile-peer fight
#   SHMV_SOAK_SECONDS=60           the 4K soak (SHMV_SOAK_READERS=16)
#   FUZZ_SECONDS=60                each fuzzer (both run at once)
# Root gets every case; as another user the namespace and second-uid cases
# skip. Exits non-zero if any part failed.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
builddir=${1:-build-reliability}
out=$(mktemp -d "${TMPDIR:-/tmp}/shmv-reliability-XXXXXX")
trap 'rm -rf "$out"' EXIT
status=0

if [ ! -d "$builddir" ]; then
  meson setup "$builddir" >/dev/null || exit 1
fi
# Only what the suite runs: other parts of the tree may be mid-edit.
targets="src/ctl/shmview-ctl tests/stress/fuzz-replay-png tests/stress/fuzz-replay-channel"
for source in tests/stress/test-*.c; do
  targets="$targets tests/stress/$(basename "$source" .c)"
done
# shellcheck disable=SC2086
meson compile -C "$builddir" $targets >/dev/null || { echo "build failed"; exit 1; }

echo "== stress suite"
export SHMV_STRESS_FIGURES="$out/figures"
: >"$SHMV_STRESS_FIGURES"
meson test -C "$builddir" --no-rebuild --suite stress --print-errorlogs || status=1
python3 - "$builddir/meson-logs/testlog.json" <<'PY'
import json, sys
total = 0.0
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        t = json.loads(line)
        total += t["duration"]
        print(f"  {t['name']:<24} {t['result']:<13} {t['duration']:7.1f} s")
print(f"  {'total':<24} {'':<13} {total:7.1f} s")
PY

echo "== fuzzers (${FUZZ_SECONDS:-60} s each)"
sh tests/fuzz/run-fuzzers.sh "${FUZZ_SECONDS:-60}" | tee "$out/fuzz" | grep '^fuzz' || status=1

echo "== valgrind"
sh tools/valgrind-check.sh "$builddir" | tee "$out/valgrind" | grep -E '^valgrind|^    ==' \
  | grep -E '^valgrind|lost in loss|Invalid|uninitialised|by 0x.*\((shmv|test|ctl)' || true
grep -q ', 0 failed$' "$out/valgrind" || status=1

echo "== figures ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, Linux $(uname -r))"
sort -s -k1,1 "$SHMV_STRESS_FIGURES" | awk '{ printf "  %-18s %-38s %s\n", $1, $2, $3 }'
exit $status
