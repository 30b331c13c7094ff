/* test-bench.c: shmview-bench runs, prints every field, and cleans up
 *
 * Checks that the JSON is well formed and that each value is sane (types,
 * orders of magnitude, relations that hold on any machine), never how fast
 * anything is: speed is for `meson test --benchmark` and docs/PERFORMANCE.md.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-test-util.h"

#include <shmview/shmview.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *bench_path;

/* JSON, flattened: "wake_us.p50" -> "12.5", "streams[1].readers" -> "2".
 * Strings keep their quotes so that they cannot pass for numbers. */
typedef struct
{
  const char *p;
  GHashTable *leaves;
} Parser;

static gboolean parse_value (Parser *ps, const char *path);

static void
skip_space (Parser *ps)
{
  while (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\t' || *ps->p == '\r')
    ps->p++;
}

static gboolean
parse_string (Parser *ps, char **out)
{
  const char *start = ps->p;

  if (*ps->p != '"')
    return FALSE;
  for (ps->p++; *ps->p != '"'; ps->p++)
    {
      if (*ps->p == '\0')
        return FALSE;
      if (*ps->p == '\\' && ps->p[1] != '\0')
        ps->p++;
    }
  ps->p++;
  *out = g_strndup (start, (gsize) (ps->p - start));
  return TRUE;
}

static gboolean
parse_object (Parser *ps, const char *path)
{
  ps->p++;
  skip_space (ps);
  if (*ps->p == '}')
    return ps->p++, TRUE;
  for (;;)
    {
      g_autofree char *key = NULL;
      g_autofree char *child = NULL;

      skip_space (ps);
      if (!parse_string (ps, &key))
        return FALSE;
      skip_space (ps);
      if (*ps->p++ != ':')
        return FALSE;
      /* key is quoted: drop the quotes in the path */
      key[strlen (key) - 1] = '\0';
      child = *path != '\0' ? g_strdup_printf ("%s.%s", path, key + 1) : g_strdup (key + 1);
      if (!parse_value (ps, child))
        return FALSE;
      skip_space (ps);
      if (*ps->p == '}')
        return ps->p++, TRUE;
      if (*ps->p++ != ',')
        return FALSE;
    }
}

static gboolean
parse_array (Parser *ps, const char *path)
{
  ps->p++;
  skip_space (ps);
  if (*ps->p == ']')
    return ps->p++, TRUE;
  for (int i = 0;; i++)
    {
      g_autofree char *child = g_strdup_printf ("%s[%d]", path, i);

      if (!parse_value (ps, child))
        return FALSE;
      g_hash_table_replace (ps->leaves, g_strdup_printf ("%s.length", path),
                            g_strdup_printf ("%d", i + 1));
      skip_space (ps);
      if (*ps->p == ']')
        return ps->p++, TRUE;
      if (*ps->p++ != ',')
        return FALSE;
    }
}

static gboolean
parse_scalar (Parser *ps, const char *path)
{
  const char *start = ps->p;
  char *end;

  if (g_str_has_prefix (ps->p, "true") || g_str_has_prefix (ps->p, "null"))
    ps->p += 4;
  else if (g_str_has_prefix (ps->p, "false"))
    ps->p += 5;
  else
    {
      g_ascii_strtod (ps->p, &end);
      if (end == ps->p)
        return FALSE;
      ps->p = end;
    }
  g_hash_table_replace (ps->leaves, g_strdup (path), g_strndup (start, (gsize) (ps->p - start)));
  return TRUE;
}

static gboolean
parse_value (Parser *ps, const char *path)
{
  char *text;

  skip_space (ps);
  if (*ps->p == '{')
    return parse_object (ps, path);
  if (*ps->p == '[')
    return parse_array (ps, path);
  if (*ps->p == '"')
    {
      if (!parse_string (ps, &text))
        return FALSE;
      g_hash_table_replace (ps->leaves, g_strdup (path), text);
      return TRUE;
    }
  return parse_scalar (ps, path);
}

static GHashTable *
parse_json (const char *text)
{
  Parser ps = { text, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free) };

  if (!parse_value (&ps, ""))
    g_error ("malformed JSON near “%.40s”", ps.p);
  skip_space (&ps);
  g_assert_cmpstr (ps.p, ==, "");
  return ps.leaves;
}

static double
number (GHashTable *json, const char *path)
{
  const char *text = g_hash_table_lookup (json, path);
  char *end;
  double v;

  if (text == NULL)
    g_error ("field %s is missing", path);
  v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0')
    g_error ("field %s is %s, not a number", path, text);
  return v;
}

static void
assert_field (GHashTable *json, const char *path, const char *expected)
{
  g_assert_cmpstr (g_hash_table_lookup (json, path), ==, expected);
}

static void
assert_time (GHashTable *json, const char *path)
{
  double v = number (json, path);

  if (!(v > 0.0 && v < 60000.0))
    g_error ("%s = %g ms is not a sane time", path, v);
}

static GPtrArray *
bench_argv (const char *const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) bench_path);
  for (int i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* Runs shmview-bench with @args; returns its exit code (-1 if killed). */
static int
run_bench_status (const char *const *args, char **out, char **err)
{
  g_autoptr (GPtrArray) argv = bench_argv (args);
  int status = shmv_test_run ((const char *const *) argv->pdata, NULL, out, err);

  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* Runs shmview-bench with @args, which must succeed; returns its stdout. */
static char *
run_bench_ok (const char *const *args)
{
  g_autofree char *err = NULL;
  char *out = NULL;
  int code = run_bench_status (args, &out, &err);

  if (code != 0)
    g_error ("shmview-bench failed (exit %d): %s", code, err);
  return out;
}

static GHashTable *
run_bench (const char *const *args)
{
  g_autofree char *out = run_bench_ok (args);

  return parse_json (out);
}

static void
check_copies (GHashTable *json)
{
  assert_time (json, "memcpy_ms");
  assert_time (json, "publish_ms");
  assert_time (json, "read_ms");
  assert_time (json, "handoff_ms");
  assert_time (json, "baseline_handoff_ms");
  assert_time (json, "naive_handoff_ms");
  /* Each hand-off sample contains that frame's read, so the medians keep
   * the order too. */
  g_assert_cmpfloat (number (json, "handoff_ms"), >=, number (json, "read_ms"));
  g_assert_cmpfloat (number (json, "baseline_handoff_ms"), >=, number (json, "baseline_read_ms"));
  g_assert_cmpfloat (number (json, "naive_png_bytes"), >, 0);
}

static void
check_wake (GHashTable *json)
{
  g_assert_cmpfloat (number (json, "wake_us.samples"), ==, 50);
  g_assert_cmpfloat (number (json, "wake_us.p99"), >=, number (json, "wake_us.p50"));
  /* From the end of the publish it can be slightly negative (the reader is
   * woken inside the call), never by much, and never a second. */
  g_assert_cmpfloat (number (json, "wake_us.p50"), >, -1000.0);
  g_assert_cmpfloat (number (json, "wake_us.p99"), <, 1e6);
  g_assert_cmpfloat (number (json, "futex_wake_us.p50"), >, 0.0);
}

static void
check_streams (GHashTable *json)
{
  double skipped = number (json, "frames_skipped");

  g_assert_cmpfloat (number (json, "readers"), ==, 1);
  g_assert_cmpfloat (number (json, "fps"), >, 0.0);
  g_assert_cmpfloat (number (json, "fps"), <=, number (json, "streams[0].publish_fps") * 1.01);
  g_assert_cmpfloat (skipped, >=, 0.0);
  g_assert_cmpfloat (skipped, ==, (double) (long) skipped);
  g_assert_cmpfloat (number (json, "streams.length"), ==, 2);
  g_assert_cmpfloat (number (json, "streams[1].readers"), ==, 2);
  g_assert_cmpfloat (number (json, "streams[1].fps"), >, 0.0);
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *mode = g_strdup_printf ("streams[%d].mode", i);
      g_autofree char *verify = g_strdup_printf ("streams[%d].verify", i);

      assert_field (json, mode, "\"copy\"");
      g_assert_null (g_hash_table_lookup (json, verify));
    }
}

static const char *const small_run[] = {
  "--json", "--width",   "64",  "--height",       "48", "--runs",
  "3",      "--warmup",  "2",   "--wake-samples", "50", "--stream-seconds",
  "0.2",    "--readers", "1,2", "--naive-runs",   "1",  NULL,
};

static void
test_json_fields (void)
{
  g_autoptr (GHashTable) json = run_bench (small_run);

  assert_field (json, "complete", "true");
  assert_field (json, "format", "\"RGBA8\"");
  g_assert_cmpfloat (number (json, "width"), ==, 64);
  g_assert_cmpfloat (number (json, "height"), ==, 48);
  g_assert_cmpfloat (number (json, "frame_bytes"), ==, 64 * 48 * 4);
  check_copies (json);
  check_wake (json);
  check_streams (json);
  g_assert_null (g_hash_table_lookup (json, "decode_ms"));
  assert_field (json, "targets.e2e", "null");
  assert_field (json, "lease_handoff_ms", "null");
  assert_field (json, "lease_handoff_noverify_ms", "null");
  assert_field (json, "targets.lease", "null");
  for (const char *t = "handoff\0handoff_vs_baseline\0wake\0fps\0"; *t != '\0'; t += strlen (t) + 1)
    {
      g_autofree char *path = g_strdup_printf ("targets.%s", t);
      const char *v = g_hash_table_lookup (json, path);

      g_assert_true (g_strcmp0 (v, "true") == 0 || g_strcmp0 (v, "false") == 0);
    }
}

/* --lease adds the lease hand-offs and, after the copying streams, the
 * same streams with leasing readers; --no-verify makes those not verify. */
static void
test_json_lease (void)
{
  const char *const run[] = {
    "--json",      "--width",   "64",  "--height",       "48", "--runs",
    "3",           "--warmup",  "2",   "--wake-samples", "20", "--stream-seconds",
    "0.1",         "--readers", "1,2", "--naive-runs",   "0",  "--lease",
    "--no-verify", NULL,
  };
  g_autoptr (GHashTable) json = run_bench (run);

  assert_time (json, "lease_handoff_ms");
  assert_time (json, "lease_handoff_noverify_ms");
  assert_time (json, "lease_window_memcpy_ms");
  assert_time (json, "handoff_ms");
  g_assert_cmpfloat (number (json, "streams.length"), ==, 4);
  for (int i = 0; i < 4; i++)
    {
      g_autofree char *mode = g_strdup_printf ("streams[%d].mode", i);
      g_autofree char *verify = g_strdup_printf ("streams[%d].verify", i);
      g_autofree char *readers = g_strdup_printf ("streams[%d].readers", i);
      g_autofree char *fps = g_strdup_printf ("streams[%d].publish_fps", i);

      assert_field (json, mode, i < 2 ? "\"copy\"" : "\"lease\"");
      if (i < 2)
        g_assert_null (g_hash_table_lookup (json, verify));
      else
        assert_field (json, verify, "false");
      g_assert_cmpfloat (number (json, readers), ==, 1 + i % 2);
      g_assert_cmpfloat (number (json, fps), >, 0.0);
    }
  for (const char *t = "lease\0lease_noverify\0"; *t != '\0'; t += strlen (t) + 1)
    {
      g_autofree char *path = g_strdup_printf ("targets.%s", t);
      const char *v = g_hash_table_lookup (json, path);

      g_assert_true (g_strcmp0 (v, "true") == 0 || g_strcmp0 (v, "false") == 0);
    }
}

static void
test_json_image (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-bench-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "frame.png", NULL);
  const char *const write[] = { "--width", "96", "--height", "40", "--write-png", png, NULL };
  const char *const run[] = {
    "--json", "--image",          png,   "--runs",       "3", "--warmup", "2", "--wake-samples",
    "20",     "--stream-seconds", "0.1", "--naive-runs", "0", NULL
  };
  g_autoptr (GHashTable) json = NULL;

  g_free (run_bench_ok (write));
  json = run_bench (run);
  g_assert_cmpfloat (number (json, "width"), ==, 96);
  g_assert_cmpfloat (number (json, "height"), ==, 40);
  assert_time (json, "decode_ms");
  assert_time (json, "e2e_ms");
  assert_field (json, "naive_handoff_ms", "null");
  g_assert_nonnull (g_hash_table_lookup (json, "targets.e2e"));
  g_assert_cmpint (g_unlink (png), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_help (void)
{
  const char *const args[] = { "--help", NULL };
  g_autofree char *out = run_bench_ok (args);

  g_assert_nonnull (strstr (out, "--readers"));
  g_assert_nonnull (strstr (out, "--image"));
}

static void
test_bad_option (void)
{
  const char *const cases[][3] = {
    { "--runs", "0", NULL },
    { "--readers", "1,x", NULL },
    { "--frobnicate", NULL, NULL },
    { "--no-verify", NULL, NULL }, /* without --lease */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (run_bench_status (cases[i], &out, &err), ==, 2);
      g_assert_cmpstr (out, ==, "");
      g_assert_cmpstr (err, !=, "");
    }
}

/* Whether any process still runs with @needle on its command line. */
static gboolean
process_with_arg (const char *needle)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc", name, "cmdline", NULL);
      g_autofree char *cmdline = NULL;
      gsize len = 0;

      if (!g_ascii_isdigit (name[0]) || !g_file_get_contents (path, &cmdline, &len, NULL))
        continue;
      for (gsize i = 0; i + 1 < len; i++)
        if (cmdline[i] == '\0')
          cmdline[i] = ' ';
      if (strstr (cmdline, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static gboolean
wait_until (gboolean (*check) (const char *), const char *arg, gboolean wanted)
{
  for (int i = 0; i < 1000; i++)
    {
      if (check (arg) == wanted)
        return TRUE;
      g_usleep (10000);
    }
  return FALSE;
}

static void
test_interrupt_cleans_up (void)
{
  g_autofree char *prefix = shmv_test_unique_key ("bench-int");
  g_autofree char *key = g_strdup_printf ("%s-handoff", prefix);
  ShmvChannel *probe = shmv_channel_new (key);
  const char *const args[] = { "--json", "--width", "1024",         "--height", "1024",
                               "--runs", "4000",    "--key-prefix", prefix,     NULL };
  g_autoptr (GPtrArray) argv = bench_argv (args);
  g_autofree char *native = g_strdup (shmv_channel_native_key (probe) + 1);
  g_autofree char *ours = NULL;
  int out_fd, status;
  GPid pid;

  shmv_channel_free (probe);
  pid = shmv_test_spawn ((const char *const *) argv->pdata, NULL, &out_fd, NULL);
  ours = g_strdup_printf ("shmv-bench-%d-", (int) pid);
  /* Interrupt it mid-measurement, with its channel and reader alive. */
  g_assert_true (wait_until (shmv_test_shm_exists, native, TRUE));
  g_assert_true (wait_until (process_with_arg, ours, TRUE));
  g_assert_no_errno (kill (pid, SIGINT));
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGINT);
  close (out_fd);
  g_assert_false (shmv_test_shm_exists (native));
  g_assert_false (shmv_test_shm_exists (ours));
  g_assert_true (wait_until (process_with_arg, ours, FALSE));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  bench_path = argc > 1 ? argv[1] : g_getenv ("SHMV_BENCH");
  if (bench_path == NULL)
    g_error ("usage: test-bench PATH-TO-SHMVIEW-BENCH");
  g_test_add_func ("/bench/json/every-field-is-sane", test_json_fields);
  g_test_add_func ("/bench/json/image-adds-decode-and-e2e", test_json_image);
  g_test_add_func ("/bench/json/lease-adds-lease-paths", test_json_lease);
  g_test_add_func ("/bench/options/help", test_help);
  g_test_add_func ("/bench/options/bad-gives-exit-2", test_bad_option);
  g_test_add_func ("/bench/interrupt/removes-everything", test_interrupt_cleans_up);
  return g_test_run ();
}
