/* shmv-segment-private.h: what the channel needs from a segment (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <shmview/shmv-segment.h>

#include "shmv-status.h"

/* A segment file is a one-page prefix followed by the user's data:
 *
 *   0     ShmvSegmentPrefix (magic, layout, flags, lock key, the key's
 *         length and hashes, what the page holds of the key, a check)
 *   4096  data: shmv_segment_data() points here, shmv_segment_size() bytes
 *
 * The prefix holds what every attacher must agree on and nothing that changes
 * while the segment is in use, except the persistent flag. Keys have no
 * length limit: the prefix stores the first SHMV_KEY_STORED_MAX bytes (cut at
 * a character boundary), the key's length, the hash its native name is made
 * of and a second, independent hash of the whole key, so two keys alike in
 * what is stored are still told apart. @check covers every field but the
 * flags: a damaged prefix is told from a genuine name collision.
 * Layout 1 (before keys of any length) is refused as corrupt. */
#define SHMV_SEGMENT_MAGIC       "SHMVSEG1"
#define SHMV_SEGMENT_LAYOUT      2
#define SHMV_SEGMENT_DATA_OFFSET 4096
#define SHMV_SEGMENT_PERSISTENT  (1u << 0)

typedef struct
{
  char magic[8];
  uint32_t layout;
  uint32_t flags;     /* SHMV_SEGMENT_PERSISTENT; read and written atomically */
  int32_t lock_key;   /* System V key of the segment's lock */
  uint32_t key_len;   /* bytes of the whole key */
  uint64_t name_hash; /* shmv_key_name_hash() of the whole key */
  uint64_t key_hash;  /* another hash of the whole key (shmv-segment.c) */
  uint64_t check;     /* of all the above but flags, and the stored key */
  /* The key's first bytes (all of a short key), NUL-terminated. */
  char key[SHMV_KEY_STORED_MAX + 1];
} ShmvSegmentPrefix;

_Static_assert(sizeof (ShmvSegmentPrefix) == SHMV_SEGMENT_DATA_OFFSET,
               "the prefix is exactly one page");

/* Fills @prefix (magic included, flags untouched) for @key, whose lock is
 * System V key @lock_key. Tests use it to plant segments. */
void shmv_segment_prefix_init (ShmvSegmentPrefix *prefix, const char *key, key_t lock_key);

/* Whether the key @prefix stores belongs at @native_name (this user's):
 * it hashes to that name, or, too long to store whole, its hashes say so. */
bool shmv_segment_prefix_key_matches (const ShmvSegmentPrefix *prefix, const char *native_name);

/* What is wrong with @prefix, read from this user's segment @native_name:
 * NULL when it is intact and belongs there. For listings, which must call
 * a damaged segment corrupt without attaching to it. */
const char *shmv_segment_prefix_problem (const ShmvSegmentPrefix *prefix, const char *native_name);

/* Sets @prefix->check from its other fields (done by prefix_init; tests
 * forge prefixes with it). */
void shmv_segment_prefix_seal (ShmvSegmentPrefix *prefix);

/* Fills a new segment's data before anyone else can attach to it. */
typedef void (*ShmvSegmentInitFunc) (void *data, size_t size, void *user_data);

/* shmv_segment_create(), calling @init (if not NULL) on the zeroed data while
 * the creator still holds the segment alone: attachers never see it blank. */
bool shmv_segment_create_initialized (
    ShmvSegment *seg, size_t size, ShmvAccess access, ShmvSegmentInitFunc init, void *user_data);

/* The descriptor of an attached segment, -1 otherwise. */
int shmv_segment_fd (const ShmvSegment *seg);

/* The handle's status, to pass errors on. */
const ShmvStatus *shmv_segment_status (const ShmvSegment *seg);

/* Writers: makes the data at least @data_size bytes, reserving the memory
 * (OUT_OF_RESOURCES when /dev/shm is full; nothing changes then). The data
 * pointer may move. Never shrinks: others may be reading. */
bool shmv_segment_grow (ShmvSegment *seg, size_t data_size);

/* Readers: maps the segment at its current size, if another process grew (or
 * truncated) it. The data pointer may move. */
bool shmv_segment_refresh (ShmvSegment *seg);

/* The current size of the segment file, without remapping (0 on error). */
size_t shmv_segment_file_size (const ShmvSegment *seg);

/* Removes the segment open as @fd, if @name still points at it, and its
 * lock: the one its prefix names, or @lock_key if the prefix is gone or
 * scribbled on. For removals decided elsewhere (a listing's garbage
 * collection), under the exclusive lock of the users byte. */
void shmv_segment_remove_name_if_current (const char *name, int fd, key_t lock_key);

/* Detaches without removing the segment, even as its last user: for a
 * handle that only looked (an open that found the channel corrupt), since
 * looking at a segment must never remove it. */
bool shmv_segment_leave (ShmvSegment *seg);

/* Whether the segment's name still points at the file this handle has open:
 * false once it was removed (and perhaps made again) under us. */
bool shmv_segment_is_current (const ShmvSegment *seg);

/* Removes the segment of our key if nobody uses it, persistent or not: for a
 * corrupt segment, which is of no use to anyone. ALREADY_EXISTS when a live
 * process still has it attached, NOT_FOUND when it is gone. */
bool shmv_segment_remove_corrupt (ShmvSegment *seg);
