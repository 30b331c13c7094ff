/* shmv-channel-list.h: finding this user's channels, and collecting the unused
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <shmview/shmv-error.h>
#include <shmview/shmv-segment.h>

SHMV_BEGIN_DECLS

/* Room for why a listed channel is corrupt, in English, and its NUL. */
#define SHMV_CORRUPT_REASON_SIZE 128

/**
 * ShmvChannelEntry:
 *
 * One channel found by shmv_channel_list().
 */
typedef struct
{
  char key[SHMV_KEY_STORED_MAX + 1]; /* "" when a corrupt segment does not say */
  char native_key[SHMV_NATIVE_KEY_SIZE];
  size_t size; /* bytes in /dev/shm */
  bool persistent;
  bool in_use; /* some process has it attached */
  /* Its prefix or channel header makes no sense (scribbled, truncated): no
   * one can open it. corrupt_reason says what is wrong, in English. */
  bool corrupt;
  char corrupt_reason[SHMV_CORRUPT_REASON_SIZE];
} ShmvChannelEntry;

/**
 * shmv_channel_list:
 * @entries: (out): a malloc()ed array (NULL when empty), free with free()
 * @n_entries: (out): how many
 * @status: (nullable): where to say why it failed
 *
 * Every channel of the effective user on this machine, sorted by key. On
 * failure, *@entries is NULL and *@n_entries 0.
 */
SHMV_API bool shmv_channel_list (ShmvChannelEntry **entries, size_t *n_entries, ShmvStatus *status);

/**
 * shmv_channel_entry_remove_unused:
 * @status: (nullable): where to say why it failed
 *
 * Removes the channel listed as @entry (by its native name, since a corrupt
 * channel's key may be unknown) if no process has it open and, looked at
 * again under the exclusive lock that proves nobody uses it, it is stale
 * (not persistent) or corrupt. ALREADY_EXISTS when it is in use or sound and
 * persistent, NOT_FOUND when it is gone; for garbage collection.
 */
SHMV_API bool shmv_channel_entry_remove_unused (const ShmvChannelEntry *entry, ShmvStatus *status);

SHMV_END_DECLS
