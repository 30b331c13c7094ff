/* shmv-ofd.c: open-file-description locks on single bytes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "shmv-ofd.h"

#include "shmv-test-point.h"

#include <errno.h>
#include <fcntl.h>
#include <time.h>

static struct flock
range_lock (off_t first, off_t count, short type)
{
  struct flock fl = { 0 };

  fl.l_type = type;
  fl.l_whence = SEEK_SET;
  fl.l_start = first;
  fl.l_len = count;
  return fl;
}

static struct flock
byte_lock (off_t byte, short type)
{
  return range_lock (byte, 1, type);
}

int
shmv_ofd_lock (int fd, off_t byte, short type)
{
  struct flock fl = byte_lock (byte, type);

  while (fcntl (fd, F_OFD_SETLK, &fl) < 0)
    {
      if (errno != EINTR)
        return errno == EACCES ? EAGAIN : errno;
    }
  return 0;
}

int
shmv_ofd_lock_timeout (int fd, off_t byte, short type, int timeout_ms)
{
  /* Locks on these bytes are held for microseconds (while a segment is made
   * or removed), so a short sleep between tries wastes nothing; a blocking
   * F_OFD_SETLKW could hang forever on a hostile holder. */
  const struct timespec pause = { 0, 200 * 1000 };
  int waited_us = 0;
  int err;

  while ((err = shmv_ofd_lock (fd, byte, type)) == EAGAIN && waited_us < timeout_ms * 1000)
    {
      SHMV_TEST_POINT ("ofd:waiting");
      nanosleep (&pause, NULL);
      waited_us += 200;
    }
  return err;
}

int
shmv_ofd_lock_any (int fd, off_t first, int count)
{
  int err = EAGAIN;

  for (off_t byte = first; byte < first + count && err == EAGAIN; byte++)
    err = shmv_ofd_lock (fd, byte, F_WRLCK);
  return err;
}

static int
query_range (int fd, off_t first, int count, short type, bool *held)
{
  struct flock fl = range_lock (first, count, type);

  if (fcntl (fd, F_OFD_GETLK, &fl) < 0)
    return errno;
  *held = fl.l_type != F_UNLCK;
  return 0;
}

bool
shmv_ofd_range_is_held (int fd, off_t first, int count, short type)
{
  bool held = false;

  query_range (fd, first, count, type, &held);
  return held;
}

bool
shmv_ofd_is_held (int fd, off_t byte, short type)
{
  return shmv_ofd_range_is_held (fd, byte, 1, type);
}

int
shmv_ofd_query (int fd, off_t byte, short type, bool *held)
{
  return query_range (fd, byte, 1, type, held);
}
