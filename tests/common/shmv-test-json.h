/* shmv-test-json.h: checking the JSON shmview-ctl prints, with json-glib
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Parses @text, which must hold exactly one JSON value; fails the test
 * (showing @text) if it does not. Free with json_node_unref(). */
JsonNode *shmv_test_json_parse (const char *text);

/* The member @name of the object @object, or NULL. */
JsonNode *shmv_test_json_member (JsonNode *object, const char *name);

/* Each asserts that the object @object has a member @name of its type and
 * returns its value: a string, an integer (a number without fraction or
 * exponent), any number, a boolean, null, an array or an object. */
const char *shmv_test_json_string (JsonNode *object, const char *name);
gint64 shmv_test_json_int (JsonNode *object, const char *name);
double shmv_test_json_number (JsonNode *object, const char *name);
gboolean shmv_test_json_bool (JsonNode *object, const char *name);
void shmv_test_json_null (JsonNode *object, const char *name);

G_END_DECLS
