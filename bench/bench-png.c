/* bench-png.c: libpng in memory, for the baselines
 *
 * libpng reports errors by longjmp(); the *_guarded() functions are the only
 * callers of setjmp() and change nothing after it, so no local needs to be
 * volatile.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench-png.h"

#include "bench-util.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  const uint8_t *data;
  size_t size;
  size_t pos;
} MemReader;

void
bench_bytes_clear (BenchBytes *bytes)
{
  free (bytes->data);
  memset (bytes, 0, sizeof *bytes);
}

static void
on_png_error (png_structp png, png_const_charp message)
{
  bench_fail ("libpng: %s", message);
  png_longjmp (png, 1);
}

static void
on_png_warning (png_structp png, png_const_charp message)
{
}

static void
write_bytes (png_structp png, png_bytep data, size_t length)
{
  BenchBytes *out = png_get_io_ptr (png);

  if (out->size + length > out->capacity)
    {
      size_t capacity = out->capacity > 0 ? out->capacity : 1 << 20;
      uint8_t *grown;

      while (capacity < out->size + length)
        capacity *= 2;
      grown = realloc (out->data, capacity);
      if (grown == NULL)
        png_error (png, "out of memory for the encoded image");
      out->data = grown;
      out->capacity = capacity;
    }
  memcpy (out->data + out->size, data, length);
  out->size += length;
}

static void
flush_nothing (png_structp png)
{
}

static int
color_type_of (ShmvFormat format)
{
  return format == SHMV_FORMAT_RGBA8 || format == SHMV_FORMAT_RGBA16 ? PNG_COLOR_TYPE_RGB_ALPHA
                                                                     : PNG_COLOR_TYPE_RGB;
}

static int
depth_of (ShmvFormat format)
{
  return format == SHMV_FORMAT_RGB16 || format == SHMV_FORMAT_RGBA16 ? 16 : 8;
}

static void
encode_rows (png_structp png, png_infop info, const ShmvImage *image, BenchBytes *out)
{
  png_set_write_fn (png, out, write_bytes, flush_nothing);
  /* libpng's defaults, as Qt's writer leaves them: zlib level 6, adaptive
   * filtering over all five filters. */
  png_set_IHDR (png, info, image->width, image->height, depth_of (image->format),
                color_type_of (image->format), PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                PNG_FILTER_TYPE_DEFAULT);
  png_write_info (png, info);
  if (depth_of (image->format) == 16)
    png_set_swap (png);
  for (uint32_t y = 0; y < image->height; y++)
    png_write_row (png, image->pixels + (size_t) y * image->stride);
  png_write_end (png, NULL);
}

/* The only caller of setjmp() on the encoding side: nothing changes after it. */
static bool
encode_guarded (png_structp png, png_infop info, const ShmvImage *image, BenchBytes *out)
{
  if (setjmp (png_jmpbuf (png)) != 0)
    return false;
  encode_rows (png, info, image, out);
  return true;
}

bool
bench_png_encode (const ShmvImage *image, BenchBytes *out)
{
  png_structp png;
  png_infop info = NULL;
  bool ok;

  out->size = 0;
  png = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL, on_png_error, on_png_warning);
  if (png == NULL || (info = png_create_info_struct (png)) == NULL)
    {
      png_destroy_write_struct (&png, NULL);
      return bench_fail ("out of memory for a PNG encoder");
    }
  ok = encode_guarded (png, info, image, out);
  png_destroy_write_struct (&png, &info);
  return ok;
}

static void
read_bytes (png_structp png, png_bytep data, size_t length)
{
  MemReader *in = png_get_io_ptr (png);

  if (length > in->size - in->pos)
    png_error (png, "the PNG data ends early");
  memcpy (data, in->data + in->pos, length);
  in->pos += length;
}

/* Expands every PNG to RGB or RGBA, 8 or 16 bits, as shmview's decoder does. */
static void
set_transforms (png_structp png, png_infop info)
{
  int color = png_get_color_type (png, info);
  int depth = png_get_bit_depth (png, info);

  if (color == PNG_COLOR_TYPE_PALETTE)
    png_set_palette_to_rgb (png);
  if ((color & PNG_COLOR_MASK_COLOR) == 0 && depth < 8)
    png_set_expand_gray_1_2_4_to_8 (png);
  if (png_get_valid (png, info, PNG_INFO_tRNS))
    png_set_tRNS_to_alpha (png);
  if ((color & PNG_COLOR_MASK_COLOR) == 0)
    png_set_gray_to_rgb (png);
  if (depth == 16)
    png_set_swap (png);
}

typedef struct
{
  uint8_t **pixels;
  size_t *capacity;
  uint32_t width;
  uint32_t height;
  size_t row_bytes;
  ShmvFormat format;
} DecodeTarget;

static ShmvFormat
format_of (int channels, int depth)
{
  if (channels == 4)
    return depth == 16 ? SHMV_FORMAT_RGBA16 : SHMV_FORMAT_RGBA8;
  return depth == 16 ? SHMV_FORMAT_RGB16 : SHMV_FORMAT_RGB8;
}

static void
decode_rows (png_structp png, png_infop info, DecodeTarget *t)
{
  int passes;

  png_set_user_limits (png, 65535, 65535);
  png_read_info (png, info);
  set_transforms (png, info);
  passes = png_set_interlace_handling (png);
  png_read_update_info (png, info);
  t->width = png_get_image_width (png, info);
  t->height = png_get_image_height (png, info);
  t->row_bytes = png_get_rowbytes (png, info);
  t->format = format_of (png_get_channels (png, info), png_get_bit_depth (png, info));
  if (*t->pixels == NULL || *t->capacity < t->row_bytes * t->height)
    {
      uint8_t *grown = realloc (*t->pixels, t->row_bytes * t->height);

      if (grown == NULL)
        png_error (png, "out of memory for the pixels");
      *t->pixels = grown;
      *t->capacity = t->row_bytes * t->height;
    }
  for (int pass = 0; pass < passes; pass++)
    for (uint32_t y = 0; y < t->height; y++)
      png_read_row (png, *t->pixels + (size_t) y * t->row_bytes, NULL);
  png_read_end (png, NULL);
}

static bool
decode_guarded (png_structp png, png_infop info, MemReader *in, FILE *file, DecodeTarget *t)
{
  if (setjmp (png_jmpbuf (png)) != 0)
    return false;
  if (in != NULL)
    png_set_read_fn (png, in, read_bytes);
  else
    png_init_io (png, file);
  decode_rows (png, info, t);
  return true;
}

/* Decodes from @in (memory) or @file (a stdio stream) into @t. */
static bool
decode (MemReader *in, FILE *file, DecodeTarget *t)
{
  png_structp png;
  png_infop info = NULL;
  bool ok;

  png = png_create_read_struct (PNG_LIBPNG_VER_STRING, NULL, on_png_error, on_png_warning);
  if (png == NULL || (info = png_create_info_struct (png)) == NULL)
    {
      png_destroy_read_struct (&png, NULL, NULL);
      return bench_fail ("out of memory for a PNG decoder");
    }
  ok = decode_guarded (png, info, in, file, t);
  png_destroy_read_struct (&png, &info, NULL);
  return ok;
}

bool
bench_png_decode_memory (const uint8_t *data, size_t size, ShmvImage *image)
{
  MemReader in = { data, size, 0 };
  uint8_t *pixels = NULL;
  size_t capacity = 0;
  DecodeTarget t = { &pixels, &capacity, 0, 0, 0, SHMV_FORMAT_INVALID };

  memset (image, 0, sizeof *image);
  if (!decode (&in, NULL, &t))
    {
      free (pixels);
      return false;
    }
  image->width = t.width;
  image->height = t.height;
  image->stride = t.row_bytes;
  image->format = t.format;
  image->pixels = pixels;
  return true;
}

bool
bench_png_decode_file (const char *path, uint8_t **pixels, size_t *capacity)
{
  DecodeTarget t = { pixels, capacity, 0, 0, 0, SHMV_FORMAT_INVALID };
  FILE *file = fopen (path, "rbe");
  bool ok;

  if (file == NULL)
    return bench_fail ("%s: cannot open", path);
  /* A large stdio buffer, as shmview's decoder reads 64 KiB at a time. */
  setvbuf (file, NULL, _IOFBF, 64 * 1024);
  ok = decode (NULL, file, &t);
  if (fclose (file) != 0)
    ok = bench_fail ("%s: cannot close", path);
  return ok;
}
