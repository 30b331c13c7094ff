/* shmv-status.c: filling in ShmvStatus
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-status.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
shmv_status_clear (ShmvStatus *status)
{
  if (status == NULL)
    return;
  status->code = SHMV_ERROR_NONE;
  status->sys_errno = 0;
  status->message[0] = '\0';
}

static void
status_vset (ShmvStatus *status, ShmvError code, int err, const char *format, va_list args)
{
  size_t len;

  status->code = code;
  status->sys_errno = err;
  vsnprintf (status->message, sizeof status->message, format, args);
  if (err == 0)
    return;
  len = strlen (status->message);
  snprintf (status->message + len, sizeof status->message - len, ": %s", strerror (err));
}

void
shmv_status_set (ShmvStatus *status, ShmvError code, const char *format, ...)
{
  va_list args;

  if (status == NULL)
    return;
  va_start (args, format);
  status_vset (status, code, 0, format, args);
  va_end (args);
}

void
shmv_status_set_errno (ShmvStatus *status, int err, const char *format, ...)
{
  va_list args;

  if (status == NULL)
    return;
  va_start (args, format);
  status_vset (status, shmv_error_from_errno (err), err, format, args);
  va_end (args);
}

ShmvError
shmv_error_from_errno (int err)
{
  switch (err)
    {
    case 0:
      return SHMV_ERROR_NONE;
    case EACCES:
    case EPERM:
    case EROFS:
      return SHMV_ERROR_PERMISSION_DENIED;
    case ENOENT:
      return SHMV_ERROR_NOT_FOUND;
    case EEXIST:
      return SHMV_ERROR_ALREADY_EXISTS;
    case ENOSPC:
    case ENOMEM:
    case EMFILE:
    case ENFILE:
    case EFBIG:
    case EDQUOT:
      return SHMV_ERROR_OUT_OF_RESOURCES;
    case ETIMEDOUT:
    case EAGAIN:
      return SHMV_ERROR_TIMEOUT;
    case ENAMETOOLONG:
      return SHMV_ERROR_KEY;
    case EINVAL:
      return SHMV_ERROR_INVALID_ARGUMENT;
    case EIO:
      return SHMV_ERROR_IO;
    default:
      return SHMV_ERROR_UNKNOWN;
    }
}
