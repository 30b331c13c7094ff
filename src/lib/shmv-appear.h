/* shmv-appear.h: waiting for a name to appear in /dev/shm (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdbool.h>

typedef struct ShmvAppearWatch ShmvAppearWatch;

/* Starts watching /dev/shm for @native_name (with its leading slash). Start
 * watching, then try to open, then wait: so a creation between the try and
 * the wait is not missed. Without inotify the watch polls. NULL only when
 * out of memory. */
ShmvAppearWatch *shmv_appear_watch_new (const char *native_name);

/* Sleeps until something named @native_name may have been created (0: look
 * again; when polling, after a pause of 10 ms growing to 100 ms), @timeout_ms
 * passed (ETIMEDOUT; < 0 waits forever) or @cancel_fd (if >= 0) became
 * readable (ECANCELED), or a signal interrupted the sleep (EINTR). */
int shmv_appear_watch_wait (ShmvAppearWatch *watch, int timeout_ms, int cancel_fd);

void shmv_appear_watch_free (ShmvAppearWatch *watch);
