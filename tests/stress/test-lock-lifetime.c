/* test-lock-lifetime.c: a segment's System V lock never outlives it
 *
 * A lock set has no descriptor the kernel could close when its maker dies:
 * a set made for a segment that never got its name, or that was removed
 * meanwhile, stays until reboot, and no listing or gc can tell whose it was.
 * So the set is made only for a named segment, the name is checked again
 * once it is made, and removers take the set before and after the name
 * (shmv-segment.c, open_lock() and remove_if_current()). Each case stops a
 * real process (SIGSTOP from a test point) exactly in one window, and kills
 * or resumes it there: no timing is involved.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "stress-util.h"

#include "shmv-test-util.h"

#include <signal.h>
#include <sys/sem.h>
#include <sys/wait.h>

#define HANG_MS 30000

typedef struct
{
  const char *key;
  const char *point;
  ShmvChannelRole role;
} OpenChild;

static int
open_child_main (gpointer data)
{
  OpenChild *child = data;
  ShmvChannel *ch = shmv_channel_new (child->key);
  gboolean ok;

  stress_stop_at (child->point, 1);
  ok = shmv_channel_open (ch, child->role, 0);
  shmv_channel_free (ch);
  return ok ? 0 : 1;
}

/* Starts a child that opens @key as @role and stops at @point. */
static pid_t
start_stopped (OpenChild *child)
{
  pid_t pid = stress_fork (open_child_main, child);

  g_assert_true (WIFSTOPPED (stress_wait_stopped (pid, HANG_MS)));
  return pid;
}

/* A creator killed in any window of create() leaves no lock set: before
 * its segment has a name there is none yet, and after, the segment names
 * it, so the next user removes it with the segment. */
static void
test_creator_killed (gconstpointer data)
{
  const char *point = data;
  g_autofree char *key = shmv_test_unique_key ("lock-life-creator");
  OpenChild child = { key, point, SHMV_CHANNEL_WRITER };
  ShmvChannel *next;
  pid_t pid;
  gboolean named;

  stress_register_key (key);
  pid = start_stopped (&child);
  stress_kill (pid);

  named = stress_lock_key_of (key) != -1;
  if (!named)
    g_assert_cmpint (stress_count_lock_sets (key), ==, 0);
  g_assert_cmpint (stress_count_lock_sets (key), <=, 1);

  /* The key is not blocked, and its last user takes everything with it. */
  next = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  shmv_channel_free (next);
  g_assert_cmpint (stress_count_lock_sets (key), ==, 0);
  stress_assert_nothing_left (key, -1);
}

/* A user that makes the lock anew (its segment has none yet) checked the
 * name before a removal took it: the set it makes after the removal must
 * not stay. The child stops between its check and its semget(). */
static void
test_removed_while_lock_is_made (void)
{
  g_autofree char *key = shmv_test_unique_key ("lock-life-race");
  OpenChild child = { key, "lock:opening", SHMV_CHANNEL_READER };
  ShmvChannel *writer, *remover;
  pid_t pid;
  int status;

  stress_register_key (key);
  writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  g_assert_true (shmv_channel_set_persistent (writer, TRUE));
  shmv_channel_free (writer);
  /* A persistent channel whose lock was taken from it: the next user makes
   * the lock again (as after a remover killed between lock and name). */
  g_assert_cmpint (stress_count_lock_sets (key), ==, 1);
  remover = shmv_channel_new (key);
  {
    int lock_key = stress_lock_key_of (key);
    int semid = semget (lock_key, 0, 0);

    g_assert_cmpint (semid, >=, 0);
    g_assert_no_errno (semctl (semid, 0, IPC_RMID));
  }

  pid = start_stopped (&child);
  g_assert_true (shmv_channel_remove (remover));
  g_assert_no_errno (kill (pid, SIGCONT));
  status = stress_wait (pid, HANG_MS);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1); /* it found the channel gone */

  g_assert_cmpint (stress_count_lock_sets (key), ==, 0);
  stress_assert_nothing_left (key, -1);
  shmv_channel_free (remover);
}

int
main (int argc, char **argv)
{
  static const char *const creator_points[] = {
    "create:nameless",
    "create:complete",
    "create:named",
    "create:lock-made",
  };
  int status;

  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (creator_points); i++)
    {
      g_autofree char *path =
          g_strdup_printf ("/stress/lock-lifetime/creator-killed-at/%s", creator_points[i]);

      g_test_add_data_func (path, creator_points[i], test_creator_killed);
    }
  g_test_add_func ("/stress/lock-lifetime/removed-while-its-lock-is-made",
                   test_removed_while_lock_is_made);
  status = g_test_run ();
  stress_cleanup ();
  return status;
}
