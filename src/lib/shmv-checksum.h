/* shmv-checksum.h: frame checksums (XXH3-64), alone and fused with a copy;
 * the name hash (XXH64) (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define XXH_STATIC_LINKING_ONLY /* the states' layout, to keep them on the stack */
#include <xxhash.h>

/* Streaming XXH3-64 (seed 0), so a frame can be hashed as its rows arrive. */
typedef struct
{
  XXH3_state_t state;
} ShmvHasher;

void shmv_hasher_init (ShmvHasher *hasher);
void shmv_hasher_update (ShmvHasher *hasher, const void *data, size_t len);
uint64_t shmv_hasher_finish (const ShmvHasher *hasher);

/* Copies @len bytes from @src to @dst and returns XXH3-64 of the bytes copied, in
 * one pass over memory: each 1 KiB chunk is hashed right after it is copied,
 * while it is still in the L1 cache, so the hash costs no second trip to
 * memory. For copies into the caller's own memory (readers). */
uint64_t shmv_copy_and_checksum (void *dst, const void *src, size_t len);

/* The same value, for copies into shared memory that other processes will
 * read (writers): hashes each chunk of @src, then copies it, taking the
 * destination's lines ahead. @src must not change meanwhile. */
uint64_t shmv_checksum_and_copy_out (void *dst, const void *src, size_t len);

/* XXH64 (seed 0) of @len bytes: what native names are made of. Names keep
 * the hash they always had, so keys name the same segments as before. */
uint64_t shmv_name_hash (const void *data, size_t len);

/* Streaming XXH64 for the segment prefix's own hashes. */
typedef struct
{
  XXH64_state_t state;
} ShmvNameHasher;

void shmv_name_hasher_init (ShmvNameHasher *hasher);
void shmv_name_hasher_update (ShmvNameHasher *hasher, const void *data, size_t len);
uint64_t shmv_name_hasher_finish (const ShmvNameHasher *hasher);
