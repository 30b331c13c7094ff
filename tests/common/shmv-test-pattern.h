/* shmv-test-pattern.h: the test pattern, as bytes, images and PNG files
 *
 * One pattern for every test: byte i of the pattern of a seed is the seed
 * times 31 plus a hash of i, modulo 256. Patterns of two seeds differ in
 * every byte, so a frame that mixes two publishes shows without a checksum;
 * a byte out of place shows too; the seed of a frame can be read back from
 * its first byte; and the pattern is noise, which does not compress.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

/* @bytes bytes of the pattern of @seed. Free with g_free(). */
guint8 *shmv_test_pattern_new (gsize bytes, guint32 seed);

/* Whether @pixels are exactly the first @bytes of the pattern of @seed. */
gboolean shmv_test_pattern_matches (const guint8 *pixels, gsize bytes, guint32 seed);

/* The seed of a pattern (modulo 256), from its first byte. */
guint32 shmv_test_pattern_seed (const guint8 *pixels);

/* A @width x @height image in @format, rows without padding (*@stride),
 * of the pattern of @seed with every alpha sample opaque: GDK downloads
 * premultiplied pixels, equal to these only then. Free with g_free(). */
guint8 *shmv_test_pattern_image (
    guint32 width, guint32 height, ShmvFormat format, guint32 seed, gsize *stride);

/* Writes shmv_test_pattern_image() to @path as a PNG through libshmview;
 * returns its pixels. */
guint8 *shmv_test_write_png (
    const char *path, guint32 width, guint32 height, ShmvFormat format, guint32 seed);

/* The same, written to @dir/@name; returns the path. */
char *shmv_test_make_png (const char *dir,
                          const char *name,
                          guint32 width,
                          guint32 height,
                          ShmvFormat format,
                          guint32 seed);

/* Asserts that two PNG files decode to the same size, format and pixels. */
void shmv_test_assert_same_pixels (const char *expected_png, const char *actual_png);

G_END_DECLS
