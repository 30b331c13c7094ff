/* test-ctl.c: shmview-ctl, run as a real program in separate processes
 *
 * Every test uses its own key and removes what it made. Tests that look at
 * every channel of the user (list, gc) are in test-ctl-system.c, which runs
 * alone.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-test-util.h"

#include <glib/gstdio.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct
{
  char *key;
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->key = shmv_test_unique_key ("ctl");
  f->dir = shmv_test_tmpdir_new ();
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  ShmvChannel *ch = shmv_channel_new (f->key);

  shmv_test_forget_key (f->key);
  g_assert_false (shmv_test_shm_exists (shmv_channel_native_key (ch)));
  shmv_channel_free (ch);
  shmv_test_tmpdir_remove (f->dir);
  g_free (f->key);
  g_free (f->dir);
}

static char *
path_in (Fixture *f, const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static void
publish_ok (Fixture *f, const char *png)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  ctl_assert_exit (ctl_run (&out, &err, "publish", png, "-k", f->key, NULL), 0, err);
  g_assert_true (g_str_has_prefix (out, "Published"));
  g_assert_nonnull (strstr (out, f->key));
}

/* Reads the channel into a new file in another process and compares it
 * with @expected_png. */
static void
assert_channel_holds (Fixture *f, const char *expected_png)
{
  g_autofree char *out_png = path_in (f, "read-back.png");
  g_autofree char *err = NULL;

  g_remove (out_png);
  ctl_assert_exit (ctl_run (NULL, &err, "--key", f->key, "read", out_png, NULL), 0, err);
  shmv_test_assert_same_pixels (expected_png, out_png);
}

/* Exit codes and messages */

static void
test_help (void)
{
  static const char *const words[] = { "publish",   "read",         "info",   "list",
                                       "rm",        "watch",        "gc",     "--key",
                                       "-k",        "--max-pixels", "--json", "--count",
                                       "--timeout", "--version",    "--help" };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  ctl_assert_exit (ctl_run (&out, &err, "--help", NULL), 0, err);
  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    {
      g_test_message ("looking for %s", words[i]);
      g_assert_nonnull (strstr (out, words[i]));
    }
  for (int code = 0; code <= 7; code++)
    {
      g_autofree char *line = g_strdup_printf ("\n  %d  ", code);

      g_test_message ("looking for exit code %d", code);
      g_assert_nonnull (strstr (out, line));
    }
  g_assert_cmpstr (err, ==, "");
}

/* `CMD --help` shows that command's usage, description and options only. */
static void
test_help_of_command (void)
{
  static const char *const read_has[] = { "shmview-ctl [OPTION…] read OUT.png",
                                          "Save the current image as a PNG file", "-k, --key",
                                          "--owner", "--qt" };
  static const char *const read_lacks[] = { "--json",       "--count",      "--timeout",  "--share",
                                            "--max-pixels", "publish FILE", "Exit status" };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  ctl_assert_exit (ctl_run (&out, &err, "read", "--help", NULL), 0, err);
  g_test_message ("%s", out);
  for (gsize i = 0; i < G_N_ELEMENTS (read_has); i++)
    g_assert_nonnull (strstr (out, read_has[i]));
  for (gsize i = 0; i < G_N_ELEMENTS (read_lacks); i++)
    g_assert_null (strstr (out, read_lacks[i]));
  g_assert_cmpstr (err, ==, "");

  g_clear_pointer (&out, g_free);
  ctl_assert_exit (ctl_run (&out, &err, "-h", "gc", NULL), 0, err);
  g_assert_nonnull (strstr (out, "shmview-ctl [OPTION…] gc"));
  g_assert_nonnull (strstr (out, "--json"));
  g_assert_null (strstr (out, "--key"));
}

static void
test_version (void)
{
  g_autofree char *out = NULL;

  ctl_assert_exit (ctl_run (&out, NULL, "--version", NULL), 0, NULL);
  g_assert_true (g_str_has_prefix (out, "shmview-ctl "));
  g_assert_nonnull (strstr (out, shmv_version_string ()));
}

typedef struct
{
  const char *name;
  const char *args[6];
} UsageCase;

static const UsageCase usage_cases[] = {
  { "no-command", { NULL } },
  { "unknown-command", { "frob", NULL } },
  { "unknown-option", { "--frob", "info", NULL } },
  { "publish-without-file", { "publish", NULL } },
  { "read-without-file", { "read", NULL } },
  { "extra-argument", { "info", "extra", NULL } },
  { "two-files", { "publish", "a.png", "b.png", NULL } },
  { "count-zero", { "watch", "--count", "0", NULL } },
  { "count-not-a-number", { "watch", "--count", "two", NULL } },
  { "negative-timeout", { "--timeout", "-1", "watch", NULL } },
  { "max-pixels-zero", { "publish", "a.png", "--max-pixels", "0", NULL } },
  { "empty-key", { "-k", "", "info", NULL } },
  { "json-on-publish", { "--json", "publish", "a.png", NULL } },
  { "count-on-info", { "info", "--count", "2", NULL } },
  { "timeout-on-read", { "read", "x.png", "--timeout", "5", NULL } },
  { "max-pixels-on-read", { "read", "x.png", "--max-pixels", "5", NULL } },
};

static void
test_usage (gconstpointer data)
{
  const UsageCase *c = data;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  ctl_assert_exit (ctl_runv (c->args, &out, &err), 1, err);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "shmview-ctl: "));
  g_assert_nonnull (strstr (err, "--help"));
}

static void
test_key_not_utf8 (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  ctl_assert_exit (ctl_run (&out, &err, "info", "-k", "\xff\xfe", NULL), 1, err);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==,
                   "shmview-ctl: The key is not valid UTF-8 text\n"
                   "Try “shmview-ctl --help” for more information.\n");
}

/* publish and read */

typedef struct
{
  ShmvFormat format;
  uint32_t width;
  uint32_t height;
} Generated;

static const Generated generated_cases[] = {
  { SHMV_FORMAT_RGB8, 37, 23 },
  { SHMV_FORMAT_RGBA8, 1, 1 },
  { SHMV_FORMAT_RGB16, 64, 3 },
  { SHMV_FORMAT_RGBA16, 29, 31 },
};

static void
test_round_trip_generated (Fixture *f, gconstpointer data)
{
  const Generated *g = data;
  g_autofree char *png = shmv_test_make_png (f->dir, "in.png", g->width, g->height, g->format, 7);

  publish_ok (f, png);
  assert_channel_holds (f, png);
}

/* A larger image on a live channel, then a smaller one: each read gives the
 * image just published. */
static void
test_round_trip_sizes (Fixture *f, gconstpointer data)
{
  g_autofree char *small = shmv_test_make_png (f->dir, "small.png", 16, 16, SHMV_FORMAT_RGB8, 1);
  g_autofree char *large =
      shmv_test_make_png (f->dir, "large.png", 300, 200, SHMV_FORMAT_RGBA16, 2);
  g_autofree char *again = shmv_test_make_png (f->dir, "again.png", 17, 5, SHMV_FORMAT_RGBA8, 3);

  publish_ok (f, small);
  assert_channel_holds (f, small);
  publish_ok (f, large);
  assert_channel_holds (f, large);
  publish_ok (f, again);
  assert_channel_holds (f, again);
}

static void
test_round_trip_pngsuite (Fixture *f, gconstpointer data)
{
  const char *png = data;

  publish_ok (f, png);
  assert_channel_holds (f, png);
}

/* A corrupt file is refused with exit 3 and the previous image stays. */
static void
test_pngsuite_corrupt (Fixture *f, gconstpointer data)
{
  const char *bad = data;
  g_autofree char *good = shmv_test_make_png (f->dir, "good.png", 8, 8, SHMV_FORMAT_RGBA8, 11);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *base = g_path_get_basename (bad);

  publish_ok (f, good);
  ctl_assert_exit (ctl_run (&out, &err, "publish", bad, "-k", f->key, NULL), 3, err);
  g_assert_true (g_str_has_prefix (err, "shmview-ctl: "));
  g_assert_nonnull (strstr (err, base));
  g_assert_cmpstr (out, ==, "");
  assert_channel_holds (f, good);
}

static void
test_publish_missing_file (Fixture *f, gconstpointer data)
{
  g_autofree char *good = shmv_test_make_png (f->dir, "good.png", 4, 4, SHMV_FORMAT_RGB8, 5);
  g_autofree char *missing = path_in (f, "missing.png");
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;

  publish_ok (f, good);
  ctl_assert_exit (ctl_run (NULL, &err, "publish", missing, "-k", f->key, NULL), 3, err);
  expected = g_strdup_printf ("shmview-ctl: Cannot publish “%s” on channel “%s”: %s\n", missing,
                              f->key, g_strerror (ENOENT));
  g_assert_cmpstr (err, ==, expected);
  assert_channel_holds (f, good);
}

/* A failed first publish leaves nothing behind in /dev/shm. */
static void
test_publish_missing_file_new_key (Fixture *f, gconstpointer data)
{
  g_autofree char *missing = path_in (f, "missing.png");
  g_autofree char *err = NULL;
  ShmvChannel *ch = shmv_channel_new (f->key);

  ctl_assert_exit (ctl_run (NULL, &err, "publish", missing, "-k", f->key, NULL), 3, err);
  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (NULL, &err, "info", "-k", f->key, NULL), 2, err);
  g_assert_false (shmv_test_shm_exists (shmv_channel_native_key (ch)));
  shmv_channel_free (ch);
}

static void
test_publish_not_png (Fixture *f, gconstpointer data)
{
  g_autofree char *text = path_in (f, "not.png");
  g_autofree char *err = NULL;

  g_autofree char *expected = NULL;

  g_assert_true (g_file_set_contents (text, "hello, not a PNG\n", -1, NULL));
  ctl_assert_exit (ctl_run (NULL, &err, "publish", text, "-k", f->key, NULL), 3, err);
  /* One plain sentence: the file, the channel, the reason (no three-way
   * hedge, no libpng English). */
  expected = g_strdup_printf (
      "shmview-ctl: Cannot publish “%s” on channel “%s”: it is not a PNG image\n", text, f->key);
  g_assert_cmpstr (err, ==, expected);
}

static void
test_publish_max_pixels (Fixture *f, gconstpointer data)
{
  g_autofree char *good = shmv_test_make_png (f->dir, "good.png", 2, 2, SHMV_FORMAT_RGB8, 1);
  g_autofree char *big = shmv_test_make_png (f->dir, "big.png", 64, 64, SHMV_FORMAT_RGB8, 2);
  g_autofree char *err = NULL;

  publish_ok (f, good);
  ctl_assert_exit (ctl_run (NULL, &err, "publish", big, "--max-pixels", "4095", "-k", f->key, NULL),
                   3, err);
  g_assert_nonnull (strstr (err, "big.png"));
  g_assert_nonnull (
      strstr (err, ": the image is 64 × 64 pixels, more than the limit of 4095 pixels\n"));
  assert_channel_holds (f, good);

  /* The limit itself is allowed. */
  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (NULL, &err, "-k", f->key, "--max-pixels", "4096", "publish", big, NULL),
                   0, err);
  assert_channel_holds (f, big);
}

static void
test_read_unwritable (Fixture *f, gconstpointer data)
{
  g_autofree char *good = shmv_test_make_png (f->dir, "good.png", 3, 3, SHMV_FORMAT_RGB8, 1);
  g_autofree char *no_dir = path_in (f, "no-such-dir/out.png");
  g_autofree char *file = path_in (f, "a-file");
  g_autofree char *under_file = path_in (f, "a-file/out.png");
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;

  publish_ok (f, good);
  ctl_assert_exit (ctl_run (NULL, &err, "read", no_dir, "-k", f->key, NULL), 4, err);
  g_assert_false (g_file_test (no_dir, G_FILE_TEST_EXISTS));
  /* One plain sentence: the file once, the reason once. */
  expected = g_strdup_printf ("shmview-ctl: Cannot save “%s”: %s\n", no_dir, g_strerror (ENOENT));
  g_assert_cmpstr (err, ==, expected);

  g_assert_true (g_file_set_contents (file, "x", -1, NULL));
  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (NULL, &err, "read", under_file, "-k", f->key, NULL), 4, err);
  g_assert_false (g_file_test (under_file, G_FILE_TEST_EXISTS));

  /* A file that exists in a folder that takes no new files: the save's
   * temporary file is what fails, and the message says so (not "No such
   * file or directory" about a file that is there). */
  if (g_file_test ("/proc/version", G_FILE_TEST_EXISTS))
    {
      g_clear_pointer (&err, g_free);
      ctl_assert_exit (ctl_run (NULL, &err, "read", "/proc/version", "-k", f->key, NULL), 4, err);
      g_assert_cmpstr (err, ==,
                       "shmview-ctl: Cannot save “/proc/version”: its folder does not allow new "
                       "files, and a save first writes a new file beside it\n");
    }

  /* Nothing else was left in the directory either (no temporary file). */
  {
    g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
    const char *name;
    int n = 0;

    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_test_message ("found %s", name);
        n++;
      }
    g_assert_cmpint (n, ==, 2); /* good.png and a-file */
  }
}

/* read OUT: what OUT is decides how it is written */

/* Asserts that @dir holds exactly @n entries (no temporary file left). */
static void
assert_n_entries (const char *dir_path, int n)
{
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  int found = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_test_message ("found %s", name);
      found++;
    }
  g_assert_cmpint (found, ==, n);
}

static mode_t
mode_of (const char *path, gboolean follow)
{
  struct stat st;

  g_assert_cmpint (follow ? stat (path, &st) : lstat (path, &st), ==, 0);
  return st.st_mode;
}

/* A regular file is replaced, keeping its permissions. */
static void
test_read_keeps_mode (Fixture *f, gconstpointer data)
{
  g_autofree char *png = shmv_test_make_png (f->dir, "in.png", 5, 4, SHMV_FORMAT_RGB8, 2);
  g_autofree char *out_png = path_in (f, "out.png");
  g_autofree char *err = NULL;

  publish_ok (f, png);
  g_assert_true (g_file_set_contents (out_png, "old", -1, NULL));
  g_assert_cmpint (chmod (out_png, 0600), ==, 0);
  ctl_assert_exit (ctl_run (NULL, &err, "read", out_png, "-k", f->key, NULL), 0, err);
  shmv_test_assert_same_pixels (png, out_png);
  g_assert_cmpint (mode_of (out_png, FALSE), ==, S_IFREG | 0600);
  assert_n_entries (f->dir, 2);
}

/* A symlink is followed: its target is replaced, in the target's directory,
 * and the link stays a link. A dangling link gets its target made. */
static void
test_read_follows_symlink (Fixture *f, gconstpointer data)
{
  g_autofree char *png = shmv_test_make_png (f->dir, "in.png", 5, 4, SHMV_FORMAT_RGBA8, 3);
  g_autofree char *sub = path_in (f, "sub");
  g_autofree char *target = path_in (f, "sub/target.png");
  g_autofree char *link = path_in (f, "link.png");
  g_autofree char *dangling = path_in (f, "dangling.png");
  g_autofree char *new_target = path_in (f, "sub/new.png");
  g_autofree char *err = NULL;

  publish_ok (f, png);
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  g_assert_true (g_file_set_contents (target, "old", -1, NULL));
  g_assert_cmpint (chmod (target, 0640), ==, 0);
  g_assert_cmpint (symlink ("sub/target.png", link), ==, 0);
  g_assert_cmpint (symlink ("sub/new.png", dangling), ==, 0);

  ctl_assert_exit (ctl_run (NULL, &err, "read", link, "-k", f->key, NULL), 0, err);
  g_assert_true (S_ISLNK (mode_of (link, FALSE)));
  g_assert_cmpint (mode_of (target, FALSE), ==, S_IFREG | 0640);
  shmv_test_assert_same_pixels (png, target);

  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (NULL, &err, "read", dangling, "-k", f->key, NULL), 0, err);
  g_assert_true (S_ISLNK (mode_of (dangling, FALSE)));
  shmv_test_assert_same_pixels (png, new_target);
  assert_n_entries (f->dir, 4); /* in.png, sub, link.png, dangling.png */
  assert_n_entries (sub, 2);
  shmv_test_tmpdir_remove (sub); /* the fixture removes files, not directories */
}

/* Copies FIFO @fifo to file @copy in a child process; returns its pid. */
static GPid
fifo_reader (const char *fifo, const char *copy)
{
  GPid pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      char buf[4096];
      int in = open (fifo, O_RDONLY);
      int out = open (copy, O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ssize_t n;

      if (in < 0 || out < 0)
        _exit (1);
      while ((n = read (in, buf, sizeof buf)) > 0)
        if (write (out, buf, (size_t) n) != n)
          _exit (1);
      _exit (n == 0 ? 0 : 1);
    }
  return pid;
}

/* A FIFO is written through, and stays a FIFO. */
static void
test_read_into_fifo (Fixture *f, gconstpointer data)
{
  g_autofree char *png = shmv_test_make_png (f->dir, "in.png", 7, 3, SHMV_FORMAT_RGB16, 4);
  g_autofree char *fifo = path_in (f, "fifo");
  g_autofree char *copy = path_in (f, "copy.png");
  g_autofree char *err = NULL;
  GPid reader;

  publish_ok (f, png);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  reader = fifo_reader (fifo, copy);
  ctl_assert_exit (ctl_run (NULL, &err, "read", fifo, "-k", f->key, NULL), 0, err);
  if (!S_ISFIFO (mode_of (fifo, FALSE)))
    shmv_test_kill (reader); /* it waits for a writer that will never come */
  g_assert_true (S_ISFIFO (mode_of (fifo, FALSE)));
  g_assert_cmpint (shmv_test_wait (reader), ==, 0);
  shmv_test_assert_same_pixels (png, copy);
  assert_n_entries (f->dir, 3);
}

/* A character device is written through: a null device swallows the image,
 * a full one fails with a clear error (exit 4); either stays a device.
 * Our own nodes (mknod, root only): never the system's /dev/null. */
static void
test_read_into_device (Fixture *f, gconstpointer data)
{
  g_autofree char *png = shmv_test_make_png (f->dir, "in.png", 3, 3, SHMV_FORMAT_RGB8, 5);
  g_autofree char *null_dev = path_in (f, "null");
  g_autofree char *full_dev = path_in (f, "full");
  g_autofree char *err = NULL;

  if (mknod (null_dev, S_IFCHR | 0666, makedev (1, 3)) != 0 ||
      mknod (full_dev, S_IFCHR | 0666, makedev (1, 7)) != 0)
    {
      g_test_skip ("cannot make device nodes (needs root)");
      return;
    }
  publish_ok (f, png);
  ctl_assert_exit (ctl_run (NULL, &err, "read", null_dev, "-k", f->key, NULL), 0, err);
  g_assert_true (S_ISCHR (mode_of (null_dev, FALSE)));

  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (NULL, &err, "read", full_dev, "-k", f->key, NULL), 4, err);
  g_assert_nonnull (strstr (err, "No space left on device"));
  g_assert_true (S_ISCHR (mode_of (full_dev, FALSE)));
  assert_n_entries (f->dir, 3);
}

/* "-" is standard output: piped into another process, which gets the PNG. */
static void
test_read_to_stdout (Fixture *f, gconstpointer data)
{
  g_autofree char *png = shmv_test_make_png (f->dir, "in.png", 6, 6, SHMV_FORMAT_RGBA16, 6);
  g_autofree char *copy = path_in (f, "copy.png");
  g_autofree char *script =
      g_strdup_printf ("\"$SHMVIEW_CTL\" read - -k '%s' | cat > '%s'", f->key, copy);
  const char *argv[] = { "/bin/sh", "-c", script, NULL };
  g_autofree char *err = NULL;
  int status;

  publish_ok (f, png);
  status = shmv_test_run (argv, NULL, NULL, &err);
  g_assert_true (WIFEXITED (status));
  ctl_assert_exit (WEXITSTATUS (status), 0, err);
  shmv_test_assert_same_pixels (png, copy);
  /* The summary went to stderr, not into the image. */
  g_assert_nonnull (strstr (err, "Saved channel"));
}

/* Runs `cat @input | shmview-ctl publish - -k KEY`; the exit status. */
static int
publish_from_pipe (Fixture *f, const char *input, char **err)
{
  g_autofree char *script =
      g_strdup_printf ("cat '%s' | \"$SHMVIEW_CTL\" publish - -k '%s'", input, f->key);
  const char *argv[] = { "/bin/sh", "-c", script, NULL };
  int status = shmv_test_run (argv, NULL, NULL, err);

  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* publish - reads standard input, as read - writes standard output; a bad
 * stream leaves the previous image. */
static void
test_publish_from_stdin (Fixture *f, gconstpointer data)
{
  g_autofree char *png = shmv_test_make_png (f->dir, "in.png", 7, 5, SHMV_FORMAT_RGBA16, 7);
  g_autofree char *junk = path_in (f, "junk");
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;

  ctl_assert_exit (publish_from_pipe (f, png, &err), 0, err);
  assert_channel_holds (f, png);

  g_assert_true (g_file_set_contents (junk, "no PNG at all, but long enough\n", -1, NULL));
  ctl_assert_exit (publish_from_pipe (f, junk, &err), 3, err);
  expected = g_strdup_printf (
      "shmview-ctl: Cannot publish “standard input” on channel “%s”: it is not a PNG image\n",
      f->key);
  g_assert_cmpstr (err, ==, expected);
  assert_channel_holds (f, png);
}

static void
test_read_missing_channel (Fixture *f, gconstpointer data)
{
  g_autofree char *out_png = path_in (f, "out.png");
  g_autofree char *err = NULL;

  ctl_assert_exit (ctl_run (NULL, &err, "read", out_png, "-k", f->key, NULL), 2, err);
  g_assert_nonnull (strstr (err, f->key));
  g_assert_false (g_file_test (out_png, G_FILE_TEST_EXISTS));
}

/* A writer that has not published yet: read has nothing to save. */
static void
test_read_no_frame (Fixture *f, gconstpointer data)
{
  g_autofree char *out_png = path_in (f, "out.png");
  g_autofree char *err = NULL;
  ShmvChannel *writer = shmv_channel_new (f->key);

  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  ctl_assert_exit (ctl_run (NULL, &err, "read", out_png, "-k", f->key, NULL), 2, err);
  g_assert_false (g_file_test (out_png, G_FILE_TEST_EXISTS));
  shmv_channel_free (writer);
}

/* info */

static gint64
realtime_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_REALTIME, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
test_info_json (Fixture *f, gconstpointer data)
{
  g_autofree char *png = shmv_test_make_png (f->dir, "fields.png", 29, 31, SHMV_FORMAT_RGBA16, 9);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *checksum = NULL;
  g_autoptr (JsonNode) json = NULL;
  ShmvImage image = { 0 };
  ShmvStatus status;
  ShmvChannel *ch = shmv_channel_new (f->key);
  gint64 before = realtime_ns (), after;

  publish_ok (f, png);
  after = realtime_ns ();
  ctl_assert_exit (ctl_run (&out, &err, "info", "--json", "-k", f->key, NULL), 0, err);
  json = shmv_test_json_parse (out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json));

  g_assert_cmpstr (shmv_test_json_string (json, "key"), ==, f->key);
  g_assert_cmpstr (shmv_test_json_string (json, "native_key"), ==, shmv_channel_native_key (ch));
  g_assert_cmpint (shmv_test_json_int (json, "size"), >=, 29 * 31 * 8);
  g_assert_cmpint (shmv_test_json_int (json, "width"), ==, 29);
  g_assert_cmpint (shmv_test_json_int (json, "height"), ==, 31);
  g_assert_cmpint (shmv_test_json_int (json, "stride"), ==, 29 * 8);
  g_assert_cmpstr (shmv_test_json_string (json, "format"), ==, "RGBA16");
  g_assert_cmpint (shmv_test_json_int (json, "generation"), >=, 1);
  g_assert_cmpint (shmv_test_json_int (json, "writer_pid"), >, 0);
  g_assert_false (shmv_test_json_bool (json, "writer_alive"));
  g_assert_true (shmv_test_json_bool (json, "persistent"));
  g_assert_false (shmv_test_json_bool (json, "withdrawn"));
  g_assert_false (shmv_test_json_bool (json, "stale"));
  g_assert_false (shmv_test_json_bool (json, "in_use"));
  g_assert_cmpstr (shmv_test_json_string (json, "source"), ==, "fields.png");
  g_assert_null (shmv_test_json_member (json, "error"));

  g_assert_cmpint (shmv_test_json_int (json, "publish_time_ns"), >=, before);
  g_assert_cmpint (shmv_test_json_int (json, "publish_time_ns"), <=, after);
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z$",
                                       shmv_test_json_string (json, "publish_time"), 0, 0));

  /* The checksum is the library's, of exactly the pixels we published. */
  g_assert_true (shmv_png_load (png, NULL, &image, &status));
  checksum = g_strdup_printf ("%016" G_GINT64_MODIFIER "x",
                              (guint64) shmv_checksum (image.pixels, image.stride * image.height));
  g_assert_cmpstr (shmv_test_json_string (json, "checksum"), ==, checksum);

  /* stdout holds the JSON and nothing else, on one line. */
  g_assert_true (g_str_has_suffix (out, "}\n"));
  g_assert_true (strchr (out, '\n') == out + strlen (out) - 1);

  shmv_image_clear (&image);
  shmv_channel_free (ch);
}

/* Debug messages go to stderr: stdout stays machine-readable. */
static void
test_info_json_debug (Fixture *f, gconstpointer data)
{
  g_autofree char *png = shmv_test_make_png (f->dir, "debug.png", 2, 2, SHMV_FORMAT_RGB8, 1);
  const char *const args[] = { "info", "--json", "-k", f->key, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonNode) json = NULL;

  publish_ok (f, png);
  ctl_assert_exit (ctl_runv_debug (args, TRUE, &out, &err), 0, err);
  json = shmv_test_json_parse (out);
  g_assert_nonnull (strstr (err, "DEBUG"));
}

static void
test_info_text (Fixture *f, gconstpointer data)
{
  g_autofree char *png = shmv_test_make_png (f->dir, "text.png", 5, 7, SHMV_FORMAT_RGB8, 9);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  publish_ok (f, png);
  ctl_assert_exit (ctl_run (&out, &err, "-k", f->key, "info", NULL), 0, err);
  g_assert_true (g_str_has_prefix (out, "Key:"));
  g_assert_nonnull (strstr (out, f->key));
  g_assert_nonnull (strstr (out, "5 × 7 RGB8"));
  g_assert_nonnull (strstr (out, "text.png"));
  g_assert_nonnull (strstr (out, "Persistent:"));
}

/* A channel with no frame yet is reported (exit 0) with generation 0 and
 * null image fields. */
static void
test_info_no_frame (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonNode) json = NULL;
  ShmvChannel *writer = shmv_channel_new (f->key);
  static const char *const nulls[] = { "width",    "height",       "format",          "stride",
                                       "checksum", "publish_time", "publish_time_ns", "source" };

  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  ctl_assert_exit (ctl_run (&out, &err, "info", "--json", "-k", f->key, NULL), 0, err);
  json = shmv_test_json_parse (out);
  g_assert_cmpint (shmv_test_json_int (json, "generation"), ==, 0);
  g_assert_true (shmv_test_json_bool (json, "writer_alive"));
  /* The writer that has it open, though it published nothing yet. */
  g_assert_cmpint (shmv_test_json_int (json, "writer_pid"), ==, getpid ());
  g_assert_true (shmv_test_json_bool (json, "in_use"));
  for (gsize i = 0; i < G_N_ELEMENTS (nulls); i++)
    shmv_test_json_null (json, nulls[i]);

  g_clear_pointer (&out, g_free);
  ctl_assert_exit (ctl_run (&out, NULL, "info", "-k", f->key, NULL), 0, NULL);
  g_assert_nonnull (strstr (out, "none published yet"));
  shmv_channel_free (writer);
}

/* Scribbles over a live channel's header through a second, read-write
 * attachment of its segment, as a hostile or buggy peer could. */
static void
corrupt_channel (Fixture *f, size_t from, size_t len, ShmvChannel **writer, ShmvSegment **seg)
{
  g_autofree char *png = shmv_test_make_png (f->dir, "victim.png", 4, 4, SHMV_FORMAT_RGB8, 1);
  ShmvImage image = { 0 };
  ShmvStatus status;

  g_assert_true (shmv_png_load (png, NULL, &image, &status));
  *writer = shmv_channel_new (f->key);
  g_assert_true (shmv_channel_open (*writer, SHMV_CHANNEL_WRITER, 0));
  g_assert_true (shmv_channel_publish (*writer, image.pixels, image.width, image.height,
                                       image.stride, image.format, "victim.png"));
  shmv_image_clear (&image);

  *seg = shmv_segment_new (f->key);
  g_assert_true (shmv_segment_attach (*seg, SHMV_ACCESS_READ_WRITE));
  g_assert_cmpuint (shmv_segment_size (*seg), >=, from + len);
  memset ((char *) shmv_segment_data (*seg) + from, 0xab, len);
}

/* A writer that opens the channel and waits, publishing nothing. */
static int
writer_body (const char *key, int fd)
{
  ShmvChannel *ch = shmv_channel_new (key);

  if (!shmv_channel_open (ch, SHMV_CHANNEL_WRITER, 0) || write (fd, "open\n", 5) != 5)
    return 1;
  for (;;)
    pause ();
}

/* The writer's pid as `info --json` says it; `info`'s text in @text. */
static gint64
info_writer (Fixture *f, gboolean *alive, char **text)
{
  g_autofree char *err = NULL;

  ctl_assert_exit (ctl_run (text, &err, "info", "-k", f->key, NULL), 0, err);
  return ctl_info_writer_pid (f->key, alive);
}

/* info names the writer that has the channel open, though the image is
 * another's; once that writer is killed, it is the last one, gone. */
static void
test_info_writer_pid (Fixture *f, gconstpointer data)
{
  g_autofree char *png = shmv_test_make_png (f->dir, "kept.png", 4, 4, SHMV_FORMAT_RGB8, 3);
  g_autofree char *text = NULL;
  g_autofree char *pid_line = NULL;
  g_autofree char *err = NULL;
  gboolean alive = TRUE;
  gint64 publisher;
  GPid writer;
  int fd = -1;

  publish_ok (f, png);
  publisher = info_writer (f, &alive, &text);
  g_assert_cmpint (publisher, >, 0);
  g_assert_false (alive);

  writer = shmv_test_fork (writer_body, f->key, &fd);
  shmv_test_expect_line (fd, "open", 20000);
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (info_writer (f, &alive, &text), ==, writer);
  g_assert_true (alive);
  pid_line = g_strdup_printf ("(?m)^Writer PID: +%d$", (int) writer);
  g_test_message ("%s", text);
  g_assert_true (g_regex_match_simple (pid_line, text, 0, 0));

  shmv_test_kill (writer);
  close (fd);
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (info_writer (f, &alive, &text), ==, writer);
  g_assert_false (alive);
  g_assert_true (g_regex_match_simple (pid_line, text, 0, 0));

  ctl_assert_exit (ctl_run (NULL, &err, "rm", "-k", f->key, NULL), 0, err);
}

static void
test_info_corrupt (Fixture *f, gconstpointer data)
{
  gsize from = GPOINTER_TO_SIZE (data);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out_png = path_in (f, "out.png");
  ShmvChannel *writer;
  ShmvSegment *seg;

  corrupt_channel (f, from, 4096 - from, &writer, &seg);

  ctl_assert_exit (ctl_run (&out, &err, "info", "--json", "-k", f->key, NULL), 6, err);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "shmview-ctl: "));
  g_assert_nonnull (strstr (err, f->key));
  g_assert_nonnull (strstr (err, "Corrupt channel"));

  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (NULL, &err, "read", out_png, "-k", f->key, NULL), 6, err);
  g_assert_false (g_file_test (out_png, G_FILE_TEST_EXISTS));

  /* rm still removes it. */
  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (NULL, &err, "rm", "-k", f->key, NULL), 0, err);
  shmv_segment_free (seg);
  shmv_channel_free (writer);
}

/* A prefix whose stored key does not match its name is a corrupt channel
 * (exit 6, with the way out), not a usage error (exit 1). */
static void
test_info_scribbled_key (Fixture *f, gconstpointer data)
{
  g_autofree char *png = shmv_test_make_png (f->dir, "in.png", 3, 3, SHMV_FORMAT_RGB8, 7);
  g_autofree char *out_png = path_in (f, "out.png");
  g_autofree char *err = NULL;
  ShmvChannel *ch = shmv_channel_new (f->key);
  g_autofree char *path = g_strconcat ("/dev/shm", shmv_channel_native_key (ch), NULL);
  char scribble[64];
  int fd;

  publish_ok (f, png);
  /* The key lies past the prefix's magic and fixed fields (24 bytes). */
  memset (scribble, 'x', sizeof scribble);
  fd = open (path, O_RDWR | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, scribble, sizeof scribble, 24), ==, sizeof scribble);
  close (fd);

  ctl_assert_exit (ctl_run (NULL, &err, "info", "-k", f->key, NULL), 6, err);
  g_assert_nonnull (strstr (err, "Corrupt channel"));
  g_assert_nonnull (strstr (err, "shmview-ctl gc"));
  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (NULL, &err, "read", out_png, "-k", f->key, NULL), 6, err);
  g_assert_nonnull (strstr (err, "shmview-ctl gc"));
  g_assert_false (g_file_test (out_png, G_FILE_TEST_EXISTS));

  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (NULL, &err, "rm", "-k", f->key, NULL), 0, err);
  shmv_channel_free (ch);
}

/* rm */

static void
test_rm (Fixture *f, gconstpointer data)
{
  g_autofree char *png = shmv_test_make_png (f->dir, "a.png", 4, 4, SHMV_FORMAT_RGB8, 1);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  ShmvChannel *ch = shmv_channel_new (f->key);

  publish_ok (f, png);
  g_assert_true (shmv_test_shm_exists (shmv_channel_native_key (ch)));
  ctl_assert_exit (ctl_run (&out, &err, "rm", "-k", f->key, NULL), 0, err);
  g_assert_false (shmv_test_shm_exists (shmv_channel_native_key (ch)));

  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (NULL, &err, "info", "-k", f->key, NULL), 2, err);
  g_assert_nonnull (strstr (err, f->key));
  g_assert_nonnull (strstr (err, "No such channel"));

  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (NULL, &err, "rm", "-k", f->key, NULL), 2, err);
  shmv_channel_free (ch);
}

/* watch */

static GPid
start_watch (Fixture *f, const char *const *extra, int *out_fd, int *err_fd)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  GPid pid;

  g_ptr_array_add (args, "watch");
  g_ptr_array_add (args, "-k");
  g_ptr_array_add (args, f->key);
  for (; extra != NULL && *extra != NULL; extra++)
    g_ptr_array_add (args, (gpointer) *extra);
  g_ptr_array_add (args, NULL);

  pid = ctl_spawn ((const char *const *) args->pdata, out_fd, err_fd);
  /* It says when it has looked at the channel: from then on every publish is news. */
  g_assert_true (shmv_test_wait_for_line (*err_fd, "ready", 10000));
  return pid;
}

/* A watch that ends on its own or on a signal says nothing of GLib's own:
 * a CRITICAL or WARNING there is a bug (a source removed twice, say). */
static void
assert_no_glib_warnings (const char *err)
{
  g_assert_null (strstr (err, "CRITICAL"));
  g_assert_null (strstr (err, "WARNING"));
}

/* The rest of @fd, after its process ended. */
static char *
read_rest (int fd)
{
  GString *rest = g_string_new (NULL);
  char *line;

  while ((line = shmv_test_read_line (fd, 5000)) != NULL)
    {
      g_test_message ("stderr: %s", line);
      g_string_append_printf (rest, "%s\n", line);
      g_free (line);
    }
  return g_string_free (rest, FALSE);
}

static void
assert_frame_line (int out_fd, unsigned generation, const char *dimensions)
{
  g_autofree char *line = shmv_test_read_line (out_fd, 10000);
  g_autofree char *prefix = g_strdup_printf ("generation %u: %s, latency ", generation, dimensions);

  g_test_message ("watch: %s", line ? line : "(nothing)");
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  g_assert_true (g_str_has_suffix (line, " ms"));
}

static void
test_watch_count (Fixture *f, gconstpointer data)
{
  g_autofree char *a = shmv_test_make_png (f->dir, "a.png", 3, 2, SHMV_FORMAT_RGB8, 1);
  g_autofree char *b = shmv_test_make_png (f->dir, "b.png", 5, 4, SHMV_FORMAT_RGBA16, 2);
  const char *const extra[] = { "--count", "2", "--timeout", "20000", NULL };
  int out_fd, err_fd;
  GPid pid;

  /* The channel does not exist yet: watch waits for it to appear. */
  pid = start_watch (f, extra, &out_fd, &err_fd);
  publish_ok (f, a);
  assert_frame_line (out_fd, 1, "3 × 2 RGB8");
  publish_ok (f, b);
  assert_frame_line (out_fd, 2, "5 × 4 RGBA16");
  g_assert_cmpint (shmv_test_wait_exit (pid, 10000), ==, 0);
  close (out_fd);
  close (err_fd);
}

/* The frame on show when watch starts is not reported; the next ones are. */
static void
test_watch_existing (Fixture *f, gconstpointer data)
{
  g_autofree char *a = shmv_test_make_png (f->dir, "a.png", 3, 2, SHMV_FORMAT_RGB8, 1);
  const char *const extra[] = { "--count", "1", "--json", NULL };
  g_autofree char *line = NULL;
  g_autoptr (JsonNode) json = NULL;
  int out_fd, err_fd;
  GPid pid;

  publish_ok (f, a);
  pid = start_watch (f, extra, &out_fd, &err_fd);
  publish_ok (f, a);
  line = shmv_test_read_line (out_fd, 10000);
  g_assert_nonnull (line);
  json = shmv_test_json_parse (line);
  g_assert_cmpstr (shmv_test_json_string (json, "key"), ==, f->key);
  g_assert_cmpint (shmv_test_json_int (json, "generation"), ==, 2);
  g_assert_cmpint (shmv_test_json_int (json, "width"), ==, 3);
  g_assert_cmpint (shmv_test_json_int (json, "height"), ==, 2);
  g_assert_cmpstr (shmv_test_json_string (json, "format"), ==, "RGB8");
  g_assert_cmpfloat (shmv_test_json_number (json, "latency_ms"), >=, 0.0);
  g_assert_cmpint (shmv_test_json_int (json, "skipped"), ==, 0);
  g_assert_cmpint (shmv_test_wait_exit (pid, 10000), ==, 0);
  close (out_fd);
  close (err_fd);
}

/* A channel removed and made again is followed. */
static void
test_watch_follows_key (Fixture *f, gconstpointer data)
{
  g_autofree char *a = shmv_test_make_png (f->dir, "a.png", 3, 2, SHMV_FORMAT_RGB8, 1);
  g_autofree char *b = shmv_test_make_png (f->dir, "b.png", 2, 2, SHMV_FORMAT_RGBA8, 2);
  const char *const extra[] = { "--count", "2", NULL };
  int out_fd, err_fd;
  GPid pid;

  publish_ok (f, a);
  pid = start_watch (f, extra, &out_fd, &err_fd);
  publish_ok (f, a);
  assert_frame_line (out_fd, 2, "3 × 2 RGB8");
  ctl_assert_exit (ctl_run (NULL, NULL, "rm", "-k", f->key, NULL), 0, NULL);
  publish_ok (f, b);
  assert_frame_line (out_fd, 1, "2 × 2 RGBA8");
  g_assert_cmpint (shmv_test_wait_exit (pid, 10000), ==, 0);
  close (out_fd);
  close (err_fd);
}

static void
test_watch_timeout_no_channel (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed_ms;

  ctl_assert_exit (ctl_run (&out, &err, "watch", "--timeout", "200", "-k", f->key, NULL), 5, err);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_assert_cmpint (elapsed_ms, >=, 200);
  g_assert_cmpint (elapsed_ms, <, 5000);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, f->key));
  assert_no_glib_warnings (err);

  /* And with --json. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (&out, &err, "watch", "--json", "--timeout", "100", "-k", f->key, NULL),
                   5, err);
  assert_no_glib_warnings (err);
}

static void
test_watch_timeout_no_frame (Fixture *f, gconstpointer data)
{
  g_autofree char *a = shmv_test_make_png (f->dir, "a.png", 3, 2, SHMV_FORMAT_RGB8, 1);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  publish_ok (f, a);
  ctl_assert_exit (ctl_run (&out, &err, "-k", f->key, "--timeout", "200", "watch", NULL), 5, err);
  g_assert_cmpstr (out, ==, "");
  assert_no_glib_warnings (err);
}

static void
test_watch_signal (Fixture *f, gconstpointer data)
{
  int signo = GPOINTER_TO_INT (data);
  g_autofree char *a = shmv_test_make_png (f->dir, "a.png", 3, 2, SHMV_FORMAT_RGB8, 1);
  const char *const extra[] = { NULL };

  /* First while waiting for the channel to appear, then for a frame. */
  for (int phase = 0; phase < 2; phase++)
    {
      int out_fd, err_fd;
      GPid pid;
      g_autofree char *err = NULL;

      if (phase == 1)
        publish_ok (f, a);
      pid = start_watch (f, extra, &out_fd, &err_fd);
      kill (pid, signo);
      g_assert_cmpint (shmv_test_wait_exit (pid, 5000), ==, 0);
      err = read_rest (err_fd);
      assert_no_glib_warnings (err);
      close (out_fd);
      close (err_fd);
    }
}

/* Test data must outlive g_test_run(). */
static GPtrArray *test_paths;

static void
add_pngsuite_tests (void)
{
  const char *dir = shmv_test_pngsuite_dir ();
  g_autoptr (GDir) d = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".png"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = names->pdata[i];
      char *path = g_build_filename (dir, file, NULL);
      g_autofree char *test = NULL;

      if (file[0] == 'x')
        {
          test = g_strdup_printf ("/ctl/publish/pngsuite-corrupt-gives-3-keeps-previous/%s", file);
          g_test_add (test, Fixture, path, fixture_set_up, test_pngsuite_corrupt,
                      fixture_tear_down);
        }
      else
        {
          test = g_strdup_printf ("/ctl/publish-read/pngsuite/%s", file);
          g_test_add (test, Fixture, path, fixture_set_up, test_round_trip_pngsuite,
                      fixture_tear_down);
        }
      g_ptr_array_add (test_paths, path);
    }
}

#define ADD(path, func, data)                                                                      \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  test_paths = g_ptr_array_new_with_free_func (g_free);

  g_test_add_func ("/ctl/help/lists-commands-options-and-exit-codes", test_help);
  g_test_add_func ("/ctl/version", test_version);
  g_test_add_func ("/ctl/help/after-a-command-only-its-own", test_help_of_command);
  g_test_add_func ("/ctl/usage/key-not-utf8-says-so", test_key_not_utf8);
  for (gsize i = 0; i < G_N_ELEMENTS (usage_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ctl/usage/%s-gives-1", usage_cases[i].name);

      g_test_add_data_func (path, &usage_cases[i], test_usage);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (generated_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ctl/publish-read/generated/%s",
                                               shmv_format_name (generated_cases[i].format));

      ADD (path, test_round_trip_generated, &generated_cases[i]);
    }
  ADD ("/ctl/publish-read/larger-then-smaller", test_round_trip_sizes, NULL);
  add_pngsuite_tests ();
  ADD ("/ctl/publish/missing-file-gives-3-keeps-previous", test_publish_missing_file, NULL);
  ADD ("/ctl/publish/missing-file-on-new-key-leaves-nothing", test_publish_missing_file_new_key,
       NULL);
  ADD ("/ctl/publish/not-a-png-gives-3", test_publish_not_png, NULL);
  ADD ("/ctl/publish/over-max-pixels-gives-3-keeps-previous", test_publish_max_pixels, NULL);
  ADD ("/ctl/read/unwritable-path-gives-4-and-no-file", test_read_unwritable, NULL);
  ADD ("/ctl/read/missing-channel-gives-2", test_read_missing_channel, NULL);
  ADD ("/ctl/info/scribbled-key-gives-6", test_info_scribbled_key, NULL);
  ADD ("/ctl/read/no-frame-yet-gives-2", test_read_no_frame, NULL);
  ADD ("/ctl/read/regular-file-keeps-its-mode", test_read_keeps_mode, NULL);
  ADD ("/ctl/read/symlink-is-followed", test_read_follows_symlink, NULL);
  ADD ("/ctl/read/fifo-is-written-through", test_read_into_fifo, NULL);
  ADD ("/ctl/read/device-is-written-through", test_read_into_device, NULL);
  ADD ("/ctl/read/dash-is-stdout", test_read_to_stdout, NULL);
  ADD ("/ctl/publish/dash-is-stdin-bad-stream-keeps-previous", test_publish_from_stdin, NULL);
  ADD ("/ctl/info/json-fields-and-types", test_info_json, NULL);
  ADD ("/ctl/info/json-stays-clean-with-debug-messages", test_info_json_debug, NULL);
  ADD ("/ctl/info/text", test_info_text, NULL);
  ADD ("/ctl/info/no-frame-yet-gives-generation-0", test_info_no_frame, NULL);
  ADD ("/ctl/info/writer-pid-is-the-live-writer-then-the-last", test_info_writer_pid, NULL);
  ADD ("/ctl/info/corrupt-magic-gives-6", test_info_corrupt, GSIZE_TO_POINTER (0));
  ADD ("/ctl/info/corrupt-header-fields-give-6", test_info_corrupt, GSIZE_TO_POINTER (8));
  ADD ("/ctl/rm/then-info-gives-2", test_rm, NULL);
  ADD ("/ctl/watch/count-2-gets-two-publishes-of-another-process", test_watch_count, NULL);
  ADD ("/ctl/watch/reports-only-newer-frames-as-json", test_watch_existing, NULL);
  ADD ("/ctl/watch/follows-a-removed-and-recreated-channel", test_watch_follows_key, NULL);
  ADD ("/ctl/watch/timeout-without-channel-gives-5", test_watch_timeout_no_channel, NULL);
  ADD ("/ctl/watch/timeout-without-new-frame-gives-5", test_watch_timeout_no_frame, NULL);
  ADD ("/ctl/watch/sigint-exits-cleanly", test_watch_signal, GINT_TO_POINTER (SIGINT));
  ADD ("/ctl/watch/sigterm-exits-cleanly", test_watch_signal, GINT_TO_POINTER (SIGTERM));
  ADD ("/ctl/watch/sighup-exits-cleanly", test_watch_signal, GINT_TO_POINTER (SIGHUP));

  result = g_test_run ();
  g_ptr_array_unref (test_paths);
  return result;
}
