/* shmv-png.h: PNG files in and out (libpng), lossless
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <shmview/shmv-channel.h>

SHMV_BEGIN_DECLS

/** The default pixel limit: 2^28 pixels (16384 x 16384). */
#define SHMV_PNG_DEFAULT_MAX_PIXELS (UINT64_C (1) << 28)

/**
 * ShmvImage:
 *
 * Packed pixels in one of the channel formats; @pixels is malloc()ed and owned
 * by the image (shmv_image_clear() frees it).
 */
typedef struct
{
  uint32_t width;
  uint32_t height;
  size_t stride;
  ShmvFormat format;
  uint8_t *pixels;
} ShmvImage;

SHMV_API void shmv_image_clear (ShmvImage *image);

/**
 * ShmvPngOptions:
 *
 * Zero-initialise, then set what you need.
 */
typedef struct
{
  uint64_t max_pixels; /* refuse larger images before allocating; 0: SHMV_PNG_DEFAULT_MAX_PIXELS */
  /* called now and then with the fraction decoded; return false to cancel */
  bool (*progress) (double fraction, void *user_data);
  void *user_data;
} ShmvPngOptions;

/**
 * shmv_png_load:
 * @options: (nullable)
 *
 * Decodes any valid PNG: gray becomes RGB, palette RGB, and a tRNS chunk
 * (on palette, gray or RGB images) gives RGBA, so no transparency is lost;
 * 16-bit samples stay 16-bit (native-endian). Corrupt files fail with
 * SHMV_ERROR_IMAGE and libpng's reason, images over the limit with
 * SHMV_ERROR_IMAGE before any pixel memory is allocated (a stream, whose
 * size is unknown, is first read into memory: at most what the image its
 * header declares could take stored uncompressed, plus 16 MiB), missing or
 * unreadable files with SHMV_ERROR_IO (and status->sys_errno set).
 * @status may be NULL.
 */
SHMV_API bool shmv_png_load (const char *path,
                             const ShmvPngOptions *options,
                             ShmvImage *image,
                             ShmvStatus *status);

/**
 * shmv_png_load_memory:
 * @data: (array length=size): a whole PNG file, already in memory
 * @name: what messages call it (a file name, "Qt segment …")
 * @options: (nullable)
 *
 * shmv_png_load() of @size bytes at @data, with the same bounds: the pixel
 * limit, and at most what the image its header declares could take stored
 * uncompressed (plus 16 MiB); trailing bytes after IEND are ignored.
 */
SHMV_API bool shmv_png_load_memory (const void *data,
                                    size_t size,
                                    const char *name,
                                    const ShmvPngOptions *options,
                                    ShmvImage *image,
                                    ShmvStatus *status);

/**
 * shmv_channel_publish_png:
 * @options: (nullable)
 *
 * Decodes @path (like shmv_png_load(): a pipe or a FIFO too) into private
 * memory, then publishes it with the file's base name as source
 * (shmv_channel_publish()). Reading and decoding take no lock: a slow or
 * stalled input never stops the channel's other writers. On any failure the
 * channel stays exactly as it was (its frame, its size), and the channel's
 * error says why: shmv_png_load()'s codes for the file, the channel's own
 * for the publish.
 */
SHMV_API bool
shmv_channel_publish_png (ShmvChannel *ch, const char *path, const ShmvPngOptions *options);

/**
 * shmv_png_save:
 *
 * Writes @width x @height pixels as a PNG (8 or 16 bits, RGB or RGBA as the
 * format says). What @path is decides how: symlinks are followed to the
 * file they name; a regular file (or none) is replaced atomically by a
 * temporary file written beside it and renamed, keeping an existing file's
 * permissions (and owner and group when allowed), so a failed save leaves
 * no partial file and the old file intact; anything else (a FIFO, a
 * device) is written through, never replaced.
 */
SHMV_API bool shmv_png_save (const char *path,
                             const void *pixels,
                             uint32_t width,
                             uint32_t height,
                             size_t stride,
                             ShmvFormat format,
                             ShmvStatus *status);

/**
 * shmv_png_save_fd:
 * @fd: an open descriptor, written from where it stands and left open
 * @name: what to call it in messages ("standard output")
 *
 * shmv_png_save() into @fd: written through, for a pipe or standard output.
 */
SHMV_API bool shmv_png_save_fd (int fd,
                                const char *name,
                                const void *pixels,
                                uint32_t width,
                                uint32_t height,
                                size_t stride,
                                ShmvFormat format,
                                ShmvStatus *status);

SHMV_END_DECLS
