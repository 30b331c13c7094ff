/* shmv-status.h: filling in ShmvStatus (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <shmview/shmv-error.h>

void shmv_status_clear (ShmvStatus *status);

/* Sets @status (NULL-safe) to @code with a printf-style message. */
void shmv_status_set (ShmvStatus *status, ShmvError code, const char *format, ...)
    __attribute__ ((format (printf, 3, 4)));

/* Sets @status from a failed system call: the code mapped from @err, the
 * message followed by ": " and strerror (@err). */
void shmv_status_set_errno (ShmvStatus *status, int err, const char *format, ...)
    __attribute__ ((format (printf, 3, 4)));

/* The ShmvError that best describes errno value @err. */
ShmvError shmv_error_from_errno (int err);
