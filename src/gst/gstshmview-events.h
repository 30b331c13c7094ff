/* gstshmview-events.h: the debug lines tests wait for
 *
 * Logged in the element's debug category, at INFO (GST_DEBUG=shmviewsrc:4)
 * or, once a frame, at DEBUG (shmviewsrc:5); the tests build their needles
 * from the same strings.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/* shmviewsrc has the channel open and waits for its frames. */
#define GST_SHMVIEW_EVENT_FOLLOWING "following channel"

/* A frame became a buffer over its leased slot (DEBUG): its generation, and
 * the leased buffers alive now, this one included. */
#define GST_SHMVIEW_EVENT_LEASED "leased frame %u, %u in flight"
/* A frame was copied into a buffer of its own (DEBUG): its generation. */
#define GST_SHMVIEW_EVENT_COPIED "copied frame %u"
