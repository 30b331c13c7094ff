/* test-sharing.c: channels are private unless group sharing is chosen
 *
 * The cross-user cases need root, to run a child as another uid (nobody)
 * that is in the owner's group; they skip elsewhere.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <shmview/shmview.h>

#include "shmv-test-util.h"

#include <glib.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sharing/private-by-default", test_private_by_default);
  g_test_add_func ("/sharing/group-may-read-only", test_group_may_read_only);
  g_test_add_func ("/sharing/cannot-create-for-another-user", test_cannot_create_for_another_user);
  return g_test_run ();
}
