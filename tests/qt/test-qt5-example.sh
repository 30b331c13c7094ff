#!/bin/sh
# test-qt5-example.sh: shmview-ctl --qt against Qt 5.15's own compiled Shared
# Memory Example (Debian's qtbase5-examples, not rebuilt), under Xvfb.
#
#   test-qt5-example.sh EXAMPLE SHMVIEW-CTL PNG... [--publish PNG...]
#
# For each PNG: start the example, click "Load Image From File...", type the
# file's path into Qt's own file dialog (QT_QPA_PLATFORMTHEME empty: no GTK
# dialog), then `shmview-ctl read --qt` must give the same pixels
# (ImageMagick's compare, AE = 0) and `info --qt` the example's pid; Escape
# closes the example, which then removes everything (checked).
# For each PNG after --publish (8-bit opaque ones: the screen shows what
# the file holds): `shmview-ctl publish --qt` publishes it, the example's
# "Display Image From Shared Memory" is pressed twice (a second Qt reader
# after the first), and each time the window must show the image pixel for
# pixel (compare -subimage-search of a screenshot, AE = 0);
# then SIGTERM: exit 0 and nothing left.
# For each PNG after --app-publish: the same with the app, `$SHMVIEW --writer
# --qt --load PNG` (its window moved aside), ended by SIGTERM as by closing
# its window. For each PNG after --app-read: `$SHMVIEW --reader --qt` runs,
# the example loads the PNG twice (a new segment each time), the reader must
# show both. TAP output.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u

# Each image in an X server of its own: a window of the previous example
# can linger in the server and be found instead of the new one.
if [ "$1" != --one ] && [ "$1" != --publish ] && [ "$1" != --app-publish ] &&
  [ "$1" != --app-read ]; then
  example=$1
  ctl=$2
  shift 2
  total=$#
  case " $* " in *" --publish "*) total=$((total - 1)) ;; esac
  case " $* " in *" --app-publish "*) total=$((total - 1)) ;; esac
  case " $* " in *" --app-read "*) total=$((total - 1)) ;; esac
  echo "1..$total"
  # As root, System V IPC of our own (X server and Qt included): Qt's keys
  # are ftok() of its key files, and a reused inode could otherwise meet a
  # segment another test left behind (see tests/qt/shmv-test-qt.c).
  own_ipc=
  if [ "$(id -u)" = 0 ] && unshare --ipc true 2>/dev/null; then
    own_ipc="unshare --ipc"
  fi
  n=0
  mode=--one
  for png in "$@"; do
    if [ "$png" = --publish ] || [ "$png" = --app-publish ] || [ "$png" = --app-read ]; then
      mode=$png
      continue
    fi
    n=$((n + 1))
    $own_ipc xvfb-run -a -s "-screen 0 1280x1024x24 -noreset" sh "$0" "$mode" "$n" "$example" "$ctl" "$png"
  done
  exit 0
fi
mode=$1
n=$2
example=$3
ctl=$4
shift 4

work=$(mktemp -d "${TMPDIR:-/tmp}/shmv-qt5-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/tmp" "$work/runtime"
chmod 0700 "$work/runtime"
export TMPDIR="$work/tmp" XDG_RUNTIME_DIR="$work/runtime" QT_QPA_PLATFORMTHEME= LANG=C.UTF-8

# The example's window, once it shows ("" after 10 s).
find_window () {
  for _ in $(seq 100); do
    win=$(xdotool search --onlyvisible --name "^SharedMemory Example$" 2>/dev/null | head -n 1)
    [ -n "$win" ] && break
    sleep 0.1
  done
}

# load_in_example PNG: "Load Image From File..." in the example's window
# $win, the path typed into Qt's own dialog. No window manager under Xvfb:
# focus by hand. The focus is on the top button, "Load Image From File...".
load_in_example () {
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
  xdotool type --delay 10 "$1"
  xdotool key Return
}

# wait_log FILE TEXT: until FILE has a line with TEXT (20 s at most)
wait_log () {
  for _ in $(seq 200); do
    grep -q "$2" "$1" && return 0
    sleep 0.1
  done
  return 1
}

if [ "$mode" = --app-read ]; then
  # `shmview --reader --qt` runs first; the example publishes the image,
  # then publishes it again (detach, create: a new segment) while the
  # reader runs: the reader shows both, and held nothing that stopped Qt.
  png=$1
  name=$(basename "$png")
  ok=true
  note=
  GTK_A11Y=none G_MESSAGES_DEBUG=shmv-reader-pane "$SHMVIEW" --reader --qt >"$work/reader.log" 2>&1 &
  reader_pid=$!
  wait_log "$work/reader.log" "following" || ok=false note="the reader did not start"
  for w in $(xdotool search --sync --onlyvisible --pid "$reader_pid" 2>/dev/null); do
    xdotool windowmove "$w" 600 0 2>/dev/null
  done
  "$example" >"$work/example.log" 2>&1 &
  pid=$!
  find_window
  if $ok && [ -z "$win" ]; then
    ok=false note="the example's window did not appear"
  elif $ok; then
    for round in 1 2; do
      load_in_example "$png"
      if ! wait_log "$work/reader.log" "showing generation $round of"; then
        ok=false note="the reader never showed Qt's image $round: $(cat "$work/reader.log")"
        break
      fi
    done
    xdotool windowfocus --sync "$win" >/dev/null 2>&1
    xdotool key --window "$win" Escape 2>/dev/null
  fi
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  kill -TERM "$reader_pid"
  wait "$reader_pid"
  status=$?
  [ "$status" = 0 ] || ok=false note="${note:+$note; }the reader exited $status"
  left=$(ls "$TMPDIR")
  [ -z "$left" ] || ok=false note="${note:+$note; }left behind: $left"
  if $ok; then
    echo "ok $n shmview --reader --qt shows the Qt 5.15 example's $name, published twice"
  else
    echo "not ok $n shmview --reader --qt shows the Qt 5.15 example's $name, published twice"
    echo "# $note" | tr '\n' ' '
    echo
    sed 's/^/# /' "$work/example.log"
  fi
  exit 0
fi

# app_publish PNG: `shmview --writer --qt --load PNG` in the background
# ($ctl_pid), returning once its log says it published; its window is moved
# aside so that it never covers the example's.
app_publish () {
  GTK_A11Y=none G_MESSAGES_DEBUG=shmv-qt-sink "$SHMVIEW" --writer --qt --load "$1" \
    >"$work/ctl.log" 2>&1 &
  ctl_pid=$!
  for _ in $(seq 200); do
    grep -q "on Qt segment" "$work/ctl.log" && break
    sleep 0.1
  done
  grep -q "on Qt segment" "$work/ctl.log" || return 1
  for w in $(xdotool search --sync --onlyvisible --pid "$ctl_pid" 2>/dev/null); do
    xdotool windowmove "$w" 600 0 2>/dev/null
  done
  return 0
}

if [ "$mode" = --publish ] || [ "$mode" = --app-publish ]; then
  png=$1
  name=$(basename "$png")
  ok=true
  note=
  if [ "$mode" = --app-publish ]; then
    what="shmview --writer --qt"
    app_publish "$png" || ok=false note="shmview --writer --qt did not publish: $(cat "$work/ctl.log")"
  else
    what="shmview-ctl publish --qt"
    mkfifo "$work/said"
    "$ctl" publish --qt "$png" >"$work/said" 2>"$work/ctl.log" &
    ctl_pid=$!
    # Deterministic: Qt reads once the command says it publishes.
    if ! read -r line <"$work/said" || [ "${line%press Ctrl+C to withdraw}" = "$line" ]; then
      ok=false note="publish --qt did not start: $(cat "$work/ctl.log")"
    fi
  fi
  "$example" >"$work/example.log" 2>&1 &
  pid=$!
  find_window
  if $ok && [ -z "$win" ]; then
    ok=false note="the example's window did not appear"
  elif $ok; then
    xdotool windowfocus --sync "$win" >/dev/null 2>&1
    sleep 0.3
    # Tab: from "Load Image From File..." to "Display Image From Shared Memory".
    xdotool key --window "$win" Tab 2>/dev/null
    for reader in first second; do
      xdotool key --window "$win" space 2>/dev/null
      got=
      for _ in $(seq 10); do
        sleep 0.2
        import -window "$win" "$work/shot.png" 2>/dev/null || continue
        got=$(compare -metric AE -subimage-search "$work/shot.png" "$png" null: 2>&1)
        [ "${got%% *}" = 0 ] && break
      done
      if [ "${got%% *}" != 0 ]; then
        ok=false note="the $reader Qt reader does not show it: $got"
        break
      fi
    done
    xdotool key --window "$win" Escape 2>/dev/null
  fi
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  kill -TERM "$ctl_pid"
  wait "$ctl_pid"
  status=$?
  [ "$status" = 0 ] || ok=false note="${note:+$note; }$what exited $status: $(cat "$work/ctl.log")"
  left=$(ls "$TMPDIR")
  if [ -n "$left" ]; then
    ok=false note="${note:+$note; }left behind: $left"
  fi
  if $ok; then
    echo "ok $n $what $name, shown by the Qt 5.15 example twice"
  else
    echo "not ok $n $what $name, shown by the Qt 5.15 example twice"
    echo "# $note" | tr '\n' ' '
    echo
    sed 's/^/# /' "$work/example.log"
  fi
  exit 0
fi

for png in "$@"; do
  name=$(basename "$png")
  ok=true
  note=

  "$example" >"$work/example.log" 2>&1 &
  pid=$!
  find_window
  if [ -z "$win" ]; then
    ok=false note="the example's window did not appear"
  else
    load_in_example "$png"
    for _ in $(seq 100); do
      ls "$TMPDIR"/qipc_sharedmemory_QSharedMemoryExample* >/dev/null 2>&1 && break
      sleep 0.1
    done
    sleep 0.3
    if ! "$ctl" read --qt "$work/out.png" >"$work/ctl.log" 2>&1; then
      ok=false note="read --qt failed: $(cat "$work/ctl.log")"
    elif [ "$(compare -metric AE "$png" "$work/out.png" null: 2>&1)" != 0 ]; then
      ok=false note="pixels differ: $(compare -metric AE "$png" "$work/out.png" null: 2>&1)"
    elif ! "$ctl" info --qt --json | grep -q "\"creator_pid\":$pid,\"attach_count\":1,\"orphan\":false}"; then
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
