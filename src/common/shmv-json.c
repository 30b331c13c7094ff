/* shmv-json.c: a small streaming JSON writer
 *
 * shmview's JSON is a handful of flat objects; a dependency on json-glib for
 * writing them would cost more than these lines.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-json"

#include "shmv-json.h"

#include <math.h>

#define MAX_DEPTH 32

struct ShmvJson
{
  GString *out;
  int depth;
  /* per open container: whether a value was written in it yet */
  gboolean has_values[MAX_DEPTH + 1];
};

ShmvJson *
shmv_json_new (void)
{
  ShmvJson *json = g_new0 (ShmvJson, 1);

  json->out = g_string_new (NULL);
  return json;
}

void
shmv_json_free (ShmvJson *json)
{
  if (json == NULL)
    return;
  g_string_free (json->out, TRUE);
  g_free (json);
}

char *
shmv_json_free_to_string (ShmvJson *json)
{
  char *result;

  g_warn_if_fail (json->depth == 0);
  result = g_string_free (json->out, FALSE);
  g_free (json);
  return result;
}

void
shmv_json_append_escaped (GString *out, const char *s)
{
  g_autofree char *valid = g_utf8_make_valid (s, -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      unsigned char c = (unsigned char) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

/* Writes the comma and the member name that go before a value. */
static void
begin_value (ShmvJson *json, const char *member)
{
  if (json->has_values[json->depth])
    g_string_append_c (json->out, ',');
  json->has_values[json->depth] = TRUE;
  if (member != NULL)
    {
      shmv_json_append_escaped (json->out, member);
      g_string_append_c (json->out, ':');
    }
}

static void
open_container (ShmvJson *json, const char *member, char bracket)
{
  g_return_if_fail (json->depth < MAX_DEPTH);
  begin_value (json, member);
  g_string_append_c (json->out, bracket);
  json->depth++;
  json->has_values[json->depth] = FALSE;
}

static void
close_container (ShmvJson *json, char bracket)
{
  g_return_if_fail (json->depth > 0);
  json->depth--;
  g_string_append_c (json->out, bracket);
}

void
shmv_json_begin_object (ShmvJson *json, const char *member)
{
  open_container (json, member, '{');
}

void
shmv_json_end_object (ShmvJson *json)
{
  close_container (json, '}');
}

void
shmv_json_begin_array (ShmvJson *json, const char *member)
{
  open_container (json, member, '[');
}

void
shmv_json_end_array (ShmvJson *json)
{
  close_container (json, ']');
}

void
shmv_json_add_string (ShmvJson *json, const char *member, const char *value)
{
  begin_value (json, member);
  if (value == NULL)
    g_string_append (json->out, "null");
  else
    shmv_json_append_escaped (json->out, value);
}

void
shmv_json_add_int (ShmvJson *json, const char *member, gint64 value)
{
  begin_value (json, member);
  g_string_append_printf (json->out, "%" G_GINT64_FORMAT, value);
}

void
shmv_json_add_uint (ShmvJson *json, const char *member, guint64 value)
{
  begin_value (json, member);
  g_string_append_printf (json->out, "%" G_GUINT64_FORMAT, value);
}

void
shmv_json_add_double (ShmvJson *json, const char *member, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  begin_value (json, member);
  if (!isfinite (value))
    g_string_append (json->out, "null");
  else
    g_string_append (json->out, g_ascii_formatd (buf, sizeof buf, "%.3f", value));
}

void
shmv_json_add_bool (ShmvJson *json, const char *member, gboolean value)
{
  begin_value (json, member);
  g_string_append (json->out, value ? "true" : "false");
}

void
shmv_json_add_null (ShmvJson *json, const char *member)
{
  begin_value (json, member);
  g_string_append (json->out, "null");
}
