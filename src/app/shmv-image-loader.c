/* shmv-image-loader.c: decode an image file and publish it on a channel (worker threads)
 *
 * PNG goes through libshmview's libpng decoder, which keeps 16-bit samples
 * and decodes outside the channel lock before one copy into the channel. Everything else goes
 * through gdk-pixbuf, the loaders GTK itself uses, so a JPEG that opens in
 * other GNOME apps opens here too; it is fed in chunks so that progress and
 * cancellation work for those formats as well.
 *
 * Everything here runs in a worker thread and may block on I/O.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-image-loader"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "shmv-app-error.h"
#include "shmv-events.h"
#include "shmv-gerror.h"
#include "shmv-image-loader.h"

#define HEAD_LEN   24 /* PNG signature, IHDR length and type, width, height */
#define CHUNK_SIZE (256 * 1024)

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

typedef struct
{
  GFile *file;
  char *name; /* for messages: the base name */
  guint64 max_pixels;
  ShmvLoadProgressFunc progress;
  gpointer progress_data;
  GCancellable *cancellable;
  guint32 width; /* as announced by the file's header */
  guint32 height;
  gboolean too_large;
} Load;

/* Returns FALSE, for `return set_…_error (…);`. */
static gboolean
set_too_large_error (Load *load, GError **error)
{
  g_autofree char *limit = g_strdup_printf ("%" G_GUINT64_FORMAT, load->max_pixels);

  g_set_error (error, SHMV_APP_ERROR, SHMV_APP_ERROR_TOO_LARGE,
               /* TRANSLATORS: "“photo.png” is too large: 100000 × 100000 pixels; the limit is
                  268435456 pixels" */
               _ ("“%s” is too large: %u × %u pixels; the limit is %s pixels"), load->name,
               load->width, load->height, limit);
  return FALSE;
}

static gboolean
set_unreadable_error (Load *load, const GError *cause, GError **error)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, cause->message);
  else
    g_set_error (error, SHMV_APP_ERROR, SHMV_APP_ERROR_UNREADABLE, _ ("Cannot read “%s”: %s"),
                 load->name, cause->message);
  return FALSE;
}

static gboolean
set_cancelled_error (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("Loading was cancelled"));
  return FALSE;
}

static gboolean
report_progress (Load *load, double fraction)
{
  if (g_cancellable_is_cancelled (load->cancellable))
    return FALSE;
  if (load->progress != NULL)
    return load->progress (CLAMP (fraction, 0.0, 1.0), load->progress_data);
  return TRUE;
}

/* --- PNG, through libshmview ------------------------------------------- */

static gboolean
is_png (const guint8 *head, gsize len)
{
  return len >= sizeof png_signature && memcmp (head, png_signature, sizeof png_signature) == 0;
}

/* Reads IHDR ourselves so an oversized image gets a message that names its
 * size, rather than the decoder's generic refusal. */
static gboolean
png_header_size (const guint8 *head, gsize len, guint32 *width, guint32 *height)
{
  guint32 w, h;

  if (len < HEAD_LEN || memcmp (head + 12, "IHDR", 4) != 0)
    return FALSE;
  memcpy (&w, head + 16, 4);
  memcpy (&h, head + 20, 4);
  *width = GUINT32_FROM_BE (w);
  *height = GUINT32_FROM_BE (h);
  return TRUE;
}

static bool
on_png_progress (double fraction, void *user_data)
{
  return report_progress (user_data, fraction);
}

/* What the PNG decoder said about the file at @path, for the user; FALSE
 * when the failure is not the file's (the caller reports it). Our own
 * sentence names the file: the reason alone follows it. */
static gboolean
set_png_error (Load *load,
               const char *path,
               ShmvError code,
               int sys_errno,
               const char *message,
               GError **error)
{
  g_autoptr (GError) reason = NULL;

  switch (code)
    {
    case SHMV_ERROR_CANCELLED:
      set_cancelled_error (error);
      return TRUE;
    case SHMV_ERROR_IO:
      reason = shmv_gerror_new_for_file (code, sys_errno, message, path);
      g_set_error (error, SHMV_APP_ERROR, SHMV_APP_ERROR_UNREADABLE, _ ("Cannot read “%s”: %s"),
                   load->name, reason->message);
      return TRUE;
    case SHMV_ERROR_IMAGE:
      g_set_error (error, SHMV_APP_ERROR, SHMV_APP_ERROR_CORRUPT,
                   _ ("“%s” is damaged or not a valid PNG image: %s"), load->name,
                   shmv_file_detail (message, path));
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
publish_png (Load *load, const char *path, ShmvChannel *channel, GError **error)
{
  ShmvPngOptions options = {
    .max_pixels = load->max_pixels,
    .progress = on_png_progress,
    .user_data = load,
  };
  if (shmv_channel_publish_png (channel, path, &options))
    return TRUE;

  if (!set_png_error (load, path, shmv_channel_error (channel), shmv_channel_error_errno (channel),
                      shmv_channel_error_string (channel), error))
    g_propagate_error (error, shmv_gerror_new_from_channel (channel));
  return FALSE;
}

static gboolean
load_png (Load *load, const char *path, ShmvImage *image, GError **error)
{
  ShmvPngOptions options = {
    .max_pixels = load->max_pixels,
    .progress = on_png_progress,
    .user_data = load,
  };
  ShmvStatus status = { 0 };

  if (shmv_png_load (path, &options, image, &status))
    return TRUE;
  if (!set_png_error (load, path, status.code, status.sys_errno, status.message, error))
    g_propagate_error (error, shmv_gerror_new_from_status (&status));
  return FALSE;
}

/* --- Other formats, through gdk-pixbuf --------------------------------- */

static void
on_size_prepared (GdkPixbufLoader *loader, int width, int height, gpointer user_data)
{
  Load *load = user_data;

  load->width = (guint32) width;
  load->height = (guint32) height;
  if ((guint64) width * (guint64) height > load->max_pixels)
    {
      load->too_large = TRUE;
      /* Keeps the decoder from allocating the full image before we stop it. */
      gdk_pixbuf_loader_set_size (loader, 1, 1);
    }
}

static gboolean
set_pixbuf_error (Load *load, const GError *cause, GError **error)
{
  if (cause->domain != GDK_PIXBUF_ERROR)
    set_unreadable_error (load, cause, error);
  else if (cause->code == GDK_PIXBUF_ERROR_UNKNOWN_TYPE ||
           cause->code == GDK_PIXBUF_ERROR_UNSUPPORTED_OPERATION)
    g_set_error (error, SHMV_APP_ERROR, SHMV_APP_ERROR_NOT_AN_IMAGE,
                 _ ("“%s” is not an image, or in a format shmview cannot read"), load->name);
  else if (cause->code == GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY)
    g_set_error (error, SHMV_APP_ERROR, SHMV_APP_ERROR_TOO_LARGE,
                 _ ("“%s” is too large to load: %s"), load->name, cause->message);
  else
    g_set_error (error, SHMV_APP_ERROR, SHMV_APP_ERROR_CORRUPT, _ ("“%s” is damaged: %s"),
                 load->name, cause->message);
  return FALSE;
}

static gboolean
feed_loader (Load *load,
             GdkPixbufLoader *loader,
             GInputStream *stream,
             const guint8 *head,
             gsize head_len,
             goffset file_size,
             GError **error)
{
  g_autofree guint8 *chunk = g_malloc (CHUNK_SIZE);
  g_autoptr (GError) local_error = NULL;
  goffset done = (goffset) head_len;

  if (head_len > 0 && !gdk_pixbuf_loader_write (loader, head, head_len, &local_error))
    return set_pixbuf_error (load, local_error, error);

  for (;;)
    {
      gssize n;

      if (load->too_large)
        return set_too_large_error (load, error);
      if (file_size > 0 && !report_progress (load, 0.95 * (double) done / (double) file_size))
        return set_cancelled_error (error);

      n = g_input_stream_read (stream, chunk, CHUNK_SIZE, load->cancellable, &local_error);
      if (n < 0)
        return set_unreadable_error (load, local_error, error);
      if (n == 0)
        return TRUE;
      if (!gdk_pixbuf_loader_write (loader, chunk, (gsize) n, &local_error))
        return set_pixbuf_error (load, local_error, error);
      done += n;
    }
}

static GdkPixbuf *
decode_pixbuf (Load *load,
               GInputStream *stream,
               const guint8 *head,
               gsize head_len,
               goffset file_size,
               GError **error)
{
  g_autoptr (GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr (GError) local_error = NULL;
  GdkPixbuf *pixbuf = NULL;
  gboolean fed;

  if (head_len == 0)
    {
      g_set_error (error, SHMV_APP_ERROR, SHMV_APP_ERROR_NOT_AN_IMAGE, _ ("“%s” is empty"),
                   load->name);
      return NULL;
    }

  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), load);
  fed = feed_loader (load, loader, stream, head, head_len, file_size, error);

  /* Always close: a loader finalized open complains, and closing twice is fine. */
  if (!gdk_pixbuf_loader_close (loader, fed ? &local_error : NULL) && fed)
    {
      set_pixbuf_error (load, local_error, error);
      return NULL;
    }
  if (!fed)
    return NULL;
  if (load->too_large)
    {
      set_too_large_error (load, error);
      return NULL;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      g_set_error (error, SHMV_APP_ERROR, SHMV_APP_ERROR_CORRUPT,
                   _ ("“%s” is damaged: it holds no picture"), load->name);
      return NULL;
    }
  /* Cameras store JPEGs sideways with an EXIF note; show them upright. */
  return gdk_pixbuf_apply_embedded_orientation (pixbuf);
}

/* gdk-pixbuf gives 8-bit RGB or RGBA with straight alpha: exactly two channel
 * formats. Rows are copied into the channel's free slot, one copy in all. */
static gboolean
publish_pixbuf (Load *load, GdkPixbuf *pixbuf, ShmvChannel *channel, GError **error)
{
  guint32 width = (guint32) gdk_pixbuf_get_width (pixbuf);
  guint32 height = (guint32) gdk_pixbuf_get_height (pixbuf);
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  gsize src_stride = (gsize) gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *src = gdk_pixbuf_read_pixels (pixbuf);
  ShmvFormat format = n_channels == 4 ? SHMV_FORMAT_RGBA8 : SHMV_FORMAT_RGB8;
  gsize row_len = (gsize) width * (gsize) n_channels;
  void *dest = NULL;
  size_t dest_stride = 0;

  g_assert (gdk_pixbuf_get_bits_per_sample (pixbuf) == 8);
  g_assert (n_channels == 3 || n_channels == 4);

  load->width = width;
  load->height = height;
  if ((guint64) width * height > load->max_pixels)
    return set_too_large_error (load, error);

  if (!shmv_channel_begin_frame (channel, width, height, format, &dest, &dest_stride))
    return shmv_propagate_channel_error (channel, error);
  for (guint32 y = 0; y < height; y++)
    memcpy ((guint8 *) dest + (gsize) y * dest_stride, src + (gsize) y * src_stride, row_len);
  shmv_channel_rows_done (channel, height);
  if (!shmv_channel_commit_frame (channel, load->name))
    return shmv_propagate_channel_error (channel, error);
  return TRUE;
}

/* The pixbuf's rows in memory of their own, for sinks that encode. */
static gboolean
pixbuf_to_image (Load *load, GdkPixbuf *pixbuf, ShmvImage *image, GError **error)
{
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  gsize src_stride = (gsize) gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *src = gdk_pixbuf_read_pixels (pixbuf);

  image->width = (guint32) gdk_pixbuf_get_width (pixbuf);
  image->height = (guint32) gdk_pixbuf_get_height (pixbuf);
  image->format = n_channels == 4 ? SHMV_FORMAT_RGBA8 : SHMV_FORMAT_RGB8;
  image->stride = (gsize) image->width * (gsize) n_channels;
  load->width = image->width;
  load->height = image->height;
  if ((guint64) image->width * image->height > load->max_pixels)
    return set_too_large_error (load, error);
  /* shmv_image_clear() frees with free(). */
  image->pixels = malloc (MAX (image->stride * image->height, 1));
  if (image->pixels == NULL)
    return set_too_large_error (load, error);
  for (guint32 y = 0; y < image->height; y++)
    memcpy (image->pixels + (gsize) y * image->stride, src + (gsize) y * src_stride, image->stride);
  return TRUE;
}

static gboolean
publish_other (Load *load,
               GInputStream *stream,
               const guint8 *head,
               gsize head_len,
               goffset file_size,
               ShmvChannel *channel,
               GError **error)
{
  g_autoptr (GdkPixbuf) pixbuf = decode_pixbuf (load, stream, head, head_len, file_size, error);

  if (pixbuf == NULL)
    return FALSE;
  if (!report_progress (load, 0.97))
    return set_cancelled_error (error);
  return publish_pixbuf (load, pixbuf, channel, error);
}

/* --- Entry point -------------------------------------------------------- */

static GInputStream *
open_file (Load *load, goffset *size, GError **error)
{
  g_autoptr (GFileInputStream) stream = NULL;
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GError) local_error = NULL;

  stream = g_file_read (load->file, load->cancellable, &local_error);
  if (stream == NULL)
    {
      set_unreadable_error (load, local_error, error);
      return NULL;
    }

  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, load->cancellable,
                                         NULL);
  *size = info != NULL ? g_file_info_get_size (info) : 0;
  return G_INPUT_STREAM (g_steal_pointer (&stream));
}

/* Opens @load's file and reads its head; FALSE with @error set otherwise. */
static GInputStream *
begin_load (Load *load, guint8 *head, gsize *head_len, goffset *file_size, GError **error)
{
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (GError) local_error = NULL;

  if (g_cancellable_set_error_if_cancelled (load->cancellable, error))
    return NULL;
  stream = open_file (load, file_size, error);
  if (stream == NULL)
    return NULL;
  if (!g_input_stream_read_all (stream, head, HEAD_LEN, head_len, load->cancellable, &local_error))
    {
      set_unreadable_error (load, local_error, error);
      return NULL;
    }
  g_debug (SHMV_EVENT_LOADING " (%" G_GOFFSET_FORMAT " bytes)", load->name, *file_size);
  return g_steal_pointer (&stream);
}

/* A PNG (with a path: libpng reads the file itself) whose header fits the limit. */
static gboolean
is_png_within_limit (
    Load *load, const guint8 *head, gsize head_len, const char *path, gboolean *png, GError **error)
{
  *png = is_png (head, head_len) && path != NULL;
  if (*png && png_header_size (head, head_len, &load->width, &load->height) &&
      (guint64) load->width * load->height > load->max_pixels)
    return set_too_large_error (load, error);
  return TRUE;
}

/* Decodes @file into @channel (publishing it) or, without one, into @image. */
static gboolean
load_file (GFile *file,
           guint64 max_pixels,
           ShmvLoadProgressFunc progress,
           gpointer progress_data,
           GCancellable *cancellable,
           ShmvChannel *channel,
           ShmvImage *image,
           GError **error)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  guint8 head[HEAD_LEN];
  gsize head_len = 0;
  goffset file_size = 0;
  gboolean png = FALSE;
  Load load = {
    .file = file,
    .name = name,
    .max_pixels = max_pixels,
    .progress = progress,
    .progress_data = progress_data,
    .cancellable = cancellable,
  };

  stream = begin_load (&load, head, &head_len, &file_size, error);
  if (stream == NULL || !is_png_within_limit (&load, head, head_len, path, &png, error))
    return FALSE;
  if (png)
    {
      /* libpng reads the file itself, from the start. */
      g_clear_object (&stream);
      return channel != NULL ? publish_png (&load, path, channel, error)
                             : load_png (&load, path, image, error);
    }
  if (channel != NULL)
    return publish_other (&load, stream, head, head_len, file_size, channel, error);

  pixbuf = decode_pixbuf (&load, stream, head, head_len, file_size, error);
  if (pixbuf == NULL)
    return FALSE;
  if (!pixbuf_to_image (&load, pixbuf, image, error))
    {
      shmv_image_clear (image);
      return FALSE;
    }
  return TRUE;
}

/**
 * shmv_image_loader_publish:
 * @max_pixels: refuse images with more pixels than this
 * @progress: (nullable): told how far the load is, from this thread
 *
 * Decodes @file and publishes it on @channel, which this thread must have to
 * itself until the call returns. On failure the channel's previous frame
 * stays current. Errors are in SHMV_APP_ERROR (about the file), SHMV_GERROR
 * (about the channel) or G_IO_ERROR_CANCELLED.
 */
gboolean
shmv_image_loader_publish (ShmvChannel *channel,
                           GFile *file,
                           guint64 max_pixels,
                           ShmvLoadProgressFunc progress,
                           gpointer progress_data,
                           GCancellable *cancellable,
                           GError **error)
{
  g_return_val_if_fail (channel != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  return load_file (file, max_pixels, progress, progress_data, cancellable, channel, NULL, error);
}

/**
 * shmv_image_loader_load:
 * @image: (out caller-allocates): shmv_image_clear() it
 *
 * shmv_image_loader_publish() into @image instead of a channel, for sinks
 * that encode the pixels themselves (a Qt segment holds a PNG). Errors are
 * in SHMV_APP_ERROR, SHMV_GERROR or G_IO_ERROR_CANCELLED.
 */
gboolean
shmv_image_loader_load (GFile *file,
                        guint64 max_pixels,
                        ShmvLoadProgressFunc progress,
                        gpointer progress_data,
                        GCancellable *cancellable,
                        ShmvImage *image,
                        GError **error)
{
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (image != NULL, FALSE);

  memset (image, 0, sizeof *image);
  return load_file (file, max_pixels, progress, progress_data, cancellable, NULL, image, error);
}
