/* shmv-deadline.c: a timeout as a point in time
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-deadline.h"

#include <limits.h>
#include <time.h>

#define NEVER INT64_MAX

static int64_t
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
shmv_deadline_after (int timeout_ms)
{
  return timeout_ms < 0 ? NEVER : now_ms () + timeout_ms;
}

int
shmv_deadline_left (int64_t deadline)
{
  int64_t left;

  if (deadline == NEVER)
    return -1;
  left = deadline - now_ms ();
  if (left <= 0)
    return 0;
  return left > INT_MAX ? INT_MAX : (int) left;
}
