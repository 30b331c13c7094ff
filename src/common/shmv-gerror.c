/* shmv-gerror.c: libshmview's error codes as GErrors with translated words
 *
 * The library never translates (it has no gettext); its strings are English
 * details for logs and bug reports. What a user reads first comes from here.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-gerror"

#include "config.h"

#include "shmv-gerror.h"

/* The domain by name, not the process default: the GStreamer plugin runs
 * these inside other programs (gst-launch-1.0), whose default is not ours. */
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

/* clang-format off */
G_DEFINE_QUARK (shmv-error-quark, shmv_gerror)
/* clang-format on */

const char *
shmv_error_sentence (ShmvError code)
{
  switch (code)
    {
    case SHMV_ERROR_NONE:
      return _ ("No error");
    case SHMV_ERROR_PERMISSION_DENIED:
      return _ ("Permission denied");
    case SHMV_ERROR_INVALID_SIZE:
      return _ ("Invalid size");
    case SHMV_ERROR_KEY:
      return _ ("Invalid key");
    case SHMV_ERROR_ALREADY_EXISTS:
      return _ ("Already in use by another process");
    case SHMV_ERROR_NOT_FOUND:
      return _ ("No such channel");
    case SHMV_ERROR_LOCK:
      return _ ("Cannot take the channel’s lock");
    case SHMV_ERROR_OUT_OF_RESOURCES:
      return _ ("Out of shared memory or file descriptors");
    case SHMV_ERROR_TIMEOUT:
      return _ ("Timed out");
    case SHMV_ERROR_UNKNOWN:
      return _ ("System error");
    case SHMV_ERROR_CORRUPT:
      return _ ("Corrupt channel");
    case SHMV_ERROR_NO_FRAME:
      return _ ("The channel holds no image yet");
    case SHMV_ERROR_INVALID_ARGUMENT:
      return _ ("Invalid argument");
    case SHMV_ERROR_IMAGE:
      return _ ("Invalid, unsupported or too large image");
    case SHMV_ERROR_IO:
      return _ ("Cannot read or write the file");
    case SHMV_ERROR_CANCELLED:
      return _ ("Cancelled");
    default:
      return _ ("Unknown error");
    }
}

/* The library starts its details with their subject ("segment “k”: no such
 * segment"), which the user's message names already ("Cannot open channel
 * “k”: …"): the rest, or NULL when there is no such subject. */
static const char *
after_subject (const char *detail)
{
  static const char *const subjects[] = { "channel “", "segment “", "semaphore “",
                                          "watch of channel “" };
  const char *end = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (subjects); i++)
    if (g_str_has_prefix (detail, subjects[i]) && (end = strstr (detail, "”: ")) != NULL)
      return end + strlen ("”: ");
  return NULL;
}

/* Whether the sentence for @code says all a user needs of the library's
 * detail about its subject ("No such channel", not "No such channel: no
 * such segment"; "Permission denied", not "…: cannot open: Permission
 * denied"): the detail stays in the debug log. */
static gboolean
sentence_suffices (ShmvError code)
{
  return code == SHMV_ERROR_NOT_FOUND || code == SHMV_ERROR_PERMISSION_DENIED ||
         code == SHMV_ERROR_NO_FRAME || code == SHMV_ERROR_CANCELLED;
}

GError *
shmv_gerror_new (ShmvError code, const char *detail)
{
  const char *rest = NULL;

  if (code == SHMV_ERROR_NONE)
    code = SHMV_ERROR_UNKNOWN;

  if (detail != NULL && (rest = after_subject (detail)) != NULL)
    {
      g_debug ("%s", detail);
      detail = sentence_suffices (code) ? NULL : rest;
    }
  if (detail == NULL || detail[0] == '\0')
    return g_error_new_literal (SHMV_GERROR, code, shmv_error_sentence (code));

  /* TRANSLATORS: an error message: a translated sentence such as "No such
   * channel", then the library's English explanation of the cause. */
  return g_error_new (SHMV_GERROR, code, _ ("%s: %s"), shmv_error_sentence (code), detail);
}

void
shmv_prefix_error (GError **error, const char *what)
{
  char *message;

  if (error == NULL || *error == NULL)
    return;
  message = g_strdup_printf (_ ("%s: %s"), what, (*error)->message);
  g_free ((*error)->message);
  (*error)->message = message;
}

GError *
shmv_gerror_new_from_status (const ShmvStatus *status)
{
  return shmv_gerror_new (status->code, status->message);
}

GError *
shmv_gerror_new_from_channel (const ShmvChannel *ch)
{
  return shmv_gerror_new (shmv_channel_error (ch), shmv_channel_error_string (ch));
}

GError *
shmv_gerror_new_from_watch (const ShmvWatch *watch)
{
  return shmv_gerror_new (shmv_watch_error (watch), shmv_watch_error_string (watch));
}

const char *
shmv_file_detail (const char *detail, const char *path)
{
  gsize len = path != NULL ? strlen (path) : 0;

  if (detail != NULL && len > 0 && strncmp (detail, path, len) == 0 &&
      g_str_has_prefix (detail + len, ": "))
    return detail + len + 2;
  return detail;
}

/* The library's (and libpng's) English reason why a file is no image it can
 * take, as one translated reason: "not a PNG image", "too large", else
 * "not a valid PNG image" with the reason for the curious. */
static GError *
image_error (const char *reason)
{
  guint width, height;
  guint64 pixels, limit;

  if (g_str_equal (reason, "Not a PNG file"))
    return g_error_new_literal (SHMV_GERROR, SHMV_ERROR_IMAGE, _ ("it is not a PNG image"));
  if (sscanf (reason, "%ux%u is %" G_GUINT64_FORMAT " pixels, over the limit of %" G_GUINT64_FORMAT,
              &width, &height, &pixels, &limit) == 4)
    {
      g_autofree char *limit_text = g_strdup_printf ("%" G_GUINT64_FORMAT, limit);

      /* TRANSLATORS: width, height, then the limit in pixels */
      return g_error_new (SHMV_GERROR, SHMV_ERROR_IMAGE,
                          _ ("the image is %u × %u pixels, more than the limit of %s pixels"),
                          width, height, limit_text);
    }
  /* TRANSLATORS: %s is libpng's English reason, such as "unexpected end of file" */
  return g_error_new (SHMV_GERROR, SHMV_ERROR_IMAGE, _ ("it is not a valid PNG image (%s)"),
                      reason);
}

GError *
shmv_gerror_new_for_file (ShmvError code, int sys_errno, const char *detail, const char *path)
{
  const char *reason = shmv_file_detail (detail, path);

  if (code == SHMV_ERROR_NONE)
    code = SHMV_ERROR_UNKNOWN;
  /* A file is saved under a temporary name beside it and renamed: in a
   * folder that takes no new files (/proc, /sys), that fails with "No such
   * file or directory" although the file is there. */
  if (sys_errno == ENOENT && reason != NULL &&
      g_str_has_prefix (reason, "cannot create a file beside it") && path != NULL &&
      g_file_test (path, G_FILE_TEST_EXISTS))
    return g_error_new_literal (
        SHMV_GERROR, code,
        _ ("its folder does not allow new files, and a save first writes a new file beside it"));
  /* The library says "<path>: cannot create a file beside it: Permission
   * denied": the system's reason alone is the plain one, and translated. */
  if (sys_errno != 0)
    return g_error_new_literal (SHMV_GERROR, code, g_strerror (sys_errno));
  if (code == SHMV_ERROR_IMAGE && reason != NULL)
    return image_error (reason);
  return shmv_gerror_new (code, reason);
}

char *
shmv_recreated_sentence (const char *key, const char *notice)
{
  static const char corrupt[] = "replaced a corrupt channel: ";
  const char *reason = NULL;

  /* The library words these for logs, in English (shmv_channel_recreated()
   * lists them); the user reads one translated sentence that names the
   * channel. */
  if (g_str_has_prefix (notice, "re-created the channel"))
    return g_strdup_printf (_ ("Channel “%s” was removed; publishing made it again"), key);
  if (g_str_has_prefix (notice, "joined a new channel"))
    return g_strdup_printf (
        _ ("Channel “%s” was removed and another writer made it again; published there"), key);
  if ((reason = strstr (notice, corrupt)) != NULL)
    /* TRANSLATORS: the first %s is the channel's key, the second the library's English reason */
    return g_strdup_printf (_ ("Channel “%s” was corrupt and has been replaced (%s)"), key,
                            reason + strlen (corrupt));
  return g_strdup_printf (_ ("Channel “%s”: %s"), key, notice);
}

gboolean
shmv_propagate_status (const ShmvStatus *status, GError **error)
{
  g_propagate_error (error, shmv_gerror_new_from_status (status));
  return FALSE;
}

gboolean
shmv_propagate_channel_error (const ShmvChannel *ch, GError **error)
{
  g_propagate_error (error, shmv_gerror_new_from_channel (ch));
  return FALSE;
}
