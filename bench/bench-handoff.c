/* bench-handoff.c: shmview's hand-off against the plain C one and memcpy
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench-handoff.h"

#include "bench-channel.h"
#include "bench-plain.h"

#include <stdlib.h>
#include <string.h>

/* samples[what][run]: what = 0..2 shmview's times, 3..5 the plain ones. */
typedef struct
{
  double *samples[6];
} Samples;

static bool
one_step (int step,
          const BenchParams *p,
          BenchChannelHandoff *h,
          BenchPlainHandoff *pc,
          ShmvImage *frame,
          double sample[6],
          int j)
{
  switch (step)
    {
    case 0:
      bench_yardstick_sample (p->yardstick, frame->pixels, j >= 0);
      return true;
    case 1:
      return bench_channel_handoff_frame (h, frame, sample);
    default:
      return bench_plain_handoff_frame (pc, frame, sample + 3);
    }
}

static bool
compare_loop (const BenchParams *p,
              BenchChannelHandoff *h,
              BenchPlainHandoff *pc,
              ShmvImage *frame,
              Samples *out)
{
  for (int i = 0; i < p->warmup + p->runs; i++)
    {
      int j = i - p->warmup;
      double sample[6];

      bench_image_stamp (frame, (uint64_t) i + 1);
      for (int k = 0; k < 3; k++)
        if (!one_step ((i + k) % 3, p, h, pc, frame, sample, j))
          return false;
      if (bench_interrupted)
        return false; /* main () says so */
      for (int w = 0; j >= 0 && w < 6; w++)
        out->samples[w][j] = sample[w];
    }
  return true;
}

static void
summarize (const BenchParams *p, Samples *in, BenchHandoff *out)
{
  BenchHandoffTimes *times[2] = { &out->shmview, &out->plain };
  size_t n = (size_t) p->runs;

  out->memcpy_ms = bench_yardstick_median (p->yardstick);
  for (int t = 0; t < 2; t++)
    {
      times[t]->write_ms = bench_median (in->samples[3 * t], n);
      times[t]->read_ms = bench_median (in->samples[3 * t + 1], n);
      times[t]->handoff_ms = bench_median (in->samples[3 * t + 2], n);
    }
}

bool
bench_handoff_compare (const BenchParams *p, ShmvImage *frame, BenchHandoff *out)
{
  double *all = calloc (6 * (size_t) p->runs, sizeof *all);
  BenchChannelHandoff h;
  BenchPlainHandoff pc;
  Samples samples;
  bool ok;

  memset (&h, 0, sizeof h);
  memset (&pc, 0, sizeof pc);
  bench_yardstick_reset (p->yardstick);
  for (int w = 0; w < 6 && all != NULL; w++)
    samples.samples[w] = all + (size_t) w * p->runs;
  ok = all != NULL || bench_fail ("out of memory");
  ok = ok && bench_channel_handoff_begin (&h, p, frame, BENCH_ROLE_SAMPLE) &&
       bench_plain_handoff_begin (&pc, frame);
  ok = ok && compare_loop (p, &h, &pc, frame, &samples);
  if (!bench_plain_handoff_end (&pc))
    ok = false;
  if (!bench_channel_handoff_end (&h))
    ok = false;
  if (ok)
    {
      summarize (p, &samples, out);
      out->same_cpu = (double) h.same_cpu / (h.frames > 0 ? h.frames : 1);
    }
  free (all);
  return ok;
}
