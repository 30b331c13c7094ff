/* shmv-test-json.c: checking the JSON shmview-ctl prints, with json-glib
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-test-json.h"

JsonNode *
shmv_test_json_parse (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    g_test_message ("not JSON: %s", text);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));
  return json_parser_steal_root (parser);
}

JsonNode *
shmv_test_json_member (JsonNode *object, const char *name)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (object));
  return json_object_get_member (json_node_get_object (object), name);
}

/* The member @name, asserted to hold @type (and, for a value, @value_type
 * unless it is G_TYPE_INVALID). */
static JsonNode *
typed_member (JsonNode *object, const char *name, JsonNodeType type, GType value_type)
{
  JsonNode *member = shmv_test_json_member (object, name);

  if (member == NULL)
    g_test_message ("JSON member “%s” is missing", name);
  g_assert_nonnull (member);
  if (json_node_get_node_type (member) != type ||
      (value_type != G_TYPE_INVALID && json_node_get_value_type (member) != value_type))
    g_test_message ("JSON member “%s” is a %s", name, json_node_type_name (member));
  g_assert_cmpint (json_node_get_node_type (member), ==, type);
  if (value_type != G_TYPE_INVALID)
    g_assert_cmpstr (g_type_name (json_node_get_value_type (member)), ==, g_type_name (value_type));
  return member;
}

const char *
shmv_test_json_string (JsonNode *object, const char *name)
{
  return json_node_get_string (typed_member (object, name, JSON_NODE_VALUE, G_TYPE_STRING));
}

gint64
shmv_test_json_int (JsonNode *object, const char *name)
{
  return json_node_get_int (typed_member (object, name, JSON_NODE_VALUE, G_TYPE_INT64));
}

double
shmv_test_json_number (JsonNode *object, const char *name)
{
  JsonNode *member = typed_member (object, name, JSON_NODE_VALUE, G_TYPE_INVALID);
  GType type = json_node_get_value_type (member);

  g_assert_true (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE);
  return json_node_get_double (member);
}

gboolean
shmv_test_json_bool (JsonNode *object, const char *name)
{
  return json_node_get_boolean (typed_member (object, name, JSON_NODE_VALUE, G_TYPE_BOOLEAN));
}

void
shmv_test_json_null (JsonNode *object, const char *name)
{
  typed_member (object, name, JSON_NODE_NULL, G_TYPE_INVALID);
}
