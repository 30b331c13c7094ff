/* shmv-test-qt.c: the Qt 6 peer (qt-shm-peer) and Qt's key files, for the Qt tests
 *
 * The other side is qt-shm-peer ($SHMV_QT_PEER), a Qt 6 program that does
 * what Qt's Shared Memory Example does with Qt's own QSharedMemory and
 * QDataStream << QImage.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-test-qt.h"

#include "shmv-test-namespace.h"

#include <fcntl.h>
#include <png.h>
#include <signal.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

char *qt_tmpdir;

/* Qt's System V keys are ftok() of its key files: the device and only the
 * low 16 bits of the inode. On a file system that reuses inodes (ext4
 * /tmp), a new key file can get the key of a segment left behind elsewhere
 * (a killed test of another copy of the suite, whose key file was deleted):
 * Qt's create() then fails with AlreadyExists, and a reader would read the
 * stranger's image. Seen once as an "unexplained" /qt/read-rgb8 failure: Qt's
 * publisher gone through its destructor, its key file left with an orphan
 * of 3654 bytes (another run's) behind it. A test of its own IPC namespace
 * sees no stranger's segments. */
static gboolean private_ipc;

void
qt_test_private_ipc (void)
{
  private_ipc = shmv_test_private_dev_shm ("16m", TRUE);
  if (private_ipc)
    g_test_message ("System V IPC and /dev/shm of our own");
}

gboolean
qt_test_private_ipc_is_clean (void)
{
  g_autofree char *shm = NULL;
  g_auto (GStrv) lines = NULL;
  gboolean clean;

  if (!private_ipc)
    return TRUE;
  clean = shmv_test_private_dev_shm_is_clean ();
  /* A header line, then one line a segment. */
  if (g_file_get_contents ("/proc/sysvipc/shm", &shm, NULL, NULL))
    lines = g_strsplit (g_strstrip (shm), "\n", -1);
  for (guint i = 1; lines != NULL && lines[i] != NULL; i++)
    {
      g_printerr ("# left behind in the private IPC namespace: %s\n", lines[i]);
      clean = FALSE;
    }
  return clean;
}

/* A private TMPDIR, plain (test-qt-ctl also tries a link and slashes). */
void
qt_test_tmpdir_setup (void)
{
  qt_tmpdir = g_dir_make_tmp ("shmv-qt-XXXXXX", NULL);
  g_assert_nonnull (qt_tmpdir);
  g_setenv ("TMPDIR", qt_tmpdir, TRUE);
}

/* A key of letters only (so that a listing can tell it), unique per process. */
char *
qt_test_letters_key (const char *what)
{
  GString *key = g_string_new ("shmvTest");

  g_string_append (key, what);
  for (unsigned pid = (unsigned) getpid (); pid > 0; pid /= 26)
    g_string_append_c (key, (char) ('a' + pid % 26));
  return g_string_free (key, FALSE);
}

/* Qt's own name of the segment's key file for @key (QSharedMemory::nativeKey()). */
char *
qt_test_native_key (const char *key)
{
  const char *argv[] = { g_getenv ("SHMV_QT_PEER"), "native", key, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (shmv_test_run (argv, NULL, &out, &err), ==, 0);
  return g_strdup (g_strstrip (out));
}

/* Starts Qt publishing @file under @key; returns once it has. */
void
qt_test_publish (QtPublisher *pub, const char *key, const char *file)
{
  const char *argv[] = { g_getenv ("SHMV_QT_PEER"), "publish", key, file, NULL };
  g_autofree char *line = NULL;

  pub->pid = shmv_test_spawn (argv, NULL, &pub->out_fd, NULL);
  line = shmv_test_read_line (pub->out_fd, 20000);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "published "));
  pub->size = (gsize) g_ascii_strtoull (line + strlen ("published "), NULL, 10);
}

/* SIGTERM: Qt detaches, and as the last user removes everything. */
void
qt_test_unpublish (QtPublisher *pub)
{
  kill (pub->pid, SIGTERM);
  g_assert_cmpint (shmv_test_wait_exit (pub->pid, 20000), ==, 0);
  close (pub->out_fd);
}

void
qt_test_assert_tmpdir_empty (void)
{
  g_auto (GStrv) names = shmv_test_dir_list (qt_tmpdir);

  for (guint i = 0; names[i] != NULL; i++)
    g_test_message ("left behind: %s", names[i]);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
}

void
qt_test_write_spec (const char *path, int color_type, int depth, guint32 seed, PngTestSpec *spec)
{
  png_test_spec_init (spec, 37, 23, color_type, depth, FALSE, FALSE, seed);
  png_test_spec_write (spec, path);
}

/* The System V ids behind @key's two key files, as Qt finds them. */
void
qt_test_ids (const char *key, int *shm_id, int *sem_id)
{
  g_autofree char *shm_file = qt_test_native_key (key);
  const char *name = strrchr (shm_file, '/') + 1 + strlen ("qipc_sharedmemory_");
  g_autofree char *dir = g_path_get_dirname (shm_file);
  g_autofree char *sem_file = g_strconcat (dir, "/qipc_systemsem_", name, NULL);

  *shm_id = shmget (ftok (shm_file, 'Q'), 0, 0400);
  *sem_id = semget (ftok (sem_file, 'Q'), 1, 0600);
  g_assert_cmpint (*shm_id, >=, 0);
  g_assert_cmpint (*sem_id, >=, 0);
}

void
qt_test_assert_ids_gone (int shm_id, int sem_id)
{
  struct shmid_ds ds;

  g_assert_cmpint (shmctl (shm_id, IPC_STAT, &ds), ==, -1);
  g_assert_cmpint (semctl (sem_id, 0, GETVAL), ==, -1);
}

void
qt_test_read_assert (const char *key,
                     const char *out,
                     const PngTestPixels *expected,
                     const char *what)
{
  const char *argv[] = { g_getenv ("SHMV_QT_PEER"), "read", key, out, NULL };
  g_autofree char *o = NULL, *e = NULL;
  PngTestPixels got = { 0 };

  g_assert_cmpint (shmv_test_run (argv, NULL, &o, &e), ==, 0);
  png_test_reference_decode (out, &got);
  png_test_assert_pixels_equal (&got, expected, what);
  png_test_pixels_clear (&got);
}

/* A segment under Qt's names, made by hand as Qt would (key file, ftok 'Q',
 * 0600), holding @data; detached, so that its reader is its last user.
 * Returns its id. */
int
qt_test_make_segment (const char *key, const void *data, gsize size)
{
  g_autofree char *path = qt_test_native_key (key);
  int fd = open (path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0640);
  key_t sys_key;
  void *addr;
  int id;

  g_assert_cmpint (fd, >=, 0);
  close (fd);
  sys_key = ftok (path, 'Q');
  g_assert_cmpint (sys_key, !=, -1);
  id = shmget (sys_key, size, IPC_CREAT | IPC_EXCL | 0600);
  g_assert_cmpint (id, >=, 0);
  addr = shmat (id, NULL, 0);
  g_assert_true (addr != (void *) -1);
  memcpy (addr, data, size);
  shmdt (addr);
  return id;
}
