/* shmv-checksum.c: frame checksums and name hashes, from libxxhash
 *
 * Frames carry XXH3-64: vectorised (SSE2 at least on x86-64, NEON on
 * aarch64), it hashes at several times memory bandwidth, so hashing a block
 * that was just copied, while it is in L1, hides inside the copy, and a
 * verification pass alone costs about one read of the frame. The hand-written
 * scalar XXH64 it replaces cost a third of a 1080p hand-off.
 *
 * Native names and the segment prefix keep XXH64 (libxxhash's, bit for bit
 * the one we had): changing them would rename every segment for nothing.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-checksum.h"

#include <shmview/shmv-channel.h>

#include <string.h>

/* Copy and hash in blocks this size: small enough that the block copied is
 * still in L1 (32-48 KiB on current cores) when it is hashed, large enough
 * that the per-block call costs nothing. Tuned with shmview-bench. */
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
      /* Hash what was copied, not the source again: what a reader keeps is
       * what was verified, even if a writer changes the source meanwhile. */
      shmv_hasher_update (&hasher, d + done, n);
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
