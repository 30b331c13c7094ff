/* shmv-syslock.c: a mutex between processes that survives its holder's death
 *
 * A System V semaphore set of two:
 *   [0] the lock: 0 free, 1 held; taken with SEM_UNDO, so the kernel gives it
 *       back the moment its holder dies, kill -9 included;
 *   [1] a "held" mark taken without SEM_UNDO, so it stays at 1 when a holder
 *       dies. The next locker finds it at 2 after its own increment and
 *       learns that the previous owner died holding the lock.
 * Taking the lock is one atomic semop {wait [0] == 0, [0] += 1, [1] += 1}:
 * new sets start at zero, so there is no initialisation race. POSIX named
 * semaphores have no undo: a holder killed by SIGKILL blocks every other
 * process forever (Qt's POSIX deadlock).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "shmv-syslock.h"

#include <errno.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <time.h>
#include <unistd.h>

enum
{
  SEM_LOCK = 0,
  SEM_HELD = 1,
  N_SEMS = 2,
};

/* Whether the set is one we may use as a lock: made by us (cuid: whoever
 * made a set keeps owner rights on it, even after handing it to us with
 * IPC_SET), owned by us, open to no one else, with our two semaphores. */
static bool
is_ours (const struct semid_ds *ds)
{
  uid_t me = geteuid ();

  return ds->sem_perm.cuid == me && ds->sem_perm.uid == me && ds->sem_nsems == N_SEMS &&
         (ds->sem_perm.mode & 0077) == 0;
}

static int
open_one (key_t key, bool *created)
{
  struct semid_ds ds;
  int semid = semget (key, N_SEMS, IPC_CREAT | IPC_EXCL | 0600);

  *created = semid >= 0;
  if (semid < 0 && errno == EEXIST)
    semid = semget (key, N_SEMS, 0600);
  /* EINVAL: a set of fewer semaphores, not a lock of ours either. */
  if (semid < 0 && errno == EINVAL)
    return -EACCES;
  if (semid < 0)
    return -errno;
  if (semctl (semid, 0, IPC_STAT, &ds) < 0)
    return -errno;
  /* Never use a set that another user planted under our key. */
  if (!is_ours (&ds))
    return -EACCES;
  return semid;
}

int
shmv_syslock_choose (key_t *key)
{
  for (int i = 0; i < SHMV_SYSLOCK_MAX_PROBES; i++)
    {
      struct semid_ds ds;
      int semid = semget (*key + i, 0, 0);

      if (semid < 0 && errno != ENOENT && errno != EACCES)
        return errno;
      /* Free, or a set of ours that a crashed creator of an older version
       * left: either is fine to use. */
      if (semid < 0 ? errno == ENOENT : semctl (semid, 0, IPC_STAT, &ds) == 0 && is_ours (&ds))
        {
          *key += i;
          return 0;
        }
    }
  return EACCES;
}

int
shmv_syslock_open (ShmvSysLock *lock, key_t key)
{
  bool created;
  int semid = open_one (key, &created);

  if (semid < 0)
    return -semid;
  lock->key = key;
  lock->semid = semid;
  lock->held = false;
  lock->owner_died = false;
  lock->created = created;
  return 0;
}

static int
semop_timeout (int semid, struct sembuf *ops, size_t n_ops, int timeout_ms)
{
  struct timespec deadline, now, left;

  if (timeout_ms < 0)
    {
      while (semop (semid, ops, n_ops) < 0)
        if (errno != EINTR)
          return errno;
      return 0;
    }

  clock_gettime (CLOCK_MONOTONIC, &deadline);
  deadline.tv_sec += timeout_ms / 1000;
  deadline.tv_nsec += (long) (timeout_ms % 1000) * 1000000;
  if (deadline.tv_nsec >= 1000000000)
    deadline.tv_sec++, deadline.tv_nsec -= 1000000000;

  for (;;)
    {
      clock_gettime (CLOCK_MONOTONIC, &now);
      left.tv_sec = deadline.tv_sec - now.tv_sec;
      left.tv_nsec = deadline.tv_nsec - now.tv_nsec;
      if (left.tv_nsec < 0)
        left.tv_sec--, left.tv_nsec += 1000000000;
      if (left.tv_sec < 0)
        left.tv_sec = 0, left.tv_nsec = 0;

      if (semtimedop (semid, ops, n_ops, &left) == 0)
        return 0;
      if (errno == EAGAIN)
        return ETIMEDOUT;
      if (errno != EINTR)
        return errno;
    }
}

int
shmv_syslock_acquire (ShmvSysLock *lock, int timeout_ms)
{
  struct sembuf take[] = {
    { SEM_LOCK, 0, 0 },
    { SEM_LOCK, 1, SEM_UNDO },
    { SEM_HELD, 1, 0 },
  };
  struct sembuf clear_mark = { SEM_HELD, -1, 0 };
  int err;

  if (lock->semid < 0)
    return EINVAL;
  if (lock->held)
    return 0;

  err = semop_timeout (lock->semid, take, 3, timeout_ms);
  if (err != 0)
    return err;
  lock->held = true;
  lock->owner_died = semctl (lock->semid, SEM_HELD, GETVAL) > 1;
  /* Only the holder touches the mark, so this cannot race. */
  if (lock->owner_died)
    while (semop (lock->semid, &clear_mark, 1) < 0 && errno == EINTR)
      ;
  return 0;
}

int
shmv_syslock_release (ShmvSysLock *lock)
{
  struct sembuf give[] = {
    { SEM_LOCK, -1, SEM_UNDO | IPC_NOWAIT },
    { SEM_HELD, -1, IPC_NOWAIT },
  };

  if (lock->semid < 0 || !lock->held)
    return EINVAL;
  lock->held = false;
  while (semop (lock->semid, give, 2) < 0)
    if (errno != EINTR)
      return errno;
  return 0;
}

void
shmv_syslock_close (ShmvSysLock *lock)
{
  if (lock->held)
    shmv_syslock_release (lock);
  lock->semid = -1;
}

void
shmv_syslock_remove (key_t key)
{
  struct semid_ds ds;
  int semid = semget (key, 0, 0);

  if (semid < 0 || semctl (semid, 0, IPC_STAT, &ds) < 0 || !is_ours (&ds))
    return;
  semctl (semid, 0, IPC_RMID);
}
