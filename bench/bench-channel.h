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
  bool lease;             /* "mode": "lease" (readers lease in place) or "copy" */
  bool verify;            /* lease entries: whether readers verify the checksum */
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

/* The reader roles: a copy (shmv_channel_read) or a lease (acquire, then
 * release once it holds the frame), verified or not; "sample" readers ack
 * each frame, "stream" readers take what they can. */
#define BENCH_ROLE_SAMPLE                "sample"
#define BENCH_ROLE_STREAM                "stream"
#define BENCH_ROLE_LEASE_SAMPLE          "lease-sample"
#define BENCH_ROLE_LEASE_SAMPLE_NOVERIFY "lease-sample-noverify"
#define BENCH_ROLE_LEASE_STREAM          "lease-stream"
#define BENCH_ROLE_LEASE_STREAM_NOVERIFY "lease-stream-noverify"

/* Whether @role is one of the channel's reader roles. */
bool bench_channel_is_reader_role (const char *role);

bool bench_channel_handoff_begin (BenchChannelHandoff *h,
                                  const BenchParams *p,
                                  const ShmvImage *frame,
                                  const char *role);

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

/* The writer publishes as fast as it can for @seconds; @readers copy (or,
 * with @out->lease set, lease) what they see. */
bool bench_channel_stream (
    const BenchParams *p, ShmvImage *frame, int readers, double seconds, BenchStream *out);

/* The lease hand-off: publish in the writer until a leasing reader holds the
 * (verified, with @verify) frame, one frame at a time, each after a
 * yardstick sample. Medians in *@ms and *@memcpy_ms. */
bool bench_channel_lease_handoff (
    const BenchParams *p, ShmvImage *frame, bool verify, double *ms, double *memcpy_ms);

/* shmv_channel_publish_png() of @path to a reader's copy, each frame after a plain
 * decode of the same file (the reference) and a yardstick sample of @frame
 * (the file's pixels). */
bool
bench_channel_e2e (const BenchParams *p, const char *path, const ShmvImage *frame, BenchE2e *out);

/* The reader processes: @role is "sample" or "stream". Returns the exit code. */
int bench_channel_reader_main (const char *role, BenchCtl *ctl, int index, const char *key);

/* Latency percentiles of @n samples in microseconds (sorts them). */
void bench_latency_from (double *us, int n, BenchLatency *out);
