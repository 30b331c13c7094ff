/* shmv-futex.c: sleeping on a word of shared memory
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "shmv-futex.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int
shmv_futex_wait (const uint32_t *word, uint32_t expected, int timeout_ms)
{
  struct timespec timeout = { timeout_ms / 1000, (long) (timeout_ms % 1000) * 1000000 };

  if (syscall (SYS_futex, word, FUTEX_WAIT, expected, timeout_ms < 0 ? NULL : &timeout, NULL, 0) ==
      0)
    return 0;
  if (errno == EAGAIN) /* the word had already changed */
    return 0;
  return errno;
}

void
shmv_futex_wake_all (const uint32_t *word)
{
  syscall (SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}
