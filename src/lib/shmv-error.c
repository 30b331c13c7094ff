/* shmv-error.c: names of error codes, library version
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <shmview/shmv-error.h>

const char *
shmv_error_name (ShmvError error)
{
  static const char *const names[] = {
    [SHMV_ERROR_NONE] = "SHMV_ERROR_NONE",
    [SHMV_ERROR_PERMISSION_DENIED] = "SHMV_ERROR_PERMISSION_DENIED",
    [SHMV_ERROR_INVALID_SIZE] = "SHMV_ERROR_INVALID_SIZE",
    [SHMV_ERROR_KEY] = "SHMV_ERROR_KEY",
    [SHMV_ERROR_ALREADY_EXISTS] = "SHMV_ERROR_ALREADY_EXISTS",
    [SHMV_ERROR_NOT_FOUND] = "SHMV_ERROR_NOT_FOUND",
    [SHMV_ERROR_LOCK] = "SHMV_ERROR_LOCK",
    [SHMV_ERROR_OUT_OF_RESOURCES] = "SHMV_ERROR_OUT_OF_RESOURCES",
    [SHMV_ERROR_TIMEOUT] = "SHMV_ERROR_TIMEOUT",
    [SHMV_ERROR_UNKNOWN] = "SHMV_ERROR_UNKNOWN",
    [SHMV_ERROR_CORRUPT] = "SHMV_ERROR_CORRUPT",
    [SHMV_ERROR_NO_FRAME] = "SHMV_ERROR_NO_FRAME",
    [SHMV_ERROR_INVALID_ARGUMENT] = "SHMV_ERROR_INVALID_ARGUMENT",
    [SHMV_ERROR_IMAGE] = "SHMV_ERROR_IMAGE",
    [SHMV_ERROR_IO] = "SHMV_ERROR_IO",
    [SHMV_ERROR_CANCELLED] = "SHMV_ERROR_CANCELLED",
  };

  if ((unsigned) error >= sizeof names / sizeof names[0] || names[error] == NULL)
    return "SHMV_ERROR_UNKNOWN";
  return names[error];
}

const char *
shmv_version_string (void)
{
  return SHMV_VERSION;
}
