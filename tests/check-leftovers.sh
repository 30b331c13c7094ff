#!/bin/sh
# Runs last: fails when the suite left a segment, a semaphore or a lock
# behind. Test keys start with "test-", and a segment keeps its key in its
# first page, so a user's own channels (a demo running meanwhile) are not
# blamed. With SHMV_STRICT_LEFTOVERS=1 (CI, on a fresh machine) every object
# of ours counts, System V lock semaphores included.
set -u
uid_hex=$(printf '%08x' "$(id -u)")
status=0
for path in /dev/shm/shmv-"$uid_hex"-* /dev/shm/sem.shmvs-"$uid_hex"-*; do
  [ -e "$path" ] || continue
  if [ "${SHMV_STRICT_LEFTOVERS:-0}" = 1 ] || head -c 300 "$path" | grep -aq 'test-'; then
    echo "left behind: $path"
    status=1
  fi
done
if [ "${SHMV_STRICT_LEFTOVERS:-0}" = 1 ] && command -v ipcs >/dev/null; then
  sems=$(ipcs -s | awk -v me="$(id -un)" '$3 == me && $5 == 2 { print $1 }')
  for key in $sems; do
    echo "left behind: System V lock semaphore $key"
    status=1
  done
fi
[ $status = 0 ] && echo "nothing of ours left in /dev/shm"
exit $status
