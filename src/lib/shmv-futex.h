/* shmv-futex.h: sleeping on a word of shared memory (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdint.h>

/* Sleeps while *@word == @expected, at most @timeout_ms (< 0: forever).
 * Works between processes (no FUTEX_PRIVATE_FLAG), on read-only mappings too.
 * Returns 0 when woken or the word differs, ETIMEDOUT, EINTR, or EFAULT when
 * the word's page is gone (its file was truncated): that fails at once, so
 * a caller must not retry it in a loop. Wake-ups may be spurious: callers
 * re-check the word. */
int shmv_futex_wait (const uint32_t *word, uint32_t expected, int timeout_ms);

/* Wakes every process sleeping on @word. */
void shmv_futex_wake_all (const uint32_t *word);
