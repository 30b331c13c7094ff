/* test-gc.c: shmview-ctl gc removes what is stale, and nothing else
 *
 * Scenario 9 of docs/RELIABILITY.md. Channels in every state are made side
 * by side: stale (every user killed), stale but persistent, in use by a live
 * writer, in use by a reader only (its writer killed), a stale corrupt
 * channel, and a stale segment that is no channel. `shmview-ctl gc` must
 * remove exactly the stale non-persistent channels, locks included. A
 * second case races gc with a writer that re-opens a stale channel while gc
 * runs. meson runs this program alone: gc looks at every channel of the
 * user. The path of shmview-ctl comes as --ctl=PATH (meson.build) or in
 * $SHMVIEW_CTL; without a gc command the tests skip.
 *
 * What it proves, and what breaks it: liveness comes from the kernel's OFD
 * locks, so a SIGKILLed user counts as gone and a live one (even a reader)
 * as present. Decide staleness by a counter in the segment, or by the
 * writer alone, and the live-reader channel is removed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "stress-util.h"

#include "shmv-channel-layout.h"
#include "shmv-test-util.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define N_STALE    20
#define N_RACE     200
#define MAX_KEYS_C 256

static char *ctl_path;

static gboolean
skip_without_gc (void)
{
  g_autofree char *out = NULL;
  const char *argv[] = { ctl_path, "--help", NULL };

  if (ctl_path != NULL && g_file_test (ctl_path, G_FILE_TEST_IS_EXECUTABLE))
    {
      shmv_test_run (argv, NULL, &out, NULL);
      if (out != NULL && strstr (out, "\n  gc") != NULL)
        return FALSE;
    }
  g_test_skip ("shmview-ctl has no gc command");
  return TRUE;
}

/* What a child makes before it is killed (or while it lives). */
typedef enum
{
  MAKE_CHANNEL,
  MAKE_PERSISTENT,
  MAKE_CORRUPT,
  MAKE_SEGMENT,
  MAKE_READER,
} Make;

typedef struct
{
  char **keys;
  int n_keys;
  Make make;
  int ready_fd;
} Maker;

static gboolean
make_one (const char *key, Make make, gpointer scratch)
{
  ShmvChannel *ch = shmv_channel_new (key);
  ShmvSegment *seg = shmv_segment_new (key);

  if (make == MAKE_SEGMENT)
    return shmv_segment_create (seg, 8192, SHMV_ACCESS_READ_WRITE);
  if (make == MAKE_READER)
    return shmv_channel_open (ch, SHMV_CHANNEL_READER, 0);
  if (!shmv_channel_open (ch, SHMV_CHANNEL_WRITER, 0) ||
      (make == MAKE_PERSISTENT && !shmv_channel_set_persistent (ch, TRUE)) ||
      !stress_publish (ch, 16, 16, 2, scratch))
    return FALSE;
  if (make == MAKE_CORRUPT)
    {
      /* The magic stays, so that it is listed as a channel; the rest goes. */
      if (!shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE))
        return FALSE;
      memset ((char *) shmv_segment_data (seg) + 8, 0xAB, SHMV_CHANNEL_HEADER_SIZE - 8);
    }
  return TRUE; /* the handles stay open until the process dies */
}

static int
maker_main (gpointer data)
{
  Maker *m = data;
  gpointer scratch = g_malloc (16 * 16 * 4);

  for (int i = 0; i < m->n_keys; i++)
    if (!make_one (m->keys[i], m->make, scratch))
      return 1;
  if (write (m->ready_fd, "R", 1) != 1)
    return 2;
  for (;;)
    pause ();
}

/* Runs a maker; returns its pid once everything is made. With @kill_it,
 * kills it (SIGKILL, no clean-up) and returns 0. */
static pid_t
make_keys (char **keys, int n_keys, Make make, gboolean kill_it)
{
  int fds[2];
  char c;
  Maker m;
  pid_t pid;

  g_assert_no_errno (pipe (fds));
  m = (Maker){ keys, n_keys, make, fds[1] };
  pid = stress_fork (maker_main, &m);
  g_assert_cmpint (read (fds[0], &c, 1), ==, 1);
  close (fds[0]);
  close (fds[1]);
  if (!kill_it)
    return pid;
  stress_kill (pid);
  return 0;
}

static char **
new_keys (const char *what, int n)
{
  char **keys = g_new0 (char *, n + 1);

  for (int i = 0; i < n; i++)
    {
      keys[i] = shmv_test_unique_key (what);
      stress_register_key (keys[i]);
    }
  return keys;
}

static gboolean
key_exists (const char *key)
{
  ShmvSegment *seg = shmv_segment_new (key);
  gboolean exists = shmv_test_shm_exists (shmv_segment_native_key (seg));

  shmv_segment_free (seg);
  return exists;
}

static void
assert_kept (char **keys, const char *gc_output)
{
  for (char **k = keys; *k != NULL; k++)
    {
      g_assert_true (key_exists (*k));
      g_assert_null (strstr (gc_output, *k));
    }
}

static char *
run_gc (gint64 *took_us)
{
  const char *argv[] = { ctl_path, "gc", "--json", NULL };
  gint64 start = g_get_monotonic_time ();
  char *out = NULL, *err = NULL;
  int status = shmv_test_run (argv, NULL, &out, &err);

  *took_us = g_get_monotonic_time () - start;
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("shmview-ctl gc failed: %s", err);
  g_free (err);
  return out;
}

static void
test_gc_removes_only_stale (void)
{
  char **stale, **persistent, **live, **reader_only, **corrupt, **plain;
  int stale_locks[N_STALE];
  ShmvChannel *live_writers[2];
  pid_t reader_pid, writer_pid;
  g_autofree char *out = NULL;
  gint64 took;

  if (skip_without_gc ())
    return;
  stale = new_keys ("gc-stale", N_STALE);
  persistent = new_keys ("gc-persistent", 2);
  live = new_keys ("gc-live", 2);
  reader_only = new_keys ("gc-reader-only", 2);
  corrupt = new_keys ("gc-corrupt", 1);
  plain = new_keys ("gc-plain-segment", 1);

  make_keys (stale, N_STALE, MAKE_CHANNEL, TRUE);
  for (int i = 0; i < N_STALE; i++)
    stale_locks[i] = stress_lock_key_of (stale[i]);
  make_keys (persistent, 2, MAKE_PERSISTENT, TRUE);
  for (int i = 0; i < 2; i++)
    live_writers[i] = shmv_test_open_channel (live[i], SHMV_CHANNEL_WRITER);
  /* Writer killed, a reader still there: in use, not stale. */
  writer_pid = make_keys (reader_only, 2, MAKE_CHANNEL, FALSE);
  reader_pid = make_keys (reader_only, 2, MAKE_READER, FALSE);
  stress_kill (writer_pid);
  make_keys (corrupt, 1, MAKE_CORRUPT, TRUE);
  make_keys (plain, 1, MAKE_SEGMENT, TRUE);

  out = run_gc (&took);
  for (int i = 0; i < N_STALE; i++)
    {
      stress_assert_nothing_left (stale[i], stale_locks[i]);
      g_assert_nonnull (strstr (out, stale[i]));
    }
  g_assert_false (key_exists (corrupt[0]));
  assert_kept (persistent, out);
  assert_kept (live, out);
  assert_kept (reader_only, out);
  assert_kept (plain, out); /* not a channel: not gc's business */
  stress_figure ("gc", "stale_removed", "%d", N_STALE + 1);
  stress_figure ("gc", "kept", "%d", 7);
  stress_figure ("gc", "gc_run_us", "%" G_GINT64_FORMAT, took);

  stress_kill (reader_pid);
  for (int i = 0; i < 2; i++)
    shmv_channel_free (live_writers[i]);
  for (char ***set = (char **[]){ persistent, reader_only, plain, NULL }; *set; set++)
    for (char **k = *set; *k != NULL; k++)
      stress_remove_key (*k);
  for (char ***set = (char **[]){ stale, persistent, live, reader_only, corrupt, plain, NULL };
       *set; set++)
    {
      for (char **k = *set; *k != NULL; k++)
        g_assert_false (key_exists (*k));
      g_strfreev (*set);
    }
}

/* Waits until the first key of @keys is gone from /dev/shm. */
static void
wait_until_gone (const char *key)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (key_exists (key))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (100);
    }
}

/* gc lists first, then removes one channel after the other. A writer that
 * re-opens a stale channel in between makes it live again: gc must not
 * remove it then (it would take the channel from under a live writer). */
static void
test_gc_races_with_new_writer (void)
{
  char **stale;
  g_autofree char *target = NULL;
  gpointer scratch = g_malloc (16 * 16 * 4), buf = NULL;
  const char *argv[] = { ctl_path, "gc", NULL };
  ShmvChannel *writer, *reader;
  gsize cap = 0;
  GPid gc;
  int status, out_fd;
  char drain[4096];

  if (skip_without_gc ())
    {
      g_free (scratch);
      return;
    }
  /* gc goes by key order: the target comes after every other stale one. */
  target = g_strdup_printf ("test-zz-%d-gc-race-target", (int) getpid ());
  stress_register_key (target);
  stale = new_keys ("gc-race", N_RACE);
  make_keys (stale, N_RACE, MAKE_CHANNEL, TRUE);
  make_keys (&target, 1, MAKE_CHANNEL, TRUE);

  gc = shmv_test_spawn (argv, NULL, &out_fd, NULL);
  wait_until_gone (stale[0]);
  writer = shmv_test_open_channel (target, SHMV_CHANNEL_WRITER);
  g_assert_true (stress_publish (writer, 16, 16, 8, scratch));
  while (read (out_fd, drain, sizeof drain) > 0)
    ; /* its report, which the TAP stream must not get */
  close (out_fd);
  g_assert_cmpint (waitpid (gc, &status, 0), ==, gc);
  g_assert_true (WIFEXITED (status));

  reader = shmv_channel_new (target);
  if (!shmv_channel_open (reader, SHMV_CHANNEL_READER, 0) ||
      !shmv_channel_read (reader, &buf, &cap, NULL))
    stress_protection_failed (
        "shmview-ctl gc removes a channel that a writer re-opened after the "
        "listing: gc decides on the listing, then calls shmv_channel_remove(), "
        "which removes unconditionally. The library needs a "
        "shmv_channel_remove_if_stale() that takes the exclusive OFD lock on "
        "byte 0, checks that it is not persistent and unlinks while it holds "
        "it (as try_reclaim() does); attachers then retry and make a new one");
  else
    g_assert_true (stress_check (buf, 16 * 16 * 4, NULL));
  shmv_channel_free (reader);
  shmv_channel_free (writer);
  stress_remove_key (target);
  for (char **k = stale; *k != NULL; k++)
    g_assert_false (key_exists (*k));
  g_strfreev (stale);
  g_free (buf);
  g_free (scratch);
}

int
main (int argc, char **argv)
{
  gboolean private;
  int result;

  /* --ctl=PATH from meson.build, before GTest sees the arguments. */
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--ctl="))
      {
        ctl_path = g_strdup (argv[i] + strlen ("--ctl="));
        memmove (&argv[i], &argv[i + 1], (argc - i) * sizeof *argv);
        argc--;
        break;
      }
  if (ctl_path == NULL)
    ctl_path = g_strdup (g_getenv ("SHMVIEW_CTL"));
  g_test_init (&argc, &argv, NULL);
  /* gc removes every stale channel of the user: alone, it neither takes
   * another test's (nor another copy of the suite's) nor counts them. */
  private = shmv_test_private_dev_shm ("256m", TRUE);
  if (!private)
    g_test_message ("not root: gc sees this user's real /dev/shm");
  g_test_add_func ("/stress/gc/removes-only-stale", test_gc_removes_only_stale);
  g_test_add_func ("/stress/gc/races-with-new-writer", test_gc_races_with_new_writer);
  result = g_test_run ();
  stress_cleanup ();
  if (private && !shmv_test_private_dev_shm_is_clean ())
    result = 1;
  return result;
}
