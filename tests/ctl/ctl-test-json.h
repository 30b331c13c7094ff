/* ctl-test-json.h: a strict JSON parser for checking shmview-ctl's output
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

typedef enum
{
  CTL_JSON_NULL,
  CTL_JSON_BOOL,
  CTL_JSON_NUMBER,
  CTL_JSON_STRING,
  CTL_JSON_ARRAY,
  CTL_JSON_OBJECT,
} CtlJsonType;

typedef struct CtlJson CtlJson;

struct CtlJson
{
  CtlJsonType type;
  char *name; /* the member name, inside an object */
  gboolean boolean;
  double number;
  gboolean is_integer; /* a number without fraction or exponent that fits gint64 */
  gint64 integer;
  char *string;
  GPtrArray *items; /* CtlJson: array elements, or object members in order */
};

/* Parses @text, which must hold exactly one JSON value (RFC 8259: strict,
 * no trailing commas, valid UTF-8, no duplicate member names). */
CtlJson *ctl_json_parse (const char *text, GError **error);

void ctl_json_free (CtlJson *json);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtlJson, ctl_json_free)

/* The member @name of @object, or NULL. */
CtlJson *ctl_json_member (const CtlJson *object, const char *name);

const char *ctl_json_type_name (CtlJsonType type);
