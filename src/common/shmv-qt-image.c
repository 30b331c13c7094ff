/* shmv-qt-image.c: the bytes of `QDataStream << QImage`, as Qt puts them in shared memory
 *
 * Qt's operator<< (qimage.cpp) writes, for stream version 5 and later, a
 * qint32 "not null" marker and then hands the device to QImageWriter with
 * format "png": no length, no header of its own, so the PNG runs to its IEND
 * and the segment's size is the only bound. operator>> reads the marker, and
 * any non-zero value means "an image follows".
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-qt-image.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MARKER_SIZE 4

static void
set_status (ShmvStatus *status, ShmvError code, const char *message)
{
  if (status == NULL)
    return;
  status->code = code;
  status->sys_errno = 0;
  snprintf (status->message, sizeof status->message, "%s", message);
}

/* Whether the PNG at @png (after the marker) declares more pixels than the
 * loader takes: its IHDR, right after the signature, says. */
static bool
declares_too_many (const uint8_t *png, size_t size, const ShmvPngOptions *options)
{
  uint64_t max_pixels = options != NULL && options->max_pixels != 0 ? options->max_pixels
                                                                    : SHMV_PNG_DEFAULT_MAX_PIXELS;
  uint64_t width, height;

  if (size < 24 || memcmp (png + 12, "IHDR", 4) != 0)
    return false;
  width = (uint64_t) png[16] << 24 | (uint64_t) png[17] << 16 | (uint64_t) png[18] << 8 | png[19];
  height = (uint64_t) png[20] << 24 | (uint64_t) png[21] << 16 | (uint64_t) png[22] << 8 | png[23];
  return width * height > max_pixels;
}

ShmvQtImageFault
shmv_qt_image_decode (const void *data,
                      size_t size,
                      const ShmvPngOptions *options,
                      ShmvImage *image,
                      ShmvStatus *status)
{
  static const uint8_t signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  const uint8_t *bytes = data;

  if (image != NULL)
    memset (image, 0, sizeof *image);
  if (image == NULL || (data == NULL && size > 0))
    {
      set_status (status, SHMV_ERROR_INVALID_ARGUMENT, "no image or data given");
      return SHMV_QT_IMAGE_FAILED;
    }
  if (size < MARKER_SIZE)
    {
      set_status (status, SHMV_ERROR_CORRUPT,
                  "the Qt segment is too short to hold an image (under 4 bytes)");
      return SHMV_QT_IMAGE_TOO_SHORT;
    }
  if (bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0 && bytes[3] == 0)
    {
      set_status (status, SHMV_ERROR_CORRUPT, "the Qt segment holds a null image");
      return SHMV_QT_IMAGE_NULL;
    }
  /* Qt's reader forces the format to PNG: JPEG, BMP or anything else after
   * the marker shows nothing there, and is no image here either. */
  if (size - MARKER_SIZE < sizeof signature ||
      memcmp (bytes + MARKER_SIZE, signature, sizeof signature) != 0)
    {
      set_status (status, SHMV_ERROR_CORRUPT,
                  "the Qt segment holds no PNG image after its QImage marker");
      return SHMV_QT_IMAGE_NOT_PNG;
    }
  if (shmv_png_load_memory (bytes + MARKER_SIZE, size - MARKER_SIZE, "Qt segment", options, image,
                            status))
    return SHMV_QT_IMAGE_OK;
  if (status == NULL || status->code != SHMV_ERROR_IMAGE)
    return SHMV_QT_IMAGE_FAILED;
  return declares_too_many (bytes + MARKER_SIZE, size - MARKER_SIZE, options)
             ? SHMV_QT_IMAGE_TOO_LARGE
             : SHMV_QT_IMAGE_DAMAGED;
}
