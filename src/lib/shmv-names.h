/* shmv-names.h: from user keys to native names (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* "/shmv-" + 8 hex digits of the uid + "-" + 13 base-32 digits of XXH64(key):
 * 28 bytes, under macOS's 31-byte limit for POSIX names. */
#define SHMV_NATIVE_NAME_SIZE 32

#define SHMV_SEGMENT_PREFIX   "shmv"
#define SHMV_SEMAPHORE_PREFIX "shmvs"

/* Non-empty valid UTF-8 (no NUL), of any length. */
bool shmv_key_is_valid (const char *key);

/* How many of the @len bytes of UTF-8 string @s fit in @max bytes without
 * cutting a character in two: @len if they all fit. */
size_t shmv_utf8_cut (const char *s, size_t len, size_t max);

/* @key as error messages show it: whole when short, else its first bytes
 * and "…", so that the reason after it still fits in a ShmvStatus. */
#define SHMV_KEY_SHOWN_SIZE 72
const char *shmv_key_for_message (char out[SHMV_KEY_SHOWN_SIZE], const char *key);

/* The hash of @key that its native names are made of. */
uint64_t shmv_key_name_hash (const char *key);

/* Writes "/<prefix>-<uid>-<hash of key>" into @out. */
void
shmv_native_name (char out[SHMV_NATIVE_NAME_SIZE], const char *prefix, const char *key, uid_t uid);

/* The same, from the key's shmv_key_name_hash(): for a listing, which has
 * only what a segment's prefix stores of a long key. */
void shmv_native_name_for_hash (char out[SHMV_NATIVE_NAME_SIZE],
                                const char *prefix,
                                uint64_t name_hash,
                                uid_t uid);

/* Whether @name (without the slash) is a segment name of user @uid. */
bool shmv_native_name_is_segment_of (const char *name, uid_t uid);

/* The System V IPC key tried first for the lock of segment @native_name. */
key_t shmv_sysv_key_for (const char *native_name);
