/* shmv-segment.h: named shared-memory segments (QSharedMemory done right)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <shmview/shmv-error.h>

#include <sys/types.h>

SHMV_BEGIN_DECLS

typedef enum
{
  SHMV_ACCESS_READ_ONLY,
  SHMV_ACCESS_READ_WRITE
} ShmvAccess;

typedef enum
{
  SHMV_SHARING_USER = 0, /* mode 0600: only the owner (the default) */
  SHMV_SHARING_GROUP     /* mode 0640: the owner's group may attach read-only */
} ShmvSharing;

/**
 * ShmvSegment:
 *
 * A handle on a named POSIX shared-memory segment. Each handle has its own
 * file descriptor and mapping: two handles on one key in one process get two
 * addresses. A handle is not thread-safe; use one handle per thread.
 *
 * Every call sets the handle's error (SHMV_ERROR_NONE on success), read with
 * shmv_segment_error() and shmv_segment_error_string().
 *
 * Lifetime: every attached handle is counted by the kernel (an open-file-
 * description read lock on the segment), so the count stays exact when a
 * process is killed. The last handle to detach removes the segment and its
 * lock, unless the segment was made persistent with
 * shmv_segment_set_persistent(). create() reclaims a segment whose users all
 * died without detaching.
 */
typedef struct ShmvSegment ShmvSegment;

/**
 * shmv_segment_new:
 * @key: (nullable): any non-empty UTF-8 string, of any length
 *
 * Returns a new detached handle, NULL only when out of memory. NULL or "" is
 * allowed: create() and attach() then fail with SHMV_ERROR_KEY. Free with
 * shmv_segment_free().
 */
SHMV_API ShmvSegment *shmv_segment_new (const char *key);

/** shmv_segment_free: detaches (see shmv_segment_detach()) and frees. NULL-safe. */
SHMV_API void shmv_segment_free (ShmvSegment *seg);

/**
 * shmv_segment_set_key:
 *
 * Detaches, then sets a new key (NULL or "" clears it). Returns false with
 * SHMV_ERROR_KEY when the key is not valid UTF-8. Keys have no length limit.
 */
SHMV_API bool shmv_segment_set_key (ShmvSegment *seg, const char *key);

/**
 * shmv_segment_set_sharing:
 *
 * Who may attach to segments this handle creates from now on. With
 * SHMV_SHARING_GROUP, members of the owner's group attach read-only (after
 * shmv_segment_set_owner()); they can neither write, lock nor remove it.
 */
SHMV_API bool shmv_segment_set_sharing (ShmvSegment *seg, ShmvSharing sharing);

/**
 * shmv_segment_set_owner:
 *
 * Detaches, then makes the handle refer to user @owner's segment of the same
 * key (native names are per user). Only the owner can create a segment or
 * take its lock; others can attach read-only to a group-shared one.
 */
SHMV_API bool shmv_segment_set_owner (ShmvSegment *seg, uid_t owner);

/** shmv_segment_owner: the uid whose segment this handle refers to. */
SHMV_API uid_t shmv_segment_owner (const ShmvSegment *seg);

/** shmv_segment_key: the key, or "" when none is set. */
SHMV_API const char *shmv_segment_key (const ShmvSegment *seg);

/**
 * shmv_segment_native_key:
 *
 * The name in /dev/shm ("/shmv-<uid>-<hash>", shorter than
 * SHMV_NATIVE_KEY_SIZE), known as soon as a key is set; "" without a key. It
 * depends on the effective uid, so two users with one key never meet.
 */
SHMV_API const char *shmv_segment_native_key (const ShmvSegment *seg);

/**
 * shmv_segment_create:
 * @size: bytes of user data, > 0
 *
 * Creates the segment and attaches to it. The memory is reserved up front, so
 * a size /dev/shm cannot hold fails here with SHMV_ERROR_OUT_OF_RESOURCES
 * instead of a SIGBUS later. A new segment reads as zeros. Fails with
 * SHMV_ERROR_ALREADY_EXISTS when a live process uses the key (a segment whose
 * users all died is reclaimed instead), SHMV_ERROR_PERMISSION_DENIED when an
 * object of that name belongs to someone else.
 */
SHMV_API bool shmv_segment_create (ShmvSegment *seg, size_t size, ShmvAccess access);

/**
 * shmv_segment_attach:
 *
 * Attaches to an existing segment. SHMV_ACCESS_READ_ONLY maps it read-only:
 * writing through shmv_segment_data() then crashes the process. Fails with
 * SHMV_ERROR_NOT_FOUND (nothing of that key), SHMV_ERROR_KEY (no key, or the
 * name is held by another key whose name collides with ours),
 * SHMV_ERROR_CORRUPT (its prefix is damaged, or was made by an older
 * version), SHMV_ERROR_PERMISSION_DENIED (not ours: another user's, open to
 * others, or the name is taken by something that is no segment file: a
 * directory, a FIFO, a link...), or SHMV_ERROR_INVALID_ARGUMENT when already
 * attached. Never blocks on whatever holds the name.
 */
SHMV_API bool shmv_segment_attach (ShmvSegment *seg, ShmvAccess access);

/**
 * shmv_segment_detach:
 *
 * Releases the lock if this handle holds it, unmaps, and removes the segment
 * when this was its last user and it is not persistent. Returns false when
 * the handle was not attached.
 */
SHMV_API bool shmv_segment_detach (ShmvSegment *seg);

SHMV_API bool shmv_segment_is_attached (const ShmvSegment *seg);

/** shmv_segment_data: the user data, or NULL when not attached. */
SHMV_API void *shmv_segment_data (ShmvSegment *seg);

/** shmv_segment_size: bytes of user data (>= the size asked for); 0 when not attached. */
SHMV_API size_t shmv_segment_size (const ShmvSegment *seg);

/**
 * shmv_segment_lock:
 *
 * Takes the segment's lock, waiting as long as needed. The lock is a System V
 * semaphore with SEM_UNDO: when its holder dies, the kernel releases it at
 * once, and the next locker can tell (shmv_segment_lock_owner_died()).
 * Locking a handle that already holds the lock returns true (not recursive:
 * one unlock releases). Fails with SHMV_ERROR_LOCK when not attached, and
 * with SHMV_ERROR_NOT_FOUND when the segment was removed (with its lock)
 * while attached: detach, and attach again to follow the key.
 */
SHMV_API bool shmv_segment_lock (ShmvSegment *seg);

/**
 * shmv_segment_try_lock:
 * @timeout_ms: 0 to try once, < 0 to wait forever
 *
 * As shmv_segment_lock(), but gives up after @timeout_ms with
 * SHMV_ERROR_TIMEOUT.
 */
SHMV_API bool shmv_segment_try_lock (ShmvSegment *seg, int timeout_ms);

/** shmv_segment_unlock: releases the lock; false with SHMV_ERROR_LOCK if not held. */
SHMV_API bool shmv_segment_unlock (ShmvSegment *seg);

/**
 * shmv_segment_lock_owner_died:
 *
 * True when the last successful lock on this handle found that the previous
 * holder died while holding it: the data it guarded may be half-written.
 */
SHMV_API bool shmv_segment_lock_owner_died (const ShmvSegment *seg);

/**
 * shmv_segment_set_persistent:
 *
 * A persistent segment outlives its last user: detach() does not remove it,
 * and create() does not reclaim it. It stays until shmv_segment_remove().
 * Needs a read-write attachment.
 */
SHMV_API bool shmv_segment_set_persistent (ShmvSegment *seg, bool persistent);

SHMV_API bool shmv_segment_is_persistent (const ShmvSegment *seg);

/**
 * shmv_segment_has_other_users:
 *
 * Whether a handle other than this one is attached (exact, crash-proof).
 * False also on failure, with the handle's error set: SHMV_ERROR_NOT_FOUND
 * when this handle is not attached.
 */
SHMV_API bool shmv_segment_has_other_users (ShmvSegment *seg);

/**
 * shmv_segment_remove:
 *
 * Removes the segment of this handle's key and its lock from the system,
 * whether or not anybody is attached (they keep their mapping until they
 * detach). Works attached or not, and on a corrupt segment. NOT_FOUND when
 * there is nothing to remove, PERMISSION_DENIED when the name is another
 * user's or is taken by something that is no segment file (left alone).
 */
SHMV_API bool shmv_segment_remove (ShmvSegment *seg);

/**
 * shmv_segment_remove_unused:
 *
 * Removes the segment of this handle's key only if no process has it
 * attached and it is not persistent: what is left after its users crashed.
 * Decided and done under an exclusive lock, so a process attaching at that
 * moment either keeps it or finds it gone, never a removed segment it
 * believes alive. A corrupt segment (damaged prefix) that nobody uses is
 * removed too. SHMV_ERROR_ALREADY_EXISTS when in use or persistent,
 * SHMV_ERROR_KEY when the name holds another key's intact segment (a hash
 * collision), SHMV_ERROR_NOT_FOUND when there is none.
 */
SHMV_API bool shmv_segment_remove_unused (ShmvSegment *seg);

SHMV_API ShmvError shmv_segment_error (const ShmvSegment *seg);

/** shmv_segment_error_string: "" after success, else an English reason naming the object. */
SHMV_API const char *shmv_segment_error_string (const ShmvSegment *seg);

/**
 * SHMV_KEY_STORED_MAX:
 *
 * Keys have no length limit. A segment stores the first SHMV_KEY_STORED_MAX
 * bytes of its key (cut at a character boundary) in its one-page prefix:
 * what shmv_channel_list() can report of a longer key. Longer keys are told
 * apart by a hash of the whole key.
 */
#define SHMV_KEY_STORED_MAX 4047

/* Room for a native name ("/shmv-<uid>-<hash>") and its terminating NUL. */
#define SHMV_NATIVE_KEY_SIZE 64

SHMV_END_DECLS
