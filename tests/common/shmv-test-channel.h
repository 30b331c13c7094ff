/* shmv-test-channel.h: channels for tests: open, publish the pattern, and
 * starve them of inotify
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

/* Opens a channel or fails the test. */
ShmvChannel *shmv_test_open_channel (const char *key, ShmvChannelRole role);

/* Publishes the pattern of @seed (shmv-test-pattern.h), or fails the test. */
void shmv_test_publish_seed (
    ShmvChannel *ch, guint32 width, guint32 height, ShmvFormat format, guint32 seed);

/* Whether @address lies in a mapping of channel @native's file in /dev/shm
 * (shmv_channel_native_key()), as /proc/self/maps says, even after the file
 * was removed: where leased pixels lie. */
gboolean shmv_test_maps_channel (gconstpointer address, const char *native);

/* Child body for shmv_test_fork(): opens @key as writer, publishes a frame,
 * writes "P\n" to @fd and waits to be killed. */
int shmv_test_publish_and_hang (const char *key, int fd);

/* Uses up this user's inotify instances (run it as a user of its own, such
 * as nobody: the limit is per user). FALSE when the descriptor limit was
 * reached first, which would fail every other open too. */
gboolean shmv_test_use_up_inotify (void);

/* Leaves @key a stale channel: its only user, a writer that published an
 * 8x8 RGB8 frame, killed with SIGKILL. */
void shmv_test_make_stale_channel (const char *key);

G_END_DECLS
