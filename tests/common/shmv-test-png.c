/* shmv-test-png.c: a reference PNG decoder and a writer of exact test PNGs
 *
 * Why a reference decoder of our own: the obvious independent reference,
 * libpng's simplified API (png_image_*), converts samples to sRGB using the
 * file's gAMA chunk, and almost every PngSuite file has one (gAMA 1.0 on the
 * basic images: a gray ramp 0 1 2 3 comes back as 0 21 28 34). It also gives
 * 16-bit output only as linear, premultiplied RGBA. shmview promises the raw
 * samples, so the reference here inflates IDAT with zlib and does PNG's
 * unfiltering, Adam7 and sample unpacking itself: about 200 lines that share
 * nothing with libpng's transform code. The generated corpus checks this
 * reference against samples known by construction, so it is not trusted
 * blindly either.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "shmv-test-png.h"

#include <png.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

/* Adam7: where each pass starts and how far apart its pixels are. */
static const guint32 adam7_x0[7] = { 0, 4, 0, 2, 0, 1, 0 };
static const guint32 adam7_y0[7] = { 0, 0, 4, 0, 2, 0, 1 };
static const guint32 adam7_dx[7] = { 8, 8, 4, 4, 2, 2, 1 };
static const guint32 adam7_dy[7] = { 8, 8, 8, 4, 4, 2, 2 };

void
png_test_pixels_clear (PngTestPixels *pixels)
{
  g_clear_pointer (&pixels->rgba, g_free);
  memset (pixels, 0, sizeof *pixels);
}

int
png_test_channels (int color_type)
{
  switch (color_type)
    {
    case PNG_COLOR_TYPE_GRAY:
    case PNG_COLOR_TYPE_PALETTE:
      return 1;
    case PNG_COLOR_TYPE_GRAY_ALPHA:
      return 2;
    case PNG_COLOR_TYPE_RGB:
      return 3;
    case PNG_COLOR_TYPE_RGB_ALPHA:
      return 4;
    default:
      g_assert_not_reached ();
    }
}

/* The reference decoder */

typedef struct
{
  guint32 width;
  guint32 height;
  int depth;
  int color;
  gboolean interlaced;
  guint8 plte[256][3];
  int plte_n;
  gboolean has_trns;
  guint8 trns[256];
  int trns_n;
  guint16 trns_key[3];
  GByteArray *idat;
} RefPng;

static guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static guint16
be16 (const guint8 *p)
{
  return (guint16) (p[0] << 8 | p[1]);
}

static void
ref_chunk (RefPng *png, const char *type, const guint8 *body, guint32 n)
{
  if (memcmp (type, "IHDR", 4) == 0)
    {
      g_assert_cmpuint (n, ==, 13);
      png->width = be32 (body);
      png->height = be32 (body + 4);
      png->depth = body[8];
      png->color = body[9];
      png->interlaced = body[12] == 1;
    }
  else if (memcmp (type, "PLTE", 4) == 0)
    {
      png->plte_n = (int) MIN (n / 3, 256);
      memcpy (png->plte, body, (gsize) png->plte_n * 3);
    }
  else if (memcmp (type, "tRNS", 4) == 0)
    {
      png->has_trns = TRUE;
      if (png->color == PNG_COLOR_TYPE_PALETTE)
        {
          png->trns_n = (int) MIN (n, 256);
          memcpy (png->trns, body, png->trns_n);
        }
      for (guint32 i = 0; png->color != PNG_COLOR_TYPE_PALETTE && i < 3 && 2 * i + 1 < n; i++)
        png->trns_key[i] = be16 (body + 2 * i);
    }
  else if (memcmp (type, "IDAT", 4) == 0)
    g_byte_array_append (png->idat, body, n);
}

static void
ref_parse (const guint8 *data, gsize len, RefPng *png)
{
  gsize pos = 8;

  g_assert_cmpuint (len, >=, 8);
  g_assert_cmpmem (data, 8, png_signature, 8);
  while (pos + 12 <= len)
    {
      guint32 n = be32 (data + pos);
      const char *type = (const char *) data + pos + 4;

      g_assert_cmpuint (pos + 12 + (gsize) n, <=, len);
      ref_chunk (png, type, data + pos + 8, n);
      if (memcmp (type, "IEND", 4) == 0)
        break;
      pos += 12 + (gsize) n;
    }
  g_assert_cmpuint (png->width, >, 0);
  g_assert_cmpuint (png->idat->len, >, 0);
}

static gboolean
ref_pass_size (const RefPng *png, int pass, guint32 *w, guint32 *h)
{
  guint32 x0 = png->interlaced ? adam7_x0[pass] : 0, dx = png->interlaced ? adam7_dx[pass] : 1;
  guint32 y0 = png->interlaced ? adam7_y0[pass] : 0, dy = png->interlaced ? adam7_dy[pass] : 1;

  *w = png->width > x0 ? (png->width - x0 + dx - 1) / dx : 0;
  *h = png->height > y0 ? (png->height - y0 + dy - 1) / dy : 0;
  return *w > 0 && *h > 0;
}

static gsize
ref_row_bytes (const RefPng *png, guint32 w)
{
  return ((gsize) w * png_test_channels (png->color) * png->depth + 7) / 8;
}

static guint8 *
ref_inflate (const RefPng *png, gsize *len)
{
  int passes = png->interlaced ? 7 : 1;
  gsize total = 0;
  uLongf out_len;
  guint8 *out;

  for (int pass = 0; pass < passes; pass++)
    {
      guint32 w, h;

      if (ref_pass_size (png, pass, &w, &h))
        total += (gsize) h * (1 + ref_row_bytes (png, w));
    }
  out = g_malloc (total);
  out_len = total;
  g_assert_cmpint (uncompress (out, &out_len, png->idat->data, png->idat->len), ==, Z_OK);
  g_assert_cmpuint (out_len, ==, total);
  *len = total;
  return out;
}

static guint8
paeth (guint8 a, guint8 b, guint8 c)
{
  int p = a + b - c, pa = ABS (p - a), pb = ABS (p - b), pc = ABS (p - c);

  if (pa <= pb && pa <= pc)
    return a;
  return pb <= pc ? b : c;
}

/* Undoes the filter of @row in place; @prev is the previous row of the pass
 * (unfiltered) or zeroes. */
static void
ref_unfilter (guint8 filter, guint8 *row, const guint8 *prev, gsize n, gsize bpp)
{
  for (gsize i = 0; i < n; i++)
    {
      guint8 a = i >= bpp ? row[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;

      switch (filter)
        {
        case 0:
          break;
        case 1:
          row[i] += a;
          break;
        case 2:
          row[i] += b;
          break;
        case 3:
          row[i] += (guint8) ((a + b) / 2);
          break;
        case 4:
          row[i] += paeth (a, b, c);
          break;
        default:
          g_error ("filter type %u", filter);
        }
    }
}

static guint16
ref_sample (const guint8 *row, gsize index, int depth)
{
  if (depth == 16)
    return be16 (row + 2 * index);
  if (depth == 8)
    return row[index];
  {
    gsize bit = index * (gsize) depth;
    int shift = 8 - depth - (int) (bit % 8);

    return (guint16) ((row[bit / 8] >> shift) & ((1 << depth) - 1));
  }
}

/* One pixel of raw samples @s to RGBA at the precision PngTestPixels uses. */
static void
ref_to_rgba (const RefPng *png, const guint16 *s, guint16 *out)
{
  guint16 max = png->depth == 16 ? 65535 : 255;
  guint16 scale = png->depth < 8 ? 255 / ((1 << png->depth) - 1) : 1;

  switch (png->color)
    {
    case PNG_COLOR_TYPE_GRAY:
      out[0] = out[1] = out[2] = s[0] * scale;
      out[3] = png->has_trns && s[0] == png->trns_key[0] ? 0 : max;
      break;
    case PNG_COLOR_TYPE_RGB:
      memcpy (out, s, 3 * sizeof *s);
      out[3] = png->has_trns && memcmp (s, png->trns_key, 3 * sizeof *s) == 0 ? 0 : max;
      break;
    case PNG_COLOR_TYPE_PALETTE:
      g_assert_cmpint (s[0], <, png->plte_n);
      for (int i = 0; i < 3; i++)
        out[i] = png->plte[s[0]][i];
      out[3] = s[0] < png->trns_n ? png->trns[s[0]] : 255;
      break;
    case PNG_COLOR_TYPE_GRAY_ALPHA:
      out[0] = out[1] = out[2] = s[0];
      out[3] = s[1];
      break;
    case PNG_COLOR_TYPE_RGB_ALPHA:
      memcpy (out, s, 4 * sizeof *s);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
ref_decode_pass (const RefPng *png, int pass, guint8 **raw, PngTestPixels *out)
{
  int channels = png_test_channels (png->color);
  gsize bpp = MAX (1, channels * png->depth / 8);
  guint32 x0 = png->interlaced ? adam7_x0[pass] : 0, dx = png->interlaced ? adam7_dx[pass] : 1;
  guint32 y0 = png->interlaced ? adam7_y0[pass] : 0, dy = png->interlaced ? adam7_dy[pass] : 1;
  guint32 w, h;
  gsize n;
  g_autofree guint8 *prev = NULL;

  if (!ref_pass_size (png, pass, &w, &h))
    return;
  n = ref_row_bytes (png, w);
  prev = g_malloc0 (n);
  for (guint32 j = 0; j < h; j++, *raw += 1 + n)
    {
      guint8 *row = *raw + 1;

      ref_unfilter (**raw, row, prev, n, bpp);
      for (guint32 i = 0; i < w; i++)
        {
          guint16 s[4];
          gsize at = ((gsize) (y0 + j * dy) * png->width + x0 + i * dx) * 4;

          for (int c = 0; c < channels; c++)
            s[c] = ref_sample (row, (gsize) i * channels + c, png->depth);
          ref_to_rgba (png, s, out->rgba + at);
        }
      memcpy (prev, row, n);
    }
}

void
png_test_reference_decode (const char *path, PngTestPixels *out)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree guint8 *raw = NULL;
  guint8 *cursor;
  gsize len, raw_len;
  RefPng png = { 0 };

  if (!g_file_get_contents (path, &data, &len, &error))
    g_error ("%s", error->message);
  png.idat = g_byte_array_new ();
  ref_parse ((const guint8 *) data, len, &png);
  raw = ref_inflate (&png, &raw_len);
  out->width = png.width;
  out->height = png.height;
  out->wide = png.depth == 16;
  out->has_alpha = png.has_trns || (png.color & PNG_COLOR_MASK_ALPHA) != 0;
  out->rgba = g_new0 (guint16, (gsize) png.width * png.height * 4);
  cursor = raw;
  for (int pass = 0; pass < (png.interlaced ? 7 : 1); pass++)
    ref_decode_pass (&png, pass, &cursor, out);
  g_assert_true (cursor == raw + raw_len);
  g_byte_array_unref (png.idat);
}

/* Comparing */

void
png_test_pixels_from_image (const ShmvImage *image, PngTestPixels *out)
{
  unsigned bpp = shmv_format_bytes_per_pixel (image->format);

  g_assert_cmpuint (bpp, >, 0);
  out->width = image->width;
  out->height = image->height;
  out->wide = image->format == SHMV_FORMAT_RGB16 || image->format == SHMV_FORMAT_RGBA16;
  out->has_alpha = image->format == SHMV_FORMAT_RGBA8 || image->format == SHMV_FORMAT_RGBA16;
  out->rgba = g_new (guint16, (gsize) image->width * image->height * 4);
  for (guint32 y = 0; y < image->height; y++)
    for (guint32 x = 0; x < image->width; x++)
      {
        const guint8 *p = image->pixels + y * image->stride + (gsize) x * bpp;
        guint16 *q = out->rgba + ((gsize) y * image->width + x) * 4;
        int n = out->has_alpha ? 4 : 3;

        for (int c = 0; c < n; c++)
          if (out->wide)
            memcpy (&q[c], p + 2 * c, 2);
          else
            q[c] = p[c];
        if (!out->has_alpha)
          q[3] = out->wide ? 65535 : 255;
      }
}

void
png_test_assert_pixels_equal (const PngTestPixels *a, const PngTestPixels *b, const char *what)
{
  gsize n = (gsize) a->width * a->height * 4;

  g_assert_cmpuint (a->width, ==, b->width);
  g_assert_cmpuint (a->height, ==, b->height);
  g_assert_cmpint (a->wide, ==, b->wide);
  g_assert_cmpint (a->has_alpha, ==, b->has_alpha);
  for (gsize i = 0; i < n; i++)
    if (a->rgba[i] != b->rgba[i])
      {
        gsize pixel = i / 4;

        g_test_message ("%s: first difference at x=%" G_GSIZE_FORMAT " y=%" G_GSIZE_FORMAT
                        " sample %" G_GSIZE_FORMAT,
                        what, pixel % a->width, pixel / a->width, i % 4);
        g_assert_cmpuint (a->rgba[i], ==, b->rgba[i]);
      }
}

/* Writing exact test images */

void
png_test_spec_init (PngTestSpec *spec,
                    guint32 width,
                    guint32 height,
                    int color_type,
                    int bit_depth,
                    gboolean interlaced,
                    gboolean trns,
                    guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  int channels = png_test_channels (color_type);
  gsize n = (gsize) width * height * channels;
  guint32 limit = 1u << bit_depth;

  memset (spec, 0, sizeof *spec);
  spec->width = width;
  spec->height = height;
  spec->bit_depth = bit_depth;
  spec->color_type = color_type;
  spec->interlaced = interlaced;
  spec->trns = trns;
  if (color_type == PNG_COLOR_TYPE_PALETTE)
    {
      /* Not a full palette at 8 bits: indices stay below its size. */
      spec->palette_size = bit_depth == 8 ? 181 : (int) limit;
      limit = (guint32) spec->palette_size;
      for (int i = 0; i < spec->palette_size; i++)
        for (int c = 0; c < 3; c++)
          spec->palette[i][c] = (guint8) g_rand_int_range (rand, 0, 256);
      /* Fewer alphas than entries: the rest must come out opaque. */
      spec->trns_count = trns ? MAX (1, spec->palette_size / 2) : 0;
      for (int i = 0; i < spec->trns_count; i++)
        spec->palette_alpha[i] = (guint8) g_rand_int_range (rand, 0, 256);
    }
  spec->samples = g_new (guint16, n);
  for (gsize i = 0; i < n; i++)
    spec->samples[i] = (guint16) g_rand_int_range (rand, 0, (gint32) limit);
  /* The key colour is the first pixel's, so at least one pixel matches it. */
  for (int c = 0; trns && c < channels && color_type != PNG_COLOR_TYPE_PALETTE; c++)
    spec->trns_key[c] = spec->samples[c];
}

void
png_test_spec_clear (PngTestSpec *spec)
{
  g_clear_pointer (&spec->samples, g_free);
}

static void
test_png_error (png_structp png, png_const_charp message)
{
  g_error ("libpng (test writer): %s", message);
}

static void
test_png_warning (png_structp png, png_const_charp message)
{
  g_error ("libpng (test writer) warning: %s", message);
}

/* The samples packed the way PNG stores them: big-endian, several per byte
 * below 8 bits. */
static guint8 *
spec_pack_row (const PngTestSpec *spec, guint32 y, gsize *row_bytes)
{
  int channels = png_test_channels (spec->color_type);
  gsize n = (gsize) spec->width * channels;
  const guint16 *s = spec->samples + y * n;
  guint8 *row;

  *row_bytes = (n * spec->bit_depth + 7) / 8;
  row = g_malloc0 (*row_bytes);
  for (gsize i = 0; i < n; i++)
    if (spec->bit_depth == 16)
      {
        row[2 * i] = s[i] >> 8;
        row[2 * i + 1] = s[i] & 0xff;
      }
    else
      {
        gsize bit = i * spec->bit_depth;

        row[bit / 8] |= (guint8) (s[i] << (8 - spec->bit_depth - bit % 8));
      }
  return row;
}

static void
spec_set_chunks (const PngTestSpec *spec, png_structp png, png_infop info)
{
  png_color palette[256];
  png_color_16 key = { 0 };

  png_set_IHDR (png, info, spec->width, spec->height, spec->bit_depth, spec->color_type,
                spec->interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (spec->color_type == PNG_COLOR_TYPE_PALETTE)
    {
      for (int i = 0; i < spec->palette_size; i++)
        palette[i] = (png_color){ spec->palette[i][0], spec->palette[i][1], spec->palette[i][2] };
      png_set_PLTE (png, info, palette, spec->palette_size);
    }
  if (!spec->trns)
    return;
  key.gray = key.red = spec->trns_key[0];
  key.green = spec->trns_key[1];
  key.blue = spec->trns_key[2];
  if (spec->color_type == PNG_COLOR_TYPE_PALETTE)
    png_set_tRNS (png, info, spec->palette_alpha, spec->trns_count, NULL);
  else
    png_set_tRNS (png, info, NULL, 0, &key);
}

void
png_test_spec_write (const PngTestSpec *spec, const char *path)
{
  FILE *file = fopen (path, "wb");
  png_structp png;
  png_infop info;
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);

  g_assert_nonnull (file);
  png = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL, test_png_error, test_png_warning);
  info = png_create_info_struct (png);
  png_init_io (png, file);
  spec_set_chunks (spec, png, info);
  for (guint32 y = 0; y < spec->height; y++)
    {
      gsize row_bytes;

      g_ptr_array_add (rows, spec_pack_row (spec, y, &row_bytes));
    }
  png_write_info (png, info);
  png_write_image (png, (png_bytepp) rows->pdata);
  png_write_end (png, NULL);
  png_destroy_write_struct (&png, &info);
  g_assert_cmpint (fclose (file), ==, 0);
}

void
png_test_spec_expected (const PngTestSpec *spec, PngTestPixels *out)
{
  int channels = png_test_channels (spec->color_type);
  gsize n = (gsize) spec->width * spec->height;
  guint16 max = spec->bit_depth == 16 ? 65535 : 255;
  guint16 scale = spec->bit_depth < 8 ? 255 / ((1 << spec->bit_depth) - 1) : 1;
  gboolean palette = spec->color_type == PNG_COLOR_TYPE_PALETTE;

  out->width = spec->width;
  out->height = spec->height;
  out->wide = spec->bit_depth == 16;
  out->has_alpha = spec->trns || (spec->color_type & PNG_COLOR_MASK_ALPHA) != 0;
  out->rgba = g_new (guint16, n * 4);
  for (gsize i = 0; i < n; i++)
    {
      const guint16 *s = spec->samples + i * channels;
      guint16 *q = out->rgba + i * 4;
      gboolean keyed =
          spec->trns && !palette && memcmp (s, spec->trns_key, (gsize) MIN (channels, 3) * 2) == 0;

      if (palette)
        {
          for (int c = 0; c < 3; c++)
            q[c] = spec->palette[s[0]][c];
          q[3] = s[0] < spec->trns_count ? spec->palette_alpha[s[0]] : 255;
          continue;
        }
      /* Gray (with or without alpha) repeats its one sample as R, G and B. */
      for (int c = 0; c < 3; c++)
        q[c] = s[channels >= 3 ? c : 0] * scale;
      q[3] = (spec->color_type & PNG_COLOR_MASK_ALPHA) ? s[channels - 1] : keyed ? 0 : max;
    }
}

/* A header with no image behind it */

static void
bytes_write (png_structp png, png_bytep data, size_t len)
{
  g_byte_array_append (png_get_io_ptr (png), data, (guint) len);
}

static void
bytes_flush (png_structp png)
{
}

GBytes *
png_test_header_only (guint32 width, guint32 height)
{
  static const guint8 token_idat[] = { 0x78, 0x01, 0x01, 0x00, 0x00, 0xff, 0xff };
  GByteArray *bytes = g_byte_array_new ();
  png_structp png;
  png_infop info;

  png = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL, test_png_error, test_png_warning);
  info = png_create_info_struct (png);
  png_set_write_fn (png, bytes, bytes_write, bytes_flush);
  png_set_user_limits (png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
  png_set_IHDR (png, info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info (png, info);
  png_write_chunk (png, (png_const_bytep) "IDAT", token_idat, sizeof token_idat);
  png_write_chunk (png, (png_const_bytep) "IEND", NULL, 0);
  png_destroy_write_struct (&png, &info);
  return g_byte_array_free_to_bytes (bytes);
}

/* Temporary directories */
