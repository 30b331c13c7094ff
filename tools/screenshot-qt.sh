#!/bin/sh
# Takes the README's Qt screenshot, under Xvfb, into docs/screenshots/qt-interop.png:
# Qt 5.15's own Shared Memory Example (Debian's qtbase5-examples) loads
# data/sample.png and publishes it; `shmview --reader --qt` shows it beside.
#
#   sh tools/screenshot-qt.sh [BUILD_DIR]     (default: build; built if needed)
#
# Needs qtbase5-examples, xvfb-run, xdotool and ImageMagick (tools/install-deps.sh).
set -eu
[ -n "${SHMV_TRACE:-}" ] && set -x

cd "$(dirname "$0")/.."
build=${1:-build}

if [ -z "${SHMV_SCREENSHOTS_XVFB:-}" ]; then
  [ -f "$build/build.ninja" ] || meson setup "$build"
  ninja -C "$build" src/app/shmview >/dev/null
  SHMV_SCREENSHOTS_XVFB=1 exec xvfb-run -a -s "-screen 0 1400x900x24 -noreset" sh "$0" "$@"
fi

example=
for path in /usr/lib/*/qt5/examples/corelib/ipc/sharedmemory/sharedmemory \
  /usr/lib/qt5/examples/corelib/ipc/sharedmemory/sharedmemory; do
  [ -x "$path" ] && example=$path && break
done
if [ -z "$example" ]; then
  echo "screenshot-qt: Qt's Shared Memory Example is missing (install qtbase5-examples)" >&2
  exit 1
fi

shmview="$build/src/app/shmview"
sample="$(pwd)/data/sample.png"
out=docs/screenshots
work=$(mktemp -d)
pids=""
mkdir -p "$out" "$work/tmp" "$work/runtime"
chmod 0700 "$work/runtime"
# Qt and shmview meet in the same TMPDIR (QDir::tempPath()); Qt's own file
# dialog (no platform theme), a runtime dir of its own.
export TMPDIR="$work/tmp" XDG_RUNTIME_DIR="$work/runtime" QT_QPA_PLATFORMTHEME=
export GTK_A11Y=none GSK_RENDERER=cairo GSETTINGS_BACKEND=memory
export G_MESSAGES_DEBUG=shmv-reader-pane

cleanup() {
  for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $pids; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# until COMMAND succeeds (20 s at most)
retry() {
  i=0
  until "$@" >/dev/null 2>&1; do
    i=$((i + 1))
    if [ $i -gt 200 ]; then
      echo "screenshot-qt: gave up waiting for: $*" >&2
      exit 1
    fi
    sleep 0.1
  done
}

visible_window() {
  xdotool search --onlyvisible --name "$1" 2>/dev/null | head -n 1 | grep .
}

# 1. Qt's example: "Load Image From File...", the path typed into Qt's dialog.
"$example" >"$work/example.log" 2>&1 &
example_pid=$!
pids="$pids $example_pid"
retry visible_window "^SharedMemory Example$"
qt_win=$(visible_window "^SharedMemory Example$")
xdotool windowfocus --sync "$qt_win"
sleep 0.3
xdotool key --window "$qt_win" space
retry visible_window "^Open$"
dialog=$(visible_window "^Open$")
xdotool windowfocus --sync "$dialog"
sleep 0.3
xdotool type --delay 10 "$sample"
xdotool key Return
retry sh -c "ls '$TMPDIR'/qipc_sharedmemory_QSharedMemoryExample*"

# 2. shmview's reader of the same segment, beside it.
"$shmview" --reader --qt >"$work/reader.log" 2>&1 &
reader_pid=$!
pids="$pids $reader_pid"
retry grep -q "showing generation 1" "$work/reader.log"
reader_win=$(xdotool search --sync --onlyvisible --pid "$reader_pid" | head -n 1)
xdotool windowmove "$qt_win" 0 0
qt_width=$(xdotool getwindowgeometry "$qt_win" | sed -n 's/.*Geometry: \([0-9]*\)x.*/\1/p')
xdotool windowmove "$reader_win" $((qt_width + 20)) 0
sleep 1

import -window "$qt_win" "$work/qt.png"
import -window "$reader_win" "$work/reader.png"
convert "$work/qt.png" -size 16x1 "xc:#deddda" "$work/reader.png" -background "#deddda" \
  -gravity north +append "$out/qt-interop.png"

# Escape closes the example gracefully: Qt removes its segment.
xdotool windowfocus --sync "$qt_win" 2>/dev/null || true
xdotool key --window "$qt_win" Escape 2>/dev/null || true
echo "Screenshot written to $out/qt-interop.png"
