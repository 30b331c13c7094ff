/* shmv-autocleanups.h: g_autoptr() and g_auto() for libshmview's types
 *
 * libshmview knows nothing of GLib; its GLib users declare the cleanups here,
 * once, so that every handle can be owned by a scope.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <shmview/shmview.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShmvSegment, shmv_segment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShmvSemaphore, shmv_semaphore_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShmvChannel, shmv_channel_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShmvWatch, shmv_watch_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ShmvImage, shmv_image_clear)
