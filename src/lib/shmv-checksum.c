/* shmv-checksum.c: frame checksums and name hashes, from libxxhash
 *
 * Frames carry XXH3-64: vectorised (SSE2 on x86-64, NEON on aarch64), it
 * hashes 45-55 GB/s in L1 and about 30 GB/s from memory here, so a block
 * hashed while it is in L1 costs little beside its copy, and a verification
 * pass alone costs about one read of the frame. libxxhash's dispatching
 * entry points (AVX2, AVX-512) were no faster on the machines measured, so
 * the plain ones are used. The hand-written scalar XXH64 it replaces ran at
 * 15-20 GB/s.
 *
 * Native names and the segment prefix keep XXH64 (libxxhash's, bit for bit
 * the one we had): changing them would rename every segment for nothing.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-checksum.h"

#include <shmview/shmv-channel.h>

#include <string.h>

#if defined(__x86_64__)
#include <emmintrin.h>
#endif

/* Copy and hash in blocks this size: small enough that a block is still in
 * L1 (32-48 KiB on current cores) for the second of the two passes, large
 * enough that the per-block calls cost nothing. Tuned with shmview-bench
 * (8, 16, 32, 64 KiB: 16 was best, 64 cost 10%). */
#define FUSED_BLOCK (16 * 1024)

void
shmv_hasher_init (ShmvHasher *hasher)
{
  XXH3_INITSTATE (&hasher->state);
  XXH3_64bits_reset (&hasher->state);
}

void
shmv_hasher_update (ShmvHasher *hasher, const void *data, size_t len)
{
  XXH3_64bits_update (&hasher->state, data, len);
}

uint64_t
shmv_hasher_finish (const ShmvHasher *hasher)
{
  return XXH3_64bits_digest (&hasher->state);
}

uint64_t
shmv_checksum (const void *data, size_t len)
{
  return XXH3_64bits (data, len);
}

/* memcpy() with stores that bypass the caches, for blocks of whole 64-byte
 * lines (the rest goes through memcpy). */
static void
copy_streaming (uint8_t *d, const uint8_t *s, size_t n)
{
#if defined(__x86_64__)
  size_t lines = ((uintptr_t) d % 16) == 0 ? n / 64 : 0;

  for (size_t i = 0; i < lines; i++, d += 64, s += 64)
    {
      __m128i a = _mm_loadu_si128 ((const __m128i *) s);
      __m128i b = _mm_loadu_si128 ((const __m128i *) (s + 16));
      __m128i c = _mm_loadu_si128 ((const __m128i *) (s + 32));
      __m128i e = _mm_loadu_si128 ((const __m128i *) (s + 48));

      _mm_stream_si128 ((__m128i *) d, a);
      _mm_stream_si128 ((__m128i *) (d + 16), b);
      _mm_stream_si128 ((__m128i *) (d + 32), c);
      _mm_stream_si128 ((__m128i *) (d + 48), e);
    }
  n -= lines * 64;
#endif
  memcpy (d, s, n);
}

/* A reader's copy into its own buffer: each block is copied, then hashed
 * from L1, so what the reader keeps is exactly what was verified, even if a
 * writer changes the source meanwhile. */
uint64_t
shmv_copy_and_checksum (void *dst, const void *src, size_t len)
{
  ShmvHasher hasher;
  const uint8_t *s = src;
  uint8_t *d = dst;

  if (len <= FUSED_BLOCK)
    {
      memcpy (d, s, len);
      return XXH3_64bits (d, len);
    }
  shmv_hasher_init (&hasher);
  for (size_t done = 0; done < len; done += FUSED_BLOCK)
    {
      size_t n = len - done < FUSED_BLOCK ? len - done : FUSED_BLOCK;

      memcpy (d + done, s + done, n);
      XXH3_64bits_update (&hasher.state, d + done, n);
    }
  return shmv_hasher_finish (&hasher);
}

/* A writer's copy into shared memory: each block of the writer's own pixels
 * is hashed first, which brings it into L1, and then copied from there with
 * stores that bypass our caches. The frame is for readers on other cores:
 * left in our cache, each of their reads would be a snoop into it; in
 * memory it costs them less, and the writer saves the reads for ownership
 * (1080p: publish 0.96 -> 0.67 ms, read unchanged). */
uint64_t
shmv_checksum_and_copy_out (void *dst, const void *src, size_t len)
{
  ShmvHasher hasher;
  const uint8_t *s = src;
  uint8_t *d = dst;

  shmv_hasher_init (&hasher);
  for (size_t done = 0; done < len; done += FUSED_BLOCK)
    {
      size_t n = len - done < FUSED_BLOCK ? len - done : FUSED_BLOCK;

      XXH3_64bits_update (&hasher.state, s + done, n);
      copy_streaming (d + done, s + done, n);
    }
#if defined(__x86_64__)
  _mm_sfence (); /* the streamed stores are ordered before the commit's */
#endif
  return shmv_hasher_finish (&hasher);
}

uint64_t
shmv_name_hash (const void *data, size_t len)
{
  return XXH64 (data, len, 0);
}

void
shmv_name_hasher_init (ShmvNameHasher *hasher)
{
  XXH64_reset (&hasher->state, 0);
}

void
shmv_name_hasher_update (ShmvNameHasher *hasher, const void *data, size_t len)
{
  XXH64_update (&hasher->state, data, len);
}

uint64_t
shmv_name_hasher_finish (const ShmvNameHasher *hasher)
{
  return XXH64_digest (&hasher->state);
}
