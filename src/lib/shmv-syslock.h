/* shmv-syslock.h: a mutex between processes that survives its holder's death (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

typedef struct
{
  key_t key;
  int semid;       /* -1 when not open */
  bool held;       /* by this handle */
  bool owner_died; /* the last acquire found the previous holder dead */
  bool created;    /* the last open made the semaphore set */
} ShmvSysLock;

#define SHMV_SYSLOCK_INIT                                                                          \
  {                                                                                                \
    0, -1, false, false, false                                                                     \
  }

/* How many keys from the first one shmv_syslock_choose() may try. */
#define SHMV_SYSLOCK_MAX_PROBES 16

/* Picks the key for a new segment's lock: the first of @key and the keys
 * after it at which there is no set, or a set we can use (see shmv_syslock_open()).
 * Makes nothing: the set is made when the segment has its name. Returns 0
 * with *@key set, EACCES when all are taken, or an errno value. */
int shmv_syslock_choose (key_t *key);

/* Opens the lock at @key, creating it free if there is none (then
 * @lock->created is true). Returns 0 or an errno value; EACCES: the set
 * there is not ours (another user made or owns it, it is open to others,
 * or it is not a set of two). */
int shmv_syslock_open (ShmvSysLock *lock, key_t key);

/* Waits up to @timeout_ms (< 0: forever). Returns 0, ETIMEDOUT or an errno. */
int shmv_syslock_acquire (ShmvSysLock *lock, int timeout_ms);

int shmv_syslock_release (ShmvSysLock *lock);

/* Releases if held and forgets the semaphore (it stays in the system). */
void shmv_syslock_close (ShmvSysLock *lock);

/* Removes the semaphore set at @key if it is ours (made and owned by us, as
 * shmv_syslock_open() checks): never a set someone else made and handed to us. */
void shmv_syslock_remove (key_t key);
