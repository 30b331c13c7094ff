/* shmv-qt-image.h: the bytes of `QDataStream << QImage`, as Qt puts them in shared memory
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <shmview/shmview.h>

SHMV_BEGIN_DECLS

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
 * or too large PNG); never reads outside @data.
 *
 * Plain C, no GLib: the fuzzers build it with the library alone.
 */
bool shmv_qt_image_decode (const void *data,
                           size_t size,
                           const ShmvPngOptions *options,
                           ShmvImage *image,
                           ShmvStatus *status);

SHMV_END_DECLS
