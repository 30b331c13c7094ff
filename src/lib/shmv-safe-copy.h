/* shmv-safe-copy.h: copying out of memory that may vanish (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* shmv_copy_and_checksum(), but if another process truncates the segment
 * under the copy, returns false instead of dying of SIGBUS. */
bool shmv_safe_copy_and_checksum (void *dst, const void *src, size_t len, uint64_t *checksum);

/* shmv_checksum() under the same guard: a verification in place. */
bool shmv_safe_checksum (const void *src, size_t len, uint64_t *checksum);

/* memcpy() under the same guard. */
bool shmv_safe_memcpy (void *dst, const void *src, size_t len);
