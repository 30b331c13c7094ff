/* shmv-names.h: from user keys to native names (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* "/shmv-" + 8 hex digits of the uid + "-" + 13 base-32 digits of XXH64(key):
 * 28 bytes, under macOS's 31-byte limit for POSIX names. */
#define SHMV_NATIVE_NAME_SIZE 32

#define SHMV_SEGMENT_PREFIX   "shmv"
#define SHMV_SEMAPHORE_PREFIX "shmvs"

/* Non-empty valid UTF-8 (no NUL), of any length. */
bool shmv_key_is_valid (const char *key);

/* The hash of @key that its native names are made of. */
uint64_t shmv_key_name_hash (const char *key);

/* Writes "/<prefix>-<uid>-<hash of key>" into @out. */
void
shmv_native_name (char out[SHMV_NATIVE_NAME_SIZE], const char *prefix, const char *key, uid_t uid);

/* Whether @name (without the slash) is a segment name of user @uid. */
bool shmv_native_name_is_segment_of (const char *name, uid_t uid);

/* The System V IPC key tried first for the lock of segment @native_name. */
key_t shmv_sysv_key_for (const char *native_name);
