/* shmv-test-point.h: where a crash test may stop the library (private)
 *
 * SHMV_TEST_POINT ("name") marks a window between two steps that are not
 * atomic together, where a process killed must leave nothing a later user
 * cannot recover from. Tests stop a child exactly there (the hook raises
 * SIGSTOP) and kill it, so every window is covered in every run, however
 * loaded the machine. Only the static copy that the tests link
 * (libshmview_internal, built with SHMV_TEST_HOOKS) calls the hook; in
 * libshmview the macro is nothing at all.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/* Called with the point's name; NULL (the default) calls nothing. */
extern void (*shmv_test_point_hook) (const char *name);

#ifdef SHMV_TEST_HOOKS
#define SHMV_TEST_POINT(name)                                                                      \
  do                                                                                               \
    {                                                                                              \
      if (shmv_test_point_hook != 0)                                                               \
        shmv_test_point_hook (name);                                                               \
    }                                                                                              \
  while (0)
#else
#define SHMV_TEST_POINT(name) ((void) 0)
#endif
