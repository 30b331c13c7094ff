/* shmv-test-namespace.c: a /dev/shm and System V IPC of the test's own
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "shmv-test-namespace.h"

#include <errno.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

gboolean
shmv_test_private_dev_shm (const char *size, gboolean own_ipc)
{
  g_autofree char *options = g_strdup_printf ("size=%s,mode=1777", size);

  if (geteuid () != 0 || unshare (CLONE_NEWNS | (own_ipc ? CLONE_NEWIPC : 0)) < 0)
    return FALSE;
  /* Private first, or the tmpfs would show through to the real /dev/shm. */
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
      mount ("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, options) < 0)
    g_error ("cannot mount a private /dev/shm: %s", g_strerror (errno));
  return TRUE;
}

gboolean
shmv_test_private_dev_shm_is_clean (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/dev/shm", 0, NULL);
  g_autofree char *sems = NULL;
  g_auto (GStrv) lines = NULL;
  gboolean clean = TRUE;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_printerr ("# left behind in the private /dev/shm: %s\n", name);
      clean = FALSE;
    }
  /* A header line, then one line a set. */
  if (g_file_get_contents ("/proc/sysvipc/sem", &sems, NULL, NULL))
    lines = g_strsplit (g_strstrip (sems), "\n", -1);
  for (guint i = 1; lines != NULL && lines[i] != NULL; i++)
    {
      g_printerr ("# left behind in the private IPC namespace: %s\n", lines[i]);
      clean = FALSE;
    }
  return clean;
}
