/* shmv-pixel-readout.c: the zoom level and a pixel's raw samples, as text
 *
 * The samples come from the frame's own bytes, not from the texture on
 * screen: a 16-bit frame reads 0–65535, exactly what the writer published.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "shmv-pixel-readout.h"

/**
 * shmv_pixel_samples:
 * @samples: (out): R, G, B and, with alpha, A, in the frame's depth
 * @n_samples: (out): 3 or 4
 *
 * Returns: FALSE if (@x, @y) is outside the frame or @pixels are too short.
 */
gboolean
shmv_pixel_samples (const ShmvFrameInfo *info,
                    GBytes *pixels,
                    guint32 x,
                    guint32 y,
                    guint samples[4],
                    guint *n_samples)
{
  guint bpp = shmv_format_bytes_per_pixel (info->format);
  gboolean wide = info->format == SHMV_FORMAT_RGB16 || info->format == SHMV_FORMAT_RGBA16;
  guint channels = info->format == SHMV_FORMAT_RGBA8 || info->format == SHMV_FORMAT_RGBA16 ? 4 : 3;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (pixels, &size);
  gsize at = (gsize) y * info->stride + (gsize) x * bpp;

  if (bpp == 0 || x >= info->width || y >= info->height || at + bpp > size)
    return FALSE;

  for (guint c = 0; c < channels; c++)
    {
      if (wide)
        {
          guint16 sample;

          /* The channel's 16-bit samples are native-endian, as GDK's. */
          memcpy (&sample, data + at + 2 * c, sizeof sample);
          samples[c] = sample;
        }
      else
        samples[c] = data[at + c];
    }
  *n_samples = channels;
  return TRUE;
}

/** shmv_pixel_readout: "x 3, y 5 · R 12 G 200 B 7 A 255", or NULL outside the frame. */
char *
shmv_pixel_readout (const ShmvFrameInfo *info, GBytes *pixels, guint32 x, guint32 y)
{
  guint s[4] = { 0 };
  guint n = 0;

  if (!shmv_pixel_samples (info, pixels, x, y, s, &n))
    return NULL;
  if (n == 4)
    /* TRANSLATORS: a pixel's position and its raw red, green, blue and alpha samples */
    return g_strdup_printf (_ ("x %u, y %u · R %u G %u B %u A %u"), x, y, s[0], s[1], s[2], s[3]);
  /* TRANSLATORS: a pixel's position and its raw red, green and blue samples */
  return g_strdup_printf (_ ("x %u, y %u · R %u G %u B %u"), x, y, s[0], s[1], s[2]);
}

/** shmv_zoom_text: "400 %": the zoom level, rounded to a whole percent. */
char *
shmv_zoom_text (double zoom)
{
  /* TRANSLATORS: the zoom level in percent; 100 % shows each image pixel as one screen pixel */
  return g_strdup_printf (_ ("%.0f %%"), round (zoom * 100.0));
}
