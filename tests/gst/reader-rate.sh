#!/bin/sh
# Measures how many of the frames a live pipeline publishes the reader pane
# displays: `shmview --reader` on a channel fed by videotestsrc is-live=true
# at 1280×720, 30 fps, for 10 s (GSK_RENDERER=cairo, as the suite sets).
# Prints "displayed D of P published frames: ratio R" and passes whatever R
# is: the figure depends on the machine, so it is reported, not asserted
# (the aim is >= 0.9). Asserts only that the reader showed the last frame.
#   reader-rate.sh SHMVIEW GST_LAUNCH [FRAMES]
# Speaks TAP; skips without a display.
set -eu
app=$1
launch=$2
frames=${3:-300}
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "1..0 # SKIP no display"
  exit 0
fi

# In a sanitized build, GStreamer's own programs leak at exit: not ours.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
# A fresh registry: a failed scan must not leave the plugin out.
[ -n "${GST_REGISTRY:-}" ] && rm -f "$GST_REGISTRY"

key="test-$$-reader-rate"
log=$(mktemp)
reader=""
cleanup() {
  [ -n "$reader" ] && kill "$reader" 2>/dev/null && wait "$reader" 2>/dev/null
  rm -f "$log"
}
trap cleanup EXIT

# Waits up to 60 s for a line of the reader's log that contains $1.
wait_for() {
  i=0
  until grep -F -q -- "$1" "$log"; do
    i=$((i + 1))
    [ $i -lt 600 ] || { echo "not ok 1 never saw: $1"; cat "$log" >&2; exit 1; }
    sleep 0.1
  done
}

echo "1..1"
G_MESSAGES_DEBUG=all "$app" --reader -k "$key" >"$log" 2>&1 &
reader=$!
wait_for "following “$key”"

"$launch" -q videotestsrc is-live=true pattern=ball num-buffers="$frames" ! \
  video/x-raw,format=RGBA,width=1280,height=720,framerate=30/1 ! shmviewsink key="$key"
# The last frame is always shown in the end: the reader never skips the newest.
wait_for "showing generation $frames of"

shown=$(grep -o 'showing generation [0-9]* of' "$log" | sort -u | wc -l)
ratio=$(awk -v s="$shown" -v p="$frames" 'BEGIN { printf "%.2f", s / p }')
echo "# displayed $shown of $frames published frames: ratio $ratio (1280x720 RGBA, 30 fps, GSK_RENDERER=${GSK_RENDERER:-default})"
echo "ok 1 /gst/reader-rate # displayed/published $ratio"
