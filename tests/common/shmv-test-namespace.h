/* shmv-test-namespace.h: a /dev/shm and System V IPC of the test's own
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* As root: moves the calling process (and every process it starts from
 * then on) into its own mount and IPC namespaces, with a fresh tmpfs of
 * @size ("64m") over /dev/shm and, with @own_ipc, its own System V IPC
 * (lock sets). For tests of what acts on all of a user's channels at once
 * (`shmview-ctl gc`, listings): another test, or another copy of the suite,
 * running meanwhile must neither lose its channels to them nor show up in
 * what they see. FALSE, changing nothing, when not root. */
gboolean shmv_test_private_dev_shm (const char *size, gboolean own_ipc);

/* In a private /dev/shm: whether the tests left it empty, objects of ours
 * and lock sets alike (the suite's leftover check cannot see in here); each
 * leftover is named with g_printerr. */
gboolean shmv_test_private_dev_shm_is_clean (void);

G_END_DECLS
