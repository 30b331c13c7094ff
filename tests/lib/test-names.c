/* test-names.c: native names and checksums
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <shmview/shmview.h>

#include "shmv-checksum.h"
#include "shmv-names.h"

#include <glib.h>
#include <string.h>
#include <unistd.h>

static char *
native_of (const char *key)
{
  ShmvSegment *seg = shmv_segment_new (key);
  char *name = g_strdup (shmv_segment_native_key (seg));

  shmv_segment_free (seg);
  return name;
}

static void
test_distinct_keys_distinct_names (void)
{
  const char *pairs[][2] = {
    { "Noël", "Nol" },  { "a/b", "a_b" },         { "key", "key1" }, { "ke1y", "key1" },
    { "key1", "key2" }, { "shmview", "Shmview" }, { " ", "  " },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autofree char *a = native_of (pairs[i][0]);
      g_autofree char *b = native_of (pairs[i][1]);

      g_assert_cmpstr (a, !=, b);
    }
}

static void
test_same_key_same_name (void)
{
  g_autofree char *a = native_of ("shmview");
  g_autofree char *b = native_of ("shmview");

  g_assert_cmpstr (a, ==, b);
}

static void
test_names_are_short_and_per_user (void)
{
  g_autofree char *long_key = g_strnfill (10000, 'x');
  g_autofree char *name = native_of (long_key);
  g_autofree char *uid_part = g_strdup_printf ("-%08x-", (unsigned) geteuid ());
  char other_user[SHMV_NATIVE_NAME_SIZE];

  /* macOS allows 31 bytes with the NUL: the scheme must port. */
  g_assert_cmpuint (strlen (name), <=, 30);
  g_assert_true (name[0] == '/');
  g_assert_null (strchr (name + 1, '/'));
  g_assert_nonnull (strstr (name, uid_part));
  shmv_native_name (other_user, SHMV_SEGMENT_PREFIX, long_key, geteuid () + 1);
  g_assert_cmpstr (name, !=, other_user);
}

static void
test_no_key_gives_empty_names (void)
{
  ShmvSegment *seg = shmv_segment_new (NULL);

  g_assert_cmpstr (shmv_segment_key (seg), ==, "");
  g_assert_cmpstr (shmv_segment_native_key (seg), ==, "");
  shmv_segment_free (seg);
}

static void
test_invalid_keys_rejected (void)
{
  const char *bad[] = { "\xff\xfe", "abc\xc3", "\xed\xa0\x80" /* surrogate */ };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      ShmvSegment *seg = shmv_segment_new ("fine");

      g_assert_false (shmv_segment_set_key (seg, bad[i]));
      g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_KEY);
      g_assert_cmpstr (shmv_segment_error_string (seg), !=, "");
      shmv_segment_free (seg);
    }
}

/* Qt's QSharedMemory takes keys of any length, and so do we. */
static void
test_keys_of_any_length_accepted (void)
{
  g_autofree char *huge = g_strnfill (100000, 'k');
  ShmvSegment *seg = shmv_segment_new ("fine");

  g_assert_true (shmv_segment_set_key (seg, huge));
  g_assert_cmpstr (shmv_segment_key (seg), ==, huge);
  g_assert_cmpuint (strlen (shmv_segment_native_key (seg)), <=, 30);
  shmv_segment_free (seg);
}

static void
test_xxh_reference_values (void)
{
  /* From xxhsum -H3 and -H1 (Debian's xxhash package): frames carry XXH3-64,
   * names keep XXH64. */
  g_assert_cmphex (shmv_checksum ("", 0), ==, G_GUINT64_CONSTANT (0x2d06800538d394c2));
  g_assert_cmphex (shmv_checksum ("abc", 3), ==, G_GUINT64_CONSTANT (0x78af5f94892f3950));
  g_assert_cmphex (shmv_name_hash ("", 0), ==, G_GUINT64_CONSTANT (0xef46db3751d8e999));
  g_assert_cmphex (shmv_name_hash ("abc", 3), ==, G_GUINT64_CONSTANT (0x44bc2cf5ad770999));
}

static void
test_fused_copy_matches_plain_hash (void)
{
  guint8 src[777], dst[777];
  GRand *rand = g_rand_new_with_seed (42);

  for (gsize i = 0; i < sizeof src; i++)
    src[i] = (guint8) g_rand_int (rand);
  for (gsize len = 0; len <= sizeof src; len += 1 + len / 7)
    {
      ShmvHasher hasher;

      memset (dst, 0, sizeof dst);
      g_assert_cmphex (shmv_copy_and_checksum (dst, src, len), ==, shmv_checksum (src, len));
      g_assert_cmpmem (dst, len, src, len);
      /* Streaming in uneven pieces gives the same value. */
      shmv_hasher_init (&hasher);
      for (gsize off = 0; off < len; off += 13)
        shmv_hasher_update (&hasher, src + off, MIN (13, len - off));
      g_assert_cmphex (shmv_hasher_finish (&hasher), ==, shmv_checksum (src, len));
    }
  g_rand_free (rand);
}

/* Copies and hashes go in chunks with prefetches ahead (shmv-checksum.c):
 * at every length around the chunk's size and past it, all three give
 * libxxhash's own XXH3-64 of the whole buffer. */
static void
test_chunked_hash_is_xxh3 (void)
{
  static const gsize lengths[] = { 1,    63,   64,   1023, 1024, 1025, 2047,          2048,
                                   3071, 3072, 3073, 8191, 8192, 8193, 9 * 1024 + 17, 65536 + 5 };
  gsize max = 65536 + 6;
  g_autofree guint8 *src = g_malloc (max);
  g_autofree guint8 *dst = g_malloc (max);

  for (gsize i = 0; i < max; i++)
    src[i] = (guint8) (i * 2654435761u >> 11);
  for (gsize k = 0; k < G_N_ELEMENTS (lengths); k++)
    for (gsize shift = 0; shift < 2; shift++)
      {
        gsize len = lengths[k];
        guint64 expect = XXH3_64bits (src + shift, len);

        g_assert_cmphex (shmv_checksum (src + shift, len), ==, expect);
        memset (dst, 0, max);
        g_assert_cmphex (shmv_copy_and_checksum (dst + shift, src + shift, len), ==, expect);
        g_assert_cmpmem (dst + shift, len, src + shift, len);
        memset (dst, 0, max);
        g_assert_cmphex (shmv_checksum_and_copy_out (dst + shift, src + shift, len), ==, expect);
        g_assert_cmpmem (dst + shift, len, src + shift, len);
      }
}

static void
test_fused_copy_large (void)
{
  /* A frame larger than the caches (16 MiB and a bit). */
  gsize len = (16u << 20) + 13;
  g_autofree guint8 *src = g_malloc (len);
  g_autofree guint8 *dst = g_malloc0 (len);

  for (gsize i = 0; i < len; i++)
    src[i] = (guint8) (i * 2654435761u >> 13);
  g_assert_cmphex (shmv_copy_and_checksum (dst, src, len), ==, shmv_checksum (src, len));
  g_assert_true (memcmp (dst, src, len) == 0);
  /* The writer's way, aligned and not. */
  for (gsize shift = 0; shift < 2; shift++)
    {
      memset (dst, 0, len);
      g_assert_cmphex (shmv_checksum_and_copy_out (dst + shift, src, len - shift), ==,
                       shmv_checksum (src, len - shift));
      g_assert_true (memcmp (dst + shift, src, len - shift) == 0);
    }
}

static void
test_formats (void)
{
  for (ShmvFormat f = SHMV_FORMAT_RGB8; f <= SHMV_FORMAT_RGBA16; f++)
    g_assert_cmpint (shmv_format_from_name (shmv_format_name (f)), ==, f);
  g_assert_cmpuint (shmv_format_bytes_per_pixel (SHMV_FORMAT_RGBA16), ==, 8);
  g_assert_cmpint (shmv_format_from_name ("BGR8"), ==, SHMV_FORMAT_INVALID);
  g_assert_null (shmv_format_name (SHMV_FORMAT_INVALID));
  g_assert_cmpstr (shmv_error_name (SHMV_ERROR_CORRUPT), ==, "SHMV_ERROR_CORRUPT");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/names/distinct-keys-give-distinct-names", test_distinct_keys_distinct_names);
  g_test_add_func ("/names/same-key-same-name", test_same_key_same_name);
  g_test_add_func ("/names/short-and-per-user", test_names_are_short_and_per_user);
  g_test_add_func ("/names/no-key-gives-empty-names", test_no_key_gives_empty_names);
  g_test_add_func ("/names/invalid-keys-rejected", test_invalid_keys_rejected);
  g_test_add_func ("/names/keys-of-any-length-accepted", test_keys_of_any_length_accepted);
  g_test_add_func ("/checksum/xxh-reference-values", test_xxh_reference_values);
  g_test_add_func ("/checksum/fused-copy-matches-plain-hash", test_fused_copy_matches_plain_hash);
  g_test_add_func ("/checksum/chunked-hash-is-xxh3", test_chunked_hash_is_xxh3);
  g_test_add_func ("/checksum/fused-copy-large", test_fused_copy_large);
  g_test_add_func ("/format/names-and-sizes", test_formats);
  return g_test_run ();
}
