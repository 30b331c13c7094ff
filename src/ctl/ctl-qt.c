/* ctl-qt.c: read and info of a Qt QSharedMemory segment (--qt)
 *
 * The same commands as for channels, on the other kind of shared memory:
 * what Qt's Shared Memory Example (and any QSharedMemory + QDataStream <<
 * QImage program) publishes. The segment is copied and let go at once
 * (shmv-qt-segment.c), then decoded.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmview-ctl"

#include "config.h"

#include "ctl-commands.h"
#include "ctl-json.h"
#include "ctl-text.h"
#include "ctl-signals.h"
#include "shmv-frame-text.h"
#include "shmv-gerror.h"
#include "shmv-qt-segment.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

/* The image Qt published under the options' key, or the exit code of the
 * failure, which has been printed. @mode: read detaches as Qt's reader
 * (the last one removes an orphan), info only looks. */
static CtlExit
read_image (const CtlOptions *options,
            ShmvQtReadMode mode,
            ShmvQtSegmentInfo *info,
            ShmvImage *image,
            ShmvFrameInfo *frame)
{
  ShmvPngOptions png_options = { .max_pixels = (uint64_t) options->max_pixels };
  GError *error = NULL;

  /* Its messages are whole sentences that name the key. */
  if (!shmv_qt_segment_read_image (options->key, mode, &png_options, info, image, &error))
    return ctl_fail (error, CTL_SUBJECT_CHANNEL);
  memset (frame, 0, sizeof *frame);
  frame->width = image->width;
  frame->height = image->height;
  frame->stride = image->stride;
  frame->format = image->format;
  return CTL_EXIT_OK;
}

CtlExit
ctl_cmd_read_qt (const CtlOptions *options, const char *path)
{
  g_auto (ShmvQtSegmentInfo) info = { 0 };
  g_autofree char *display = ctl_output_display (path);
  g_autofree char *dimensions = NULL;
  g_autofree char *message = NULL;
  ShmvFrameInfo frame;
  ShmvImage image;
  CtlExit result;

  if ((result = read_image (options, SHMV_QT_READ_AS_QT, &info, &image, &frame)) != CTL_EXIT_OK)
    return result;
  dimensions = shmv_frame_dimensions (&frame);
  /* TRANSLATORS: key, "640 × 480 RGBA8", then a file name */
  message =
      g_strdup_printf (_ ("Saved Qt segment “%s” (%s) to “%s”"), options->key, dimensions, display);
  result = ctl_save_png (path, display, image.pixels, &frame, message);
  shmv_image_clear (&image);
  return result;
}

CtlExit
ctl_cmd_info_qt (const CtlOptions *options, const char *arg)
{
  g_auto (ShmvQtSegmentInfo) info = { 0 };
  ShmvFrameInfo frame;
  ShmvImage image;
  CtlExit result;

  if ((result = read_image (options, SHMV_QT_READ_LOOK, &info, &image, &frame)) != CTL_EXIT_OK)
    return result;
  shmv_image_clear (&image);
  if (options->json)
    {
      ShmvJson *json = shmv_json_new ();
      g_autofree char *text = NULL;

      ctl_json_add_qt (json, &info, &frame);
      text = shmv_json_free_to_string (json);
      g_print ("%s\n", text);
    }
  else
    ctl_text_print_qt (&info, &frame);
  return CTL_EXIT_OK;
}

/* Prints why publishing @display failed; "Another program publishes on
 * the Qt key …" says it all, every other error is prefixed. */
static CtlExit
publish_failed (const CtlOptions *options, const char *display, GError *error, CtlSubject subject)
{
  if (!g_error_matches (error, SHMV_GERROR, SHMV_ERROR_ALREADY_EXISTS))
    {
      g_autofree char *doing =
          g_strdup_printf (_ ("Cannot publish “%s” on Qt segment “%s”"), display, options->key);

      shmv_prefix_error (&error, doing);
    }
  return ctl_fail (error, subject);
}

CtlExit
ctl_cmd_publish_qt (const CtlOptions *options, const char *arg)
{
  ShmvPngOptions png_options = { .max_pixels = (uint64_t) options->max_pixels };
  const char *path = ctl_input_path (arg);
  g_autofree char *display = ctl_input_display (arg);
  g_autoptr (GBytes) bytes = NULL;
  ShmvQtPublisher *publisher;
  GError *error = NULL;
  ShmvStatus status;
  ShmvImage image;
  int sig;

  /* Qt's segment lives while we are attached: a signal is the way to stop,
   * and from here on it only tells us to withdraw (no half-made objects
   * left by a signal mid-way either). */
  ctl_signals_catch ();

  if (!shmv_png_load (path, &png_options, &image, &status))
    {
      error = shmv_gerror_new_for_file (status.code, status.sys_errno, status.message, path);
      return publish_failed (options, display, error, CTL_SUBJECT_INPUT_FILE);
    }
  bytes = shmv_qt_image_encode (&image, &error);
  shmv_image_clear (&image);
  publisher = bytes == NULL ? NULL
                            : shmv_qt_segment_publish (options->key, g_bytes_get_data (bytes, NULL),
                                                       g_bytes_get_size (bytes), &error);
  if (publisher == NULL)
    return publish_failed (options, display, error, CTL_SUBJECT_CHANNEL);

  /* TRANSLATORS: a file name, then the key of a Qt QSharedMemory segment */
  g_print (_ ("Publishing “%s” on Qt segment “%s”: press Ctrl+C to withdraw\n"), display,
           options->key);
  fflush (stdout);
  sig = ctl_signals_wait ();
  g_debug ("signal %d: withdrawing Qt segment “%s”", sig, options->key);
  shmv_qt_publisher_withdraw (publisher);
  return CTL_EXIT_OK;
}
