#!/bin/sh
# Builds shmview and runs every test, under Xvfb so the GUI tests run too:
# library, PNG, command line, GUI, data and translations, benchmark smoke
# test, and the stress suite (crash storms, hostile peers, a 60 s soak).
#   tools/run-tests.sh             the whole suite (warnings are errors)
#   tools/run-tests.sh --sanitize  the same under AddressSanitizer + UBSan
# SHMV_BUILDDIR=DIR builds and tests in DIR instead (two copies of the suite
# side by side: tools/run-tests-side-by-side.sh); SHMV_XVFB_DISPLAY=N runs
# Xvfb on display N instead of the first free one.
# Ends with the line "N passed, N failed, N skipped" (subtests: each case of a
# TAP test) and exits non-zero on any failure. In CI (CI=true: root, Xvfb,
# every dependency) a skipped subtest is a failure unless
# tests/allowed-skips.txt lists it with a reason.
set -eu
cd "$(dirname "$0")/.."
sh tools/install-deps.sh

builddir=${SHMV_BUILDDIR:-build-tests}
setup="-Dwerror=true"
# CI has every dependency: the GStreamer plugin must build and be tested
# there, not be left out quietly.
[ "${CI:-}" = true ] && setup="$setup -Dgstreamer=enabled"
if [ "${1:-}" = "--sanitize" ]; then
  builddir=${SHMV_BUILDDIR:-build-sanitize}
  setup="$setup -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug"
  # A segfault must stay a segfault (one test expects SIGSEGV), and the
  # library's own SIGBUS guard must see SIGBUS first.
  export ASAN_OPTIONS="handle_segv=0:handle_sigbus=0:detect_leaks=1:abort_on_error=0"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
fi

if [ ! -d "$builddir" ]; then
  # shellcheck disable=SC2086
  meson setup "$builddir" $setup
fi
meson compile -C "$builddir"

export SHMV_STRICT_LEFTOVERS="${CI:+1}"
status=0
# Two xvfb-run -a started at once may pick the same display: let them name it.
xvfb_display=${SHMV_XVFB_DISPLAY:+-n $SHMV_XVFB_DISPLAY}
xvfb_display=${xvfb_display:--a}
run() {
  # shellcheck disable=SC2086
  # -noreset: else the server resets when its last client leaves, and a GUI
  # test connecting at that moment finds no display.
  xvfb-run $xvfb_display -s "-screen 0 1280x1024x24 -noreset" meson test -C "$builddir" --print-errorlogs \
    --timeout-multiplier 3 "$@" || status=1
  cp "$builddir/meson-logs/testlog.json" "$builddir/meson-logs/testlog-$#-$(date +%s%N).json"
}
if [ "${1:-}" = "--sanitize" ]; then
  # Shorter storms and soak: the sanitizers slow everything down, and the
  # plain run has already done the long ones.
  export SHMV_SOAK_SECONDS="${SHMV_SOAK_SECONDS:-20}"
  export SHMV_STRESS_HOSTILE_SECONDS="${SHMV_STRESS_HOSTILE_SECONDS:-10}"
  # GTK and fontconfig keep caches for the life of the process: leak reports
  # there are noise, so the GUI suite runs without leak detection.
  run --no-suite gui
  ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" run --suite gui
else
  run
fi

if [ "${CI:-}" = true ]; then
  set -- --allowed-skips tests/allowed-skips.txt
else
  set --
fi
python3 tools/count-tests.py "$@" "$builddir"/meson-logs/testlog-*.json || status=1
rm -f "$builddir"/meson-logs/testlog-*.json
exit $status
