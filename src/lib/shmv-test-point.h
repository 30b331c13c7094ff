/* shmv-test-point.h: where a crash test may stop the library (private)
 *
 * SHMV_TEST_POINT ("name") marks a window between two steps that are not
 * atomic together, where a process killed must leave nothing a later user
 * cannot recover from. Tests stop a child exactly there (the hook raises
 * SIGSTOP) and kill it, so every window is covered in every run, however
 * loaded the machine.
 *
 * The library is compiled once, for the shared library and the tests alike,
 * so every point is in libshmview too: a load and a branch on a pointer that
 * stays NULL, next to system calls. The hook is hidden, never exported: only
 * a program linked with the static libshmview-internal (the tests) can set
 * it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/* Called with the point's name; NULL (the default) calls nothing. */
extern __attribute__ ((visibility ("hidden"))) void (*shmv_test_point_hook) (const char *name);

#define SHMV_TEST_POINT(name)                                                                      \
  do                                                                                               \
    {                                                                                              \
      if (shmv_test_point_hook != 0)                                                               \
        shmv_test_point_hook (name);                                                               \
    }                                                                                              \
  while (0)
