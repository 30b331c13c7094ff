/* shmv-checksum.c: frame checksums and name hashes, from libxxhash
 *
 * Frames carry XXH3-64: vectorised, it hashes 45-50 GB/s in L1 here, so a
 * chunk hashed while it is in L1 costs little beside its copy, and a
 * verification pass alone costs about one read of the frame. libxxhash's
 * dispatching entry points (AVX2, AVX-512) were no faster on the machines
 * measured, so the plain ones are used. The hand-written scalar XXH64 it
 * replaces ran at 11-20 GB/s.
 *
 * The value is XXH3-64 of the whole frame, computed with libxxhash's
 * streaming API one 1 KiB chunk at a time: the copy of the next chunks is
 * in flight while one is hashed, which is what the scalar XXH64 loop got by
 * hashing each word as it was copied. In 16 KiB blocks, a read of a
 * 1024x768 frame took 0.35-0.47 ms against 0.20 for memcpy; in 1 KiB
 * chunks with prefetching, 0.24-0.27.
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

/* Copies and hashes go through memory in chunks of this size, each hashed
 * while it is in L1. Small chunks let the core overlap the hashing of one
 * with the memory traffic of the next, already in flight; 1 KiB is also
 * what libxxhash's streaming update takes without its per-block path, and
 * what glibc copies without `rep movsb`. Measured with writer and reader on
 * the two cores, 3 to 33 MB: 512 B and 1 KiB were best; 2, 4 and 16 KiB
 * cost 10-40% more. */
#define CHUNK 1024
/* How far ahead of the chunk at hand its source is prefetched: the hardware
 * prefetchers stop at every 4 KiB page, and a frame another core wrote
 * misses all the way. 3 KiB was best for copies (2 and 8 KiB cost 5-15%),
 * 8 KiB for a hash alone, which runs ahead faster. */
#define COPY_AHEAD 3072
#define HASH_AHEAD 8192
/* How far ahead of its stores a writer asks for the destination's lines,
 * so that taking them from the readers' caches overlaps the hashing. */
#define STORE_AHEAD 2048

static size_t
chunk_at (size_t done, size_t len)
{
  return len - done < CHUNK ? len - done : CHUNK;
}

/* Prefetches the lines of one chunk, @ahead bytes past @done, within @len
 * bytes at @base: for reading, or for writing (@write: the lines are taken
 * exclusively, with prefetchw where the compiler's target has it). */
static inline void
prefetch_chunk (const uint8_t *base, size_t done, size_t ahead, size_t len, bool write)
{
  size_t from = done + ahead;
  size_t to = from + CHUNK < len ? from + CHUNK : len;

  for (size_t i = from; i < to; i += 64)
    {
      if (write)
        __builtin_prefetch (base + i, 1, 3);
      else
        __builtin_prefetch (base + i, 0, 3);
    }
}

/* One chunk's copy. On x86-64, 16-byte loads and stores: for chunks this
 * size they beat glibc's AVX-512 memcpy here (a reader's copy and hash of
 * 3 MB: 0.25 against 0.28 ms). */
static inline void
copy_chunk (uint8_t *d, const uint8_t *s, size_t n)
{
  size_t i = 0;

#if defined(__x86_64__)
  for (; i + 64 <= n; i += 64)
    {
      __m128i a = _mm_loadu_si128 ((const __m128i *) (s + i));
      __m128i b = _mm_loadu_si128 ((const __m128i *) (s + i + 16));
      __m128i c = _mm_loadu_si128 ((const __m128i *) (s + i + 32));
      __m128i e = _mm_loadu_si128 ((const __m128i *) (s + i + 48));

      _mm_storeu_si128 ((__m128i *) (d + i), a);
      _mm_storeu_si128 ((__m128i *) (d + i + 16), b);
      _mm_storeu_si128 ((__m128i *) (d + i + 32), c);
      _mm_storeu_si128 ((__m128i *) (d + i + 48), e);
    }
#endif
  memcpy (d + i, s + i, n - i);
}

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

/* The same value as XXH3_64bits (@data, @len), computed chunk by chunk with
 * the source prefetched ahead: a lease's verification reads a frame that
 * another core wrote, from far away (3 MB: 0.22 against 0.25-0.29 ms in one
 * call; 8 MB: 0.59 against 0.71-0.92). */
uint64_t
shmv_checksum (const void *data, size_t len)
{
  ShmvHasher hasher;
  const uint8_t *s = data;

  if (len <= CHUNK)
    return XXH3_64bits (data, len);
  shmv_hasher_init (&hasher);
  for (size_t done = 0; done < len; done += CHUNK)
    {
      prefetch_chunk (s, done, HASH_AHEAD, len, false);
      XXH3_64bits_update (&hasher.state, s + done, chunk_at (done, len));
    }
  return shmv_hasher_finish (&hasher);
}

/* A reader's copy into its own buffer: each chunk is copied, then hashed
 * from our copy in L1, so what the reader keeps is exactly what was
 * verified, even if a writer changes the source meanwhile. */
uint64_t
shmv_copy_and_checksum (void *dst, const void *src, size_t len)
{
  ShmvHasher hasher;
  const uint8_t *s = src;
  uint8_t *d = dst;

  shmv_hasher_init (&hasher);
  for (size_t done = 0; done < len; done += CHUNK)
    {
      size_t n = chunk_at (done, len);

      prefetch_chunk (s, done, COPY_AHEAD, len, false);
      copy_chunk (d + done, s + done, n);
      XXH3_64bits_update (&hasher.state, d + done, n);
    }
  return shmv_hasher_finish (&hasher);
}

/* A writer's copy into shared memory: each chunk of the writer's own pixels
 * is hashed (which brings it into L1), then copied from there, the lines of
 * the slot taken ahead. Ordinary stores: a frame left in the caches is what
 * the readers on the other core read fastest. (Stores that bypass the
 * caches, tried in issue 12, made a 1024x768 read 0.27 -> 0.40 ms and
 * gained the writer nothing.) */
uint64_t
shmv_checksum_and_copy_out (void *dst, const void *src, size_t len)
{
  ShmvHasher hasher;
  const uint8_t *s = src;
  uint8_t *d = dst;

  shmv_hasher_init (&hasher);
  for (size_t done = 0; done < len; done += CHUNK)
    {
      size_t n = chunk_at (done, len);

      prefetch_chunk (d, done, STORE_AHEAD, len, true);
      XXH3_64bits_update (&hasher.state, s + done, n);
      copy_chunk (d + done, s + done, n);
    }
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
