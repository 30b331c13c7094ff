/* shmv-semaphore.c: named counting semaphores
 *
 * Interchangeable with sem_open()'s: a process-shared sem_t in the file
 * /dev/shm/sem.NAME. We map that file ourselves instead of calling
 * sem_open(), which gives no descriptor: the object we check is then the
 * object we use, with no window between a check and an open in which
 * another user could swap the name. We create the same way sem_open() does,
 * a filled file linked in under the name, which fails if the name is taken.
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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct ShmvSemaphore
{
  char *key;
  char native_key[SHMV_NATIVE_NAME_SIZE];
  sem_t *sem;   /* mapped from its file; SEM_FAILED when not open */
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

#define SHM_DIR "/dev/shm"

static void
file_of (const ShmvSemaphore *sem, char *path, size_t size)
{
  snprintf (path, size, SHM_DIR "/sem.%s", sem->native_key + 1);
}

/* Whether the file open at @fd may be used: ours, and ours alone. A
 * semaphore another user planted under our name, or one open to others,
 * must not be used. */
static bool
check_ours (ShmvSemaphore *sem, int fd)
{
  struct stat st;

  if (fstat (fd, &st) < 0)
    return fail_errno (sem, errno, "cannot look at it");
  if (!S_ISREG (st.st_mode) || st.st_uid != geteuid () || (st.st_mode & 0077) != 0)
    return fail (sem, SHMV_ERROR_PERMISSION_DENIED,
                 "an object of that name belongs to another user or is open to others");
  if (st.st_size < (off_t) sizeof (sem_t))
    return fail (sem, SHMV_ERROR_CORRUPT, "the object of that name is no semaphore");
  return true;
}

/* Checks the file open at @fd and maps its semaphore. */
static bool
map_checked (ShmvSemaphore *sem, int fd)
{
  void *map;

  if (!check_ours (sem, fd))
    return false;
  map = mmap (NULL, sizeof (sem_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (map == MAP_FAILED)
    return fail_errno (sem, errno, "cannot map it");
  sem->sem = map;
  return true;
}

/* Opens the file under our name, never following a link or blocking on a
 * FIFO. -1 with errno set (ENOENT: there is none); other failures are
 * reported. */
static int
open_existing (ShmvSemaphore *sem)
{
  char path[64];
  int fd, err;

  file_of (sem, path, sizeof path);
  do
    fd = open (path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd >= 0 || errno == ENOENT)
    return fd;
  err = errno;
  if (err == ELOOP || err == EACCES || err == EISDIR || err == ENXIO)
    fail (sem, SHMV_ERROR_PERMISSION_DENIED, "the name is taken by something that is not ours");
  else
    fail_errno (sem, err, "cannot open it");
  errno = err;
  return -1;
}

/* Fills the nameless file @fd with a semaphore of @value, exactly 0600
 * whatever the umask. 0 or an errno value. */
static int
fill (int fd, unsigned value)
{
  sem_t initial;
  ssize_t n;

  /* sem_init() leaves padding alone: written to a file, it must be zero. */
  memset (&initial, 0, sizeof initial);
  if (fchmod (fd, 0600) < 0 || sem_init (&initial, 1, value) < 0)
    return errno;
  do
    n = write (fd, &initial, sizeof initial);
  while (n < 0 && errno == EINTR);
  return n == (ssize_t) sizeof initial ? 0 : n < 0 ? errno : ENOSPC;
}

/* Makes a semaphore of @value in a nameless file and links it in under our
 * name. False with errno EEXIST when the name is taken; other failures are
 * reported. */
static bool
create_exclusive (ShmvSemaphore *sem, unsigned value)
{
  char from[64], to[64];
  int fd, err;

  do
    fd = open (SHM_DIR, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    return fail_errno (sem, errno, "cannot create it in " SHM_DIR);
  snprintf (from, sizeof from, "/proc/self/fd/%d", fd);
  file_of (sem, to, sizeof to);
  err = fill (fd, value);
  if (err == 0 && linkat (AT_FDCWD, from, AT_FDCWD, to, AT_SYMLINK_FOLLOW) < 0)
    err = errno;
  if (err == 0)
    {
      sem->created = map_checked (sem, fd);
      if (!sem->created)
        sem_unlink (sem->native_key); /* ours, just made: leave no name behind */
    }
  else if (err != EEXIST)
    fail_errno (sem, err, "cannot create it");
  close (fd);
  errno = err;
  return sem->created;
}

static void
open_semaphore (ShmvSemaphore *sem, int initial_value, ShmvSemaphoreMode mode)
{
  for (int attempt = 0; attempt < 4; attempt++)
    {
      int fd;

      if (create_exclusive (sem, (unsigned) initial_value))
        return;
      if (errno != EEXIST)
        return;
      fd = open_existing (sem);
      if (fd < 0 && errno == ENOENT) /* removed meanwhile: create it then */
        continue;
      if (fd < 0)
        return;
      if (mode == SHMV_SEMAPHORE_CREATE)
        {
          /* A fresh counter, as asked: holders of the old one keep it. */
          bool ours = check_ours (sem, fd);

          close (fd);
          if (!ours)
            return;
          sem_unlink (sem->native_key);
          continue;
        }
      map_checked (sem, fd);
      close (fd);
      return;
    }
  fail (sem, SHMV_ERROR_UNKNOWN, "its name keeps changing hands");
}

ShmvSemaphore *
shmv_semaphore_new (const char *key)
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
  if (shmv_key_is_valid (sem->key))
    shmv_native_name (sem->native_key, SHMV_SEMAPHORE_PREFIX, sem->key, geteuid ());
  return sem;
}

bool
shmv_semaphore_open (ShmvSemaphore *sem, int initial_value, ShmvSemaphoreMode mode)
{
  if (sem->sem != SEM_FAILED)
    return fail (sem, SHMV_ERROR_INVALID_ARGUMENT, "already open");
  if (sem->native_key[0] == '\0')
    return fail (sem, SHMV_ERROR_KEY, sem->key[0] == '\0' ? "no key set" : "invalid key");
  if (initial_value < 0)
    return fail (sem, SHMV_ERROR_INVALID_ARGUMENT, "negative initial value");
  shmv_status_clear (&sem->status);
  open_semaphore (sem, initial_value, mode);
  return sem->sem != SEM_FAILED;
}

void
shmv_semaphore_free (ShmvSemaphore *sem)
{
  if (sem == NULL)
    return;
  if (sem->sem != SEM_FAILED)
    {
      munmap (sem->sem, sizeof (sem_t));
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
    fail (sem, SHMV_ERROR_INVALID_ARGUMENT, "not open");
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
