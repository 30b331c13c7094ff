/* shmv-error.h: error codes shared by every libshmview object
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define SHMV_BEGIN_DECLS                                                                           \
  extern "C"                                                                                       \
  {
#define SHMV_END_DECLS }
#else
#define SHMV_BEGIN_DECLS
#define SHMV_END_DECLS
#endif

SHMV_BEGIN_DECLS

#if defined(SHMV_COMPILATION)
#define SHMV_API __attribute__ ((visibility ("default")))
#else
#define SHMV_API
#endif

/**
 * ShmvError:
 *
 * What went wrong: a handle's last error (shmv_segment_error(), ...), or the
 * code of a ShmvStatus (shmview.h says which calls use which). The first ten
 * values match QSharedMemory::SharedMemoryError in meaning; the rest are
 * shmview's own.
 * The library never prints and never translates: callers map codes to words.
 */
typedef enum
{
  SHMV_ERROR_NONE = 0,
  SHMV_ERROR_PERMISSION_DENIED, /* object owned by someone else, or mode too open */
  SHMV_ERROR_INVALID_SIZE,      /* size 0, or too large to map */
  SHMV_ERROR_KEY,               /* no key, key too long, or native-name collision */
  SHMV_ERROR_ALREADY_EXISTS,    /* create() on a key that a live process uses */
  SHMV_ERROR_NOT_FOUND,         /* attach() on a key with no segment */
  SHMV_ERROR_LOCK,              /* lock misuse: not attached, not held */
  SHMV_ERROR_OUT_OF_RESOURCES,  /* /dev/shm full, no memory, too many files */
  SHMV_ERROR_TIMEOUT,           /* a timed wait ran out */
  SHMV_ERROR_UNKNOWN,           /* an unexpected system error; see the string */
  SHMV_ERROR_CORRUPT,           /* a channel header or frame failed validation */
  SHMV_ERROR_NO_FRAME,          /* a channel exists but holds no image */
  SHMV_ERROR_INVALID_ARGUMENT,  /* the caller passed something impossible */
  SHMV_ERROR_IMAGE,             /* a PNG file is unreadable, corrupt or too large */
  SHMV_ERROR_IO,                /* reading or writing a file failed */
  SHMV_ERROR_CANCELLED,         /* a progress callback asked to stop */
} ShmvError;

/**
 * shmv_error_name:
 *
 * Returns the stable identifier of @error ("SHMV_ERROR_KEY", ...), for logs
 * and JSON. Never NULL.
 */
SHMV_API const char *shmv_error_name (ShmvError error);

/**
 * shmv_version_string:
 *
 * Returns the library version, "MAJOR.MINOR.MICRO".
 */
SHMV_API const char *shmv_version_string (void);

/* Room for a status message and its NUL; longer messages are cut. */
#define SHMV_STATUS_MESSAGE_SIZE 320

/**
 * ShmvStatus:
 *
 * The outcome of a call that has no handle to keep its error in (PNG files,
 * listings), passed as its last argument (NULL when the caller does not need
 * it). @message is English, names the object and the reason, and is "" on
 * success. @sys_errno is the errno behind the failure, or 0.
 */
typedef struct
{
  ShmvError code;
  int sys_errno;
  char message[SHMV_STATUS_MESSAGE_SIZE];
} ShmvStatus;

SHMV_END_DECLS
