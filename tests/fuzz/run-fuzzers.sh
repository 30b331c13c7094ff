#!/bin/sh
# Builds the libFuzzer harnesses against the library sources with
# clang -fsanitize=fuzzer,address,undefined and runs each for a bounded time.
#
#   tests/fuzz/run-fuzzers.sh [SECONDS]    fuzz each harness SECONDS (default
#                                          $FUZZ_SECONDS, else 60), both at once
#   tests/fuzz/run-fuzzers.sh --replay     only run the corpus once (seconds)
#   tests/fuzz/run-fuzzers.sh --make-seeds rewrite corpus/channel from real channels
#
# The corpus in tests/fuzz/corpus/<harness>/ is read, never written: what the
# fuzzer finds goes to a scratch directory, except crashes. Every crash, leak,
# timeout or out-of-memory input is copied into the corpus as
# regress-<harness>-<sha1> (commit it with the fix: from then on every run, and
# the meson test fuzz-replay-<harness>, replays it) and the script fails.
# Prints "fuzz <harness> executions=N crashes=N" per harness; exits non-zero
# on any crash. Needs clang and libclang-rt-14-dev (libFuzzer).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
fuzz="$root/tests/fuzz"
mode=fuzz
seconds=${FUZZ_SECONDS:-60}
case "${1:-}" in
  --replay) mode=replay ;;
  --make-seeds) mode=seeds ;;
  '') ;;
  *) seconds=$1 ;;
esac

CC=${CC:-clang}
work=$(mktemp -d "${TMPDIR:-/tmp}/shmv-fuzz-XXXXXX")
trap 'rm -rf "$work"' EXIT

# The quotes around fuzz are meant for the compiler: SHMV_VERSION is a C string.
# shellcheck disable=SC2089
lib_flags="-DSHMV_COMPILATION -DSHMV_VERSION=\"fuzz\" -I$root/src/lib $(pkg-config --cflags libpng libxxhash)"
libs="$(pkg-config --libs libpng libxxhash) -lpthread"
san_flags="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"

if [ "$mode" = seeds ]; then
  # shellcheck disable=SC2086,SC2090
  $CC -O1 $lib_flags -o "$work/make-channel-seeds" "$fuzz/make-channel-seeds.c" \
    "$root"/src/lib/*.c $libs
  mkdir -p "$fuzz/corpus/channel"
  "$work/make-channel-seeds" "$fuzz/corpus/channel"
  ls "$fuzz/corpus/channel"
  exit 0
fi

harnesses="png channel qt-image"
for h in $harnesses; do
  extra=
  [ "$h" = qt-image ] && extra="$root/src/common/shmv-qt-image.c"
  # shellcheck disable=SC2086,SC2090
  $CC $san_flags $lib_flags -I"$root/src/common" -o "$work/fuzz-$h" "$fuzz/fuzz-$h.c" $extra \
    "$root"/src/lib/*.c $libs
done

# The library's SIGBUS guard must see SIGBUS before ASan does (as in CI's
# sanitizer run); leaks are findings.
export ASAN_OPTIONS="handle_sigbus=0:detect_leaks=1:allocator_may_return_null=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

run_one() {
  h=$1
  mkdir -p "$work/$h-new" "$work/$h-crashes"
  if [ "$mode" = replay ]; then
    set -- -runs=0
  else
    set -- -max_total_time="$seconds" "$work/$h-new"
  fi
  dict=
  [ -f "$fuzz/$h.dict" ] && dict="-dict=$fuzz/$h.dict"
  # shellcheck disable=SC2086
  # One allocation over 512 MB is a finding on its own (the harnesses never
  # need more than 32 MB of pixels): deterministic, unlike the RSS limit.
  "$work/fuzz-$h" "$@" "$fuzz/corpus/$h" $dict -print_final_stats=1 -timeout=10 \
    -rss_limit_mb=2048 -malloc_limit_mb=512 -artifact_prefix="$work/$h-crashes/" -handle_bus=0 \
    >"$work/$h.log" 2>&1
}

pids=
for h in $harnesses; do
  run_one "$h" &
  pids="$pids $!"
done
status=0
for pid in $pids; do
  wait "$pid" || status=1
done

for h in $harnesses; do
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$h.log" | tail -n 1)
  crashes=0
  for artifact in "$work/$h-crashes"/*; do
    [ -e "$artifact" ] || continue
    crashes=$((crashes + 1))
    sum=$(sha1sum "$artifact" | cut -c1-16)
    cp "$artifact" "$fuzz/corpus/$h/regress-$h-$sum"
    echo "fuzz $h: $(basename "$artifact") kept as tests/fuzz/corpus/$h/regress-$h-$sum"
  done
  if [ "$crashes" -gt 0 ] || ! grep -q '^stat::number_of_executed_units' "$work/$h.log"; then
    status=1
    grep -E 'ERROR|SUMMARY|invariant|==[0-9]+==' "$work/$h.log" | head -n 20 || true
  fi
  echo "fuzz $h executions=${execs:-0} crashes=$crashes corpus=$(find "$fuzz/corpus/$h" -type f | wc -l)"
done

# A harness that crashed could not remove its channel: do it for it.
uid_hex=$(printf '%08x' "$(id -u)")
for path in /dev/shm/shmv-"$uid_hex"-*; do
  [ -e "$path" ] || continue
  if head -c 300 "$path" | grep -aq 'test-fuzz-'; then
    rm -f "$path"
  fi
done
exit $status
