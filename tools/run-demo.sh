#!/bin/sh
# The README's "run" command: installs what is missing, builds into ./build
# when needed, and opens the loopback demo (writer and reader panes in one
# window) with data/sample.png. With no display it says so and shows the same
# hand-off headless, with shmview-ctl: publish, describe, read back, compare.
#
#   sh tools/run-demo.sh [shmview options...]    e.g. -k mykey, or --writer
set -eu

cd "$(dirname "$0")/.."
sh tools/install-deps.sh

if [ ! -f build/build.ninja ]; then
  meson setup build
fi
# Everything, translations included, so that LANGUAGE=de (say) is honoured.
meson compile -C build >/dev/null

sample=data/sample.png

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  case " $* " in
    *" --reader "* | *" -r "*) exec build/src/app/shmview "$@" ;;
    *) exec build/src/app/shmview --load "$sample" "$@" ;;
  esac
fi

echo "There is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the"
echo "shmview window cannot open. Running the same hand-off headless with shmview-ctl:"
echo

ctl=build/src/ctl/shmview-ctl
key="demo-$$"
copy_key="demo-$$-copy"
workdir=$(mktemp -d)
copy="$workdir/sample-copy.png"

cleanup() {
  "$ctl" rm -k "$key" >/dev/null 2>&1 || true
  "$ctl" rm -k "$copy_key" >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT INT TERM

run() {
  echo "\$ shmview-ctl $*"
  "$ctl" "$@"
  echo
}

run publish "$sample" -k "$key"
run info -k "$key"
run read "$copy" -k "$key"

# Same pixels give the same checksum: publish the copy on a second channel
# and compare what the two headers say.
checksum() {
  "$ctl" info --json -k "$1" | sed -n 's/.*"checksum":"\([0-9a-f]*\)".*/\1/p'
}
"$ctl" publish "$copy" -k "$copy_key" >/dev/null
original=$(checksum "$key")
round_trip=$(checksum "$copy_key")
if [ -n "$original" ] && [ "$original" = "$round_trip" ]; then
  echo "The copy read back from shared memory has exactly the published pixels (checksum $original)."
else
  echo "The copy differs from the published image ($original vs $round_trip)." >&2
  exit 1
fi

run rm -k "$key"
