/* shmv-watch.c: a channel's changes as a readable file descriptor
 *
 * A main loop cannot sleep on a futex, so a thread does it and signals an
 * eventfd. The thread follows the key: while no channel exists it sleeps on
 * inotify for one to appear (or polls, without inotify); when the channel is
 * removed it goes back to waiting. Once a second it also checks whether the
 * writer is still alive, since a writer killed by SIGKILL cannot tell anyone.
 * A channel whose header a peer truncated away is broken: the thread tells
 * the user once (whose next look reports it corrupt) and goes back to
 * waiting for a valid channel, looking once a second; a futex on a missing
 * page fails at once, and retrying it would spin.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <shmview/shmv-watch.h>

#include "shmv-channel-private.h"

#include "shmv-appear.h"
#include "shmv-futex.h"
#include "shmv-status.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

/* How often a sleeping watch looks at the writer's liveness. */
#define LIVENESS_PERIOD_MS 1000

struct ShmvWatch
{
  char *key;
  int event_fd; /* readable for the user; -1 until started */
  int stop_fd;  /* wakes the thread out of an inotify wait */
  bool started;
  pthread_t thread;
  atomic_bool stop;
  atomic_bool exited;
  _Atomic (const uint32_t *) sleeping_on;
  ShmvStatus status;
};

static void
close_fds (ShmvWatch *watch)
{
  if (watch->event_fd >= 0)
    close (watch->event_fd);
  if (watch->stop_fd >= 0)
    close (watch->stop_fd);
  watch->event_fd = watch->stop_fd = -1;
}

static void
notify (ShmvWatch *watch)
{
  uint64_t one = 1;

  while (write (watch->event_fd, &one, sizeof one) < 0 && errno == EINTR)
    ;
}

/* Sleeps @ms unless stopped first. ECANCELED when stopped. */
static int
pause_unless_stopped (ShmvWatch *watch, int ms)
{
  struct pollfd stop = { watch->stop_fd, POLLIN, 0 };

  return poll (&stop, 1, ms) > 0 ? ECANCELED : 0;
}

/* Waits for the channel to exist and opens it. False when stopped. */
static bool
open_when_present (ShmvWatch *watch, ShmvChannel *ch)
{
  ShmvAppearWatch *appear = NULL;
  bool opened = false;

  while (!atomic_load (&watch->stop))
    {
      int err;

      if (shmv_channel_open (ch, SHMV_CHANNEL_READER, 0))
        {
          opened = true;
          break;
        }
      if (appear == NULL)
        {
          /* Watch before the next try, so a creation in between is seen. */
          appear = shmv_appear_watch_new (shmv_channel_native_key (ch));
          if (appear != NULL)
            continue;
        }
      /* Not there (or not yet a valid channel): sleep until a name appears,
       * looking again at least once a period. */
      err = appear != NULL ? shmv_appear_watch_wait (appear, LIVENESS_PERIOD_MS, watch->stop_fd)
                           : pause_unless_stopped (watch, LIVENESS_PERIOD_MS);
      if (err == ECANCELED)
        break;
    }
  shmv_appear_watch_free (appear);
  return opened;
}

typedef enum
{
  FOLLOW_STOPPED,
  FOLLOW_REMOVED,
  FOLLOW_BROKEN, /* the header page is gone */
} FollowEnd;

/* Sleeps on the open channel, telling the user about every change since
 * generation @seen and writer liveness @alive, until stopped, or the channel
 * is removed or broken. */
static FollowEnd
follow (ShmvWatch *watch, ShmvChannel *ch, uint32_t seen, bool alive)
{
  while (!atomic_load (&watch->stop))
    {
      const uint32_t *word = shmv_channel_generation_word (ch);
      bool now_alive;
      int err = 0;

      /* One sleep per turn of the loop, not shmv_channel_wait(), which would
       * swallow the wake-up that shmv_watch_free() sends to stop us. */
      atomic_store (&watch->sleeping_on, word);
      if (atomic_load (&watch->stop))
        break;
      if (shmv_channel_generation (ch) == seen)
        err = shmv_futex_wait (word, seen, LIVENESS_PERIOD_MS);
      atomic_store (&watch->sleeping_on, NULL);
      if (err == EFAULT)
        return FOLLOW_BROKEN;
      if (shmv_channel_is_removed (ch))
        return FOLLOW_REMOVED;
      now_alive = shmv_channel_writer_alive (ch);
      if (shmv_channel_generation (ch) != seen || now_alive != alive)
        {
          seen = shmv_channel_generation (ch);
          alive = now_alive;
          notify (watch);
        }
    }
  return FOLLOW_STOPPED;
}

static void *
watch_thread (void *data)
{
  ShmvWatch *watch = data;
  ShmvChannel *ch = shmv_channel_new (watch->key);

  while (ch != NULL && open_when_present (watch, ch))
    {
      /* Read before telling: whatever happens after the user looks is
       * then a change that follow() reports. */
      uint32_t seen = shmv_channel_generation (ch);
      bool alive = shmv_channel_writer_alive (ch);

      notify (watch);
      if (follow (watch, ch, seen, alive) == FOLLOW_STOPPED)
        break;
      shmv_channel_close (ch);
      notify (watch); /* removed: the user reopens; broken: the user's look says so */
    }
  shmv_channel_free (ch);
  atomic_store (&watch->exited, true);
  return NULL;
}

ShmvWatch *
shmv_watch_new (const char *key)
{
  ShmvWatch *watch = calloc (1, sizeof *watch);

  if (watch == NULL)
    return NULL;
  watch->event_fd = -1;
  watch->stop_fd = -1;
  watch->key = strdup (key != NULL ? key : "");
  if (watch->key == NULL)
    {
      free (watch);
      return NULL;
    }
  return watch;
}

static bool
fail_errno (ShmvWatch *watch, int err, const char *what)
{
  shmv_status_set_errno (&watch->status, err, "watch of channel “%s”: %s", watch->key, what);
  return false;
}

bool
shmv_watch_start (ShmvWatch *watch)
{
  int err;

  if (watch->started)
    {
      shmv_status_set (&watch->status, SHMV_ERROR_INVALID_ARGUMENT,
                       "watch of channel “%s”: already started", watch->key);
      return false;
    }
  watch->event_fd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  watch->stop_fd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (watch->event_fd < 0 || watch->stop_fd < 0)
    {
      err = errno;
      close_fds (watch);
      return fail_errno (watch, err, "cannot set up");
    }
  err = pthread_create (&watch->thread, NULL, watch_thread, watch);
  if (err != 0)
    {
      close_fds (watch);
      return fail_errno (watch, err, "cannot start a thread");
    }
  watch->started = true;
  shmv_status_clear (&watch->status);
  return true;
}

int
shmv_watch_fd (const ShmvWatch *watch)
{
  return watch->event_fd;
}

void
shmv_watch_drain (ShmvWatch *watch)
{
  uint64_t count;

  while (read (watch->event_fd, &count, sizeof count) < 0 && errno == EINTR)
    ;
}

void
shmv_watch_free (ShmvWatch *watch)
{
  const struct timespec pause = { 0, 1000000 };
  uint64_t one = 1;

  if (watch == NULL)
    return;
  if (watch->started)
    {
      atomic_store (&watch->stop, true);
      while (write (watch->stop_fd, &one, sizeof one) < 0 && errno == EINTR)
        ;
      /* The thread may be about to sleep on the futex: keep waking it until
       * it has seen the stop flag. */
      while (!atomic_load (&watch->exited))
        {
          const uint32_t *word = atomic_load (&watch->sleeping_on);

          if (word != NULL)
            shmv_futex_wake_all (word);
          nanosleep (&pause, NULL);
        }
      pthread_join (watch->thread, NULL);
    }
  close_fds (watch);
  free (watch->key);
  free (watch);
}

ShmvError
shmv_watch_error (const ShmvWatch *watch)
{
  return watch->status.code;
}

const char *
shmv_watch_error_string (const ShmvWatch *watch)
{
  return watch->status.message;
}
