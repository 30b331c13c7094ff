/* ctl-rename-gate.c: an LD_PRELOAD shim that stops rename() at a gate
 *
 * With $SHMV_TEST_RENAME_GATE naming a directory that holds two FIFOs,
 * "arrived" and "go", the first rename() of the process writes a byte to
 * "arrived" and waits for one on "go" before renaming: a test learns that
 * shmview-ctl read has written its temporary file and not yet renamed it,
 * and holds it there for as long as it likes (test-ctl-signals.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int rename (const char *from, const char *to);

static void
wait_at_gate (const char *gate)
{
  char path[4096];
  char c = 'a';
  int arrived, go;

  /* "go" first, read-write: then a read waits for the test's byte, and the
   * test can open it without waiting for us. */
  snprintf (path, sizeof path, "%s/go", gate);
  go = open (path, O_RDWR | O_CLOEXEC);
  snprintf (path, sizeof path, "%s/arrived", gate);
  arrived = open (path, O_WRONLY | O_CLOEXEC);
  if (go < 0 || arrived < 0 || write (arrived, &c, 1) != 1 || read (go, &c, 1) != 1)
    abort ();
  close (arrived);
  close (go);
}

int
rename (const char *from, const char *to)
{
  static int gated;
  int (*real_rename) (const char *, const char *) =
      (int (*) (const char *, const char *)) dlsym (RTLD_NEXT, "rename");
  const char *gate = getenv ("SHMV_TEST_RENAME_GATE");

  if (gate != NULL && !gated++)
    wait_at_gate (gate);
  return real_rename (from, to);
}
