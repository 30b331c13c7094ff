/* shmv-checksum.h: XXH64, alone and fused with a copy (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Streaming XXH64 (seed 0), so a frame can be hashed as its rows arrive. */
typedef struct
{
  uint64_t lanes[4];
  uint64_t total_len;
  uint8_t tail[32];
  size_t tail_len;
} ShmvHasher;

void shmv_hasher_init (ShmvHasher *hasher);
void shmv_hasher_update (ShmvHasher *hasher, const void *data, size_t len);
uint64_t shmv_hasher_finish (const ShmvHasher *hasher);

/* Copies @len bytes from @src to @dst and returns XXH64 of the bytes copied, in
 * one pass: the hash rides on the copy for free, as the copy is bound by
 * memory bandwidth and the hash is not. */
uint64_t shmv_copy_and_checksum (void *dst, const void *src, size_t len);
