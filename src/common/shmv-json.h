/* shmv-json.h: a small streaming JSON writer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * ShmvJson:
 *
 * Writes compact JSON into a string, one value at a time; commas are placed
 * for the caller. @member names the value inside an object and must be NULL
 * inside an array or at the top. Strings are escaped and made valid UTF-8
 * (invalid bytes become U+FFFD), numbers are written in the C locale.
 */
typedef struct ShmvJson ShmvJson;

ShmvJson *shmv_json_new (void);
void shmv_json_free (ShmvJson *json);

/** shmv_json_free_to_string: frees @json and returns what it wrote. Free with g_free(). */
char *shmv_json_free_to_string (ShmvJson *json);

void shmv_json_begin_object (ShmvJson *json, const char *member);
void shmv_json_end_object (ShmvJson *json);
void shmv_json_begin_array (ShmvJson *json, const char *member);
void shmv_json_end_array (ShmvJson *json);

/** shmv_json_add_string: @value NULL writes null. */
void shmv_json_add_string (ShmvJson *json, const char *member, const char *value);
void shmv_json_add_int (ShmvJson *json, const char *member, gint64 value);
void shmv_json_add_uint (ShmvJson *json, const char *member, guint64 value);
/** shmv_json_add_double: NaN and infinities, which JSON lacks, write null. */
void shmv_json_add_double (ShmvJson *json, const char *member, double value);
void shmv_json_add_bool (ShmvJson *json, const char *member, gboolean value);
void shmv_json_add_null (ShmvJson *json, const char *member);

/** shmv_json_append_escaped: appends @s to @out as a quoted JSON string. */
void shmv_json_append_escaped (GString *out, const char *s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShmvJson, shmv_json_free)

G_END_DECLS
