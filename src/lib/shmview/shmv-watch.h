/* shmv-watch.h: a channel's changes as a readable file descriptor
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <shmview/shmv-error.h>

SHMV_BEGIN_DECLS

/**
 * ShmvWatch:
 *
 * Turns a channel's changes into a readable file descriptor, for main loops
 * (g_unix_fd_add(), poll()). A thread sleeps on the channel's futex (or, while
 * the channel does not exist, on inotify for it to appear) and signals an
 * eventfd. It follows the key: when the channel is removed and made again,
 * the watch moves to the new one. Unlike shmv_channel_wait(), it does not
 * only sleep: it wakes once a second to look at the writer's liveness (a
 * writer killed by SIGKILL tells nobody), and polls for the channel when
 * inotify is unavailable. When the channel breaks (a peer truncated its
 * header away) the fd becomes readable once, the user's next read reports
 * SHMV_ERROR_CORRUPT, and the watch waits for a valid channel under the key,
 * looking once a second.
 */
typedef struct ShmvWatch ShmvWatch;

/**
 * shmv_watch_new:
 * @key: (nullable): the channel's key (see shmv_segment_new())
 *
 * A watch of @key, not started yet. NULL only when out of memory.
 */
SHMV_API ShmvWatch *shmv_watch_new (const char *key);

/**
 * shmv_watch_start:
 *
 * Starts the watching thread; the channel need not exist yet. Fails with
 * SHMV_ERROR_OUT_OF_RESOURCES when no descriptor or thread is left, and
 * SHMV_ERROR_INVALID_ARGUMENT when already started.
 */
SHMV_API bool shmv_watch_start (ShmvWatch *watch);

/**
 * shmv_watch_fd:
 *
 * Readable when something happened since the last shmv_watch_drain(); -1
 * until the watch is started.
 */
SHMV_API int shmv_watch_fd (const ShmvWatch *watch);

/** shmv_watch_drain: consumes the readiness of the fd. */
SHMV_API void shmv_watch_drain (ShmvWatch *watch);

/** shmv_watch_free: stops the thread and frees; NULL-safe. */
SHMV_API void shmv_watch_free (ShmvWatch *watch);

SHMV_API ShmvError shmv_watch_error (const ShmvWatch *watch);

/** shmv_watch_error_string: "" after success, else an English reason naming the channel. */
SHMV_API const char *shmv_watch_error_string (const ShmvWatch *watch);

SHMV_END_DECLS
