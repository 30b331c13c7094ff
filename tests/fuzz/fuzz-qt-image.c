/* fuzz-qt-image.c: libFuzzer harness for the Qt segment payload parser
 *
 * Each input is the whole content of a Qt QSharedMemory segment, as
 * shmv_qt_segment_read() copies it out: `QDataStream << QImage` bytes (a
 * qint32 marker, then a PNG) or anything a peer put there. The pixel limit
 * is 2^22, as in fuzz-png.c.
 *
 * Invariants checked besides what the sanitizers see: a decoded image has a
 * valid format, packed rows, readable pixels, and is within the limit; a
 * failure has one of the documented codes and a message.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz.h"

#include "shmv-qt-image.h"

#include <shmview/shmview.h>

#include <stdio.h>
#include <stdlib.h>

#define MAX_PIXELS (UINT64_C (1) << 22)

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  ShmvPngOptions options = { .max_pixels = MAX_PIXELS };
  ShmvImage image;
  ShmvStatus status;
  ShmvQtImageFault fault = shmv_qt_image_decode (data, size, &options, &image, &status);

  if (fault == SHMV_QT_IMAGE_OK)
    {
      unsigned bpp = shmv_format_bytes_per_pixel (image.format);

      FUZZ_CHECK (bpp != 0);
      FUZZ_CHECK (image.width > 0 && image.height > 0);
      FUZZ_CHECK ((uint64_t) image.width * image.height <= MAX_PIXELS);
      FUZZ_CHECK (image.stride == (size_t) image.width * bpp);
      FUZZ_CHECK (image.pixels != NULL);
      (void) shmv_checksum (image.pixels, image.stride * image.height);
      shmv_image_clear (&image);
      return 0;
    }
  FUZZ_CHECK (status.code == SHMV_ERROR_CORRUPT || status.code == SHMV_ERROR_IMAGE ||
              status.code == SHMV_ERROR_IO || status.code == SHMV_ERROR_OUT_OF_RESOURCES);
  FUZZ_CHECK (status.message[0] != '\0');
  FUZZ_CHECK (fault > SHMV_QT_IMAGE_OK && fault <= SHMV_QT_IMAGE_FAILED);
  FUZZ_CHECK (image.pixels == NULL);
  return 0;
}
