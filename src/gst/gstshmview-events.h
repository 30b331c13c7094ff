/* gstshmview-events.h: the debug lines tests wait for
 *
 * Logged at INFO in the element's debug category (GST_DEBUG=shmviewsrc:4);
 * the tests build their needles from the same strings.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/* shmviewsrc has the channel open and waits for its frames. */
#define GST_SHMVIEW_EVENT_FOLLOWING "following channel"
