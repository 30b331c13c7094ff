/* ctl-test-json.c: a strict JSON parser for checking shmview-ctl's output
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "ctl-test-json.h"

#include <string.h>

#define MAX_DEPTH 64

typedef struct
{
  const char *p;
  const char *start;
  GError **error;
  int depth;
} Parser;

static gboolean
fail (Parser *ps, const char *what)
{
  if (ps->error != NULL && *ps->error == NULL)
    g_set_error (ps->error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE, "JSON: %s at offset %d", what,
                 (int) (ps->p - ps->start));
  return FALSE;
}

static void
skip_space (Parser *ps)
{
  while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
    ps->p++;
}

static CtlJson *parse_value (Parser *ps);

static gboolean
parse_hex4 (Parser *ps, gunichar *out)
{
  *out = 0;
  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (ps->p[i]);

      if (digit < 0)
        return fail (ps, "bad \\u escape");
      *out = *out * 16 + (gunichar) digit;
    }
  ps->p += 4;
  return TRUE;
}

static char *
parse_string (Parser *ps)
{
  g_autoptr (GString) out = g_string_new (NULL);

  if (*ps->p != '"')
    return fail (ps, "expected a string"), NULL;
  ps->p++;
  for (;;)
    {
      unsigned char c = (unsigned char) *ps->p;

      if (c == '\0')
        return fail (ps, "unterminated string"), NULL;
      if (c < 0x20)
        return fail (ps, "control character in string"), NULL;
      if (c == '"')
        {
          ps->p++;
          break;
        }
      if (c != '\\')
        {
          g_string_append_c (out, (char) c);
          ps->p++;
          continue;
        }
      ps->p++;
      switch (*ps->p++)
        {
        case '"':
          g_string_append_c (out, '"');
          break;
        case '\\':
          g_string_append_c (out, '\\');
          break;
        case '/':
          g_string_append_c (out, '/');
          break;
        case 'b':
          g_string_append_c (out, '\b');
          break;
        case 'f':
          g_string_append_c (out, '\f');
          break;
        case 'n':
          g_string_append_c (out, '\n');
          break;
        case 'r':
          g_string_append_c (out, '\r');
          break;
        case 't':
          g_string_append_c (out, '\t');
          break;
        case 'u':
          {
            gunichar u, low;

            if (!parse_hex4 (ps, &u))
              return NULL;
            if (u >= 0xd800 && u < 0xdc00)
              {
                if (ps->p[0] != '\\' || ps->p[1] != 'u')
                  return fail (ps, "lone high surrogate"), NULL;
                ps->p += 2;
                if (!parse_hex4 (ps, &low) || low < 0xdc00 || low >= 0xe000)
                  return fail (ps, "bad low surrogate"), NULL;
                u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
              }
            else if (u >= 0xdc00 && u < 0xe000)
              return fail (ps, "lone low surrogate"), NULL;
            g_string_append_unichar (out, u);
            break;
          }
        default:
          return fail (ps, "bad escape"), NULL;
        }
    }
  if (!g_utf8_validate (out->str, (gssize) out->len, NULL))
    return fail (ps, "string is not UTF-8"), NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
parse_number (Parser *ps, CtlJson *json)
{
  const char *begin = ps->p;
  gboolean integer = TRUE;
  g_autofree char *text = NULL;

  if (*ps->p == '-')
    ps->p++;
  if (*ps->p == '0')
    ps->p++;
  else if (g_ascii_isdigit (*ps->p))
    while (g_ascii_isdigit (*ps->p))
      ps->p++;
  else
    return fail (ps, "bad number");
  if (*ps->p == '.')
    {
      integer = FALSE;
      ps->p++;
      if (!g_ascii_isdigit (*ps->p))
        return fail (ps, "bad fraction");
      while (g_ascii_isdigit (*ps->p))
        ps->p++;
    }
  if (*ps->p == 'e' || *ps->p == 'E')
    {
      integer = FALSE;
      ps->p++;
      if (*ps->p == '+' || *ps->p == '-')
        ps->p++;
      if (!g_ascii_isdigit (*ps->p))
        return fail (ps, "bad exponent");
      while (g_ascii_isdigit (*ps->p))
        ps->p++;
    }

  text = g_strndup (begin, (gsize) (ps->p - begin));
  json->type = CTL_JSON_NUMBER;
  json->number = g_ascii_strtod (text, NULL);
  json->is_integer =
      integer && g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &json->integer, NULL);
  return TRUE;
}

static gboolean
parse_literal (Parser *ps, const char *word)
{
  gsize len = strlen (word);

  if (strncmp (ps->p, word, len) != 0)
    return fail (ps, "unexpected character");
  ps->p += len;
  return TRUE;
}

static gboolean
parse_container (Parser *ps, CtlJson *json, gboolean object)
{
  char close = object ? '}' : ']';

  if (++ps->depth > MAX_DEPTH)
    return fail (ps, "nested too deeply");
  json->type = object ? CTL_JSON_OBJECT : CTL_JSON_ARRAY;
  json->items = g_ptr_array_new_with_free_func ((GDestroyNotify) ctl_json_free);
  ps->p++;
  skip_space (ps);
  if (*ps->p == close)
    {
      ps->p++;
      ps->depth--;
      return TRUE;
    }
  for (;;)
    {
      g_autofree char *name = NULL;
      CtlJson *item;

      skip_space (ps);
      if (object)
        {
          if ((name = parse_string (ps)) == NULL)
            return FALSE;
          if (ctl_json_member (json, name) != NULL)
            return fail (ps, "duplicate member");
          skip_space (ps);
          if (*ps->p++ != ':')
            return fail (ps, "expected ':'");
        }
      if ((item = parse_value (ps)) == NULL)
        return FALSE;
      item->name = g_steal_pointer (&name);
      g_ptr_array_add (json->items, item);
      skip_space (ps);
      if (*ps->p == ',')
        {
          ps->p++;
          continue;
        }
      if (*ps->p != close)
        return fail (ps, object ? "expected ',' or '}'" : "expected ',' or ']'");
      ps->p++;
      ps->depth--;
      return TRUE;
    }
}

static CtlJson *
parse_value (Parser *ps)
{
  g_autoptr (CtlJson) json = g_new0 (CtlJson, 1);
  gboolean ok;

  skip_space (ps);
  switch (*ps->p)
    {
    case '{':
    case '[':
      ok = parse_container (ps, json, *ps->p == '{');
      break;
    case '"':
      json->type = CTL_JSON_STRING;
      ok = (json->string = parse_string (ps)) != NULL;
      break;
    case 't':
      json->type = CTL_JSON_BOOL;
      json->boolean = TRUE;
      ok = parse_literal (ps, "true");
      break;
    case 'f':
      json->type = CTL_JSON_BOOL;
      ok = parse_literal (ps, "false");
      break;
    case 'n':
      json->type = CTL_JSON_NULL;
      ok = parse_literal (ps, "null");
      break;
    default:
      ok = parse_number (ps, json);
    }
  return ok ? g_steal_pointer (&json) : NULL;
}

CtlJson *
ctl_json_parse (const char *text, GError **error)
{
  Parser ps = { text, text, error, 0 };
  g_autoptr (CtlJson) json = NULL;

  if (!g_utf8_validate (text, -1, NULL))
    return fail (&ps, "text is not UTF-8"), NULL;
  if ((json = parse_value (&ps)) == NULL)
    return NULL;
  skip_space (&ps);
  if (*ps.p != '\0')
    return fail (&ps, "trailing characters"), NULL;
  return g_steal_pointer (&json);
}

void
ctl_json_free (CtlJson *json)
{
  if (json == NULL)
    return;
  g_free (json->name);
  g_free (json->string);
  if (json->items != NULL)
    g_ptr_array_unref (json->items);
  g_free (json);
}

CtlJson *
ctl_json_member (const CtlJson *object, const char *name)
{
  if (object == NULL || object->type != CTL_JSON_OBJECT)
    return NULL;
  for (guint i = 0; i < object->items->len; i++)
    {
      CtlJson *member = object->items->pdata[i];

      if (g_strcmp0 (member->name, name) == 0)
        return member;
    }
  return NULL;
}

const char *
ctl_json_type_name (CtlJsonType type)
{
  static const char *const names[] = { "null", "bool", "number", "string", "array", "object" };

  return (unsigned) type < G_N_ELEMENTS (names) ? names[type] : "?";
}
