/* shmv-png.c: PNG files in and out (libpng), lossless
 *
 * One decoder serves shmv_png_load() and shmv_channel_publish_png(): it reads the
 * header, then decodes rows into a malloc()ed buffer. Publishing decodes
 * there too, outside the channel lock, and then copies the frame in: a slow
 * or stalled input (a pipe, a FIFO, a network file system) must never hold
 * the lock that every other writer of the channel needs.
 *
 * A stream (a pipe, a FIFO, a terminal) has no size to bound the image by,
 * so it is read into memory first (up to what the image its header declares
 * could take), and then decoded like a file of that size.
 *
 * libpng reports errors by longjmp(); run_guarded() is the only function that
 * calls setjmp(), and the work runs in functions it calls, so nothing has to
 * be volatile and -Wclobbered stays quiet.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <shmview/shmv-png.h>

#include "shmv-channel-private.h"
#include "shmv-status.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SHMV_PNG_SWAP_16 1
#else
#define SHMV_PNG_SWAP_16 0
#endif

#define IO_BUFFER_SIZE (64 * 1024)

/* Ancillary chunks (iCCP, zTXt) are compressed and could be bombs of their
 * own; even the images we do take never need more than this per chunk. */
#define CHUNK_MALLOC_MAX (8 * 1024 * 1024)
#define CHUNK_CACHE_MAX  1000

/* Progress reports per image, so a callback that repaints stays cheap. */
#define PROGRESS_STEPS 64

/* The file under a libpng stream, read or written through a buffer of our own
 * so that every system call is checked and its errno kept for the status. */
typedef struct
{
  const char *path;
  ShmvStatus *status;
  int fd;
  bool writing;
  int sys_errno;  /* set by the I/O callbacks before they raise a libpng error */
  uint64_t size;  /* of the file being read */
  bool in_memory; /* a stream, read whole into buf */
  bool borrowed;  /* buf is the caller's bytes (shmv_png_load_memory()), not ours to free */
  uint8_t *buf;
  size_t fill;
  size_t pos;
} FileIo;

typedef struct
{
  FileIo file;
  const ShmvPngOptions *options;
  png_structp png;
  png_infop info;
  uint32_t width;
  uint32_t height;
  ShmvFormat format;
  size_t row_bytes;
  int passes;
  /* where decoder_read() puts rows */
  uint8_t *dest;
  size_t dest_stride;
} PngDecoder;

typedef struct
{
  FileIo file;
  png_structp png;
  png_infop info;
  const uint8_t *pixels;
  uint32_t width;
  uint32_t height;
  size_t stride;
  ShmvFormat format;
} PngEncoder;

typedef bool (*PngStep) (void *data);

static bool
run_guarded (png_structp png, PngStep step, void *data)
{
  if (setjmp (png_jmpbuf (png)) != 0)
    return false; /* io_error() has filled in the status */
  return step (data);
}

static void
io_set_errno (FileIo *file, int err, const char *what)
{
  ShmvStatus *status = file->status;

  shmv_status_set_errno (status, err, "%s: %s", file->path, what);
  if (status == NULL)
    return;
  /* Reading, any failure is an I/O error (the API promises it); writing, a
   * full disk or a read-only directory is worth telling apart. */
  if (!file->writing ||
      (status->code != SHMV_ERROR_PERMISSION_DENIED && status->code != SHMV_ERROR_OUT_OF_RESOURCES))
    status->code = SHMV_ERROR_IO;
}

static void
io_error (png_structp png, png_const_charp reason)
{
  FileIo *file = png_get_error_ptr (png);

  if (file->sys_errno != 0)
    io_set_errno (file, file->sys_errno, file->writing ? "cannot write" : "cannot read");
  else
    shmv_status_set (file->status, SHMV_ERROR_IMAGE, "%s: %s", file->path, reason);
  png_longjmp (png, 1);
}

static void
io_warning (png_structp png, png_const_charp message)
{
  /* The library never prints; what libpng tolerates, we tolerate silently. */
  (void) png;
  (void) message;
}

static bool
io_init (FileIo *file, const char *path, ShmvStatus *status, bool writing)
{
  memset (file, 0, sizeof *file);
  file->path = path;
  file->status = status;
  file->fd = -1;
  file->writing = writing;
  file->buf = malloc (IO_BUFFER_SIZE);
  if (file->buf != NULL)
    return true;
  shmv_status_set_errno (status, ENOMEM, "%s: cannot allocate a buffer", path);
  return false;
}

static void
io_clear (FileIo *file)
{
  if (file->fd >= 0)
    close (file->fd);
  file->fd = -1;
  if (!file->borrowed)
    free (file->buf);
  file->buf = NULL;
}

/* Room for the chunks of a stream besides its image data. */
#define STREAM_MARGIN (UINT64_C (16) << 20)

/* The most a PNG stream of at most @max_pixels can take: every pixel of 8
 * bytes stored uncompressed, a filter byte a row, and chunks around them.
 * Once its first bytes are in (@head, @n bytes), the image's own size
 * bounds it; and something that is no PNG needs nothing more (libpng will
 * say what it is not). */
static uint64_t
stream_max_bytes (const uint8_t *head, size_t n, uint64_t max_pixels)
{
  static const uint8_t signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  uint64_t width, height, raw;

  if (max_pixels > UINT64_MAX / 16)
    return UINT64_MAX;
  if (n < 24)
    return max_pixels * 9 + STREAM_MARGIN;
  if (memcmp (head, signature, sizeof signature) != 0 || memcmp (head + 12, "IHDR", 4) != 0)
    return 0;
  width = (uint64_t) head[16] << 24 | (uint64_t) head[17] << 16 | head[18] << 8 | head[19];
  height = (uint64_t) head[20] << 24 | (uint64_t) head[21] << 16 | head[22] << 8 | head[23];
  if (width * height > max_pixels)
    return max_pixels * 9 + STREAM_MARGIN; /* refused on IHDR, with the limit's message */
  raw = (width * 8 + 1) * height;
  return raw + raw / 16 + STREAM_MARGIN;
}

/* Reads the whole stream into file->buf, as much as a PNG within
 * @max_pixels can take: a stream has no size to bound the image by. */
static bool
io_slurp (FileIo *file, uint64_t max_pixels)
{
  size_t capacity = IO_BUFFER_SIZE;
  uint64_t max = stream_max_bytes (NULL, 0, max_pixels);

  for (;;)
    {
      ssize_t got;

      if (file->fill == capacity)
        {
          uint8_t *grown = capacity <= SIZE_MAX / 2 ? realloc (file->buf, capacity * 2) : NULL;

          if (grown == NULL)
            {
              io_set_errno (file, ENOMEM, "cannot read the stream into memory");
              return false;
            }
          file->buf = grown;
          capacity *= 2;
        }
      do
        got = read (file->fd, file->buf + file->fill, capacity - file->fill);
      while (got < 0 && errno == EINTR);
      if (got < 0)
        {
          io_set_errno (file, errno, "cannot read");
          return false;
        }
      if (got == 0)
        break;
      file->fill += (size_t) got;
      max = stream_max_bytes (file->buf, file->fill, max_pixels);
      if (max == 0)
        break;
      if (file->fill > max)
        {
          shmv_status_set (file->status, SHMV_ERROR_IMAGE,
                           "%s: the stream goes on past %" PRIu64
                           " bytes, more than its image can take",
                           file->path, max);
          return false;
        }
    }
  file->in_memory = true;
  file->size = file->fill;
  return true;
}

/* Opens @file; a stream is read whole (io_slurp()). */
static bool
io_open_read (FileIo *file, uint64_t max_pixels)
{
  struct stat st;

  do
    file->fd = open (file->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  while (file->fd < 0 && errno == EINTR);
  if (file->fd < 0)
    {
      io_set_errno (file, errno, "cannot open");
      return false;
    }
  if (fstat (file->fd, &st) != 0)
    {
      io_set_errno (file, errno, "cannot open");
      return false;
    }
  /* A directory opens fine and fails on read(); say so up front. */
  if (S_ISDIR (st.st_mode))
    {
      io_set_errno (file, EISDIR, "cannot open");
      return false;
    }
  /* A regular file's size is known, and what it can hold is bounded by it
   * (decoder_check_size()); a stream's is known once it is read. */
  if (!S_ISREG (st.st_mode))
    return io_slurp (file, max_pixels);
  file->size = st.st_size > 0 ? (uint64_t) st.st_size : 0;
  return true;
}

static void
io_read (png_structp png, png_bytep data, size_t length)
{
  FileIo *file = png_get_io_ptr (png);

  while (length > 0)
    {
      size_t n;

      if (file->pos == file->fill && file->in_memory)
        png_error (png, "unexpected end of file");
      if (file->pos == file->fill)
        {
          ssize_t got;

          do
            got = read (file->fd, file->buf, IO_BUFFER_SIZE);
          while (got < 0 && errno == EINTR);
          if (got < 0)
            file->sys_errno = errno;
          if (got <= 0)
            png_error (png, "unexpected end of file");
          file->fill = (size_t) got;
          file->pos = 0;
        }
      n = file->fill - file->pos < length ? file->fill - file->pos : length;
      memcpy (data, file->buf + file->pos, n);
      file->pos += n;
      data += n;
      length -= n;
    }
}

static bool
write_all (int fd, const uint8_t *data, size_t length, int *err)
{
  while (length > 0)
    {
      ssize_t n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          *err = errno;
          return false;
        }
      data += n;
      length -= (size_t) n;
    }
  return true;
}

static void
io_flush (png_structp png)
{
  FileIo *file = png_get_io_ptr (png);

  if (!write_all (file->fd, file->buf, file->fill, &file->sys_errno))
    png_error (png, "write error");
  file->fill = 0;
}

static void
io_write (png_structp png, png_bytep data, size_t length)
{
  FileIo *file = png_get_io_ptr (png);

  if (file->fill + length > IO_BUFFER_SIZE)
    io_flush (png);
  if (length >= IO_BUFFER_SIZE)
    {
      if (!write_all (file->fd, data, length, &file->sys_errno))
        png_error (png, "write error");
      return;
    }
  memcpy (file->buf + file->fill, data, length);
  file->fill += length;
}

/* Decoding */

static uint64_t
decoder_max_pixels (const PngDecoder *dec)
{
  if (dec->options == NULL || dec->options->max_pixels == 0)
    return SHMV_PNG_DEFAULT_MAX_PIXELS;
  return dec->options->max_pixels;
}

static void
decoder_set_limits (PngDecoder *dec)
{
  /* We ignore colour management, text and the other ancillary chunks below;
   * skipping them outright (their CRC is still checked) means never
   * inflating or allocating them: libpng 1.6.39 only warns about an
   * over-long sPLT, eXIf, pCAL or sCAL and then allocates it anyway. */
  static const png_byte skipped[] = "iCCP\0iTXt\0tEXt\0zTXt\0sPLT\0eXIf\0pCAL\0sCAL";

  /* libpng's own side limit (a million) would refuse legal long strips; the
   * pixel budget is ours to check, on IHDR, before anything is allocated,
   * and with a message that names the limit. */
  png_set_user_limits (dec->png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
  png_set_chunk_malloc_max (dec->png, CHUNK_MALLOC_MAX);
  png_set_chunk_cache_max (dec->png, CHUNK_CACHE_MAX);
  png_set_keep_unknown_chunks (dec->png, PNG_HANDLE_CHUNK_NEVER, skipped, 8);
}

/* Deflate expands at most 1032:1; a file that declares more image data than
 * that could hold is truncated or a bomb, and we refuse it before allocating
 * the image (the margin covers the chunks around the data). */
#define DEFLATE_MAX_RATIO 1032
#define HEADER_MARGIN     (UINT64_C (1) << 16)

static bool
decoder_check_size (PngDecoder *dec, int depth)
{
  uint64_t pixels = (uint64_t) dec->width * dec->height;
  uint64_t max_pixels = decoder_max_pixels (dec);
  uint64_t bits_per_row = (uint64_t) dec->width * png_get_channels (dec->png, dec->info) * depth;
  uint64_t raw_bytes = (bits_per_row / 8 + 2) * dec->height;

  if (pixels > max_pixels)
    {
      shmv_status_set (dec->file.status, SHMV_ERROR_IMAGE,
                       "%s: %" PRIu32 "x%" PRIu32 " is %" PRIu64
                       " pixels, over the limit of %" PRIu64,
                       dec->file.path, dec->width, dec->height, pixels, max_pixels);
      return false;
    }
  /* A stream's size is known here too: it was read whole (io_slurp()). */
  if ((dec->file.size > 0 || dec->file.in_memory) &&
      raw_bytes / DEFLATE_MAX_RATIO > dec->file.size + HEADER_MARGIN)
    {
      shmv_status_set (dec->file.status, SHMV_ERROR_IMAGE,
                       "%s: %" PRIu64 " bytes are too few for %" PRIu32 "x%" PRIu32
                       " pixels: the %s is cut short or damaged",
                       dec->file.path, dec->file.size, dec->width, dec->height,
                       dec->file.in_memory ? "stream" : "file");
      return false;
    }
  return true;
}

static void
decoder_set_transforms (PngDecoder *dec, int depth, int color)
{
  png_structp png = dec->png;

  if (color == PNG_COLOR_TYPE_PALETTE)
    png_set_palette_to_rgb (png);
  if (color == PNG_COLOR_TYPE_GRAY && depth < 8)
    png_set_expand_gray_1_2_4_to_8 (png);
  /* tRNS is transparency whatever the colour type: a key colour in gray or
   * RGB images, per-entry alpha in palettes. */
  if (png_get_valid (png, dec->info, PNG_INFO_tRNS))
    png_set_tRNS_to_alpha (png);
  if (color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA)
    png_set_gray_to_rgb (png);
  if (depth == 16 && SHMV_PNG_SWAP_16)
    png_set_swap (png);
  dec->passes = png_set_interlace_handling (png);
}

static bool
decoder_set_format (PngDecoder *dec)
{
  int channels = png_get_channels (dec->png, dec->info);
  int depth = png_get_bit_depth (dec->png, dec->info);
  size_t row_bytes = png_get_rowbytes (dec->png, dec->info);

  if (depth == 8)
    dec->format = channels == 4 ? SHMV_FORMAT_RGBA8 : SHMV_FORMAT_RGB8;
  else
    dec->format = channels == 4 ? SHMV_FORMAT_RGBA16 : SHMV_FORMAT_RGB16;
  dec->row_bytes = (size_t) dec->width * shmv_format_bytes_per_pixel (dec->format);
  /* The transforms above always yield one of our four layouts; anything else
   * is a libpng we do not understand, and writing rows would overflow. */
  if ((channels == 3 || channels == 4) && (depth == 8 || depth == 16) &&
      row_bytes == dec->row_bytes)
    return true;
  shmv_status_set (dec->file.status, SHMV_ERROR_IMAGE,
                   "%s: unexpected decoded layout (%d channels of %d bits)", dec->file.path,
                   channels, depth);
  return false;
}

static bool
decoder_read_header_step (void *data)
{
  PngDecoder *dec = data;
  png_uint_32 width, height;
  int depth, color;

  png_set_read_fn (dec->png, &dec->file, io_read);
  decoder_set_limits (dec);
  png_read_info (dec->png, dec->info);
  png_get_IHDR (dec->png, dec->info, &width, &height, &depth, &color, NULL, NULL, NULL);
  dec->width = width;
  dec->height = height;
  /* Before png_read_update_info(): it allocates the row buffers. */
  if (!decoder_check_size (dec, depth))
    return false;
  decoder_set_transforms (dec, depth, color);
  png_read_update_info (dec->png, dec->info);
  return decoder_set_format (dec);
}

/* Reads up to the first image data of dec->file, ready to read:
 * size and format are known afterwards, no pixel memory is allocated yet. */
static bool
decoder_start (PngDecoder *dec, const char *path, ShmvStatus *status)
{
  dec->png = png_create_read_struct (PNG_LIBPNG_VER_STRING, &dec->file, io_error, io_warning);
  if (dec->png != NULL)
    dec->info = png_create_info_struct (dec->png);
  if (dec->info == NULL)
    {
      shmv_status_set_errno (status, ENOMEM, "%s: cannot start decoding", path);
      return false;
    }
  return run_guarded (dec->png, decoder_read_header_step, dec);
}

/* decoder_start() on the file at @path. decoder_close() in every case. */
static bool
decoder_open (PngDecoder *dec, const char *path, const ShmvPngOptions *options, ShmvStatus *status)
{
  memset (dec, 0, sizeof *dec);
  dec->options = options;
  if (!io_init (&dec->file, path, status, false) ||
      !io_open_read (&dec->file, decoder_max_pixels (dec)))
    return false;
  return decoder_start (dec, path, status);
}

/* decoder_start() on @size bytes at @data, which must outlive @dec: read as
 * a stream read whole, so the same bounds apply. decoder_close() in every case. */
static bool
decoder_open_memory (PngDecoder *dec,
                     const void *data,
                     size_t size,
                     const char *name,
                     const ShmvPngOptions *options,
                     ShmvStatus *status)
{
  uint64_t max;

  memset (dec, 0, sizeof *dec);
  dec->options = options;
  dec->file.path = name;
  dec->file.status = status;
  dec->file.fd = -1;
  dec->file.in_memory = true;
  dec->file.borrowed = true;
  dec->file.buf = (uint8_t *) data;
  dec->file.fill = size;
  dec->file.size = size;
  max = stream_max_bytes (data, size, decoder_max_pixels (dec));
  if (max != 0 && size > max)
    {
      shmv_status_set (status, SHMV_ERROR_IMAGE, "%s: %zu bytes, more than its image can take",
                       name, size);
      return false;
    }
  return decoder_start (dec, name, status);
}

static void
decoder_close (PngDecoder *dec)
{
  if (dec->png != NULL)
    png_destroy_read_struct (&dec->png, dec->info != NULL ? &dec->info : NULL, NULL);
  io_clear (&dec->file);
}

static bool
decoder_report (PngDecoder *dec, uint64_t done, uint64_t total)
{
  const ShmvPngOptions *options = dec->options;

  if (options == NULL || options->progress == NULL)
    return true;
  if (options->progress ((double) done / (double) total, options->user_data))
    return true;
  shmv_status_set (dec->file.status, SHMV_ERROR_CANCELLED, "%s: decoding cancelled",
                   dec->file.path);
  return false;
}

static bool
decoder_read_rows_step (void *data)
{
  PngDecoder *dec = data;
  uint64_t total = (uint64_t) dec->passes * dec->height;
  uint64_t every = total / PROGRESS_STEPS > 0 ? total / PROGRESS_STEPS : 1;
  uint64_t done = 0;

  for (int pass = 0; pass < dec->passes; pass++)
    {
      for (uint32_t y = 0; y < dec->height; y++)
        {
          png_read_row (dec->png, dec->dest + y * dec->dest_stride, NULL);
          done++;
          if ((done % every == 0 || done == total) && !decoder_report (dec, done, total))
            return false;
        }
    }
  /* The chunks after the image data must be sound too (a bad IDAT CRC, a
   * missing IEND) before we call the file good. */
  png_read_end (dec->png, NULL);
  return true;
}

/* Decodes the image into @dest, rows @stride bytes apart. */
static bool
decoder_read (PngDecoder *dec, uint8_t *dest, size_t stride)
{
  dec->dest = dest;
  dec->dest_stride = stride;
  return run_guarded (dec->png, decoder_read_rows_step, dec);
}

static bool
check_load_args (const char *path, const void *target, ShmvStatus *status)
{
  if (path != NULL && target != NULL)
    return true;
  shmv_status_set (status, SHMV_ERROR_INVALID_ARGUMENT, "no %s given",
                   path == NULL ? "path" : "destination");
  return false;
}

/* The pixels of the opened @dec into @image. */
static bool
decode_image (PngDecoder *dec, ShmvImage *image, ShmvStatus *status)
{
  const char *path = dec->file.path;
  uint8_t *pixels = NULL;
  size_t size;
  bool ok = false;

  if (__builtin_mul_overflow (dec->row_bytes, (size_t) dec->height, &size) ||
      (pixels = malloc (size)) == NULL)
    {
      shmv_status_set_errno (status, ENOMEM, "%s: cannot allocate %" PRIu32 "x%" PRIu32 " pixels",
                             path, dec->width, dec->height);
      goto out;
    }
  if (!decoder_read (dec, pixels, dec->row_bytes))
    goto out;
  image->width = dec->width;
  image->height = dec->height;
  image->stride = dec->row_bytes;
  image->format = dec->format;
  image->pixels = pixels;
  pixels = NULL;
  ok = true;

out:
  free (pixels);
  return ok;
}

/* A load's first step: a clear status, an empty image, its arguments checked. */
static bool
begin_load (const char *path, ShmvImage *image, ShmvStatus *status)
{
  shmv_status_clear (status);
  if (image != NULL)
    memset (image, 0, sizeof *image);
  return check_load_args (path, image, status);
}

bool
shmv_png_load (const char *path,
               const ShmvPngOptions *options,
               ShmvImage *image,
               ShmvStatus *status)
{
  PngDecoder dec;
  bool ok = false;

  if (!begin_load (path, image, status))
    return false;
  if (decoder_open (&dec, path, options, status))
    ok = decode_image (&dec, image, status);
  decoder_close (&dec);
  return ok;
}

bool
shmv_png_load_memory (const void *data,
                      size_t size,
                      const char *name,
                      const ShmvPngOptions *options,
                      ShmvImage *image,
                      ShmvStatus *status)
{
  PngDecoder dec;
  bool ok = false;

  if (!begin_load (name, image, status))
    return false;
  if (data == NULL && size > 0)
    {
      shmv_status_set (status, SHMV_ERROR_INVALID_ARGUMENT, "no data given");
      return false;
    }
  if (decoder_open_memory (&dec, data, size, name, options, status))
    ok = decode_image (&dec, image, status);
  decoder_close (&dec);
  return ok;
}

static const char *
path_basename (const char *path)
{
  const char *slash = strrchr (path, '/');

  return slash != NULL ? slash + 1 : path;
}

bool
shmv_channel_publish_png (ShmvChannel *ch, const char *path, const ShmvPngOptions *options)
{
  ShmvStatus status;
  ShmvImage image;
  bool ok;

  /* All reading and decoding before the channel is touched: the lock is
   * then held only for the copy, and a refused image changes nothing. */
  if (!shmv_png_load (path, options, &image, &status))
    {
      shmv_channel_set_status (ch, &status);
      return false;
    }
  ok = shmv_channel_publish (ch, image.pixels, image.width, image.height, image.stride,
                             image.format, path_basename (path));
  shmv_image_clear (&image);
  return ok;
}

/* Encoding */

static bool
encoder_write_step (void *data)
{
  PngEncoder *enc = data;
  png_structp png = enc->png;
  bool alpha = enc->format == SHMV_FORMAT_RGBA8 || enc->format == SHMV_FORMAT_RGBA16;
  bool wide = enc->format == SHMV_FORMAT_RGB16 || enc->format == SHMV_FORMAT_RGBA16;

  png_set_write_fn (png, &enc->file, io_write, io_flush);
  /* libpng's default write limit is 10^6 per side; PNG allows 2^31 - 1. */
  png_set_user_limits (png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
  png_set_IHDR (png, enc->info, enc->width, enc->height, wide ? 16 : 8,
                alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  /* Speed over size: the fastest zlib level and one cheap filter save a 4K
   * frame in a fraction of a second; libpng's adaptive filtering would try
   * all five on every row. Large IDAT chunks mean fewer chunk headers. */
  png_set_compression_level (png, 1);
  png_set_filter (png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
  png_set_compression_buffer_size (png, 256 * 1024);
  png_write_info (png, enc->info);
  if (wide && SHMV_PNG_SWAP_16)
    png_set_swap (png);
  for (uint32_t y = 0; y < enc->height; y++)
    png_write_row (png, enc->pixels + (size_t) y * enc->stride);
  png_write_end (png, NULL);
  io_flush (png);
  return true;
}

/* Checks the arguments of a save and makes @enc ready to encode them to
 * the file @name (its descriptor is the caller's to open). */
static bool
begin_save (PngEncoder *enc,
            const char *name,
            const void *pixels,
            uint32_t width,
            uint32_t height,
            size_t stride,
            ShmvFormat format,
            ShmvStatus *status)
{
  unsigned bpp = shmv_format_bytes_per_pixel (format);
  const char *what = NULL;

  *enc = (PngEncoder){
    .pixels = pixels, .width = width, .height = height, .stride = stride, .format = format
  };
  shmv_status_clear (status);
  if (name == NULL || pixels == NULL)
    what = "no path or no pixels given";
  else if (bpp == 0)
    what = "invalid pixel format";
  else if (width == 0 || height == 0 || width > PNG_UINT_31_MAX || height > PNG_UINT_31_MAX)
    what = "invalid image size";
  else if (stride / bpp < width)
    what = "stride shorter than a row";
  if (what == NULL)
    return io_init (&enc->file, name, status, true);
  shmv_status_set (status, SHMV_ERROR_INVALID_ARGUMENT, "%s: %s", name != NULL ? name : "(null)",
                   what);
  return false;
}

/* Unpredictable enough for a temporary name that O_EXCL guards anyway. */
static uint64_t
temp_name_bits (void)
{
  static uint64_t counter;
  struct timespec now;
  uint64_t x;

  clock_gettime (CLOCK_REALTIME, &now);
  x = (uint64_t) now.tv_sec * 1000000000u + (uint64_t) now.tv_nsec;
  x ^= (uint64_t) getpid () << 32;
  x += __atomic_add_fetch (&counter, 1, __ATOMIC_RELAXED) * UINT64_C (0x9E3779B97F4A7C15);
  /* splitmix64's finaliser: every input bit reaches every output bit. */
  x = (x ^ (x >> 30)) * UINT64_C (0xBF58476D1CE4E5B9);
  x = (x ^ (x >> 27)) * UINT64_C (0x94D049BB133111EB);
  return x ^ (x >> 31);
}

/* Creates "<path>.XXXXXX" like mkostemp(), but with @mode (mkostemp()
 * would leave it 0600, whatever the umask says of new files). Returns the
 * fd, or -1 with errno set. */
static int
create_temp_beside (const char *path, mode_t mode, char **temp_path)
{
  static const char digits[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  size_t len = strlen (path);
  char *temp = malloc (len + 8);
  int saved_errno;

  *temp_path = NULL;
  if (temp == NULL)
    return -1;
  for (int attempt = 0; attempt < 100; attempt++)
    {
      uint64_t v = temp_name_bits ();
      int fd;

      memcpy (temp, path, len);
      temp[len] = '.';
      for (int i = 1; i <= 6; i++, v /= 62)
        temp[len + i] = digits[v % 62];
      temp[len + 7] = '\0';
      do
        fd = open (temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, mode);
      while (fd < 0 && errno == EINTR);
      if (fd >= 0)
        {
          *temp_path = temp;
          return fd;
        }
      if (errno != EEXIST)
        break;
    }
  saved_errno = errno;
  free (temp);
  errno = saved_errno;
  return -1;
}

/* Symlinks a save follows before giving up, as the kernel does (ELOOP). */
#define MAX_SYMLINKS 40

/* @link's target, resolved against @link's directory when relative. */
static char *
link_target (const char *link)
{
  const char *slash = strrchr (link, '/');
  size_t dir_len = slash != NULL ? (size_t) (slash - link) + 1 : 0;
  char target[PATH_MAX];
  ssize_t n = readlink (link, target, sizeof target - 1);
  char *joined;

  if (n < 0)
    return NULL;
  target[n] = '\0';
  if (target[0] == '/')
    dir_len = 0;
  joined = malloc (dir_len + (size_t) n + 1);
  if (joined == NULL)
    return NULL;
  memcpy (joined, link, dir_len);
  memcpy (joined + dir_len, target, (size_t) n + 1);
  return joined;
}

/* Where a save to @path really goes: @path with its symlinks followed, to
 * the file they name even if it does not exist yet. Stats it into @st (or
 * sets *@exists false). NULL with errno set on failure. */
static char *
resolve_target (const char *path, struct stat *st, bool *exists)
{
  char *current = strdup (path);

  for (int hops = 0; current != NULL; hops++)
    {
      char *next;

      if (lstat (current, st) != 0)
        {
          *exists = false;
          if (errno == ENOENT)
            return current;
          break;
        }
      *exists = true;
      if (!S_ISLNK (st->st_mode))
        return current;
      if (hops == MAX_SYMLINKS)
        {
          errno = ELOOP;
          break;
        }
      next = link_target (current);
      free (current);
      current = next;
    }
  free (current);
  return NULL;
}

/* Writes through whatever is not a regular file (a FIFO, a device): there is
 * nothing to replace, and a reader may be waiting on the other end. */
static bool
open_through (PngEncoder *enc, const char *target, const struct stat *st)
{
  if (S_ISDIR (st->st_mode))
    {
      io_set_errno (&enc->file, EISDIR, "cannot write");
      return false;
    }
  do
    enc->file.fd = open (target, O_WRONLY | O_CLOEXEC | O_NOCTTY);
  while (enc->file.fd < 0 && errno == EINTR);
  if (enc->file.fd < 0)
    io_set_errno (&enc->file, errno, "cannot open");
  return enc->file.fd >= 0;
}

/* A new file beside @target, to be renamed over it: with an existing file's
 * permissions and, when we may, its owner and group (a new file gets what
 * the umask gives). */
static bool
open_replacement (PngEncoder *enc, const char *target, const struct stat *st, char **temp_path)
{
  enc->file.fd = create_temp_beside (target, st != NULL ? 0600 : 0666, temp_path);
  if (enc->file.fd < 0)
    {
      io_set_errno (&enc->file, errno, "cannot create a file beside it");
      return false;
    }
  if (st == NULL)
    return true;
  /* Owner first: changing it may clear set-id bits that fchmod() restores. */
  if (fchown (enc->file.fd, st->st_uid, st->st_gid) != 0)
    (void) fchown (enc->file.fd, (uid_t) -1, st->st_gid);
  if (fchmod (enc->file.fd, st->st_mode & 07777) != 0)
    {
      io_set_errno (&enc->file, errno, "cannot give it the permissions of the old file");
      return false;
    }
  return true;
}

static bool
encoder_write (PngEncoder *enc)
{
  enc->png = png_create_write_struct (PNG_LIBPNG_VER_STRING, &enc->file, io_error, io_warning);
  if (enc->png != NULL)
    enc->info = png_create_info_struct (enc->png);
  if (enc->info == NULL)
    {
      shmv_status_set_errno (enc->file.status, ENOMEM, "%s: cannot start encoding", enc->file.path);
      return false;
    }
  return run_guarded (enc->png, encoder_write_step, enc);
}

static bool
close_checked (FileIo *file)
{
  int fd = file->fd;

  file->fd = -1;
  /* No retry on EINTR: Linux has closed the descriptor either way. A failed
   * close() can be the first news of a failed write (NFS, quotas). */
  if (close (fd) == 0 || errno == EINTR)
    return true;
  io_set_errno (file, errno, "cannot write");
  return false;
}

bool
shmv_png_save (const char *path,
               const void *pixels,
               uint32_t width,
               uint32_t height,
               size_t stride,
               ShmvFormat format,
               ShmvStatus *status)
{
  PngEncoder enc;
  char *target = NULL;
  char *temp_path = NULL;
  struct stat st;
  bool exists = false;
  bool opened;
  bool ok = false;

  if (!begin_save (&enc, path, pixels, width, height, stride, format, status))
    return false;
  target = resolve_target (path, &st, &exists);
  if (target == NULL)
    {
      io_set_errno (&enc.file, errno, "cannot follow it");
      goto out;
    }
  if (exists && !S_ISREG (st.st_mode))
    opened = open_through (&enc, target, &st);
  else
    opened = open_replacement (&enc, target, exists ? &st : NULL, &temp_path);
  if (!opened)
    goto out;
  /* No fsync(): rename() makes the replacement atomic for other processes,
   * which is what readers of the file see; durability across a power cut is
   * not worth its latency for frames saved from a viewer. */
  if (!encoder_write (&enc) || !close_checked (&enc.file))
    goto out;
  if (temp_path != NULL && rename (temp_path, target) != 0)
    {
      io_set_errno (&enc.file, errno, "cannot replace");
      goto out;
    }
  ok = true;

out:
  if (enc.png != NULL)
    png_destroy_write_struct (&enc.png, enc.info != NULL ? &enc.info : NULL);
  io_clear (&enc.file);
  if (!ok && temp_path != NULL)
    unlink (temp_path);
  free (temp_path);
  free (target);
  return ok;
}

bool
shmv_png_save_fd (int fd,
                  const char *name,
                  const void *pixels,
                  uint32_t width,
                  uint32_t height,
                  size_t stride,
                  ShmvFormat format,
                  ShmvStatus *status)
{
  PngEncoder enc;
  bool ok;

  if (!begin_save (&enc, name, pixels, width, height, stride, format, status))
    return false;
  enc.file.fd = fd;
  ok = encoder_write (&enc);
  if (enc.png != NULL)
    png_destroy_write_struct (&enc.png, enc.info != NULL ? &enc.info : NULL);
  enc.file.fd = -1; /* the caller's */
  io_clear (&enc.file);
  return ok;
}

void
shmv_image_clear (ShmvImage *image)
{
  if (image == NULL)
    return;
  free (image->pixels);
  memset (image, 0, sizeof *image);
}
