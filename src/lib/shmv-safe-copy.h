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

/* Registers a read-only mapping of a shared file that callers read without
 * a guard (a lease): a SIGBUS inside it maps zero pages over the rest of it
 * and sets *@damaged, instead of killing the process. False when the table
 * is full (the mapping is then unguarded). Unregister before unmapping. */
bool shmv_safe_register_mapping (const void *start, size_t len, volatile int *damaged);
void shmv_safe_unregister_mapping (const void *start);

/* memcpy() under the same guard. */
bool shmv_safe_memcpy (void *dst, const void *src, size_t len);
