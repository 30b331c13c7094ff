/* test-ctl-sharing.c: publish --share group, read/info --owner
 *
 * Needs root, to run shmview-ctl as another user (nobody) in the owner's
 * group (gid 0) with setpriv; skips elsewhere.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "shmv-test-util.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs shmview-ctl as nobody, group root; returns the exit status. */
static int
run_as_nobody (char **out, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  g_autofree char *setpriv = g_find_program_in_path ("setpriv");
  int status;

  g_ptr_array_add (argv, setpriv);
  g_ptr_array_add (argv, "--reuid=65534");
  g_ptr_array_add (argv, "--regid=0");
  g_ptr_array_add (argv, "--clear-groups");
  g_ptr_array_add (argv, (gpointer) g_getenv ("SHMVIEW_CTL"));
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, (gpointer) *args);
  g_ptr_array_add (argv, NULL);
  status = shmv_test_run ((const char *const *) argv->pdata, NULL, out, &err);
  g_test_message ("as nobody: %s", err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static gboolean
can_run_as_nobody (void)
{
  const char *version[] = { "--version", NULL };
  g_autofree char *out = NULL; /* kept off our stdout, which is TAP */
  g_autofree char *setpriv = g_find_program_in_path ("setpriv");

  if (geteuid () != 0 || setpriv == NULL)
    return FALSE;
  /* The build tree must be reachable by nobody, too. */
  return run_as_nobody (&out, version) == 0;
}

static void
test_group_share (void)
{
  g_autofree char *key = shmv_test_unique_key ("ctlshare");
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *png = shmv_test_make_png (dir, "in.png", 17, 9, SHMV_FORMAT_RGBA8, 3);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *info[] = { "info", "--owner", "root", "--json", "-k", key, NULL };

  if (!can_run_as_nobody ())
    {
      g_test_skip ("needs root and setpriv, and a build tree that nobody can reach");
      shmv_test_tmpdir_remove (dir);
      return;
    }

  /* Private by default: another user gets "permission denied" (exit 4). */
  ctl_assert_exit (ctl_run (NULL, &err, "publish", png, "-k", key, NULL), 0, err);
  g_assert_cmpint (run_as_nobody (&out, info), ==, 4);
  g_clear_pointer (&out, g_free);
  shmv_test_forget_key (key);

  /* Shared with the group: readable, with the right image. */
  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (NULL, &err, "publish", png, "--share", "group", "-k", key, NULL), 0,
                   err);
  g_assert_cmpint (run_as_nobody (&out, info), ==, 0);
  g_assert_nonnull (strstr (out, "\"width\":17"));
  shmv_test_forget_key (key);
  shmv_test_tmpdir_remove (dir);
}

static void
test_bad_values (void)
{
  g_autofree char *err = NULL;

  ctl_assert_exit (ctl_run (NULL, &err, "publish", "x.png", "--share", "world", NULL), 1, err);
  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (NULL, &err, "info", "--owner", "no-such-user-here", NULL), 1, err);
  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (NULL, &err, "rm", "--owner", "root", NULL), 1, err);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ctl/sharing/group-share-and-owner", test_group_share);
  g_test_add_func ("/ctl/sharing/bad-values-are-usage-errors", test_bad_values);
  return g_test_run ();
}
