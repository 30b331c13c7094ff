#!/bin/sh
# Valgrind memcheck over a shmview-ctl session (publish, info, list, read,
# watch, gc, rm) and over every library test binary (tests/lib): no leak
# (definite or indirect), no invalid access, no use of uninitialised memory.
#
#   tools/valgrind-check.sh [BUILDDIR]   (default: build-valgrind; configured,
#                                         as a debug build, when missing)
#
# Each run is one line "valgrind: <what>: ok|FAILED (<seconds> s)"; the last
# line is "valgrind: N runs, N failed", and the exit status is non-zero on any
# failure. Logs of failed runs are printed. Forked children are checked for
# invalid accesses too (valgrind follows fork); leaks only in the process run.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
builddir=${1:-build-valgrind}

if [ ! -d "$builddir" ]; then
  meson setup "$builddir" -Dbuildtype=debug >/dev/null || exit 1
fi
# Only what is checked: the rest of the tree may be mid-edit.
targets=src/ctl/shmview-ctl
for source in tests/lib/test-*.c; do
  targets="$targets tests/lib/$(basename "$source" .c)"
done
# shellcheck disable=SC2086
meson compile -C "$builddir" $targets >/dev/null || { echo "valgrind: build failed"; exit 1; }

logs=$(mktemp -d "${TMPDIR:-/tmp}/shmv-valgrind-XXXXXX")
trap 'rm -rf "$logs"' EXIT
supp=/usr/share/glib-2.0/valgrind/glib.supp
set -- --tool=memcheck --error-exitcode=99 --leak-check=full \
  --show-leak-kinds=definite,indirect --errors-for-leak-kinds=none \
  --track-origins=yes --num-callers=30
[ -f "$supp" ] && set -- "$@" --suppressions="$supp"
# GLib's own caches and slices stay out of the way; tests run as in meson.
export G_SLICE=always-malloc G_DEBUG=gc-friendly LANG=C.UTF-8
export G_TEST_SRCDIR="$root/tests" G_TEST_BUILDDIR="$root/$builddir/tests"

runs=0
failed=0
# check NAME EXPECT COMMAND...: runs COMMAND under valgrind; EXPECT is
# "success" or "failure" (a command that must fail, but not in valgrind's
# way: valgrind's own errors exit with 99). Leaks count in the process run,
# not in the children it forks: those _exit() on purpose without freeing
# (the test's state is theirs only by fork). Invalid accesses and
# uninitialised reads count everywhere: a child with one exits 99.
check() {
  name=$1
  expect=$2
  shift 2
  tag=$(echo "$name" | tr -c 'A-Za-z0-9-\n' '_')
  start=$(date +%s)
  # shellcheck disable=SC2086
  valgrind $VG_ARGS --log-file="$logs/$tag.%p" "$@" >"$logs/$tag.out" 2>&1 &
  pid=$!
  wait $pid
  code=$?
  main_log="$logs/$tag.$pid"
  result=FAILED
  if [ $code = 0 ] && [ "$expect" = success ]; then
    result=ok
  elif [ $code != 0 ] && [ $code != 99 ] && [ "$expect" = failure ]; then
    result=ok
  fi
  if ! [ -f "$main_log" ] || grep -Eq '(definitely|indirectly) lost: [1-9]' "$main_log"; then
    result=FAILED
  fi
  if grep -lq 'ERROR SUMMARY: [1-9]' "$logs/$tag".[0-9]*; then
    result=FAILED
  fi
  [ $result = ok ] || failed=$((failed + 1))
  runs=$((runs + 1))
  echo "valgrind: $name: $result ($(($(date +%s) - start)) s)"
  if [ $result = FAILED ]; then
    for log in "$logs/$tag".[0-9]*; do
      if [ "$log" = "$main_log" ]; then
        grep -Eq 'ERROR SUMMARY: [1-9]|(definitely|indirectly) lost: [1-9]' "$log" || continue
      else
        grep -q 'ERROR SUMMARY: [1-9]' "$log" || continue
      fi
      sed 's/^/    /' "$log" | grep -v '^    ==[0-9]*== *$' | head -n 60
    done
    tail -n 20 "$logs/$tag.out" | sed 's/^/    out: /'
  fi
}
VG_ARGS="$*"

ctl="$builddir/src/ctl/shmview-ctl"
key="test-valgrind-$$"
png="$root/tests/fuzz/corpus/png/basn6a16.png"
out="$logs/out.png"

check "shmview-ctl publish" success "$ctl" publish "$png" -k "$key"
check "shmview-ctl info" success "$ctl" info -k "$key"
check "shmview-ctl info --json" success "$ctl" info --json -k "$key"
check "shmview-ctl list" success "$ctl" list
check "shmview-ctl read" success "$ctl" read "$out" -k "$key"
# watch runs a thread that sleeps on the futex: publish again while it waits.
# It counts only images newer than its start, which valgrind may delay by
# seconds: publish until it has seen one, instead of once after a guess.
(
  while [ ! -e "$logs/watched" ]; do
    "$ctl" publish "$root/tests/fuzz/corpus/png/basn2c08.png" -k "$key" >/dev/null
    sleep 1
  done
) &
check "shmview-ctl watch" success "$ctl" watch --count 1 --timeout 30000 -k "$key"
: > "$logs/watched"
wait
check "shmview-ctl publish (corrupt file)" failure "$ctl" publish \
  "$root/tests/fuzz/corpus/png/xcrn0g04.png" -k "$key"
check "shmview-ctl publish (missing file)" failure "$ctl" publish /nonexistent.png -k "$key"
check "shmview-ctl gc" success "$ctl" gc
check "shmview-ctl rm" success "$ctl" rm -k "$key"
check "shmview-ctl info (removed)" failure "$ctl" info -k "$key"

for source in tests/lib/test-*.c; do
  test="$builddir/tests/lib/$(basename "$source" .c)"
  check "tests/lib/$(basename "$test")" success "$test"
done

echo "valgrind: $runs runs, $failed failed"
[ $failed = 0 ]
