/* shmv-channel-private.h: channel internals for the watch thread, PNG and leases (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "shmv-channel-layout.h"

/* The futex word readers sleep on, or NULL when the handle is closed. Valid
 * until the handle is closed or read from again (the mapping may move). */
const uint32_t *shmv_channel_generation_word (ShmvChannel *ch);

/* Makes @status the handle's error: for channel calls made of other calls
 * (shmv_channel_publish_png() decodes first). */
void shmv_channel_set_status (ShmvChannel *ch, const ShmvStatus *status);

/* What leases (shmv-frame.c) need of a channel. */
typedef struct ShmvLeaseMap ShmvLeaseMap;

ShmvSegment *shmv_channel_get_segment (ShmvChannel *ch);
bool shmv_channel_fail (ShmvChannel *ch, ShmvError code, const char *what);
bool shmv_channel_succeed (ShmvChannel *ch);

/* @info from @slot (a checked private copy); nothing when @info is NULL. */
void shmv_channel_fill_info (ShmvFrameInfo *info, const ShmvSlot *slot);

/* A checked private copy of the header of an open handle; false with the
 * handle's error set. */
bool shmv_channel_copy_header (ShmvChannel *ch, ShmvChannelHeader *copy);

/* The handle's mapping for leases (NULL until the first), which it drops
 * when it closes; frames keep their own references. */
ShmvLeaseMap **shmv_channel_lease_map (ShmvChannel *ch);
void shmv_lease_map_unref (ShmvLeaseMap *map);
