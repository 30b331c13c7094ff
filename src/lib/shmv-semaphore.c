/* shmv-semaphore.c: named counting semaphores
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <shmview/shmv-semaphore.h>

#include "shmv-names.h"
#include "shmv-status.h"

#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct ShmvSemaphore
{
  char *key;
  char native_key[SHMV_NATIVE_NAME_SIZE];
  sem_t *sem;
  bool created; /* this handle made the kernel object and removes its name */
  ShmvStatus status;
};

static bool
fail (ShmvSemaphore *sem, ShmvError code, const char *what)
{
  shmv_status_set (&sem->status, code, "semaphore “%s”: %s", sem->key, what);
  return false;
}

static bool
fail_errno (ShmvSemaphore *sem, int err, const char *what)
{
  shmv_status_set_errno (&sem->status, err, "semaphore “%s”: %s", sem->key, what);
  return false;
}

/* sem_open() gives no descriptor to fstat: look at the file glibc made. A
 * semaphore another user planted under our name must not be used. */
static bool
is_ours (const char *native_key)
{
  char path[64];
  struct stat st;

  snprintf (path, sizeof path, "/dev/shm/sem.%s", native_key + 1);
  if (lstat (path, &st) < 0)
    return errno == ENOENT;
  return S_ISREG (st.st_mode) && st.st_uid == geteuid () && (st.st_mode & 0077) == 0;
}

static bool
open_exclusive (ShmvSemaphore *sem, int initial_value)
{
  sem->sem = sem_open (sem->native_key, O_CREAT | O_EXCL, 0600, (unsigned) initial_value);
  sem->created = sem->sem != SEM_FAILED;
  return sem->created;
}

static void
open_semaphore (ShmvSemaphore *sem, int initial_value, ShmvSemaphoreMode mode)
{
  for (int attempt = 0; attempt < 4; attempt++)
    {
      if (open_exclusive (sem, initial_value))
        return;
      if (errno != EEXIST)
        {
          fail_errno (sem, errno, "cannot create it");
          return;
        }
      if (!is_ours (sem->native_key))
        {
          fail (sem, SHMV_ERROR_PERMISSION_DENIED,
                "an object of that name belongs to another user or is open to others");
          return;
        }
      if (mode == SHMV_SEMAPHORE_CREATE)
        {
          /* A fresh counter, as asked: holders of the old one keep it. */
          sem_unlink (sem->native_key);
          continue;
        }
      sem->sem = sem_open (sem->native_key, 0);
      if (sem->sem != SEM_FAILED)
        return;
      if (errno != ENOENT) /* ENOENT: removed meanwhile, create it then */
        {
          fail_errno (sem, errno, "cannot open it");
          return;
        }
    }
  fail (sem, SHMV_ERROR_UNKNOWN, "its name keeps changing hands");
}

ShmvSemaphore *
shmv_semaphore_new (const char *key, int initial_value, ShmvSemaphoreMode mode)
{
  ShmvSemaphore *sem = calloc (1, sizeof *sem);

  if (sem == NULL)
    return NULL;
  sem->sem = SEM_FAILED;
  sem->key = strdup (key != NULL ? key : "");
  if (sem->key == NULL)
    {
      free (sem);
      return NULL;
    }
  if (!shmv_key_is_valid (sem->key))
    {
      fail (sem, SHMV_ERROR_KEY, sem->key[0] == '\0' ? "no key set" : "invalid key");
      return sem;
    }
  shmv_native_name (sem->native_key, SHMV_SEMAPHORE_PREFIX, sem->key, geteuid ());
  if (initial_value < 0)
    {
      fail (sem, SHMV_ERROR_INVALID_ARGUMENT, "negative initial value");
      return sem;
    }
  open_semaphore (sem, initial_value, mode);
  return sem;
}

void
shmv_semaphore_free (ShmvSemaphore *sem)
{
  if (sem == NULL)
    return;
  if (sem->sem != SEM_FAILED)
    {
      sem_close (sem->sem);
      if (sem->created)
        sem_unlink (sem->native_key);
    }
  free (sem->key);
  free (sem);
}

static bool
check_open (ShmvSemaphore *sem)
{
  if (sem->sem != SEM_FAILED)
    return true;
  if (sem->status.code == SHMV_ERROR_NONE)
    fail (sem, SHMV_ERROR_KEY, "not open");
  return false;
}

bool
shmv_semaphore_acquire (ShmvSemaphore *sem)
{
  return shmv_semaphore_try_acquire (sem, -1);
}

bool
shmv_semaphore_try_acquire (ShmvSemaphore *sem, int timeout_ms)
{
  struct timespec deadline;
  int rc;

  if (!check_open (sem))
    return false;
  if (timeout_ms < 0)
    {
      while ((rc = sem_wait (sem->sem)) < 0 && errno == EINTR)
        ;
    }
  else
    {
      clock_gettime (CLOCK_REALTIME, &deadline);
      deadline.tv_sec += timeout_ms / 1000;
      deadline.tv_nsec += (long) (timeout_ms % 1000) * 1000000;
      if (deadline.tv_nsec >= 1000000000)
        deadline.tv_sec++, deadline.tv_nsec -= 1000000000;
      while ((rc = sem_timedwait (sem->sem, &deadline)) < 0 && errno == EINTR)
        ;
    }
  if (rc < 0 && errno == ETIMEDOUT)
    return fail (sem, SHMV_ERROR_TIMEOUT, "timed out waiting for it");
  if (rc < 0)
    return fail_errno (sem, errno, "cannot acquire it");
  shmv_status_clear (&sem->status);
  return true;
}

bool
shmv_semaphore_release (ShmvSemaphore *sem, int n)
{
  if (!check_open (sem))
    return false;
  if (n <= 0)
    return fail (sem, SHMV_ERROR_INVALID_ARGUMENT, "release count must be positive");
  for (int i = 0; i < n; i++)
    {
      if (sem_post (sem->sem) < 0)
        {
          /* Take back what we added: all or nothing, as callers expect. */
          int err = errno;

          while (i-- > 0)
            sem_trywait (sem->sem);
          return fail_errno (sem, err, "cannot release it");
        }
    }
  shmv_status_clear (&sem->status);
  return true;
}

ShmvError
shmv_semaphore_error (const ShmvSemaphore *sem)
{
  return sem->status.code;
}

const char *
shmv_semaphore_error_string (const ShmvSemaphore *sem)
{
  return sem->status.message;
}

const char *
shmv_semaphore_native_key (const ShmvSemaphore *sem)
{
  return sem->native_key;
}
