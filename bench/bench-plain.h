/* bench-plain.h: the references shmview is measured against
 *
 * - the plain C hand-off: one shm_open() segment reused for every frame, two
 *   sem_open() semaphores, memcpy() in and memcpy() out; no checksum, no
 *   protection against torn frames or crashed peers: the floor for a copy;
 * - the raw futex wake-up, the floor for any notification;
 * - the naive path of Qt's Shared Memory Example: encode the image as PNG,
 *   put it in a new segment, decode it in the reader.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "bench-channel.h"

/* The plain hand-off, one frame at a time (see BenchChannelHandoff). */
typedef struct
{
  BenchSession session;
  char seg_name[64];
  char full_name[64];
  char empty_name[64];
  size_t bytes;
  uint8_t *map;
  sem_t *full;  /* a frame is in the segment */
  sem_t *empty; /* the reader has its copy */
  bool linked;  /* the names above still exist */
  int frames;
} BenchPlainHandoff;

typedef struct
{
  int runs;
  double encode_ms;  /* PNG encoding in the writer */
  double handoff_ms; /* start of encoding -> pixels decoded in the reader */
  uint64_t png_bytes;
} BenchNaive;

bool bench_plain_handoff_begin (BenchPlainHandoff *pc, const ShmvImage *frame);

/* @sample: copy in, copy out (reader) and hand-off times of this frame, in ms. */
bool bench_plain_handoff_frame (BenchPlainHandoff *pc, const ShmvImage *frame, double sample[3]);

bool bench_plain_handoff_end (BenchPlainHandoff *pc);

/* The word changes, FUTEX_WAKE -> the woken process runs; nothing else. */
bool bench_futex_wake_latency (const BenchParams *p, int samples, BenchLatency *out);

bool bench_naive_handoff (const BenchParams *p, ShmvImage *frame, BenchNaive *out);

/* The naive path's reader (bench-naive.c). */
int bench_naive_reader_main (BenchCtl *ctl, int index);

/* The reader processes: "plain", "futex" or "naive". Returns the exit code. */
int bench_plain_reader_main (const char *role, BenchCtl *ctl, int index, int argc, char **argv);
