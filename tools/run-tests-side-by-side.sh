#!/bin/sh
# Runs the whole suite ROUNDS times (default 5), each time with a second copy
# of it running at the same moment in another build directory: the proof
# that no test depends on an idle machine, a lucky schedule or being alone
# (keys are unique per process, and the leftover check outside CI skips what
# a live process of the other copy still holds). Prints each round's two
# count lines, then "N passed, N failed, N skipped" over every run.
#   tools/run-tests-side-by-side.sh [ROUNDS]
set -u
cd "$(dirname "$0")/.."
rounds=${1:-5}
logs=$(mktemp -d)
status=0

# Not CI: the strict leftover check counts every new object, the other
# copy's live ones included.
unset CI
for round in $(seq "$rounds"); do
  SHMV_BUILDDIR=build-side-a SHMV_XVFB_DISPLAY=91 sh tools/run-tests.sh > "$logs/a$round" 2>&1 &
  a=$!
  SHMV_BUILDDIR=build-side-b SHMV_XVFB_DISPLAY=92 sh tools/run-tests.sh > "$logs/b$round" 2>&1
  b=$?
  wait $a || status=1
  [ $b = 0 ] || status=1
  for copy in a b; do
    printf 'round %s, copy %s: %s\n' "$round" "$copy" "$(tail -n 1 "$logs/$copy$round")"
  done
done
cat "$logs"/* | python3 -c '
import re, sys
total = [0, 0, 0]
for m in re.finditer(r"^(\d+) passed, (\d+) failed, (\d+) skipped$", sys.stdin.read(), re.M):
    for i in range(3):
        total[i] += int(m.group(i + 1))
print(f"{total[0]} passed, {total[1]} failed, {total[2]} skipped")'
[ $status = 0 ] || echo "failed runs: see the logs in $logs"
[ $status = 0 ] && rm -rf "$logs"
exit $status
