/* test-ctl-system.c: shmview-ctl commands that look at every channel of the
 * user (list, gc). meson runs this program alone: gc removes any stale
 * channel, and list opens every live one.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-test-util.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const uint8_t pixels_2x2_rgb8[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

static char *
publish_file (const char *dir, const char *key)
{
  g_autofree char *err = NULL;
  char *png = shmv_test_make_png (dir, "p.png", 6, 5, SHMV_FORMAT_RGBA8, 3);

  ctl_assert_exit (ctl_run (NULL, &err, "publish", png, "-k", key, NULL), 0, err);
  return png;
}

/* The element of a JSON array of channels with @key, or NULL. */
static JsonNode *
find_channel (JsonNode *array, const char *key)
{
  g_assert_true (JSON_NODE_HOLDS_ARRAY (array));
  for (guint i = 0; i < json_array_get_length (json_node_get_array (array)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (array), i);
      JsonNode *member = NULL;

      g_assert_true (JSON_NODE_HOLDS_OBJECT (item));
      member = shmv_test_json_member (item, "key");
      g_assert_nonnull (member);
      /* null: a corrupt channel whose segment no longer says its key */
      if (JSON_NODE_HOLDS_NULL (member))
        g_assert_true (shmv_test_json_bool (item, "corrupt"));
      else if (g_strcmp0 (shmv_test_json_string (item, "key"), key) == 0)
        return item;
    }
  return NULL;
}

static void
test_list (void)
{
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *published = shmv_test_unique_key ("list-published");
  g_autofree char *live = shmv_test_unique_key ("list-live");
  g_autofree char *png = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonNode) json = NULL;
  ShmvChannel *writer = shmv_channel_new (live);
  JsonNode *item;

  png = publish_file (dir, published);
  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));

  ctl_assert_exit (ctl_run (&out, &err, "list", "--json", NULL), 0, err);
  json = shmv_test_json_parse (out);

  item = find_channel (json, published);
  g_assert_nonnull (item);
  g_assert_cmpint (shmv_test_json_int (item, "width"), ==, 6);
  g_assert_cmpint (shmv_test_json_int (item, "height"), ==, 5);
  g_assert_cmpstr (shmv_test_json_string (item, "format"), ==, "RGBA8");
  g_assert_cmpint (shmv_test_json_int (item, "generation"), ==, 1);
  g_assert_true (shmv_test_json_bool (item, "persistent"));
  g_assert_false (shmv_test_json_bool (item, "writer_alive"));
  shmv_test_json_string (item, "native_key");
  shmv_test_json_int (item, "size");
  shmv_test_json_int (item, "writer_pid");
  shmv_test_json_string (item, "checksum");

  item = find_channel (json, live);
  g_assert_nonnull (item);
  g_assert_cmpint (shmv_test_json_int (item, "generation"), ==, 0);
  g_assert_true (shmv_test_json_bool (item, "writer_alive"));
  g_assert_true (shmv_test_json_bool (item, "in_use"));
  g_assert_false (shmv_test_json_bool (item, "persistent"));
  shmv_test_json_null (item, "width");

  /* The same channels as a table. */
  g_clear_pointer (&out, g_free);
  ctl_assert_exit (ctl_run (&out, NULL, "list", NULL), 0, NULL);
  g_assert_true (g_str_has_prefix (out, "KEY"));
  g_assert_nonnull (strstr (out, published));
  g_assert_nonnull (strstr (out, live));
  g_assert_nonnull (strstr (out, "6 × 5 RGBA8"));

  shmv_channel_free (writer);
  shmv_test_forget_key (published);
  shmv_test_tmpdir_remove (dir);
}

/* A corrupt channel is an entry with an error; the rest of the list stands. */
static void
test_list_corrupt (void)
{
  g_autofree char *key = shmv_test_unique_key ("list-corrupt");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonNode) json = NULL;
  ShmvChannel *writer = shmv_channel_new (key);
  ShmvSegment *seg = shmv_segment_new (key);
  JsonNode *item;

  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  g_assert_true (
      shmv_channel_publish (writer, pixels_2x2_rgb8, 2, 2, 6, SHMV_FORMAT_RGB8, "corrupt"));
  g_assert_true (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  /* Keep the magic, so that it still looks like a channel; break the rest. */
  memset ((char *) shmv_segment_data (seg) + 8, 0xab, 4096 - 8);

  ctl_assert_exit (ctl_run (&out, &err, "list", "--json", NULL), 0, err);
  json = shmv_test_json_parse (out);
  item = find_channel (json, key);
  g_assert_nonnull (item);
  g_assert_cmpstr (shmv_test_json_string (item, "error"), ==, "SHMV_ERROR_CORRUPT");
  shmv_test_json_string (item, "error_message");
  shmv_test_json_null (item, "width");

  g_clear_pointer (&out, g_free);
  ctl_assert_exit (ctl_run (&out, NULL, "list", NULL), 0, NULL);
  g_assert_nonnull (strstr (out, "corrupt: "));

  shmv_segment_free (seg);
  shmv_channel_free (writer);
  shmv_test_forget_key (key);
}

static void
test_gc (void)
{
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *stale = shmv_test_unique_key ("gc-stale");
  g_autofree char *persistent = shmv_test_unique_key ("gc-persistent");
  g_autofree char *live = shmv_test_unique_key ("gc-live");
  g_autofree char *png = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonNode) json = NULL;
  ShmvChannel *writer = shmv_channel_new (live);
  ShmvChannel *stale_ch = shmv_channel_new (stale);
  JsonNode *item;

  shmv_test_make_stale_channel (stale);
  png = publish_file (dir, persistent);
  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));

  /* list shows the stale channel without opening it (which would remove it). */
  ctl_assert_exit (ctl_run (&out, &err, "list", "--json", NULL), 0, err);
  json = shmv_test_json_parse (out);
  item = find_channel (json, stale);
  g_assert_nonnull (item);
  g_assert_true (shmv_test_json_bool (item, "stale"));
  g_assert_false (shmv_test_json_bool (item, "in_use"));
  g_assert_false (shmv_test_json_bool (item, "writer_alive"));
  g_assert_false (shmv_test_json_bool (item, "persistent"));
  g_assert_false (shmv_test_json_bool (find_channel (json, persistent), "stale"));
  g_assert_false (shmv_test_json_bool (find_channel (json, live), "stale"));
  g_assert_true (shmv_test_shm_exists (shmv_channel_native_key (stale_ch)));
  g_clear_pointer (&json, json_node_unref);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  ctl_assert_exit (ctl_run (&out, &err, "gc", "--json", NULL), 0, err);
  json = shmv_test_json_parse (out);
  item = find_channel (json, stale);
  g_assert_nonnull (item);
  g_assert_cmpstr (shmv_test_json_string (item, "native_key"), ==,
                   shmv_channel_native_key (stale_ch));
  g_assert_null (find_channel (json, persistent));
  g_assert_null (find_channel (json, live));
  g_assert_false (shmv_test_shm_exists (shmv_channel_native_key (stale_ch)));

  ctl_assert_exit (ctl_run (NULL, NULL, "info", "-k", stale, NULL), 2, NULL);
  ctl_assert_exit (ctl_run (NULL, NULL, "info", "-k", persistent, NULL), 0, NULL);
  ctl_assert_exit (ctl_run (NULL, NULL, "info", "-k", live, NULL), 0, NULL);

  /* Nothing stale is left: a second run removes nothing. */
  g_clear_pointer (&out, g_free);
  ctl_assert_exit (ctl_run (&out, NULL, "gc", NULL), 0, NULL);
  g_assert_cmpstr (out, ==, "No stale channels.\n");

  shmv_channel_free (stale_ch);
  shmv_channel_free (writer);
  shmv_test_forget_key (persistent);
  shmv_test_tmpdir_remove (dir);
}

static void
test_gc_text (void)
{
  g_autofree char *stale = shmv_test_unique_key ("gc-text");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  shmv_test_make_stale_channel (stale);
  ctl_assert_exit (ctl_run (&out, &err, "gc", NULL), 0, err);
  g_assert_nonnull (strstr (out, stale));
  g_assert_nonnull (strstr (out, "Removed 1 stale channel."));
}

/* No raw control byte of a peer-controlled string reaches the terminal. */
static void
assert_no_control_bytes (const char *out)
{
  for (const char *p = out; *p != '\0'; p++)
    if (*p != '\n')
      g_assert_false (g_ascii_iscntrl (*p) || (guchar) *p == 0x7f);
}

static void
test_text_escapes_peer_strings (void)
{
  g_autofree char *unique = shmv_test_unique_key ("esc");
  g_autofree char *key = g_strconcat (unique, "\x1b]0;pwned\a\x1b[2J\rcr\nnl", NULL);
  const char *source = "src\x1b[31m\a\r\nname";
  ShmvChannel *writer = shmv_channel_new (key);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto (GStrv) lines = NULL;

  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  g_assert_true (shmv_channel_publish (writer, pixels_2x2_rgb8, 2, 2, 6, SHMV_FORMAT_RGB8, source));

  ctl_assert_exit (ctl_run (&out, &err, "info", "-k", key, NULL), 0, err);
  assert_no_control_bytes (out);
  g_assert_nonnull (strstr (out, "\\x1b]0;pwned\\x07\\x1b[2J\\x0dcr\\x0anl"));
  g_assert_nonnull (strstr (out, "src\\x1b[31m\\x07\\x0d\\x0aname"));

  g_clear_pointer (&out, g_free);
  ctl_assert_exit (ctl_run (&out, &err, "list", NULL), 0, err);
  assert_no_control_bytes (out);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], unique) != NULL)
      g_assert_nonnull (strstr (lines[i], "\\x1b]0;pwned\\x07\\x1b[2J\\x0dcr\\x0anl"));

  /* JSON keeps the exact key, escaped the JSON way. */
  g_clear_pointer (&out, g_free);
  ctl_assert_exit (ctl_run (&out, &err, "info", "--json", "-k", key, NULL), 0, err);
  assert_no_control_bytes (out);

  shmv_channel_free (writer);
}

/* The element of a JSON array of channels with @native_key, or NULL. */
static JsonNode *
find_native (JsonNode *array, const char *native_key)
{
  g_assert_true (JSON_NODE_HOLDS_ARRAY (array));
  for (guint i = 0; i < json_array_get_length (json_node_get_array (array)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (array), i);

      if (g_strcmp0 (shmv_test_json_string (item, "native_key"), native_key) == 0)
        return item;
    }
  return NULL;
}

/* The line of a text listing that holds @needle, or NULL. */
static char *
find_line (const char *out, const char *needle)
{
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], needle) != NULL)
      return g_strdup (lines[i]);
  return NULL;
}

typedef enum
{
  BREAK_CHANNEL_MAGIC,
  BREAK_SEGMENT_MAGIC,
  BREAK_TRUNCATE,
  BREAK_TRUNCATE_PREFIX,
} Breakage;

static void
break_segment (const char *native_key, Breakage how)
{
  g_autofree char *path = g_strconcat ("/dev/shm", native_key, NULL);
  int fd = open (path, O_RDWR | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  switch (how)
    {
    case BREAK_CHANNEL_MAGIC:
      g_assert_cmpint (pwrite (fd, "XXXXXXXX", 8, 4096), ==, 8);
      break;
    case BREAK_SEGMENT_MAGIC:
      g_assert_cmpint (pwrite (fd, "XXXXXXXX", 8, 0), ==, 8);
      break;
    case BREAK_TRUNCATE:
      g_assert_cmpint (ftruncate (fd, 4096 + 64), ==, 0);
      break;
    case BREAK_TRUNCATE_PREFIX:
      g_assert_cmpint (ftruncate (fd, 100), ==, 0);
      break;
    }
  close (fd);
}

/* A channel left persistent by its writer, then broken while nobody uses it. */
static ShmvChannel *
make_broken_channel (const char *key, Breakage how)
{
  ShmvChannel *writer = shmv_channel_new (key);
  ShmvChannel *handle = shmv_channel_new (key);

  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  g_assert_true (shmv_channel_publish (writer, pixels_2x2_rgb8, 2, 2, 6, SHMV_FORMAT_RGB8, "b"));
  g_assert_true (shmv_channel_set_persistent (writer, true));
  shmv_channel_free (writer);
  break_segment (shmv_channel_native_key (handle), how);
  return handle;
}

/* list shows a broken channel as corrupt, info says how to recover, and gc
 * removes it since no process uses it. */
static void
test_corrupt_listed_and_collected (gconstpointer data)
{
  Breakage how = GPOINTER_TO_INT (data);
  g_autofree char *key = shmv_test_unique_key ("corrupt");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *line = NULL;
  g_autoptr (JsonNode) json = NULL;
  ShmvChannel *handle = make_broken_channel (key, how);
  const char *native = shmv_channel_native_key (handle);
  JsonNode *item;

  ctl_assert_exit (ctl_run (&out, &err, "list", "--json", NULL), 0, err);
  json = shmv_test_json_parse (out);
  item = find_native (json, native);
  g_assert_nonnull (item);
  g_assert_true (shmv_test_json_bool (item, "corrupt"));
  g_assert_cmpstr (shmv_test_json_string (item, "error"), ==, "SHMV_ERROR_CORRUPT");
  g_assert_cmpstr (shmv_test_json_string (item, "error_message"), !=, "");
  g_assert_false (shmv_test_json_bool (item, "in_use"));

  g_clear_pointer (&out, g_free);
  ctl_assert_exit (ctl_run (&out, &err, "list", NULL), 0, err);
  g_assert_false (g_str_has_prefix (out, "No channels."));
  line = find_line (out, native + 1);
  if (line == NULL)
    line = find_line (out, key);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, "corrupt"));

  /* The message says how to get rid of it. */
  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (NULL, &err, "info", "-k", key, NULL), 6, err);
  g_assert_nonnull (strstr (err, "shmview-ctl gc"));
  g_assert_true (shmv_test_shm_exists (native + 1));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ctl_assert_exit (ctl_run (&out, &err, "gc", NULL), 0, err);
  g_assert_cmpstr (out, !=, "No stale channels.\n");
  g_assert_false (shmv_test_shm_exists (native + 1));
  ctl_assert_exit (ctl_run (NULL, NULL, "info", "-k", key, NULL), 2, NULL);

  shmv_channel_free (handle);
}

/* A corrupt channel a live process still holds: gc keeps it, info names rm. */
static void
test_corrupt_in_use (void)
{
  g_autofree char *key = shmv_test_unique_key ("corrupt-used");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonNode) json = NULL;
  ShmvChannel *writer = shmv_channel_new (key);
  JsonNode *item;

  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  g_assert_true (shmv_channel_publish (writer, pixels_2x2_rgb8, 2, 2, 6, SHMV_FORMAT_RGB8, "u"));
  break_segment (shmv_channel_native_key (writer), BREAK_CHANNEL_MAGIC);

  ctl_assert_exit (ctl_run (NULL, &err, "info", "-k", key, NULL), 6, err);
  g_assert_nonnull (strstr (err, "shmview-ctl rm -k"));

  ctl_assert_exit (ctl_run (&out, NULL, "gc", NULL), 0, NULL);
  g_assert_true (shmv_test_shm_exists (shmv_channel_native_key (writer) + 1));

  g_clear_pointer (&out, g_free);
  ctl_assert_exit (ctl_run (&out, NULL, "list", "--json", NULL), 0, NULL);
  json = shmv_test_json_parse (out);
  item = find_channel (json, key);
  g_assert_nonnull (item);
  g_assert_true (shmv_test_json_bool (item, "corrupt"));
  g_assert_true (shmv_test_json_bool (item, "in_use"));

  shmv_channel_free (writer);
  shmv_test_forget_key (key);
}

/* Keys longer than the old 255-byte limit are listed in full. */
static void
test_list_long_key (void)
{
  g_autofree char *unique = shmv_test_unique_key ("long");
  g_autofree char *tail = g_strnfill (1000, 'k');
  g_autofree char *key = g_strconcat (unique, tail, NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonNode) json = NULL;
  ShmvChannel *writer = shmv_channel_new (key);

  if (!shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0))
    {
      /* Not an abort: the other tests of this program still run. */
      g_test_fail_printf ("the library refuses a key of %zu bytes: %s", strlen (key),
                          shmv_channel_error_string (writer));
      shmv_channel_free (writer);
      return;
    }
  ctl_assert_exit (ctl_run (&out, &err, "list", "--json", NULL), 0, err);
  json = shmv_test_json_parse (out);
  g_assert_nonnull (find_channel (json, key));
  g_clear_pointer (&out, g_free);
  ctl_assert_exit (ctl_run (&out, &err, "list", NULL), 0, err);
  g_assert_nonnull (strstr (out, key));
  shmv_channel_free (writer);
}

/* Which options each command takes, as docs/man/shmview-ctl.1 and --help
 * say. Every other pair must be a usage error that runs nothing: gc or list
 * running anyway would act on every channel of the user, which is why this
 * is here, in the program that runs alone. */
static const struct
{
  const char *command;
  const char *argument;
  const char *accepts; /* the options it takes, space-separated */
} option_table[] = {
  { "publish", "no-such.png", "--key --max-pixels --share --qt" },
  { "read", "out.png", "--key --owner --qt" },
  { "info", NULL, "--key --json --owner --qt" },
  { "list", NULL, "--json" },
  { "rm", NULL, "--key" },
  { "watch", NULL, "--key --json --count --timeout" },
  { "gc", NULL, "--json" },
};

static const struct
{
  const char *name;
  const char *value; /* NULL for a flag */
} all_options[] = {
  { "--key", NULL }, /* the test's own key */
  { "--max-pixels", "5" }, { "--json", NULL }, { "--count", "1" }, { "--timeout", "1" },
  { "--share", "user" },   { "--owner", "0" }, { "--qt", NULL },
};

static void
test_refused_options (void)
{
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *key = shmv_test_unique_key ("refused");
  int n_refused = 0;

  for (gsize c = 0; c < G_N_ELEMENTS (option_table); c++)
    {
      g_auto (GStrv) accepts = g_strsplit (option_table[c].accepts, " ", -1);

      for (gsize o = 0; o < G_N_ELEMENTS (all_options); o++)
        {
          const char *name = all_options[o].name;
          g_autofree char *argument = NULL;
          g_autofree char *expected = NULL;
          g_autofree char *out = NULL;
          g_autofree char *err = NULL;
          const char *args[6] = { option_table[c].command };
          int n = 1;

          if (g_strv_contains ((const char *const *) accepts, name))
            continue;
          if (option_table[c].argument != NULL)
            args[n++] = argument = g_build_filename (dir, option_table[c].argument, NULL);
          args[n++] = g_str_equal (name, "--key") ? "-k" : name;
          if (g_str_equal (name, "--key"))
            args[n++] = key;
          else if (all_options[o].value != NULL)
            args[n++] = all_options[o].value;

          g_test_message ("%s %s", option_table[c].command, name);
          ctl_assert_exit (ctl_runv (args, &out, &err), 1, err);
          expected = g_strdup_printf ("shmview-ctl: Option %s does not apply to “%s”\n", name,
                                      option_table[c].command);
          g_assert_true (g_str_has_prefix (err, expected));
          g_assert_cmpstr (out, ==, "");
          n_refused++;
        }
    }
  /* 7 commands × 8 options, less the 18 pairs that are taken. */
  g_assert_cmpint (n_refused, ==, 38);
  shmv_test_tmpdir_remove (dir);
}

int
main (int argc, char **argv)
{
  gboolean private;
  int result;

  g_test_init (&argc, &argv, NULL);
  /* gc and list act on all of this user's channels: alone, they neither
   * take nor see another test's (nor another copy of the suite's). */
  private = shmv_test_private_dev_shm ("64m", TRUE);
  if (!private)
    g_test_message ("not root: gc and list see this user's real /dev/shm");

  g_test_add_func ("/ctl/list/json-and-table-show-every-channel", test_list);
  g_test_add_func ("/ctl/list/corrupt-channel-gets-error-field", test_list_corrupt);
  g_test_add_func ("/ctl/gc/removes-stale-keeps-persistent-and-live", test_gc);
  g_test_add_func ("/ctl/gc/reports-what-it-removed", test_gc_text);
  g_test_add_func ("/ctl/text/escapes-peer-strings", test_text_escapes_peer_strings);
  g_test_add_data_func ("/ctl/corrupt/bad-channel-magic-listed-and-collected",
                        GINT_TO_POINTER (BREAK_CHANNEL_MAGIC), test_corrupt_listed_and_collected);
  g_test_add_data_func ("/ctl/corrupt/bad-segment-magic-listed-and-collected",
                        GINT_TO_POINTER (BREAK_SEGMENT_MAGIC), test_corrupt_listed_and_collected);
  g_test_add_data_func ("/ctl/corrupt/truncated-listed-and-collected",
                        GINT_TO_POINTER (BREAK_TRUNCATE), test_corrupt_listed_and_collected);
  g_test_add_data_func ("/ctl/corrupt/truncated-prefix-listed-and-collected",
                        GINT_TO_POINTER (BREAK_TRUNCATE_PREFIX), test_corrupt_listed_and_collected);
  g_test_add_func ("/ctl/corrupt/in-use-kept-and-rm-named", test_corrupt_in_use);
  g_test_add_func ("/ctl/long-key/listed-in-full", test_list_long_key);
  g_test_add_func ("/ctl/usage/every-option-a-command-does-not-take-gives-1", test_refused_options);

  result = g_test_run ();
  if (private && !shmv_test_private_dev_shm_is_clean ())
    result = 1;
  return result;
}
