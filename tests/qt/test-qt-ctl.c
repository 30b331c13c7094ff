/* test-qt-ctl.c: shmview-ctl --qt against real Qt code
 *
 * The other side is qt-shm-peer ($SHMV_QT_PEER), a Qt 6 program that does
 * what Qt's Shared Memory Example does with Qt's own QSharedMemory and
 * QDataStream << QImage. Every test runs with a private TMPDIR, the
 * directory of Qt's key files (QDir::tempPath()), so that names never clash
 * and what is left behind shows.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-test-util.h"
#include "shmv-test-qt.h"

#include <shmview/shmview.h>

#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Qt publishes, shmview-ctl reads: the same pixels, and Qt can publish again
 * under the same key at once (the reader held nothing). */
static void
check_roundtrip (int color_type, int depth, const char *format)
{
  g_autofree char *key = qt_test_letters_key (format);
  g_autofree char *in_dir = g_dir_make_tmp ("shmv-qt-in-XXXXXX", NULL);
  g_autofree char *src = g_build_filename (in_dir, "in.png", NULL);
  g_autofree char *out = g_build_filename (in_dir, "out.png", NULL);
  g_autofree char *qt_out = g_build_filename (in_dir, "qt-out.png", NULL);
  g_autofree char *stdout_text = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonNode) info = NULL;
  PngTestSpec spec;
  PngTestPixels expected = { 0 }, got = { 0 };
  QtPublisher pub;

  qt_test_write_spec (src, color_type, depth, 11, &spec);
  png_test_spec_expected (&spec, &expected);

  qt_test_publish (&pub, key, src);
  ctl_assert_exit (ctl_run (&stdout_text, &err, "read", "--qt", "-k", key, out, NULL), 0, err);
  g_assert_nonnull (strstr (stdout_text, format));
  png_test_reference_decode (out, &got);
  png_test_assert_pixels_equal (&got, &expected, "read --qt");
  png_test_pixels_clear (&got);

  /* info --qt: what the segment and the image are. */
  g_clear_pointer (&stdout_text, g_free);
  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (&stdout_text, &err, "info", "--qt", "-k", key, "--json", NULL), 0, err);
  info = shmv_test_json_parse (stdout_text);
  g_assert_cmpstr (shmv_test_json_string (info, "kind"), ==, "qt");
  g_assert_cmpstr (shmv_test_json_string (info, "key"), ==, key);
  {
    g_autofree char *native = qt_test_native_key (key);
    g_assert_cmpstr (shmv_test_json_string (info, "native_key"), ==, native);
  }
  g_assert_cmpint (shmv_test_json_int (info, "width"), ==, 37);
  g_assert_cmpint (shmv_test_json_int (info, "height"), ==, 23);
  g_assert_cmpstr (shmv_test_json_string (info, "format"), ==, format);
  g_assert_cmpint (shmv_test_json_int (info, "size"), ==, (gint64) pub.size);
  g_assert_cmpint (shmv_test_json_int (info, "creator_pid"), ==, pub.pid);
  g_assert_cmpint (shmv_test_json_int (info, "attach_count"), ==, 1);

  /* Our reads left Qt's segment as it was: a Qt reader still gets it. */
  {
    const char *argv[] = { g_getenv ("SHMV_QT_PEER"), "read", key, qt_out, NULL };
    g_autofree char *o = NULL, *e = NULL;

    g_assert_cmpint (shmv_test_run (argv, NULL, &o, &e), ==, 0);
    png_test_reference_decode (qt_out, &got);
    png_test_assert_pixels_equal (&got, &expected, "Qt's own reader");
    png_test_pixels_clear (&got);
  }

  /* Qt replaces its image as the example does: detach, create anew. */
  qt_test_unpublish (&pub);
  qt_test_assert_tmpdir_empty ();
  qt_test_publish (&pub, key, src);
  qt_test_unpublish (&pub);
  qt_test_assert_tmpdir_empty ();

  png_test_pixels_clear (&expected);
  png_test_spec_clear (&spec);
  shmv_test_tmpdir_remove (in_dir);
}

static void
test_read_rgb8 (void)
{
  check_roundtrip (PNG_COLOR_TYPE_RGB, 8, "RGB8");
}

static void
test_read_rgba16 (void)
{
  check_roundtrip (PNG_COLOR_TYPE_RGB_ALPHA, 16, "RGBA16");
}

/* list shows a Qt segment, marked as Qt, with its key when it is letters only. */
static void
test_list (void)
{
  g_autofree char *key = qt_test_letters_key ("List");
  g_autofree char *in_dir = g_dir_make_tmp ("shmv-qt-in-XXXXXX", NULL);
  g_autofree char *src = g_build_filename (in_dir, "in.png", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (JsonNode) list = NULL;
  gboolean found = FALSE;
  PngTestSpec spec;
  QtPublisher pub;

  qt_test_write_spec (src, PNG_COLOR_TYPE_RGB, 8, 3, &spec);
  qt_test_publish (&pub, key, src);
  ctl_assert_exit (ctl_run (&out, &err, "list", "--json", NULL), 0, err);
  list = shmv_test_json_parse (out);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (list), i);

      if (json_object_has_member (json_node_get_object (item), "kind") &&
          g_strcmp0 (shmv_test_json_string (item, "kind"), "qt") == 0 &&
          g_strcmp0 (shmv_test_json_string (item, "key"), key) == 0)
        {
          found = TRUE;
          g_assert_cmpint (shmv_test_json_int (item, "creator_pid"), ==, pub.pid);
          g_assert_cmpint (shmv_test_json_int (item, "size"), ==, (gint64) pub.size);
        }
    }
  g_assert_true (found);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (&out, &err, "list", NULL), 0, err);
  g_assert_nonnull (strstr (out, key));
  g_assert_nonnull (strstr (out, "Qt"));

  qt_test_unpublish (&pub);
  qt_test_assert_tmpdir_empty ();
  png_test_spec_clear (&spec);
  shmv_test_tmpdir_remove (in_dir);
}

static void
test_missing (void)
{
  g_autofree char *key = qt_test_letters_key ("Missing");
  g_autofree char *out = NULL, *err = NULL;

  ctl_assert_exit (ctl_run (&out, &err, "read", "--qt", "-k", key, "x.png", NULL), 2, err);
  g_assert_nonnull (strstr (err, key));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (&out, &err, "info", "--qt", "-k", key, NULL), 2, err);
  qt_test_assert_tmpdir_empty ();
}

static void
check_undecodable (const char *what, const void *data, gsize size)
{
  g_autofree char *key = qt_test_letters_key (what);
  g_autofree char *out = NULL, *err = NULL;
  struct shmid_ds ds;
  int id = qt_test_make_segment (key, data, size);

  ctl_assert_exit (ctl_run (&out, &err, "read", "--qt", "-k", key, "x.png", NULL), 6, err);
  g_test_message ("%s: %s", what, err);
  /* Qt's rule: who detaches last removes the segment and its key file. */
  g_assert_cmpint (shmctl (id, IPC_STAT, &ds), ==, -1);
  qt_test_assert_tmpdir_empty ();
}

static void
test_random_bytes (void)
{
  GRand *rand = g_rand_new_with_seed (42);
  guint8 bytes[4096];

  for (gsize i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8) g_rand_int (rand);
  bytes[3] = 1; /* a marker saying "an image follows", then garbage */
  check_undecodable ("Random", bytes, sizeof bytes);
  g_rand_free (rand);
}

static void
test_null_image (void)
{
  static const guint8 null_image[4] = { 0, 0, 0, 0 };

  check_undecodable ("Null", null_image, sizeof null_image);
}

/* A PNG that declares a huge image: the bomb bounds apply inside a Qt segment too. */
static void
test_huge_image (void)
{
  g_autoptr (GBytes) png = png_test_header_only (100000, 100000);
  gsize size;
  const guint8 *data = g_bytes_get_data (png, &size);
  g_autofree guint8 *bytes = g_malloc (size + 4);

  memcpy (bytes, "\0\0\0\1", 4);
  memcpy (bytes + 4, data, size);
  check_undecodable ("Huge", bytes, size + 4);
}

/* shmview-ctl ARGS... in @lang (LANGUAGE, as a user sets it, with the
 * build's catalogues: SHMVIEW_LOCALEDIR): its exit status; stderr in @err. */
static int
ctl_run_lang (const char *lang, char **err, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_auto (GStrv) env = g_get_environ ();
  g_autoptr (GError) error = NULL;
  const char *arg;
  int status = -1;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) g_getenv ("SHMVIEW_CTL"));
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  /* gettext ignores LANGUAGE under C: C.UTF-8 is the locale there is. */
  env = g_environ_unsetenv (env, "LC_ALL");
  env = g_environ_unsetenv (env, "LC_MESSAGES");
  env = g_environ_setenv (env, "LANG", "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "LANGUAGE", lang, TRUE);
  env = g_environ_unsetenv (env, "G_MESSAGES_DEBUG");
  g_assert_nonnull (g_getenv ("SHMVIEW_LOCALEDIR"));
  g_clear_pointer (err, g_free);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL, NULL, err,
                     &status, &error))
    g_error ("cannot run shmview-ctl: %s", error->message);
  g_test_message ("LANGUAGE=%s: %s", lang, *err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* The Qt errors in the user's language, one sentence naming the key and the
 * reason (no English detail behind it): a missing key, random bytes. */
static void
test_errors_translated (void)
{
  static const struct
  {
    const char *lang, *missing, *no_image, *not_png;
  } langs[] = {
    { "de", "Es gibt kein Qt-Segment mit dem Schlüssel „%s“",
      "Das Qt-Segment „%s“ enthält kein Bild, das shmview lesen kann: ",
      "es enthält kein PNG-Bild" },
    { "fr", "Il n’y a aucun segment Qt avec la clé « %s »",
      "Le segment Qt « %s » ne contient aucune image que shmview puisse lire : ",
      "il ne contient aucune image PNG" },
  };
  g_autofree char *key = qt_test_letters_key ("Lang");
  g_autofree char *err = NULL;
  GRand *rand = g_rand_new_with_seed (7);
  guint8 bytes[512];
  guint8 damaged[64] = { 0, 0, 0, 1, 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  for (gsize i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8) g_rand_int (rand);
  bytes[3] = 1;
  for (gsize i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      g_autofree char *missing = g_strdup_printf (langs[i].missing, key);
      g_autofree char *no_image = g_strdup_printf (langs[i].no_image, key);
      g_autofree char *not_png = g_strconcat (no_image, langs[i].not_png, NULL);

      g_assert_cmpint (ctl_run_lang (langs[i].lang, &err, "read", "--qt", "-k", key, "x.png", NULL),
                       ==, 2);
      g_assert_nonnull (strstr (err, missing));
      g_assert_null (strstr (err, "Qt segment"));
      g_assert_null (strstr (err, qt_tmpdir));

      qt_test_make_segment (key, bytes, sizeof bytes);
      g_assert_cmpint (ctl_run_lang (langs[i].lang, &err, "read", "--qt", "-k", key, "x.png", NULL),
                       ==, 6);
      g_assert_nonnull (strstr (err, not_png));

      /* A PNG signature, then nothing a PNG decoder takes: libpng's English
       * ("[00][00][00][00]: invalid chunk type") stays out of it. */
      qt_test_make_segment (key, damaged, sizeof damaged);
      g_assert_cmpint (ctl_run_lang (langs[i].lang, &err, "info", "--qt", "-k", key, NULL), ==, 6);
      g_assert_nonnull (strstr (err, no_image));
      g_assert_null (strstr (err, "chunk"));
      /* info only looks: the segment stays until a read takes it. */
      g_assert_cmpint (ctl_run_lang (langs[i].lang, &err, "read", "--qt", "-k", key, "x.png", NULL),
                       ==, 6);
    }
  g_rand_free (rand);
  qt_test_assert_tmpdir_empty ();
}

/* Another user's segment (as root: a child that became nobody made it) is
 * not ours to read: exit 4, and it stays. */
static void
test_other_user (void)
{
  g_autofree char *key = qt_test_letters_key ("Other");
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *path = NULL;
  struct passwd *nobody = getpwnam ("nobody");
  struct shmid_ds ds;
  int pipe_fds[2];
  int status, id = -1;
  pid_t child;

  if (geteuid () != 0 || nobody == NULL)
    {
      g_test_skip ("needs root, to be another user");
      return;
    }
  path = qt_test_native_key (key);
  g_assert_cmpint (chmod (qt_tmpdir, 01777), ==, 0);
  g_assert_cmpint (pipe (pipe_fds), ==, 0);
  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      static const guint8 image[8] = { 0, 0, 0, 1, 0x89, 'P', 'N', 'G' };
      int made;

      close (pipe_fds[0]);
      if (setgid (nobody->pw_gid) != 0 || setuid (nobody->pw_uid) != 0)
        _exit (1);
      made = qt_test_make_segment (key, image, sizeof image);
      _exit (write (pipe_fds[1], &made, sizeof made) == sizeof made ? 0 : 1);
    }
  close (pipe_fds[1]);
  g_assert_cmpint (read (pipe_fds[0], &id, sizeof id), ==, sizeof id);
  close (pipe_fds[0]);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);

  ctl_assert_exit (ctl_run (&out, &err, "read", "--qt", "-k", key, "x.png", NULL), 4, err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (&out, &err, "info", "--qt", "-k", key, NULL), 4, err);
  /* Said once, in the user's language. */
  g_assert_cmpint (ctl_run_lang ("de", &err, "read", "--qt", "-k", key, "x.png", NULL), ==, 4);
  {
    g_autofree char *german =
        g_strdup_printf ("Das Qt-Segment „%s“ gehört einem anderen Benutzer", key);

    g_assert_nonnull (strstr (err, german));
    g_assert_null (strstr (err, "Permission"));
    g_assert_null (strstr (err, "Zugriff verweigert"));
  }
  g_assert_cmpint (ctl_run_lang ("ja", &err, "read", "--qt", "-k", key, "x.png", NULL), ==, 4);
  {
    g_autofree char *japanese =
        g_strdup_printf ("Qt セグメント「%s」は別のユーザーのものです", key);

    g_assert_nonnull (strstr (err, japanese));
  }
  /* Not listed either: only this user's segments are. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (&out, &err, "list", NULL), 0, err);
  g_assert_null (strstr (out, key));
  g_assert_cmpint (shmctl (id, IPC_STAT, &ds), ==, 0);

  shmctl (id, IPC_RMID, NULL);
  g_unlink (path);
  g_assert_cmpint (chmod (qt_tmpdir, 0700), ==, 0);
  qt_test_assert_tmpdir_empty ();
}

/* Qt's lock is honoured: a read waits while a Qt process holds it, gets it
 * when that process dies holding it (SEM_UNDO), and gives up with exit 5
 * when it stays taken. */
static void
test_lock (void)
{
  g_autofree char *key = qt_test_letters_key ("Lock");
  g_autofree char *in_dir = g_dir_make_tmp ("shmv-qt-in-XXXXXX", NULL);
  g_autofree char *src = g_build_filename (in_dir, "in.png", NULL);
  g_autofree char *out = g_build_filename (in_dir, "out.png", NULL);
  const char *lock_argv[] = { g_getenv ("SHMV_QT_PEER"), "lock", key, NULL };
  const char *read_args[] = { "read", "--qt", "-k", key, out, NULL };
  g_autofree char *stdout_text = NULL, *err = NULL;
  g_autofree char *line = NULL;
  PngTestSpec spec;
  QtPublisher pub;
  GPid locker, reader;
  int locker_out, reader_out;
  gint64 start;

  qt_test_write_spec (src, PNG_COLOR_TYPE_RGB, 8, 5, &spec);
  qt_test_publish (&pub, key, src);

  locker = shmv_test_spawn (lock_argv, NULL, &locker_out, NULL);
  line = shmv_test_read_line (locker_out, 20000);
  g_assert_cmpstr (line, ==, "locked");
  reader = ctl_spawn (read_args, &reader_out, NULL); /* its output kept off TAP */
  g_usleep (500 * 1000);
  g_assert_true (shmv_test_pid_alive (reader)); /* waiting for Qt's lock */
  shmv_test_kill (locker);                      /* dies holding it */
  close (locker_out);
  g_assert_cmpint (shmv_test_wait_exit (reader, 20000), ==, 0);
  close (reader_out);
  g_assert_true (g_file_test (out, G_FILE_TEST_EXISTS));

  /* A lock that stays taken: exit 5 after a few seconds, never a hang. */
  g_clear_pointer (&line, g_free);
  locker = shmv_test_spawn (lock_argv, NULL, &locker_out, NULL);
  line = shmv_test_read_line (locker_out, 20000);
  g_assert_cmpstr (line, ==, "locked");
  start = g_get_monotonic_time ();
  ctl_assert_exit (ctl_run (&stdout_text, &err, "read", "--qt", "-k", key, out, NULL), 5, err);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 4 * G_USEC_PER_SEC);
  kill (locker, SIGTERM);
  g_assert_cmpint (shmv_test_wait_exit (locker, 20000), ==, 0);
  close (locker_out);

  qt_test_unpublish (&pub);
  qt_test_assert_tmpdir_empty ();
  png_test_spec_clear (&spec);
  shmv_test_tmpdir_remove (in_dir);
}

/* Starts `publish --qt`; returns once it says it publishes. */
static GPid
ctl_publish_qt (const char *key, const char *file, int *out_fd)
{
  const char *args[] = { "publish", "--qt", "-k", key, file, NULL };
  g_autofree char *line = NULL;
  GPid pid = ctl_spawn (args, out_fd, NULL);

  line = shmv_test_read_line (*out_fd, 20000);
  g_assert_nonnull (line);
  g_test_message ("publish --qt: %s", line);
  g_assert_nonnull (strstr (line, "press Ctrl+C to withdraw"));
  return pid;
}

/* shmview-ctl publishes, Qt reads twice (the first Qt reader must not take
 * the segment away); @sig withdraws everything, exit 0. */
static void
check_publish (int color_type, int depth, const char *what, int sig)
{
  g_autofree char *key = qt_test_letters_key (what);
  g_autofree char *in_dir = g_dir_make_tmp ("shmv-qt-in-XXXXXX", NULL);
  g_autofree char *src = g_build_filename (in_dir, "in.png", NULL);
  g_autofree char *out1 = g_build_filename (in_dir, "qt-1.png", NULL);
  g_autofree char *out2 = g_build_filename (in_dir, "qt-2.png", NULL);
  PngTestPixels expected = { 0 };
  PngTestSpec spec;
  int out_fd, shm_id, sem_id;
  GPid pid;

  qt_test_write_spec (src, color_type, depth, 23, &spec);
  png_test_spec_expected (&spec, &expected);

  pid = ctl_publish_qt (key, src, &out_fd);
  qt_test_ids (key, &shm_id, &sem_id);
  qt_test_read_assert (key, out1, &expected, "Qt's first reader");
  qt_test_read_assert (key, out2, &expected, "Qt's second reader");
  g_assert_true (shmv_test_pid_alive (pid));

  kill (pid, sig);
  g_assert_cmpint (shmv_test_wait_exit (pid, 20000), ==, 0);
  close (out_fd);
  qt_test_assert_tmpdir_empty ();
  qt_test_assert_ids_gone (shm_id, sem_id);

  png_test_pixels_clear (&expected);
  png_test_spec_clear (&spec);
  shmv_test_tmpdir_remove (in_dir);
}

static void
test_publish_rgb8 (void)
{
  check_publish (PNG_COLOR_TYPE_RGB, 8, "PubRgb", SIGTERM);
}

static void
test_publish_rgba16 (void)
{
  check_publish (PNG_COLOR_TYPE_RGB_ALPHA, 16, "PubRgbaSixteen", SIGTERM);
}

/* SIGINT as Ctrl+C: the same. */
static void
test_publish_sigint (void)
{
  check_publish (PNG_COLOR_TYPE_RGB, 8, "PubInt", SIGINT);
}

/* A file that is no image: exit 3, nothing made. */
static void
test_publish_bad_file (void)
{
  g_autofree char *key = qt_test_letters_key ("PubBad");
  g_autofree char *in_dir = g_dir_make_tmp ("shmv-qt-in-XXXXXX", NULL);
  g_autofree char *src = g_build_filename (in_dir, "bad.png", NULL);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_true (g_file_set_contents (src, "\x89PNG\r\n\x1a\nnot really", -1, NULL));
  ctl_assert_exit (ctl_run (&out, &err, "publish", "--qt", "-k", key, src, NULL), 3, err);
  g_assert_cmpstr (err, !=, "");
  /* What failed, on which file and key. */
  g_assert_nonnull (strstr (err, "Cannot publish “"));
  g_assert_nonnull (strstr (err, "bad.png"));
  g_assert_nonnull (strstr (err, key));
  qt_test_assert_tmpdir_empty ();
  shmv_test_tmpdir_remove (in_dir);
}

/* What a SIGKILLed publisher left: its lock (@sem_id) and the key files. */
static void
clear_killed_publisher (int sem_id)
{
  g_auto (GStrv) names = shmv_test_dir_list (qt_tmpdir);

  semctl (sem_id, 0, IPC_RMID);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (qt_tmpdir, names[i], NULL);
      g_unlink (path);
    }
}

/* SIGKILL: nothing is withdrawn, but Qt's lock is free (SEM_UNDO): a Qt
 * reader gets the image and, detaching last, removes the orphan segment. */
static void
test_publish_sigkill (void)
{
  g_autofree char *key = qt_test_letters_key ("PubKill");
  g_autofree char *in_dir = g_dir_make_tmp ("shmv-qt-in-XXXXXX", NULL);
  g_autofree char *src = g_build_filename (in_dir, "in.png", NULL);
  g_autofree char *out = g_build_filename (in_dir, "qt.png", NULL);
  g_autofree char *shm_file = qt_test_native_key (key);
  PngTestPixels expected = { 0 };
  PngTestSpec spec;
  int out_fd, shm_id, sem_id;
  GPid pid;

  qt_test_write_spec (src, PNG_COLOR_TYPE_RGB, 8, 9, &spec);
  png_test_spec_expected (&spec, &expected);
  pid = ctl_publish_qt (key, src, &out_fd);
  qt_test_ids (key, &shm_id, &sem_id);
  shmv_test_kill (pid);
  close (out_fd);
  g_assert_cmpint (semctl (sem_id, 0, GETVAL), ==, 1);
  qt_test_read_assert (key, out, &expected, "Qt's reader after SIGKILL");
  g_assert_false (g_file_test (shm_file, G_FILE_TEST_EXISTS));
  /* Qt's reader re-made the semaphore's Create state and removed it on
   * exit, or left ours: either way clear what a killed publisher left. */
  clear_killed_publisher (sem_id);
  png_test_pixels_clear (&expected);
  png_test_spec_clear (&spec);
  shmv_test_tmpdir_remove (in_dir);
}

/* A `publish --qt` killed with SIGKILL leaves its segment with nobody
 * attached; the next publish reclaims that orphan, as a Qt reader's attach
 * and detach would, and publishes its own image. */
static void
test_publish_reclaims_orphan (void)
{
  g_autofree char *key = qt_test_letters_key ("Orphan");
  g_autofree char *in_dir = g_dir_make_tmp ("shmv-qt-in-XXXXXX", NULL);
  g_autofree char *src1 = g_build_filename (in_dir, "one.png", NULL);
  g_autofree char *src2 = g_build_filename (in_dir, "two.png", NULL);
  g_autofree char *out = g_build_filename (in_dir, "qt.png", NULL);
  PngTestPixels expected = { 0 };
  PngTestSpec spec1, spec2;
  struct shmid_ds ds;
  int out_fd, orphan_id, sem_id, shm_id;
  GPid pid;

  qt_test_write_spec (src1, PNG_COLOR_TYPE_RGB, 8, 31, &spec1);
  qt_test_write_spec (src2, PNG_COLOR_TYPE_RGB_ALPHA, 16, 32, &spec2);
  png_test_spec_expected (&spec2, &expected);

  pid = ctl_publish_qt (key, src1, &out_fd);
  qt_test_ids (key, &orphan_id, &sem_id);
  shmv_test_kill (pid);
  close (out_fd);
  g_assert_cmpint (shmctl (orphan_id, IPC_STAT, &ds), ==, 0);
  g_assert_cmpuint (ds.shm_nattch, ==, 0);

  pid = ctl_publish_qt (key, src2, &out_fd);
  g_assert_cmpint (shmctl (orphan_id, IPC_STAT, &ds), ==, -1);
  qt_test_ids (key, &shm_id, &sem_id);
  g_assert_cmpint (shm_id, !=, orphan_id);
  qt_test_read_assert (key, out, &expected, "Qt's reader after the orphan was reclaimed");

  kill (pid, SIGTERM);
  g_assert_cmpint (shmv_test_wait_exit (pid, 20000), ==, 0);
  close (out_fd);
  qt_test_assert_tmpdir_empty ();
  qt_test_assert_ids_gone (shm_id, sem_id);
  png_test_pixels_clear (&expected);
  png_test_spec_clear (&spec1);
  png_test_spec_clear (&spec2);
  shmv_test_tmpdir_remove (in_dir);
}

/* Looking never removes: `info --qt` on the orphan of a SIGKILLed publisher
 * says it is one and leaves it, so that `read --qt` still finds the image
 * (and, as Qt's reader, detaching last, removes it). */
static void
test_info_keeps_orphan (void)
{
  g_autofree char *key = qt_test_letters_key ("InfoOrphan");
  g_autofree char *in_dir = g_dir_make_tmp ("shmv-qt-in-XXXXXX", NULL);
  g_autofree char *src = g_build_filename (in_dir, "in.png", NULL);
  g_autofree char *out = g_build_filename (in_dir, "out.png", NULL);
  g_autofree char *stdout_text = NULL, *err = NULL;
  g_autoptr (JsonNode) info = NULL;
  PngTestPixels expected = { 0 }, got = { 0 };
  PngTestSpec spec;
  struct shmid_ds ds;
  int out_fd, orphan_id, sem_id;
  GPid pid;

  qt_test_write_spec (src, PNG_COLOR_TYPE_RGB, 8, 51, &spec);
  png_test_spec_expected (&spec, &expected);
  pid = ctl_publish_qt (key, src, &out_fd);
  qt_test_ids (key, &orphan_id, &sem_id);
  shmv_test_kill (pid);
  close (out_fd);

  ctl_assert_exit (ctl_run (&stdout_text, &err, "info", "--qt", "-k", key, NULL), 0, err);
  g_test_message ("info --qt of an orphan: %s", stdout_text);
  g_assert_nonnull (strstr (stdout_text, "orphan"));
  g_clear_pointer (&stdout_text, g_free);
  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (&stdout_text, &err, "info", "--qt", "-k", key, "--json", NULL), 0, err);
  info = json_from_string (stdout_text, NULL);
  g_assert_nonnull (info);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (info), "orphan"));
  g_assert_cmpint (shmctl (orphan_id, IPC_STAT, &ds), ==, 0);

  g_clear_pointer (&stdout_text, g_free);
  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (&stdout_text, &err, "read", "--qt", "-k", key, out, NULL), 0, err);
  png_test_reference_decode (out, &got);
  png_test_assert_pixels_equal (&got, &expected, "read --qt after info --qt");
  g_assert_cmpint (shmctl (orphan_id, IPC_STAT, &ds), ==, -1);

  clear_killed_publisher (sem_id);
  png_test_pixels_clear (&got);
  png_test_pixels_clear (&expected);
  png_test_spec_clear (&spec);
  shmv_test_tmpdir_remove (in_dir);
}

/* A segment a process is attached to is no orphan: exit 7, a clear message,
 * and Qt's segment is left as it was. */
static void
test_publish_refuses_attached (void)
{
  g_autofree char *key = qt_test_letters_key ("Taken");
  g_autofree char *in_dir = g_dir_make_tmp ("shmv-qt-in-XXXXXX", NULL);
  g_autofree char *src = g_build_filename (in_dir, "in.png", NULL);
  g_autofree char *mine = g_build_filename (in_dir, "mine.png", NULL);
  g_autofree char *out = g_build_filename (in_dir, "qt.png", NULL);
  g_autofree char *stdout_text = NULL, *err = NULL;
  PngTestPixels expected = { 0 };
  PngTestSpec spec, other;
  QtPublisher pub;

  qt_test_write_spec (src, PNG_COLOR_TYPE_RGB, 8, 41, &spec);
  qt_test_write_spec (mine, PNG_COLOR_TYPE_RGB, 8, 42, &other);
  png_test_spec_expected (&spec, &expected);
  qt_test_publish (&pub, key, src);

  ctl_assert_exit (ctl_run (&stdout_text, &err, "publish", "--qt", "-k", key, mine, NULL), 7, err);
  g_test_message ("publish --qt on a taken key: %s", err);
  g_assert_nonnull (strstr (err, "Another program (process "));
  g_assert_nonnull (strstr (err, "close it, or choose another key"));
  /* That sentence says it all: no "Cannot publish …" before it. */
  g_assert_null (strstr (err, "Cannot publish"));
  qt_test_read_assert (key, out, &expected, "Qt's segment after the refusal");

  qt_test_unpublish (&pub);
  qt_test_assert_tmpdir_empty ();
  png_test_pixels_clear (&expected);
  png_test_spec_clear (&spec);
  png_test_spec_clear (&other);
  shmv_test_tmpdir_remove (in_dir);
}

int
main (int argc, char **argv)
{
  g_autofree char *link = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);
  qt_test_private_ipc ();
  qt_tmpdir = g_dir_make_tmp ("shmv-qt-XXXXXX", NULL);
  g_assert_nonnull (qt_tmpdir);
  /* Qt and shmview-ctl both find the key files there. Through a link and
   * with a trailing slash: both clean the path the same way (info's
   * native_key is compared with Qt's nativeKey()). */
  link = g_strconcat (qt_tmpdir, "-link", NULL);
  g_assert_cmpint (symlink (qt_tmpdir, link), ==, 0);
  {
    g_autofree char *with_slash = g_strconcat (link, "//", NULL);
    g_setenv ("TMPDIR", with_slash, TRUE);
  }

  g_test_add_func ("/qt/read-rgb8", test_read_rgb8);
  g_test_add_func ("/qt/read-rgba16", test_read_rgba16);
  g_test_add_func ("/qt/list", test_list);
  g_test_add_func ("/qt/missing", test_missing);
  g_test_add_func ("/qt/random-bytes", test_random_bytes);
  g_test_add_func ("/qt/null-image", test_null_image);
  g_test_add_func ("/qt/huge-image", test_huge_image);
  g_test_add_func ("/qt/other-user", test_other_user);
  g_test_add_func ("/qt/errors-translated", test_errors_translated);
  g_test_add_func ("/qt/lock", test_lock);
  g_test_add_func ("/qt/publish-rgb8", test_publish_rgb8);
  g_test_add_func ("/qt/publish-rgba16", test_publish_rgba16);
  g_test_add_func ("/qt/publish-sigint", test_publish_sigint);
  g_test_add_func ("/qt/publish-bad-file", test_publish_bad_file);
  g_test_add_func ("/qt/publish-sigkill", test_publish_sigkill);
  g_test_add_func ("/qt/publish-reclaims-orphan", test_publish_reclaims_orphan);
  g_test_add_func ("/qt/publish-refuses-attached", test_publish_refuses_attached);
  g_test_add_func ("/qt/info-keeps-orphan", test_info_keeps_orphan);
  result = g_test_run ();
  if (!qt_test_private_ipc_is_clean ())
    result = 1;
  g_unlink (link);
  g_rmdir (qt_tmpdir);
  return result;
}
