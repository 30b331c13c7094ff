/* test-sharing.c: channels are private unless group sharing is chosen
 *
 * The cross-user cases need root, to run a child as another uid (nobody)
 * that is in the owner's group; they skip elsewhere.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <shmview/shmview.h>

#include "shmv-segment-private.h"
#include "shmv-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOBODY 65534

/* What the child, as another user, managed to do. */
enum
{
  READ_OK = 1 << 0,
  WRITE_OK = 1 << 1,
  LOCK_OK = 1 << 2,
  DENIED = 1 << 3,
};

static int
try_as_other_user (const char *key, uid_t owner, uint64_t checksum)
{
  ShmvChannel *reader = shmv_channel_new (key);
  ShmvChannel *writer = shmv_channel_new (key);
  ShmvSegment *seg = shmv_segment_new (key);
  void *pixels = NULL;
  size_t capacity = 0;
  ShmvFrameInfo info;
  int result = 0;

  /* Stay in the owner's group (gid 0), become another user. */
  if (setgroups (0, NULL) < 0 || setresgid (0, 0, 0) < 0 || setresuid (NOBODY, NOBODY, NOBODY) < 0)
    return 0x80;
  shmv_channel_set_owner (reader, owner);
  shmv_channel_set_owner (writer, owner);
  shmv_segment_set_owner (seg, owner);
  if (shmv_channel_open (reader, SHMV_CHANNEL_READER, 0))
    {
      if (shmv_channel_read (reader, &pixels, &capacity, &info) && info.checksum == checksum)
        result |= READ_OK;
    }
  else if (shmv_channel_error (reader) == SHMV_ERROR_PERMISSION_DENIED)
    result |= DENIED;
  if (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0))
    result |= WRITE_OK;
  if (shmv_segment_attach (seg, SHMV_ACCESS_READ_ONLY) && shmv_segment_try_lock (seg, 0))
    result |= LOCK_OK;
  free (pixels);
  return result;
}

static int
run_as_other_user (const char *key, uint64_t checksum)
{
  int status;
  pid_t pid = fork ();

  if (pid == 0)
    _exit (try_as_other_user (key, geteuid (), checksum));
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static uint64_t
publish_something (ShmvChannel *ch)
{
  guint8 pixels[8 * 8 * 4];

  for (gsize i = 0; i < sizeof pixels; i++)
    pixels[i] = (guint8) i;
  g_assert_true (shmv_channel_publish (ch, pixels, 8, 8, 32, SHMV_FORMAT_RGBA8, "x.png"));
  return shmv_checksum (pixels, sizeof pixels);
}

static void
check_sharing (ShmvSharing sharing, int expected)
{
  g_autofree char *key = shmv_test_unique_key ("sharing");
  ShmvChannel *ch = shmv_channel_new (key);
  uint64_t checksum;

  if (geteuid () != 0)
    {
      g_test_skip ("needs root to run a child as another user");
      shmv_channel_free (ch);
      return;
    }
  g_assert_true (shmv_channel_set_sharing (ch, sharing));
  g_assert_true (shmv_channel_open (ch, SHMV_CHANNEL_WRITER, 0));
  checksum = publish_something (ch);
  g_assert_cmpint (run_as_other_user (key, checksum), ==, expected);
  shmv_channel_free (ch);
}

static void
test_private_by_default (void)
{
  check_sharing (SHMV_SHARING_USER, DENIED);
}

static void
test_group_may_read_only (void)
{
  /* Reads and verifies; cannot write, cannot lock. */
  check_sharing (SHMV_SHARING_GROUP, READ_OK);
}

static void
test_cannot_create_for_another_user (void)
{
  g_autofree char *key = shmv_test_unique_key ("foreign");
  ShmvSegment *seg = shmv_segment_new (key);
  g_autofree char *own = g_strdup (shmv_segment_native_key (seg));

  g_assert_true (shmv_segment_set_owner (seg, geteuid () + 1));
  g_assert_cmpuint (shmv_segment_owner (seg), ==, geteuid () + 1);
  g_assert_cmpstr (shmv_segment_native_key (seg), !=, own);
  g_assert_false (shmv_segment_create (seg, 100, SHMV_ACCESS_READ_WRITE));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_PERMISSION_DENIED);
  shmv_segment_free (seg);
}

/* Child: a group reader (nobody in root's group) that tries to pass for a
 * writer: it read-locks every byte of the segment it can, and cannot
 * write-lock any. Says "L" and waits to be killed. */
static int
fake_a_writer (const char *key, int fd)
{
  ShmvSegment *seg = shmv_segment_new (key);
  struct flock everything = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
  struct flock one = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 1, .l_len = 1 };

  /* Dies with the test, even a failed one (set after the uid change, which
   * clears it). */
  if (setgroups (0, NULL) < 0 || setresgid (0, 0, 0) < 0 ||
      setresuid (NOBODY, NOBODY, NOBODY) < 0 || prctl (PR_SET_PDEATHSIG, SIGKILL) < 0)
    return 1;
  shmv_segment_set_owner (seg, 0);
  if (!shmv_segment_attach (seg, SHMV_ACCESS_READ_ONLY))
    return 2;
  if (fcntl (shmv_segment_fd (seg), F_OFD_SETLK, &everything) < 0)
    return 3;
  if (fcntl (shmv_segment_fd (seg), F_OFD_SETLK, &one) == 0 || errno != EBADF)
    return 4;
  if (write (fd, "L\n", 2) != 2)
    return 5;
  for (;;)
    pause ();
}

static void
test_reader_cannot_fake_a_writer (void)
{
  g_autofree char *key = shmv_test_unique_key ("fakewriter");
  ShmvChannel *writer = shmv_channel_new (key);
  ShmvChannel *reader = shmv_channel_new (key);
  GPid faker, killed_writer;
  int faker_fd, writer_fd;

  if (geteuid () != 0)
    {
      g_test_skip ("needs root to run a child as another user");
      shmv_channel_free (reader);
      shmv_channel_free (writer);
      return;
    }
  g_assert_true (shmv_channel_set_sharing (writer, SHMV_SHARING_GROUP));
  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  publish_something (writer);
  g_assert_true (shmv_channel_open (reader, SHMV_CHANNEL_READER, 0));
  shmv_channel_close (writer);
  g_assert_false (shmv_channel_writer_alive (reader));

  /* A reader's locks, whatever bytes they cover, say nothing of writers. */
  faker = shmv_test_fork (fake_a_writer, key, &faker_fd);
  shmv_test_expect_line (faker_fd, "L", 5000);
  g_assert_false (shmv_channel_writer_alive (reader));
  shmv_test_kill (faker);
  close (faker_fd);

  /* Two real writers: alive until the last one is gone, by kill -9 or close. */
  killed_writer = shmv_test_fork (shmv_test_publish_and_hang, key, &writer_fd);
  shmv_test_expect_line (writer_fd, "P", 5000);
  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  g_assert_true (shmv_channel_writer_alive (reader));
  shmv_test_kill (killed_writer);
  close (writer_fd);
  g_assert_true (shmv_channel_writer_alive (reader));
  shmv_channel_close (writer);
  g_assert_false (shmv_channel_writer_alive (reader));

  g_assert_true (shmv_channel_remove (reader));
  shmv_channel_free (reader);
  shmv_channel_free (writer);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sharing/private-by-default", test_private_by_default);
  g_test_add_func ("/sharing/group-may-read-only", test_group_may_read_only);
  g_test_add_func ("/sharing/cannot-create-for-another-user", test_cannot_create_for_another_user);
  g_test_add_func ("/sharing/reader-cannot-fake-a-writer", test_reader_cannot_fake_a_writer);
  return g_test_run ();
}
