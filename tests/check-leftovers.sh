#!/bin/sh
# Nothing of ours may be left behind by the suite: no segment, semaphore or
# System V lock.
#   check-leftovers.sh snapshot STATEFILE   (runs first) notes what is there
#   check-leftovers.sh check STATEFILE      (runs last) fails on anything new
# Only objects that appeared during the run count, so a demo running meanwhile
# or litter from before do not make the suite fail. Test keys start with
# "test-" and a segment keeps its key in its first page: outside CI only
# those count, unless the process named in the key ("test-PID-...") still runs
# (another copy of the suite running at the same time: its objects are its
# own to remove and check); with SHMV_STRICT_LEFTOVERS=1 (CI, one run alone)
# every new object counts.
set -u
mode=$1
state=$2
uid_hex=$(printf '%08x' "$(id -u)")
me=$(id -un)

objects() {
  for path in /dev/shm/shmv-"$uid_hex"-* /dev/shm/sem.shmvs-"$uid_hex"-*; do
    [ -e "$path" ] && echo "$path"
  done
  ipcs -s 2>/dev/null | awk -v me="$me" '$3 == me && $5 == 2 { print "System V lock semaphore " $1 }'
}

if [ "$mode" = snapshot ]; then
  objects > "$state"
  echo "$(wc -l < "$state") objects of ours before the tests"
  exit 0
fi

# The test key a segment keeps in its first page, if it is a regular file:
# never read a FIFO a test planted (that would block).
key_of() {
  [ -f "$1" ] && ! [ -L "$1" ] &&
    head -c 300 "$1" | tr -c '[:print:]' '\n' | grep -m 1 -o 'test-[[:print:]]*'
}

# Whether a segment of a test key counts outside CI: not while its test runs.
test_segment_counts() {
  key=$(key_of "$1") || return 1
  pid=$(echo "$key" | sed -n 's/^test-[a-z-]*\([0-9][0-9]*\).*/\1/p')
  ! { [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
}

[ -f "$state" ] || : > "$state"
status=0
for object in $(objects | grep -vxF -f "$state" | tr ' ' '\001'); do
  object=$(echo "$object" | tr '\001' ' ')
  case "$object" in
    /dev/shm/sem.*) counts=${SHMV_STRICT_LEFTOVERS:-0} ;;
    /dev/shm/*) if [ "${SHMV_STRICT_LEFTOVERS:-0}" = 1 ] || test_segment_counts "$object"; then counts=1; else counts=0; fi ;;
    *) counts=${SHMV_STRICT_LEFTOVERS:-0} ;;
  esac
  if [ "$counts" = 1 ]; then
    echo "left behind: $object"
    status=1
  fi
done
[ $status = 0 ] && echo "nothing of ours left behind"
exit $status
