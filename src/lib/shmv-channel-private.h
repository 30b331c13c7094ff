/* shmv-channel-private.h: channel internals for the watch thread and PNG (private)
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
