/* bench-handoff.h: shmview's hand-off against the plain C one and memcpy
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "bench-util.h"

typedef struct
{
  double write_ms;   /* writer: shmv_channel_publish(), or memcpy() into the segment */
  double read_ms;    /* reader: shmv_channel_read(), or memcpy() out of the segment */
  double handoff_ms; /* start of the writer's call -> the reader's copy complete */
} BenchHandoffTimes;

typedef struct
{
  double memcpy_ms;
  BenchHandoffTimes shmview;
  BenchHandoffTimes plain;
  double same_cpu; /* fraction of frames whose reader woke on the writer's core */
} BenchHandoff;

/* Times frame after frame of the yardstick, shmview's hand-off and the plain
 * one, in rotating order, so that all three see the same machine (this VM's
 * memory bandwidth drifts) and none profits from what another left in the
 * cache. */
bool bench_handoff_compare (const BenchParams *p, ShmvImage *frame, BenchHandoff *out);
