/* shmv-appear.c: waiting for a name to appear in /dev/shm
 *
 * inotify tells us the moment a writer creates the channel, so readers that
 * start first need not poll for it. Without inotify (a user's instances are
 * few and easily used up) we poll instead, at a short, growing interval:
 * slower to notice, but a waiter never gives up before its timeout.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "shmv-appear.h"
#include "shmv-deadline.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

/* Polling without inotify: first and longest pause between looks. */
#define POLL_FIRST_MS 10
#define POLL_MAX_MS   100

struct ShmvAppearWatch
{
  int fd; /* inotify; < 0: polling */
  int poll_ms;
  char name[64];
};

ShmvAppearWatch *
shmv_appear_watch_new (const char *native_name)
{
  ShmvAppearWatch *watch = calloc (1, sizeof *watch);

  if (watch == NULL)
    return NULL;
  strncpy (watch->name, native_name + 1, sizeof watch->name - 1);
  watch->poll_ms = POLL_FIRST_MS;
  watch->fd = inotify_init1 (IN_CLOEXEC | IN_NONBLOCK);
  if (watch->fd >= 0 && inotify_add_watch (watch->fd, "/dev/shm", IN_CREATE | IN_MOVED_TO) < 0)
    {
      close (watch->fd);
      watch->fd = -1;
    }
  return watch;
}

/* Reads pending events; true if one names our file. */
static bool
drain_events (ShmvAppearWatch *watch)
{
  char buf[4096] __attribute__ ((aligned (__alignof__(struct inotify_event))));
  bool seen = false;
  ssize_t n;

  while ((n = read (watch->fd, buf, sizeof buf)) > 0)
    {
      for (char *p = buf; p < buf + n;)
        {
          const struct inotify_event *ev = (const struct inotify_event *) p;

          if (ev->len > 0 && strcmp (ev->name, watch->name) == 0)
            seen = true;
          p += sizeof *ev + ev->len;
        }
    }
  return seen;
}

/* Without inotify: one pause, after which the caller looks again. */
static int
pause_for_poll (ShmvAppearWatch *watch, int timeout_ms, int cancel_fd)
{
  struct pollfd cancel = { cancel_fd, POLLIN, 0 };
  int pause_ms = timeout_ms >= 0 && timeout_ms < watch->poll_ms ? timeout_ms : watch->poll_ms;
  int n;

  if (timeout_ms == 0)
    return ETIMEDOUT;
  watch->poll_ms = watch->poll_ms * 2 < POLL_MAX_MS ? watch->poll_ms * 2 : POLL_MAX_MS;
  n = poll (&cancel, cancel_fd >= 0 ? 1 : 0, pause_ms);
  if (n < 0)
    return errno;
  return n > 0 ? ECANCELED : 0;
}

int
shmv_appear_watch_wait (ShmvAppearWatch *watch, int timeout_ms, int cancel_fd)
{
  int64_t deadline = shmv_deadline_after (timeout_ms);

  if (watch->fd < 0)
    return pause_for_poll (watch, timeout_ms, cancel_fd);
  for (;;)
    {
      struct pollfd fds[2] = { { watch->fd, POLLIN, 0 }, { cancel_fd, POLLIN, 0 } };
      int left = shmv_deadline_left (deadline);
      int n;

      if (left == 0)
        return ETIMEDOUT;
      n = poll (fds, cancel_fd >= 0 ? 2 : 1, left);
      if (n < 0)
        return errno;
      if (n > 0 && (fds[1].revents & POLLIN) != 0)
        return ECANCELED;
      if (n > 0 && drain_events (watch))
        return 0;
    }
}

void
shmv_appear_watch_free (ShmvAppearWatch *watch)
{
  if (watch == NULL)
    return;
  if (watch->fd >= 0)
    close (watch->fd);
  free (watch);
}
