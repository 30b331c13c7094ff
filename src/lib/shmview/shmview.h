/* shmview.h: the libshmview umbrella header
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#define SHMV_INSIDE_SHMVIEW_H

#include <shmview/shmv-error.h>
#include <shmview/shmv-segment.h>
#include <shmview/shmv-semaphore.h>
#include <shmview/shmv-channel.h>
#include <shmview/shmv-png.h>

#undef SHMV_INSIDE_SHMVIEW_H
