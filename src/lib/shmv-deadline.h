/* shmv-deadline.h: a timeout as a point in time (private)
 *
 * A wait that can wake early (a spurious futex wake-up, an inotify event for
 * another name, a poll pause) must sleep again only for what is left of its
 * caller's timeout, not for all of it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdint.h>

/* When @timeout_ms (< 0: never) from now will have passed, in CLOCK_MONOTONIC
 * milliseconds. */
int64_t shmv_deadline_after (int timeout_ms);

/* Milliseconds left until @deadline as poll() and futexes take them: -1 for
 * a deadline that never comes, 0 once it has passed. */
int shmv_deadline_left (int64_t deadline);
