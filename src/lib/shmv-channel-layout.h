/* shmv-channel-layout.h: the channel's memory layout (private)
 *
 * The data of a channel's segment:
 *
 *   0      ShmvChannelHeader (one page): magic, the generation word readers
 *          sleep on, the current slot, and up to SHMV_CHANNEL_MAX_SLOTS slot
 *          descriptors (n_slots of them in use, at least three)
 *   4096…  pixel areas, placed by the writer anywhere after the header,
 *          page-aligned, never overlapping a slot it keeps (the current one,
 *          the newest other, and every slot a reader leases)
 *
 * Every field can be scribbled on by any process that can write the segment,
 * so readers check each one against the segment's real size before use
 * (shmv_channel_validate_slot()).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <shmview/shmv-channel.h>
#include <shmview/shmv-frame.h>

#define SHMV_CHANNEL_MAGIC "SHMVCHAN"
/* 2: XXH3-64 frame checksums (layout 1 had XXH64), room for leased slots */
#define SHMV_CHANNEL_LAYOUT 2
/* Slots a channel starts with: the current frame, the one before it (a slow
 * copying reader may still be on it) and the one being written. */
#define SHMV_CHANNEL_SLOTS 3
/* SHMV_CHANNEL_MAX_SLOTS (shmv-frame.h): all descriptors fit in the header page. */
#define SHMV_CHANNEL_HEADER_SIZE 4096

/* ShmvChannelHeader.state bits */
#define SHMV_CHANNEL_WITHDRAWN (1u << 0) /* the writer of the current frame left */
#define SHMV_CHANNEL_REMOVED   (1u << 1) /* the channel was removed: reopen */

typedef struct
{
  uint32_t seq;        /* odd while the writer fills the slot */
  uint32_t generation; /* the channel generation this frame was published at */
  uint32_t format;
  uint32_t width;
  uint32_t height;
  uint32_t stride;
  uint64_t offset; /* of the pixels, from the start of the channel */
  uint64_t bytes;  /* height * stride */
  uint64_t checksum;
  int64_t publish_time_ns;
  int32_t writer_pid;
  uint32_t reserved;
  char source_name[SHMV_SOURCE_NAME_MAX + 1];
} ShmvSlot;

typedef struct
{
  char magic[8];
  uint32_t layout;
  uint32_t header_size;
  uint32_t generation; /* futex word: +1 at every publish, withdrawal, removal */
  uint32_t front;      /* the slot of the current frame */
  uint32_t state;
  uint32_t n_slots; /* slots in use, SHMV_CHANNEL_SLOTS to SHMV_CHANNEL_MAX_SLOTS */
  ShmvSlot slots[SHMV_CHANNEL_MAX_SLOTS];
  /* The writer that opened the channel or published on it last (0: none
   * yet). A frame's own writer_pid is its publisher, who may be long gone
   * while another writer has the channel open. */
  int32_t writer_pid;
} ShmvChannelHeader;

_Static_assert(sizeof (ShmvChannelHeader) <= SHMV_CHANNEL_HEADER_SIZE, "header fits its page");

/* Checks @slot (a private copy) against a channel of @channel_size bytes.
 * Returns NULL if it describes a frame that lies inside, else the reason. */
const char *shmv_channel_validate_slot (const ShmvSlot *slot, size_t channel_size);

/* Checks the fixed fields of @header (a private copy). NULL or the reason. */
const char *shmv_channel_validate_header (const ShmvChannelHeader *header);
