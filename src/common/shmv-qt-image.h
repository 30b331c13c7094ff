/* shmv-qt-image.h: the bytes of `QDataStream << QImage`, as Qt puts them in shared memory
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <shmview/shmview.h>

SHMV_BEGIN_DECLS

/* Why a segment holds no image shmview can show, for the GLib layer to say
 * in the user's language (the status keeps an English detail for logs). */
typedef enum
{
  SHMV_QT_IMAGE_OK = 0,
  SHMV_QT_IMAGE_TOO_SHORT, /* under the 4 bytes of the marker */
  SHMV_QT_IMAGE_NULL,      /* Qt's marker of a null QImage */
  SHMV_QT_IMAGE_NOT_PNG,   /* no PNG signature after the marker */
  SHMV_QT_IMAGE_DAMAGED,   /* a PNG that does not decode */
  SHMV_QT_IMAGE_TOO_LARGE, /* a PNG over the pixel limit */
  SHMV_QT_IMAGE_FAILED,    /* no fault of the bytes: see the status's code */
} ShmvQtImageFault;

/**
 * shmv_qt_image_decode:
 * @data: (array length=size) (nullable): the whole segment, as copied out
 * @options: (nullable): the pixel limit of shmv_png_load()
 *
 * Decodes what Qt's `QDataStream << QImage` wrote (streams of version 5 and
 * later, every Qt 5 and 6): a big-endian qint32 marker, 0 for a null image,
 * else any non-zero value followed by a whole PNG file, then possibly
 * trailing bytes up to the segment's end (which Qt ignores too). 8- and
 * 16-bit images keep their depth. Fails with SHMV_ERROR_CORRUPT (a segment
 * too short, a null image, something that is no PNG: Qt's reader shows
 * nothing then either) or the PNG loader's codes (SHMV_ERROR_IMAGE for a bad
 * or too large PNG); never reads outside @data. Returns SHMV_QT_IMAGE_OK,
 * or why it failed.
 *
 * Plain C, no GLib: the fuzzers build it with the library alone.
 */
ShmvQtImageFault shmv_qt_image_decode (const void *data,
                                       size_t size,
                                       const ShmvPngOptions *options,
                                       ShmvImage *image,
                                       ShmvStatus *status);

SHMV_END_DECLS
