/* test-shmv-common.c: the GLib helpers shmview-ctl and the app share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "shmv-autocleanups.h"
#include "shmv-frame-text.h"
#include "shmv-gerror.h"
#include "shmv-i18n.h"
#include "shmv-json.h"
#include "shmv-text-escape.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void
test_json_writer (void)
{
  g_autoptr (ShmvJson) json = shmv_json_new ();
  g_autofree char *text = NULL;

  shmv_json_begin_object (json, NULL);
  shmv_json_add_string (json, "s",
                        "a\"b\\c\nd\te\x01"
                        "f/Noël");
  shmv_json_add_string (json, "bad utf-8", "x\xffy");
  shmv_json_add_string (json, "none", NULL);
  shmv_json_add_int (json, "i", G_MININT64);
  shmv_json_add_uint (json, "u", G_MAXUINT64);
  shmv_json_add_double (json, "d", 1.5);
  shmv_json_add_double (json, "nan", NAN);
  shmv_json_add_bool (json, "t", TRUE);
  shmv_json_add_null (json, "n");
  shmv_json_begin_array (json, "a");
  shmv_json_add_int (json, NULL, 1);
  shmv_json_begin_object (json, NULL);
  shmv_json_end_object (json);
  shmv_json_begin_array (json, NULL);
  shmv_json_end_array (json);
  shmv_json_end_array (json);
  shmv_json_end_object (json);
  text = shmv_json_free_to_string (g_steal_pointer (&json));

  g_assert_cmpstr (text, ==,
                   "{\"s\":\"a\\\"b\\\\c\\nd\\te\\u0001f/Noël\",\"bad utf-8\":\"x\xef\xbf\xbdy\","
                   "\"none\":null,\"i\":-9223372036854775808,\"u\":18446744073709551615,"
                   "\"d\":1.500,\"nan\":null,\"t\":true,\"n\":null,\"a\":[1,{},[]]}");
}

/* Numbers never take the locale's decimal comma. */
static void
test_json_locale (void)
{
  g_autoptr (ShmvJson) json = shmv_json_new ();
  g_autofree char *text = NULL;

  shmv_json_begin_array (json, NULL);
  shmv_json_add_double (json, NULL, 0.25);
  shmv_json_end_array (json);
  text = shmv_json_free_to_string (g_steal_pointer (&json));
  g_assert_cmpstr (text, ==, "[0.250]");
}

static void
test_gerror (void)
{
  g_autoptr (GError) error = shmv_gerror_new (SHMV_ERROR_NOT_FOUND, "segment “k”: no such segment");
  g_autoptr (GError) bare = shmv_gerror_new (SHMV_ERROR_CORRUPT, "");
  g_autoptr (GError) none = shmv_gerror_new (SHMV_ERROR_NONE, NULL);
  ShmvStatus status = { SHMV_ERROR_IMAGE, 0, "a.png: bad CRC" };
  g_autoptr (GError) from_status = shmv_gerror_new_from_status (&status);
  g_autoptr (GError) propagated = NULL;

  g_assert_cmpstr (g_quark_to_string (SHMV_GERROR), ==, "shmv-error-quark");
  g_assert_error (error, SHMV_GERROR, SHMV_ERROR_NOT_FOUND);
  /* The library's subject and a detail that only repeats the sentence go. */
  g_assert_cmpstr (error->message, ==, "No such channel");
  g_assert_error (bare, SHMV_GERROR, SHMV_ERROR_CORRUPT);
  g_assert_cmpstr (bare->message, ==, "Corrupt channel");
  /* A failure always has a cause. */
  g_assert_error (none, SHMV_GERROR, SHMV_ERROR_UNKNOWN);
  g_assert_error (from_status, SHMV_GERROR, SHMV_ERROR_IMAGE);
  g_assert_nonnull (strstr (from_status->message, "a.png: bad CRC"));

  g_assert_false (shmv_propagate_status (&status, &propagated));
  g_assert_error (propagated, SHMV_GERROR, SHMV_ERROR_IMAGE);
  g_assert_false (shmv_propagate_status (&status, NULL));
}

static void
test_gerror_channel (void)
{
  g_autoptr (ShmvChannel) ch = shmv_channel_new ("");
  g_autoptr (GError) error = NULL;

  g_assert_false (shmv_channel_open (ch, SHMV_CHANNEL_READER, 0));
  g_assert_false (shmv_propagate_channel_error (ch, &error));
  g_assert_error (error, SHMV_GERROR, (int) shmv_channel_error (ch));
  g_assert_nonnull (strstr (error->message, shmv_channel_error_string (ch)));
}

/* Every code has its own words. */
static void
test_sentences (void)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (int code = SHMV_ERROR_NONE; code <= SHMV_ERROR_CANCELLED; code++)
    {
      const char *sentence = shmv_error_sentence ((ShmvError) code);

      g_assert_nonnull (sentence);
      g_assert_cmpstr (sentence, !=, "");
      g_assert_false (g_hash_table_contains (seen, sentence));
      g_hash_table_add (seen, (gpointer) sentence);
    }
  g_assert_cmpstr (shmv_error_sentence ((ShmvError) 1000), ==, "Unknown error");
}

static void
test_frame_text (void)
{
  ShmvFrameInfo info = {
    .generation = 3,
    .width = 640,
    .height = 480,
    .stride = 640 * 4,
    .format = SHMV_FORMAT_RGBA8,
  };
  g_autofree char *dimensions = shmv_frame_dimensions (&info);
  g_autofree char *summary = shmv_frame_summary (&info);

  g_assert_cmpstr (dimensions, ==, "640 × 480 RGBA8");
  g_assert_cmpstr (summary, ==, "640 × 480 RGBA8, generation 3");

  info.publish_time_ns = g_get_real_time () * 1000 - G_GINT64_CONSTANT (2000000000);
  g_assert_cmpfloat (shmv_frame_age_ms (&info), >=, 2000.0);
  g_assert_cmpfloat (shmv_frame_age_ms (&info), <, 60000.0);
}

static void
test_iso8601 (void)
{
  struct
  {
    gint64 ns;
    const char *text;
  } cases[] = {
    { 0, "1970-01-01T00:00:00.000000000Z" },
    { -1, "1969-12-31T23:59:59.999999999Z" },
    { G_GINT64_CONSTANT (1700000000123456789), "2023-11-14T22:13:20.123456789Z" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = shmv_time_ns_to_iso8601 (cases[i].ns);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_localedir_override (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("SHMVIEW_LOCALEDIR", "/nowhere/locale", TRUE);
      shmv_i18n_init ();
      g_assert_cmpstr (shmv_i18n_localedir (), ==, "/nowhere/locale");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* This test program lives in the build tree: it must use the build's .mo
 * files, not the installed ones. */
static void
test_localedir_uninstalled (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *built = realpath (SHMV_TEST_BUILD_PO, NULL);
      g_autofree char *found = NULL;

      g_unsetenv ("SHMVIEW_LOCALEDIR");
      g_assert_nonnull (built);
      found = realpath (shmv_i18n_localedir (), NULL);
      g_assert_cmpstr (found, ==, built);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* Peer-controlled text reaches a terminal only with its control characters
 * made visible; printable UTF-8 passes unchanged. */
static void
test_escape_controls (void)
{
  static const struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "plain", "plain" },
    { "caf\u00e9 \u00d7 \u65e5\u672c", "caf\u00e9 \u00d7 \u65e5\u672c" },
    { "a\x1b[31mb", "a\\x1b[31mb" },
    { "bel\a cr\r nl\n tab\t del\x7f", "bel\\x07 cr\\x0d nl\\x0a tab\\x09 del\\x7f" },
    { "c1\xc2\x9b", "c1\\u009b" },
    { "bad\xff\xfe", "bad\\xff\\xfe" },
    { "back\\slash", "back\\slash" },
    { "", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *escaped = shmv_escape_text (cases[i].in);

      g_assert_cmpstr (escaped, ==, cases[i].out);
      g_assert_true (g_utf8_validate (escaped, -1, NULL));
    }
  g_assert_null (shmv_escape_text (NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/json/escapes-and-nests", test_json_writer);
  g_test_add_func ("/common/text/escapes-control-characters", test_escape_controls);
  g_test_add_func ("/common/json/numbers-ignore-locale", test_json_locale);
  g_test_add_func ("/common/gerror/carries-code-sentence-and-detail", test_gerror);
  g_test_add_func ("/common/gerror/from-channel", test_gerror_channel);
  g_test_add_func ("/common/gerror/every-code-has-its-sentence", test_sentences);
  g_test_add_func ("/common/frame-text/dimensions-summary-age", test_frame_text);
  g_test_add_func ("/common/frame-text/iso8601-utc-nanoseconds", test_iso8601);
  g_test_add_func ("/common/i18n/environment-overrides-localedir", test_localedir_override);
  g_test_add_func ("/common/i18n/uninstalled-uses-build-tree", test_localedir_uninstalled);

  return g_test_run ();
}
