/* shmv-gerror.h: libshmview's error codes as GErrors with translated words
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

/**
 * SHMV_GERROR:
 *
 * The GError domain for failures of libshmview. Error codes are ShmvError
 * values, so `g_error_matches (error, SHMV_GERROR, SHMV_ERROR_NOT_FOUND)`
 * works as expected.
 */
#define SHMV_GERROR (shmv_gerror_quark ())

GQuark shmv_gerror_quark (void);

/**
 * shmv_error_sentence:
 *
 * A short translated sentence for @code ("No such channel"). Never NULL.
 */
const char *shmv_error_sentence (ShmvError code);

/**
 * shmv_gerror_new:
 * @detail: (nullable): the library's English explanation, naming the object
 *   and the reason (a status message or a handle's error string)
 *
 * Returns a new GError in SHMV_GERROR whose message is the translated
 * sentence for @code followed by @detail. A @code of SHMV_ERROR_NONE is
 * turned into SHMV_ERROR_UNKNOWN: a failure always has a cause.
 */
GError *shmv_gerror_new (ShmvError code, const char *detail);

/** shmv_gerror_new_from_status: shmv_gerror_new() with the status's code and message. */
GError *shmv_gerror_new_from_status (const ShmvStatus *status);

/* Puts @what (what we were doing) before the message of *@error, joined as
 * each language joins a sentence and its reason. */
void shmv_prefix_error (GError **error, const char *what);

/** shmv_gerror_new_from_channel: shmv_gerror_new() with the handle's last error. */
GError *shmv_gerror_new_from_channel (const ShmvChannel *ch);

/** shmv_gerror_new_from_watch: shmv_gerror_new() with the handle's last error. */
GError *shmv_gerror_new_from_watch (const ShmvWatch *watch);

/**
 * shmv_gerror_new_for_file:
 * @sys_errno: the system's error number, 0 when none
 * @path: (nullable): the file, which the caller names in its own words
 *
 * A file's failure, for a message that already names the file ("Cannot
 * save “x.png”: …"): the system's reason for an errno ("Permission
 * denied"), else shmv_gerror_new() with the library's detail less the path
 * it starts with. Never the path twice, nor the reason twice.
 */
GError *
shmv_gerror_new_for_file (ShmvError code, int sys_errno, const char *detail, const char *path);

/** shmv_file_detail: the library's @detail less the "<path>: " it starts with. */
const char *shmv_file_detail (const char *detail, const char *path);

/**
 * shmv_recreated_sentence:
 * @key: the channel's key, as the user gave it
 * @notice: what shmv_channel_recreated() said
 *
 * (transfer full): the notice as one translated sentence naming the channel.
 */
char *shmv_recreated_sentence (const char *key, const char *notice);

/**
 * shmv_propagate_status:
 *
 * Sets @error (may be NULL) from a failed @status; returns FALSE so that
 * callers can `return shmv_propagate_status (&status, error);`.
 */
gboolean shmv_propagate_status (const ShmvStatus *status, GError **error);

/** shmv_propagate_channel_error: as shmv_propagate_status(), for a channel handle. */
gboolean shmv_propagate_channel_error (const ShmvChannel *ch, GError **error);

G_END_DECLS
