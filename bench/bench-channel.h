/* bench-channel.h: measuring libshmview's channel, writer side and readers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "bench-util.h"

typedef struct
{
  double p50_us;
  double p99_us;
  double max_us;
  int samples;
} BenchLatency;

typedef struct
{
  int readers;
  double seconds;         /* length of the measured window */
  double fps;             /* frames each reader copied a second (mean over readers) */
  double publish_fps;     /* frames the writer published a second */
  uint64_t published;     /* frames published in the window */
  uint64_t skipped;       /* frames of the window some reader never copied, summed */
  double reader_anon_mib; /* the largest reader's anonymous memory at the end */
  double memcpy_ms;       /* the yardstick, just before and after the window */
  double publish_ms;      /* median publish during the window (copies compete) */
  double read_ms;         /* median read of reader 0 during the window */
} BenchStream;

typedef struct
{
  double decode_ms;  /* plain libpng decode of the file into a reused buffer */
  double e2e_ms;     /* shmv_channel_publish_png() start -> pixels complete in the reader */
  double publish_ms; /* shmv_channel_publish_png() alone */
  double memcpy_ms;  /* the yardstick, sampled between these frames */
} BenchE2e;

/* The hand-off, one frame at a time: the writer publishes and waits for the
 * reader's copy, so nothing overlaps. The caller interleaves these frames
 * with the plain baseline's and the yardstick's (bench-handoff.c). */
typedef struct
{
  BenchSession session;
  ShmvChannel *ch;
  int frames;
  int same_cpu; /* frames whose reader woke on the writer's core */
} BenchChannelHandoff;

bool
bench_channel_handoff_begin (BenchChannelHandoff *h, const BenchParams *p, const ShmvImage *frame);

/* @sample: publish, read and hand-off times of this frame, in ms. */
bool bench_channel_handoff_frame (BenchChannelHandoff *h, const ShmvImage *frame, double sample[3]);

/* Stops the reader and removes everything; safe after a failed begin. */
bool bench_channel_handoff_end (BenchChannelHandoff *h);

/* A reader blocked in shmv_channel_wait() runs, small frame: @from_end is
 * measured from the end of the publish (the library woke it on the way
 * out, so this can be negative), @from_start from its start. */
bool bench_channel_wake (const BenchParams *p,
                         int samples,
                         BenchLatency *from_end,
                         BenchLatency *from_start);

/* The writer publishes as fast as it can for @seconds; @readers copy what they see. */
bool bench_channel_stream (
    const BenchParams *p, ShmvImage *frame, int readers, double seconds, BenchStream *out);

/* shmv_channel_publish_png() of @path to a reader's copy, each frame after a plain
 * decode of the same file (the reference) and a yardstick sample of @frame
 * (the file's pixels). */
bool
bench_channel_e2e (const BenchParams *p, const char *path, const ShmvImage *frame, BenchE2e *out);

/* The reader processes: @role is "sample" or "stream". Returns the exit code. */
int bench_channel_reader_main (const char *role, BenchCtl *ctl, int index, const char *key);

/* Latency percentiles of @n samples in microseconds (sorts them). */
void bench_latency_from (double *us, int n, BenchLatency *out);
