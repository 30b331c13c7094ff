#!/bin/sh
# Takes the screenshots the README shows, under Xvfb, into docs/screenshots/:
#   loopback.png     the one-window demo, data/sample.png published and shown
#   two-windows.png  `shmview --writer` and `shmview --reader`, two processes
#   error.png        a file that is not an image: the error, the old image kept
#   zoom.png         the reader zoomed in to single pixels, a pixel's values shown
#   writer-left.png  a reader whose writer was closed: the last image, marked
#   loopback-zh_CN.png  the loopback window in Chinese
#
#   sh tools/screenshots.sh [BUILD_DIR]     (default: build; built if needed)
#
# Needs xvfb-run, xdotool and ImageMagick (tools/install-deps.sh installs them).
set -eu

cd "$(dirname "$0")/.."
build=${1:-build}

if [ -z "${SHMV_SCREENSHOTS_XVFB:-}" ]; then
  [ -f "$build/build.ninja" ] || meson setup "$build"
  ninja -C "$build" >/dev/null # the program and its translations
  SHMV_SCREENSHOTS_XVFB=1 exec xvfb-run -a -s "-screen 0 1400x900x24" sh "$0" "$@"
fi

export GTK_A11Y=none GSK_RENDERER=cairo GSETTINGS_BACKEND=memory
export G_MESSAGES_DEBUG=shmv-reader-pane,shmv-writer-pane,shmv-image-canvas
shmview="$build/src/app/shmview"
out=docs/screenshots
work=$(mktemp -d)
pids=""
mkdir -p "$out"

cleanup() {
  for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $pids; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# start NAME ARGS...: runs shmview in the background, its log in $work/NAME.log
start() {
  name=$1
  shift
  : >"$work/$name.log"
  "$shmview" "$@" >"$work/$name.log" 2>&1 &
  eval "pid_$name=$!"
  pids="$pids $!"
}

# wait_log NAME TEXT: until the program's debug log says TEXT (20 s at most)
wait_log() {
  i=0
  until grep -q "$2" "$work/$1.log"; do
    i=$((i + 1))
    if [ $i -gt 200 ]; then
      echo "screenshots: $1 never logged “$2”:" >&2
      cat "$work/$1.log" >&2
      exit 1
    fi
    sleep 0.1
  done
}

window_of() {
  eval "pid=\$pid_$1"
  xdotool search --sync --onlyvisible --pid "$pid" | head -1
}

stop() {
  eval "pid=\$pid_$1"
  kill -TERM "$pid"
  wait "$pid" || true
}

# Lets animations (revealers, the spinner) settle before the picture is taken.
settle() {
  sleep 1
}

# 1. The loopback window.
start loopback --load data/sample.png -k demo
wait_log loopback "on screen"
settle
import -window "$(window_of loopback)" "$out/loopback.png"

# 2. An error: the user picks a file that is not an image (through the real
#    Ctrl+O file chooser); the sample stays published and shown.
printf 'These are my notes, not a picture.\n' >"$work/notes.png"
win=$(window_of loopback)
xdotool windowfocus --sync "$win"
xdotool key --window "$win" ctrl+o
sleep 1.5
dialog=$(xdotool search --onlyvisible --pid "$pid_loopback" | grep -v "^$win\$" | tail -1)
xdotool windowfocus --sync "$dialog"
xdotool key --window "$dialog" ctrl+l
sleep 0.3
xdotool type --window "$dialog" --delay 15 "$work/notes.png"
sleep 0.3
xdotool key --window "$dialog" Return
wait_log loopback "error on"
settle
import -window "$win" "$out/error.png"
stop loopback

# 3. Two processes side by side: a writer window and a reader window.
start writer --writer --load data/sample.png -k demo
wait_log writer "published generation"
start reader --reader -k demo
wait_log reader "showing generation 1"
writer_win=$(window_of writer)
reader_win=$(window_of reader)
xdotool windowmove "$writer_win" 0 0
xdotool windowmove "$reader_win" 620 0
# "Publish Again" (Alt+A) in the writer: the reader follows live, and can
# tell how long the frame took from the writer's publish to its screen.
xdotool windowfocus --sync "$writer_win"
xdotool key --window "$writer_win" alt+a
wait_log reader "showing generation 2"
wait_log reader "generation 2 on screen"
settle
import -window "$writer_win" "$work/writer.png"
import -window "$reader_win" "$work/reader.png"
convert "$work/writer.png" -size 16x1 "xc:#deddda" "$work/reader.png" -background "#deddda" -gravity north \
  +append "$out/two-windows.png"

# 4. Zoomed in: Ctrl+wheel around the pointer until single pixels are
#    squares, the pointer on the edge of the lettering: its values in the
#    readout.
xdotool mousemove --window "$reader_win" 256 459
sleep 0.3
xdotool windowfocus --sync "$reader_win"
xdotool key --window "$reader_win" ctrl+1
wait_log reader "zoom is now 100 %"
xdotool keydown ctrl
for _ in 1 2 3 4 5 6 7 8; do
  xdotool click 4
  sleep 0.1
done
xdotool keyup ctrl
wait_log reader "zoom is now 1600 %"
xdotool mousemove_relative 3 2
settle
import -window "$reader_win" "$out/zoom.png"
xdotool key --window "$reader_win" ctrl+0
wait_log reader "zoom fits the view"

# 5. The writer closes: the reader keeps the last image and says so.
stop writer
wait_log reader "writer-left"
settle
import -window "$reader_win" "$out/writer-left.png"
stop reader

# 6. The loopback window in Chinese (LANG must name a locale that exists).
LANG=C.UTF-8 LANGUAGE=zh_CN
export LANG LANGUAGE
start chinese --load data/sample.png -k demo
unset LANGUAGE
wait_log chinese "on screen"
settle
import -window "$(window_of chinese)" "$out/loopback-zh_CN.png"
stop chinese

echo "Screenshots written to $out/:"
ls -l "$out"
