/* shmv-semaphore.h: named counting semaphores (QSystemSemaphore)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <shmview/shmv-error.h>

SHMV_BEGIN_DECLS

typedef enum
{
  SHMV_SEMAPHORE_OPEN,  /* use the semaphore of this key; create it if missing */
  SHMV_SEMAPHORE_CREATE /* make a fresh one with the initial value */
} ShmvSemaphoreMode;

/**
 * ShmvSemaphore:
 *
 * A POSIX named semaphore (sem_open), visible as /dev/shm/sem.<native key>.
 * Handles on one key, in any process, share one kernel counter.
 *
 * Ownership: the handle that created the kernel object (CREATE mode, or OPEN
 * on a missing one) removes its name when freed. Other holders keep working on
 * the now nameless object; a later OPEN makes a new one. CREATE on an existing
 * name replaces it the same way, so that a counter left at 0 by a crashed
 * process never blocks a new program. Use counting semaphores for signalling;
 * for mutual exclusion that survives crashes use shmv_segment_lock().
 */
typedef struct ShmvSemaphore ShmvSemaphore;

/**
 * shmv_semaphore_new:
 * @key: (nullable): any non-empty UTF-8 string (NULL or "": open() fails)
 *
 * A handle on @key, not open yet. NULL only when out of memory.
 */
SHMV_API ShmvSemaphore *shmv_semaphore_new (const char *key);

/**
 * shmv_semaphore_open:
 * @initial_value: the count a newly created semaphore starts with (>= 0)
 *
 * Opens or creates the semaphore as @mode says. A NULL or empty key fails
 * with SHMV_ERROR_KEY; a name taken by anything but a regular file of ours
 * that only we may use (another user's semaphore, one open to others, a
 * link) with SHMV_ERROR_PERMISSION_DENIED. The check is made on the object
 * opened, not before opening it. A new semaphore is 0600 whatever the umask.
 * SHMV_ERROR_INVALID_ARGUMENT when the handle is open already.
 */
SHMV_API bool shmv_semaphore_open (ShmvSemaphore *sem, int initial_value, ShmvSemaphoreMode mode);

SHMV_API void shmv_semaphore_free (ShmvSemaphore *sem);

/** shmv_semaphore_acquire: waits until the count is > 0, then takes one. */
SHMV_API bool shmv_semaphore_acquire (ShmvSemaphore *sem);

/** shmv_semaphore_try_acquire: as acquire(), giving up after @timeout_ms (< 0: forever). */
SHMV_API bool shmv_semaphore_try_acquire (ShmvSemaphore *sem, int timeout_ms);

/** shmv_semaphore_release: adds @n (> 0) to the count. */
SHMV_API bool shmv_semaphore_release (ShmvSemaphore *sem, int n);

SHMV_API ShmvError shmv_semaphore_error (const ShmvSemaphore *sem);
SHMV_API const char *shmv_semaphore_error_string (const ShmvSemaphore *sem);

/** shmv_semaphore_native_key: the sem_open name ("/shmvs-<uid>-<hash>"); "" without a key. */
SHMV_API const char *shmv_semaphore_native_key (const ShmvSemaphore *sem);

SHMV_END_DECLS
