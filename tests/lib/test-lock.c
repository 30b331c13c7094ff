/* test-lock.c: the segment lock survives the death of its holder
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <shmview/shmview.h>

#include "shmv-test-util.h"

#include <glib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

/* Child: attach, lock, report "L" on @fd, then wait to be killed. */
static int
hold_lock_forever (const char *key, int fd)
{
  ShmvSegment *seg = shmv_segment_new (key);

  if (!shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE) || !shmv_segment_lock (seg))
    return 10;
  if (write (fd, "L", 1) != 1)
    return 11;
  for (;;)
    pause ();
}

/* Child: attach, report "W", block in lock(), then report "D" if it found
 * that the previous owner died, "A" if not. */
static int
wait_for_lock (const char *key, int fd)
{
  ShmvSegment *seg = shmv_segment_new (key);

  if (!shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE) || write (fd, "W", 1) != 1)
    return 10;
  if (!shmv_segment_lock (seg))
    return 11;
  if (write (fd, shmv_segment_lock_owner_died (seg) ? "D" : "A", 1) != 1)
    return 12;
  shmv_segment_free (seg);
  return 0;
}

static char
read_char (int fd)
{
  char c = 0;

  g_assert_cmpint (read (fd, &c, 1), ==, 1);
  return c;
}

/* A segment of a unique key whose lock a child holds; *@holder_fd is the
 * child's pipe. */
static ShmvSegment *
segment_locked_by_child (const char *what, GPid *holder, int *holder_fd)
{
  g_autofree char *key = shmv_test_unique_key (what);
  ShmvSegment *seg = shmv_segment_new (key);

  g_assert_true (shmv_segment_create (seg, 64, SHMV_ACCESS_READ_WRITE));
  *holder = shmv_test_fork (hold_lock_forever, key, holder_fd);
  g_assert_cmpint (read_char (*holder_fd), ==, 'L');
  return seg;
}

static void
test_killed_holder_releases_within_a_second (void)
{
  gint64 start, elapsed_us;
  GPid holder;
  int fd;
  ShmvSegment *seg = segment_locked_by_child ("kill9", &holder, &fd);

  g_assert_false (shmv_segment_try_lock (seg, 50));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_TIMEOUT);

  /* Reaped: the kernel undid its hold as it exited, so the lock is free
   * now, without waiting (a time bound would measure the machine's load). */
  shmv_test_kill (holder);
  start = g_get_monotonic_time ();
  g_assert_true (shmv_segment_try_lock (seg, 0));
  elapsed_us = g_get_monotonic_time () - start;
  g_test_message ("lock taken %" G_GINT64_FORMAT " µs after the holder was reaped", elapsed_us);
  g_assert_true (shmv_segment_lock_owner_died (seg));
  g_assert_true (shmv_segment_unlock (seg));

  /* The next locker sees a clean hand-over. */
  g_assert_true (shmv_segment_lock (seg));
  g_assert_false (shmv_segment_lock_owner_died (seg));
  close (fd);
  shmv_segment_free (seg);
}

static void
test_blocked_waiter_learns_owner_died (void)
{
  GPid holder, waiter;
  int holder_fd, waiter_fd;
  ShmvSegment *seg = segment_locked_by_child ("kill9waiter", &holder, &holder_fd);

  waiter = shmv_test_fork (wait_for_lock, shmv_segment_key (seg), &waiter_fd);
  g_assert_cmpint (read_char (waiter_fd), ==, 'W');
  /* Still blocked a while later. */
  g_assert_null (shmv_test_read_line (waiter_fd, 200));

  /* The kernel hands the lock over to the waiter already asleep in semop(). */
  shmv_test_kill (holder);
  g_assert_cmpint (read_char (waiter_fd), ==, 'D');
  shmv_test_assert_exits_ok (waiter);
  close (holder_fd);
  close (waiter_fd);
  shmv_segment_free (seg);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/lock/killed-holder-releases-within-a-second",
                   test_killed_holder_releases_within_a_second);
  g_test_add_func ("/lock/blocked-waiter-learns-owner-died", test_blocked_waiter_learns_owner_died);
  return g_test_run ();
}
