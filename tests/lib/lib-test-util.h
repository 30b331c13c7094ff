/* lib-test-util.h: frames and channels for the library's tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <shmview/shmview.h>
#include <sys/types.h>

/* Pixels whose every byte is derived from @seed and its position, so a copy
 * mixing two frames is caught without a checksum. Free with g_free(). */
guint8 *
lib_test_make_pixels (guint32 width, guint32 height, ShmvFormat format, guint32 seed, gsize *len);

/* Whether @pixels are exactly what lib_test_make_pixels() made for @seed. */
gboolean lib_test_pixels_match_seed (const guint8 *pixels, gsize bytes, guint32 seed);

/* The seed of a frame made by lib_test_make_pixels() (modulo 256). */
guint32 lib_test_seed_of (const guint8 *pixels);

/* Opens a channel or fails the test. */
ShmvChannel *lib_test_open_channel (const char *key, ShmvChannelRole role);

/* Publishes the pattern of @seed, or fails the test. */
void lib_test_publish_seed (
    ShmvChannel *ch, guint32 width, guint32 height, ShmvFormat format, guint32 seed);

/* Child body for shmv_test_fork(): opens @key as writer, publishes a frame,
 * writes "P\n" to @fd and waits to be killed. */
int lib_test_publish_and_hang (const char *key, int fd);

/* Uses up this user's inotify instances (run it as a user of its own, such
 * as nobody: the limit is per user). FALSE when the descriptor limit was
 * reached first, which would fail every other open too. */
gboolean lib_test_use_up_inotify (void);

/* The state letter of thread @tid of process @pid (@pid itself: its main
 * thread) as /proc shows it: 'S' sleeping, 'R' running, 'Z' ended, ... '?'
 * when gone. */
char lib_test_task_state (pid_t pid, pid_t tid);
