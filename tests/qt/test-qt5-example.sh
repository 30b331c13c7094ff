#!/bin/sh
# test-qt5-example.sh: shmview-ctl --qt against Qt 5.15's own compiled Shared
# Memory Example (Debian's qtbase5-examples, not rebuilt), under Xvfb.
#
#   test-qt5-example.sh EXAMPLE SHMVIEW-CTL PNG...
#
# For each PNG: start the example, click "Load Image From File...", type the
# file's path into Qt's own file dialog (QT_QPA_PLATFORMTHEME empty: no GTK
# dialog), then `shmview-ctl read --qt` must give the same pixels
# (ImageMagick's compare, AE = 0) and `info --qt` the example's pid; Escape
# closes the example, which then removes everything (checked). TAP output.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u

# Each image in an X server of its own: a window of the previous example
# can linger in the server and be found instead of the new one.
if [ "$1" != --one ]; then
  example=$1
  ctl=$2
  shift 2
  echo "1..$#"
  n=0
  for png in "$@"; do
    n=$((n + 1))
    xvfb-run -a -s "-screen 0 1280x1024x24 -noreset" sh "$0" --one "$n" "$example" "$ctl" "$png"
  done
  exit 0
fi
n=$2
example=$3
ctl=$4
shift 4

work=$(mktemp -d "${TMPDIR:-/tmp}/shmv-qt5-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/tmp" "$work/runtime"
chmod 0700 "$work/runtime"
export TMPDIR="$work/tmp" XDG_RUNTIME_DIR="$work/runtime" QT_QPA_PLATFORMTHEME= LANG=C.UTF-8

for png in "$@"; do
  name=$(basename "$png")
  ok=true
  note=

  "$example" >"$work/example.log" 2>&1 &
  pid=$!
  win=
  for _ in $(seq 100); do
    win=$(xdotool search --onlyvisible --name "^SharedMemory Example$" 2>/dev/null | head -n 1)
    [ -n "$win" ] && break
    sleep 0.1
  done
  if [ -z "$win" ]; then
    ok=false note="the example's window did not appear"
  else
    # No window manager under Xvfb: focus by hand. The focus starts on the
    # top button, "Load Image From File...".
    xdotool windowfocus --sync "$win" >/dev/null 2>&1
    sleep 0.3
    xdotool key --window "$win" space 2>/dev/null
    dialog=
    for _ in $(seq 100); do
      dialog=$(xdotool search --onlyvisible --name "^Open$" 2>/dev/null | head -n 1)
      [ -n "$dialog" ] && break
      sleep 0.1
    done
    [ -n "$dialog" ] && xdotool windowfocus --sync "$dialog" >/dev/null 2>&1
    sleep 0.3
    xdotool type --delay 10 "$png"
    xdotool key Return
    for _ in $(seq 100); do
      ls "$TMPDIR"/qipc_sharedmemory_QSharedMemoryExample* >/dev/null 2>&1 && break
      sleep 0.1
    done
    sleep 0.3
    if ! "$ctl" read --qt "$work/out.png" >"$work/ctl.log" 2>&1; then
      ok=false note="read --qt failed: $(cat "$work/ctl.log")"
    elif [ "$(compare -metric AE "$png" "$work/out.png" null: 2>&1)" != 0 ]; then
      ok=false note="pixels differ: $(compare -metric AE "$png" "$work/out.png" null: 2>&1)"
    elif ! "$ctl" info --qt --json | grep -q "\"creator_pid\":$pid,\"attach_count\":1}"; then
      ok=false note="info --qt: $("$ctl" info --qt --json)"
    fi
    # A graceful close: ~QSharedMemory removes segment, semaphore, key files.
    xdotool windowfocus --sync "$win" >/dev/null 2>&1
    xdotool key --window "$win" Escape 2>/dev/null
  fi
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    ok=false note="${note:+$note; }the example did not close on Escape"
  fi
  wait "$pid" 2>/dev/null
  left=$(ls "$TMPDIR")
  if [ -n "$left" ]; then
    ok=false note="${note:+$note; }left behind: $left"
    rm -f "$TMPDIR"/qipc_*
  fi
  if $ok; then
    echo "ok $n Qt 5.15 example publishes $name"
  else
    echo "not ok $n Qt 5.15 example publishes $name"
    echo "# $note" | tr '\n' ' '
    echo
    sed 's/^/# /' "$work/example.log"
  fi
done
