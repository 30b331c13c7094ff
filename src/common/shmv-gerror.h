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
 * shmv_propagate_status:
 *
 * Sets @error (may be NULL) from a failed @status; returns FALSE so that
 * callers can `return shmv_propagate_status (&status, error);`.
 */
gboolean shmv_propagate_status (const ShmvStatus *status, GError **error);

/** shmv_propagate_channel_error: as shmv_propagate_status(), for a channel handle. */
gboolean shmv_propagate_channel_error (const ShmvChannel *ch, GError **error);

G_END_DECLS
