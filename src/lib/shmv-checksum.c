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
 * with the memory traffic of the next, already in flight (a chunk's hash
 * fits in the out-of-order window); 1 KiB is also what libxxhash's streaming
 * update takes without its per-block path. Measured with writer and reader on
 * the two cores, 3 to 33 MB: 512 B and 1 KiB were best; 2, 4 and 16 KiB
 * cost 10-40% more, and so did XXH3 of each chunk combined as a tree. */
#define CHUNK 1024

/* How far ahead of the chunk at hand the source is prefetched. The hardware
 * prefetchers stop at every 4 KiB page, and a frame that another core wrote
 * misses all the way: a near prefetch into L1 and a far one into L2 keep
 * more misses in flight than one core otherwise has (a 33 MB hash alone:
 * 4.4 ms with the near one, 3.0 with both, 3.9 for its memcpy). Best of 2
 * to 64 KiB, near and far, for each use. */
#define COPY_NEAR 3072
#define COPY_FAR  32768
#define HASH_NEAR 8192
#define HASH_FAR  32768
/* How far ahead of its stores a writer takes the destination's lines (from
 * the readers' caches, where they are), overlapping that with its hashing. */
#define STORE_AHEAD 2048

/* Frames from this size up are written into shared memory with stores that
 * bypass the caches. A frame that large is out of the caches by the time a
 * reader comes, so ordinary stores only add reads for ownership: 4K publish
 * 5.3 -> 3.5 ms (a memcpy: 3.7), its read unchanged. Smaller frames stay in
 * the shared cache for the reader: streaming a 1024x768 frame made its read
 * 0.27 -> 0.40 ms. */
#define STREAM_FROM (16u << 20)

typedef enum
{
  FOR_L1,  /* reading soon */
  FOR_L2,  /* reading later */
  FOR_OWN, /* writing soon: the lines taken exclusively */
} Prefetch;

static size_t
chunk_at (size_t done, size_t len)
{
  return len - done < CHUNK ? len - done : CHUNK;
}

/* Prefetches the lines of one chunk, @ahead bytes past @done, within @len
 * bytes at @base. (FOR_OWN is prefetchw where the compiler's target has it,
 * else an ordinary prefetch.) */
static inline void
prefetch_chunk (const uint8_t *base, size_t done, size_t ahead, size_t len, Prefetch what)
{
  size_t from = done + ahead;
  size_t to = from + CHUNK < len ? from + CHUNK : len;

  for (size_t i = from; i < to; i += 64)
    switch (what)
      {
      case FOR_L1:
        __builtin_prefetch (base + i, 0, 3);
        break;
      case FOR_L2:
        __builtin_prefetch (base + i, 0, 2);
        break;
      case FOR_OWN:
        __builtin_prefetch (base + i, 1, 3);
        break;
      }
}

/* One chunk's copy. On x86-64, 16-byte loads and stores: for chunks this
 * size they beat glibc's AVX-512 memcpy here (a reader's copy and hash of
 * 3 MB: 0.25 against 0.28 ms). @stream: stores that bypass the caches, for
 * a 16-byte aligned @d. */
static inline void
copy_chunk (uint8_t *d, const uint8_t *s, size_t n, bool stream)
{
  size_t i = 0;

#if defined(__x86_64__)
  for (; i + 64 <= n; i += 64)
    {
      __m128i a = _mm_loadu_si128 ((const __m128i *) (s + i));
      __m128i b = _mm_loadu_si128 ((const __m128i *) (s + i + 16));
      __m128i c = _mm_loadu_si128 ((const __m128i *) (s + i + 32));
      __m128i e = _mm_loadu_si128 ((const __m128i *) (s + i + 48));

      if (stream)
        {
          _mm_stream_si128 ((__m128i *) (d + i), a);
          _mm_stream_si128 ((__m128i *) (d + i + 16), b);
          _mm_stream_si128 ((__m128i *) (d + i + 32), c);
          _mm_stream_si128 ((__m128i *) (d + i + 48), e);
          continue;
        }
      _mm_storeu_si128 ((__m128i *) (d + i), a);
      _mm_storeu_si128 ((__m128i *) (d + i + 16), b);
      _mm_storeu_si128 ((__m128i *) (d + i + 32), c);
      _mm_storeu_si128 ((__m128i *) (d + i + 48), e);
    }
#else
  (void) stream;
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
 * another core wrote, from far away (33 MB: 3.0 ms against 4.8 in one call
 * and 3.9 for a memcpy). */
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
      prefetch_chunk (s, done, HASH_NEAR, len, FOR_L1);
      prefetch_chunk (s, done, HASH_FAR, len, FOR_L2);
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

      prefetch_chunk (s, done, COPY_NEAR, len, FOR_L1);
      prefetch_chunk (s, done, COPY_FAR, len, FOR_L2);
      copy_chunk (d + done, s + done, n, false);
      XXH3_64bits_update (&hasher.state, d + done, n);
    }
  return shmv_hasher_finish (&hasher);
}

/* A writer's copy into shared memory: each chunk of the writer's own pixels
 * is hashed (which brings it into L1), then copied from there. Below
 * STREAM_FROM, with ordinary stores into lines taken ahead; from there up,
 * with stores that bypass the caches, the source prefetched instead. */
uint64_t
shmv_checksum_and_copy_out (void *dst, const void *src, size_t len)
{
  ShmvHasher hasher;
  const uint8_t *s = src;
  uint8_t *d = dst;
  bool stream = false;

#if defined(__x86_64__)
  stream = len >= STREAM_FROM && (uintptr_t) d % 16 == 0;
#endif
  shmv_hasher_init (&hasher);
  for (size_t done = 0; done < len; done += CHUNK)
    {
      size_t n = chunk_at (done, len);

      if (stream)
        {
          prefetch_chunk (s, done, COPY_NEAR, len, FOR_L1);
          prefetch_chunk (s, done, COPY_FAR, len, FOR_L2);
        }
      else
        prefetch_chunk (d, done, STORE_AHEAD, len, FOR_OWN);
      XXH3_64bits_update (&hasher.state, s + done, n);
      copy_chunk (d + done, s + done, n, stream);
    }
#if defined(__x86_64__)
  if (stream)
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
