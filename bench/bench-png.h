/* bench-png.h: libpng in memory, for the baselines
 *
 * The naive path encodes with libpng's defaults (zlib level 6, adaptive
 * filters), as Qt's PNG writer does when QDataStream writes a QImage. The
 * decoder is plain libpng into a buffer the caller keeps: the reference that
 * decode_ms measures.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <shmview/shmview.h>

typedef struct
{
  uint8_t *data;
  size_t size;
  size_t capacity;
} BenchBytes;

void bench_bytes_clear (BenchBytes *bytes);

/* Encodes @image as PNG into @out (replacing its contents). */
bool bench_png_encode (const ShmvImage *image, BenchBytes *out);

/* Decodes a PNG held in memory into a new malloc()ed image. */
bool bench_png_decode_memory (const uint8_t *data, size_t size, ShmvImage *image);

/* Decodes the file @path into *@pixels (grown as needed, kept by the caller),
 * expanded to the channel format shmview would use. */
bool bench_png_decode_file (const char *path, uint8_t **pixels, size_t *capacity);
