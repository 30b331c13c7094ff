/* shmview.h: the libshmview umbrella header
 *
 * Conventions, the same for every part of the API:
 *
 * - Handles. ShmvSegment, ShmvSemaphore, ShmvChannel and ShmvWatch are
 *   opaque. shmv_X_new() only allocates and remembers its arguments: it
 *   returns NULL when out of memory and never fails otherwise. Whatever
 *   touches the system is a call of its own that can fail (create or attach
 *   a segment, open a semaphore or a channel, start a watch).
 *   shmv_X_free (NULL) does nothing. A ShmvFrame (a lease) is opaque too
 *   but no handle: shmv_channel_acquire() makes it, failing on the channel,
 *   and shmv_frame_release (NULL) does nothing.
 * - Errors of a call on a handle are kept on the handle: a fallible call
 *   returns false and sets the handle's last error, read with shmv_X_error()
 *   and shmv_X_error_string(); a successful one sets SHMV_ERROR_NONE and "".
 *   A fallible question answered with a bool (shmv_segment_has_other_users())
 *   returns false on failure too: the error tells a failure from "no".
 *   Accessors and state queries (keys, sizes, shmv_channel_generation(),
 *   shmv_channel_is_removed(), ...) cannot fail and leave the last error
 *   alone.
 * - A call without a handle (PNG files, channel listings) returns false on
 *   failure and says why in a ShmvStatus * passed as its last argument, which
 *   may be NULL. No call takes both a handle and a ShmvStatus.
 * - The library never prints, never aborts on bad input and never
 *   translates: messages are English, codes are ShmvError values.
 * - Every array in a public struct is sized by a SHMV_ constant.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <shmview/shmv-error.h>
#include <shmview/shmv-segment.h>
#include <shmview/shmv-semaphore.h>
#include <shmview/shmv-channel.h>
#include <shmview/shmv-frame.h>
#include <shmview/shmv-channel-list.h>
#include <shmview/shmv-watch.h>
#include <shmview/shmv-png.h>
