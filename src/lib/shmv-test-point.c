/* shmv-test-point.c: the hook of shmv-test-point.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-test-point.h"

void (*shmv_test_point_hook) (const char *name);
