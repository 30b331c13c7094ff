/* shmview-bench: how fast libshmview hands images between processes
 *
 * Every figure is a median over timed frames after warm-up, measured with
 * real processes: each reader is this program started again with the hidden
 * --reader-role option, set up (channel open, buffer touched) before timing.
 * Times come from CLOCK_MONOTONIC, which all processes share, so "writer
 * started" and "reader done" can be compared across processes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "bench-channel.h"
#include "bench-handoff.h"
#include "bench-plain.h"
#include "bench-png.h"
#include "bench-util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#define MAX_STREAMS 8
/* PNG decoding takes a long time per frame at 4K; this many runs suffice. */
#define MAX_PNG_RUNS     9
#define WAKE_SAMPLES_MIN 1

/* The targets, as ratios within one run. */
#define TARGET_HANDOFF_FACTOR        1.1 /* handoff <= 1.1 * 2 * memcpy */
#define TARGET_WAKE_P50_US           50.0
#define TARGET_WAKE_P99_US           1000.0
#define TARGET_BUS_PRODUCT           850.0 /* fps * (1 + readers) * memcpy_ms */
#define TARGET_E2E_FACTOR            1.05  /* e2e <= 1.05 * decode + 2 * memcpy */
#define TARGET_LEASE_FACTOR          0.80  /* lease hand-off <= 0.80 * 2 * memcpy */
#define TARGET_LEASE_NOVERIFY_FACTOR 0.60  /* the same without verification */

typedef struct
{
  uint32_t width;
  uint32_t height;
  const char *image;
  int readers[MAX_STREAMS];
  int n_streams;
  int runs;
  int warmup;
  int wake_samples;
  double stream_seconds;
  int naive_runs;
  char key_prefix[200];
  const char *write_png;
  bool json;
  bool lease;     /* also measure leases */
  bool no_verify; /* the leasing streams do not verify */
} Options;

typedef struct
{
  ShmvImage frame;
  BenchHandoff handoff;
  BenchLatency wake;       /* from the end of the publish (the definition) */
  BenchLatency wake_start; /* from its start */
  BenchLatency futex;
  BenchStream streams[2 * MAX_STREAMS]; /* the copying ones, then the leasing ones */
  int n_streams;
  double lease_ms;          /* lease_handoff_ms */
  double lease_noverify_ms; /* lease_handoff_noverify_ms */
  double lease_memcpy_ms;   /* the yardstick between the lease hand-off frames */
  BenchNaive naive;
  bool have_naive;
  BenchE2e e2e;
} Results;

static void
print_help (FILE *out)
{
  fputs ("Usage: shmview-bench [OPTION]...\n"
         "Measures how fast libshmview hands images from a writer process to reader\n"
         "processes, against memcpy, a plain shm_open+sem_open hand-off and the naive\n"
         "encode-to-PNG path of Qt's Shared Memory Example.\n"
         "\n"
         "  --width N, --height N  synthetic RGBA8 frame size (default 3840x2160)\n"
         "  --image FILE.png       publish this image's pixels instead; also measures\n"
         "                         decode_ms and e2e_ms\n"
         "  --readers LIST         reader processes for streaming, e.g. 1,4 (default 1)\n"
         "  --runs N               timed frames per measurement (default 20)\n"
         "  --warmup N             frames before timing starts (default 5)\n"
         "  --wake-samples N       wake-up latency samples (default 2000)\n"
         "  --stream-seconds S     length of each streaming window (default 2)\n"
         "  --naive-runs N         frames through the naive PNG path (default 3; 0 skips)\n"
         "  --key-prefix PREFIX    channel keys start with PREFIX (default\n"
         "                         shmview-bench-PID)\n"
         "  --write-png FILE       save the synthetic frame as a PNG and exit\n"
         "  --lease                also measure readers that lease frames in place:\n"
         "                         the lease hand-off, verified and not, and streaming\n"
         "                         with leasing readers\n"
         "  --no-verify            the leasing readers of the streaming part skip\n"
         "                         verification\n"
         "  --json                 print one JSON object instead of a table\n"
         "  --help                 print this help\n",
         out);
}

static bool
parse_count (const char *text, int min, int max, int *value)
{
  char *end;
  long v;

  errno = 0;
  v = strtol (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || v < min || v > max)
    return bench_fail ("“%s” is not a number from %d to %d", text, min, max);
  *value = (int) v;
  return true;
}

static bool
parse_readers (const char *text, Options *o)
{
  char *copy = strdup (text), *save = NULL;
  bool ok = copy != NULL;

  o->n_streams = 0;
  for (char *tok = ok ? strtok_r (copy, ",", &save) : NULL; ok && tok != NULL;
       tok = strtok_r (NULL, ",", &save))
    {
      if (o->n_streams == MAX_STREAMS)
        ok = bench_fail ("at most %d reader counts", MAX_STREAMS);
      else
        ok = parse_count (tok, 1, BENCH_MAX_READERS, &o->readers[o->n_streams++]);
    }
  free (copy);
  return ok && (o->n_streams > 0 || bench_fail ("--readers needs a number"));
}

static bool
parse_seconds (const char *text, double *value)
{
  char *end;

  *value = strtod (text, &end);
  if (end == text || *end != '\0' || *value <= 0.0 || *value > 600.0)
    return bench_fail ("“%s” is not a number of seconds", text);
  return true;
}

enum
{
  OPT_WIDTH = 256,
  OPT_HEIGHT,
  OPT_IMAGE,
  OPT_READERS,
  OPT_RUNS,
  OPT_WARMUP,
  OPT_WAKE_SAMPLES,
  OPT_STREAM_SECONDS,
  OPT_NAIVE_RUNS,
  OPT_KEY_PREFIX,
  OPT_WRITE_PNG,
  OPT_JSON,
  OPT_LEASE,
  OPT_NO_VERIFY,
  OPT_HELP,
};

static const struct option long_options[] = {
  { "width", required_argument, NULL, OPT_WIDTH },
  { "height", required_argument, NULL, OPT_HEIGHT },
  { "image", required_argument, NULL, OPT_IMAGE },
  { "readers", required_argument, NULL, OPT_READERS },
  { "runs", required_argument, NULL, OPT_RUNS },
  { "warmup", required_argument, NULL, OPT_WARMUP },
  { "wake-samples", required_argument, NULL, OPT_WAKE_SAMPLES },
  { "stream-seconds", required_argument, NULL, OPT_STREAM_SECONDS },
  { "naive-runs", required_argument, NULL, OPT_NAIVE_RUNS },
  { "key-prefix", required_argument, NULL, OPT_KEY_PREFIX },
  { "write-png", required_argument, NULL, OPT_WRITE_PNG },
  { "json", no_argument, NULL, OPT_JSON },
  { "lease", no_argument, NULL, OPT_LEASE },
  { "no-verify", no_argument, NULL, OPT_NO_VERIFY },
  { "help", no_argument, NULL, OPT_HELP },
  { NULL, 0, NULL, 0 },
};

static void
set_defaults (Options *o)
{
  memset (o, 0, sizeof *o);
  o->width = 3840;
  o->height = 2160;
  o->readers[0] = 1;
  o->n_streams = 1;
  o->runs = 20;
  o->warmup = 5;
  o->wake_samples = 2000;
  o->stream_seconds = 2.0;
  o->naive_runs = 3;
  snprintf (o->key_prefix, sizeof o->key_prefix, "shmview-bench-%s", bench_pid_tag ());
}

static bool
parse_one (int opt, const char *arg, Options *o)
{
  int v;

  switch (opt)
    {
    case OPT_WIDTH:
    case OPT_HEIGHT:
      if (!parse_count (arg, 1, 65535, &v))
        return false;
      *(opt == OPT_WIDTH ? &o->width : &o->height) = (uint32_t) v;
      return true;
    case OPT_IMAGE:
      o->image = arg;
      return true;
    case OPT_READERS:
      return parse_readers (arg, o);
    case OPT_RUNS:
      return parse_count (arg, 1, BENCH_MAX_SAMPLES / 2, &o->runs);
    case OPT_WARMUP:
      return parse_count (arg, 1, BENCH_MAX_SAMPLES / 2, &o->warmup);
    case OPT_WAKE_SAMPLES:
      return parse_count (arg, WAKE_SAMPLES_MIN, BENCH_MAX_SAMPLES / 2, &o->wake_samples);
    case OPT_STREAM_SECONDS:
      return parse_seconds (arg, &o->stream_seconds);
    case OPT_NAIVE_RUNS:
      return parse_count (arg, 0, 100, &o->naive_runs);
    case OPT_KEY_PREFIX:
      snprintf (o->key_prefix, sizeof o->key_prefix, "%s", arg);
      return true;
    case OPT_WRITE_PNG:
      o->write_png = arg;
      return true;
    case OPT_JSON:
      o->json = true;
      return true;
    case OPT_LEASE:
      o->lease = true;
      return true;
    case OPT_NO_VERIFY:
      o->no_verify = true;
      return true;
    default:
      return false;
    }
}

/* Returns -1 to go on, else the exit status. */
static int
parse_options (int argc, char **argv, Options *o)
{
  int opt;

  set_defaults (o);
  while ((opt = getopt_long (argc, argv, "", long_options, NULL)) != -1)
    {
      if (opt == OPT_HELP)
        {
          print_help (stdout);
          return 0;
        }
      if (!parse_one (opt, optarg, o))
        {
          fputs ("Try “shmview-bench --help”.\n", stderr);
          return 2;
        }
    }
  if (optind < argc)
    {
      bench_fail ("unexpected argument “%s”", argv[optind]);
      return 2;
    }
  if (o->no_verify && !o->lease)
    {
      bench_fail ("--no-verify is about leasing readers: give --lease too");
      return 2;
    }
  return -1;
}

/* The hidden reader role: --reader-role ROLE --ctl NAME --index I --parent PID ... */
static int
reader_main (int argc, char **argv)
{
  const char *role = NULL, *ctl_name = NULL, *key = NULL;
  long index = -1, parent = 0;
  BenchCtl *ctl;
  int status;

  for (int i = 1; i + 1 < argc; i++)
    {
      if (strcmp (argv[i], "--reader-role") == 0)
        role = argv[i + 1];
      else if (strcmp (argv[i], "--ctl") == 0)
        ctl_name = argv[i + 1];
      else if (strcmp (argv[i], "--index") == 0)
        index = strtol (argv[i + 1], NULL, 10);
      else if (strcmp (argv[i], "--parent") == 0)
        parent = strtol (argv[i + 1], NULL, 10);
      else if (strcmp (argv[i], "--key") == 0)
        key = argv[i + 1];
    }
  if (role == NULL || ctl_name == NULL || index < 0 || index >= BENCH_MAX_READERS)
    return bench_fail ("bad reader arguments"), 2;
  /* Leave with the writer, even if it is killed without a chance to clean up. */
  if (prctl (PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid () != (pid_t) parent)
    return 1;
  ctl = bench_ctl_attach (ctl_name);
  if (ctl == NULL)
    return bench_fail ("cannot map %s: %s", ctl_name, strerror (errno)), 1;
  if (bench_channel_is_reader_role (role))
    status = bench_channel_reader_main (role, ctl, (int) index, key);
  else
    status = bench_plain_reader_main (role, ctl, (int) index, argc, argv);
  bench_ctl_detach (ctl);
  return status;
}

static bool
load_frame (const Options *o, ShmvImage *frame)
{
  ShmvStatus status;

  if (o->image == NULL)
    return bench_image_synthetic (frame, o->width, o->height);
  if (shmv_png_load (o->image, NULL, frame, &status))
    return true;
  return bench_fail ("%s", status.message);
}

static bool
run_png (const Options *o, const BenchParams *p, Results *r)
{
  BenchParams png = *p;

  png.runs = p->runs < MAX_PNG_RUNS ? p->runs : MAX_PNG_RUNS;
  return bench_channel_e2e (&png, o->image, &r->frame, &r->e2e);
}

static bool
run_wake (const Options *o, const BenchParams *p, Results *r)
{
  BenchParams wake = *p;

  wake.runs = o->wake_samples;
  return bench_channel_wake (&wake, o->wake_samples, &r->wake, &r->wake_start) &&
         bench_futex_wake_latency (&wake, o->wake_samples, &r->futex);
}

static bool
run_lease_handoffs (const BenchParams *p, Results *r)
{
  double memcpy_noverify_ms;

  return bench_channel_lease_handoff (p, &r->frame, true, &r->lease_ms, &r->lease_memcpy_ms) &&
         bench_channel_lease_handoff (p, &r->frame, false, &r->lease_noverify_ms,
                                      &memcpy_noverify_ms);
}

static bool
run_measurements (const Options *o, BenchYardstick *yardstick, Results *r)
{
  BenchParams p = { o->key_prefix, o->warmup, o->runs, yardstick };
  BenchParams naive = { o->key_prefix, 0, o->naive_runs, yardstick };

  if (!bench_handoff_compare (&p, &r->frame, &r->handoff) || !run_wake (o, &p, r))
    return false;
  if (o->lease && !run_lease_handoffs (&p, r))
    return false;
  for (int i = 0; i < (o->lease ? 2 : 1) * o->n_streams; i++)
    {
      BenchStream *s = &r->streams[r->n_streams];

      s->lease = i >= o->n_streams;
      s->verify = !s->lease || !o->no_verify;
      if (!bench_channel_stream (&p, &r->frame, o->readers[i % o->n_streams], o->stream_seconds, s))
        return false;
      r->n_streams++;
    }
  r->have_naive = o->naive_runs > 0;
  if (r->have_naive && !bench_naive_handoff (&naive, &r->frame, &r->naive))
    return false;
  return o->image == NULL || run_png (o, &p, r);
}

static bool
run_all (const Options *o, Results *r)
{
  BenchYardstick yardstick;
  bool ok;

  if (!load_frame (o, &r->frame))
    return false;
  /* Room for the largest number of samples any one measurement keeps. */
  if (!bench_yardstick_init (&yardstick, r->frame.stride * r->frame.height, o->runs + 2))
    return false;
  ok = run_measurements (o, &yardstick, r);
  bench_yardstick_clear (&yardstick);
  return ok;
}

/* Output */

/* Every verdict is the formula with the fields printed (memcpy_ms is
 * the yardstick sampled between the hand-off frames), so that anyone can
 * recompute it from the JSON. The yardsticks sampled around the other
 * measurements are printed for context only. */
typedef struct
{
  double handoff_ratio;  /* handoff / (2 * memcpy) */
  double baseline_ratio; /* the plain hand-off / (2 * memcpy) */
  double lease_ratio;    /* lease hand-off / (2 * memcpy), memcpy from its own run */
  double lease_noverify_ratio;
  double bus[2 * MAX_STREAMS];
  double e2e_limit;
  bool handoff;
  bool handoff_vs_plain;
  bool wake;
  bool fps;
  bool e2e;
  bool lease;
  bool lease_noverify;
} Verdict;

static void
judge (const Options *o, const Results *r, Verdict *v)
{
  memset (v, 0, sizeof *v);
  v->handoff_ratio = r->handoff.shmview.handoff_ms / (2.0 * r->handoff.memcpy_ms);
  v->baseline_ratio = r->handoff.plain.handoff_ms / (2.0 * r->handoff.memcpy_ms);
  v->handoff = v->handoff_ratio <= TARGET_HANDOFF_FACTOR;
  v->handoff_vs_plain = r->handoff.shmview.handoff_ms <= r->handoff.plain.handoff_ms;
  v->wake = r->wake.p50_us <= TARGET_WAKE_P50_US && r->wake.p99_us <= TARGET_WAKE_P99_US;
  v->fps = true;
  for (int i = 0; i < r->n_streams; i++)
    {
      v->bus[i] = r->streams[i].fps * (1 + r->streams[i].readers) * r->handoff.memcpy_ms;
      if (!r->streams[i].lease)
        v->fps = v->fps && v->bus[i] >= TARGET_BUS_PRODUCT;
    }
  if (o->lease)
    {
      v->lease_ratio = r->lease_ms / (2.0 * r->lease_memcpy_ms);
      v->lease_noverify_ratio = r->lease_noverify_ms / (2.0 * r->lease_memcpy_ms);
      v->lease = v->lease_ratio <= TARGET_LEASE_FACTOR;
      v->lease_noverify = v->lease_noverify_ratio <= TARGET_LEASE_NOVERIFY_FACTOR;
    }
  v->e2e_limit = TARGET_E2E_FACTOR * r->e2e.decode_ms + 2.0 * r->handoff.memcpy_ms;
  v->e2e = o->image == NULL || r->e2e.e2e_ms <= v->e2e_limit;
}

static void
machine_cpu (char *cpu, size_t size)
{
  FILE *f = fopen ("/proc/cpuinfo", "re");
  char line[512];

  snprintf (cpu, size, "unknown");
  if (f == NULL)
    return;
  while (fgets (line, sizeof line, f) != NULL)
    {
      char *colon = strchr (line, ':');

      if (strncmp (line, "model name", 10) == 0 && colon != NULL)
        {
          snprintf (cpu, size, "%s", colon + 2);
          cpu[strcspn (cpu, "\n")] = '\0';
          break;
        }
    }
  fclose (f);
}

static void
json_string (const char *s)
{
  putchar ('"');
  for (; *s != '\0'; s++)
    {
      unsigned char c = (unsigned char) *s;

      if (c == '"' || c == '\\')
        printf ("\\%c", c);
      else if (c < 0x20)
        printf ("\\u%04x", c);
      else
        putchar (c);
    }
  putchar ('"');
}

static const char *
json_bool (bool b)
{
  return b ? "true" : "false";
}

/* Other work on the machine shows in every figure: say how busy it was. */
static void
machine_load (char *load, size_t size)
{
  FILE *f = fopen ("/proc/loadavg", "re");

  snprintf (load, size, "unknown");
  if (f == NULL)
    return;
  if (fgets (load, (int) size, f) != NULL)
    load[strcspn (load, "\n")] = '\0';
  fclose (f);
}

static void
json_machine (void)
{
  struct utsname u;
  char cpu[256], loadavg[128];

  machine_load (loadavg, sizeof loadavg);

  machine_cpu (cpu, sizeof cpu);
  if (uname (&u) != 0)
    snprintf (u.release, sizeof u.release, "unknown");
  printf ("  \"machine\": {\"cpu\": ");
  json_string (cpu);
  printf (", \"cpus\": %ld, \"kernel\": ", sysconf (_SC_NPROCESSORS_ONLN));
  json_string (u.release);
  printf (", \"loadavg\": ");
  json_string (loadavg);
  printf ("},\n");
}

static void
json_streams (const Options *o, const Results *r, const Verdict *v)
{
  printf ("  \"streams\": [");
  for (int i = 0; i < r->n_streams; i++)
    {
      const BenchStream *s = &r->streams[i];

      printf ("%s\n    {\"mode\": \"%s\", ", i > 0 ? "," : "", s->lease ? "lease" : "copy");
      if (s->lease)
        printf ("\"verify\": %s, ", json_bool (s->verify));
      printf ("\"readers\": %d, \"fps\": %.6g, \"publish_fps\": %.6g, "
              "\"frames_published\": %llu, \"frames_skipped\": %llu, \"seconds\": %.6g, "
              "\"bus_product\": %.6g, \"window_memcpy_ms\": %.6g, \"publish_ms\": %.6g, "
              "\"read_ms\": %.6g, \"reader_anon_mib\": %.6g}",
              s->readers, s->fps, s->publish_fps, (unsigned long long) s->published,
              (unsigned long long) s->skipped, s->seconds, v->bus[i], s->memcpy_ms, s->publish_ms,
              s->read_ms, s->reader_anon_mib);
    }
  printf ("\n  ],\n");
}

static void
json_png (const Options *o, const Results *r, const Verdict *v)
{
  if (o->image == NULL)
    return;
  printf ("  \"image\": ");
  json_string (o->image);
  printf (",\n  \"decode_ms\": %.6g,\n  \"e2e_ms\": %.6g,\n  \"e2e_publish_ms\": %.6g,\n"
          "  \"e2e_window_memcpy_ms\": %.6g,\n  \"e2e_limit_ms\": %.6g,\n",
          r->e2e.decode_ms, r->e2e.e2e_ms, r->e2e.publish_ms, r->e2e.memcpy_ms, v->e2e_limit);
}

static void
json_lease (const Options *o, const Results *r, const Verdict *v)
{
  if (!o->lease)
    {
      printf ("  \"lease_handoff_ms\": null,\n  \"lease_handoff_noverify_ms\": null,\n");
      return;
    }
  printf ("  \"lease_handoff_ms\": %.6g,\n  \"lease_handoff_noverify_ms\": %.6g,\n"
          "  \"lease_window_memcpy_ms\": %.6g,\n  \"lease_over_2memcpy\": %.6g,\n"
          "  \"lease_noverify_over_2memcpy\": %.6g,\n",
          r->lease_ms, r->lease_noverify_ms, r->lease_memcpy_ms, v->lease_ratio,
          v->lease_noverify_ratio);
}

static void
json_naive (const Results *r)
{
  if (!r->have_naive)
    {
      printf ("  \"naive_handoff_ms\": null,\n");
      return;
    }
  printf ("  \"naive_handoff_ms\": %.6g,\n  \"naive_encode_ms\": %.6g,\n"
          "  \"naive_png_bytes\": %llu,\n  \"naive_runs\": %d,\n",
          r->naive.handoff_ms, r->naive.encode_ms, (unsigned long long) r->naive.png_bytes,
          r->naive.runs);
}

static void
json_latency (const char *name, const BenchLatency *l)
{
  printf ("  \"%s\": {\"p50\": %.6g, \"p99\": %.6g, \"max\": %.6g, \"samples\": %d},\n", name,
          l->p50_us, l->p99_us, l->max_us, l->samples);
}

static void
print_json (const Options *o, const Results *r, const Verdict *v)
{
  const ShmvImage *f = &r->frame;

  printf ("{\n  \"version\": \"%s\",\n", shmv_version_string ());
  printf ("  \"width\": %u,\n  \"height\": %u,\n  \"format\": \"%s\",\n  \"frame_bytes\": %zu,\n",
          f->width, f->height, shmv_format_name (f->format), f->stride * f->height);
  printf ("  \"runs\": %d,\n  \"warmup\": %d,\n", o->runs, o->warmup);
  printf ("  \"memcpy_ms\": %.6g,\n  \"publish_ms\": %.6g,\n  \"read_ms\": %.6g,\n"
          "  \"handoff_ms\": %.6g,\n",
          r->handoff.memcpy_ms, r->handoff.shmview.write_ms, r->handoff.shmview.read_ms,
          r->handoff.shmview.handoff_ms);
  json_latency ("wake_us", &r->wake);
  json_latency ("wake_from_publish_start_us", &r->wake_start);
  json_latency ("futex_wake_us", &r->futex);
  printf ("  \"fps\": %.6g,\n  \"readers\": %d,\n  \"frames_skipped\": %llu,\n", r->streams[0].fps,
          r->streams[0].readers, (unsigned long long) r->streams[0].skipped);
  json_streams (o, r, v);
  printf ("  \"baseline_handoff_ms\": %.6g,\n  \"baseline_write_ms\": %.6g,\n"
          "  \"baseline_read_ms\": %.6g,\n",
          r->handoff.plain.handoff_ms, r->handoff.plain.write_ms, r->handoff.plain.read_ms);
  json_lease (o, r, v);
  json_naive (r);
  json_png (o, r, v);
  printf ("  \"handoff_over_2memcpy\": %.6g,\n  \"baseline_over_2memcpy\": %.6g,\n"
          "  \"handoff_reader_on_writer_core\": %.6g,\n",
          v->handoff_ratio, v->baseline_ratio, r->handoff.same_cpu);
  printf ("  \"targets\": {\"handoff\": %s, \"handoff_vs_baseline\": %s, \"wake\": %s, "
          "\"fps\": %s, \"e2e\": %s, \"lease\": %s, \"lease_noverify\": %s},\n",
          json_bool (v->handoff), json_bool (v->handoff_vs_plain), json_bool (v->wake),
          json_bool (v->fps), o->image != NULL ? json_bool (v->e2e) : "null",
          o->lease ? json_bool (v->lease) : "null",
          o->lease ? json_bool (v->lease_noverify) : "null");
  json_machine ();
  printf ("  \"complete\": true\n}\n");
}

static const char *
verdict_word (bool met)
{
  return met ? "met" : "MISSED";
}

static void
table_row (const char *what, double ms, double memcpy_ms, const char *note)
{
  printf ("  %-34s %10.3f ms %8.2f  %s\n", what, ms, ms / memcpy_ms, note);
}

static void
print_table_copies (const Results *r, const Verdict *v)
{
  const BenchHandoff *h = &r->handoff;
  double m = h->memcpy_ms;
  char note[128];

  printf ("  %-34s %13s %8s\n", "", "median", "×memcpy");
  table_row ("memcpy (the yardstick)", m, m, "sampled between the frames below");
  table_row ("shmview publish (writer)", h->shmview.write_ms, m, "copy + XXH3, lock, wake");
  table_row ("shmview read (reader's own copy)", h->shmview.read_ms, m, "copy + XXH3 check");
  snprintf (note, sizeof note, "target ≤ %.2f: %s", 2 * TARGET_HANDOFF_FACTOR,
            verdict_word (v->handoff));
  table_row ("shmview hand-off", h->shmview.handoff_ms, m, note);
  table_row ("plain C: memcpy in", h->plain.write_ms, m, "");
  table_row ("plain C: memcpy out (reader)", h->plain.read_ms, m, "");
  snprintf (note, sizeof note, "shmview %s",
            v->handoff_vs_plain ? "is no slower: met" : "is SLOWER");
  table_row ("plain C shm_open+sem_open hand-off", h->plain.handoff_ms, m, note);
  if (r->have_naive)
    {
      snprintf (note, sizeof note, "%.0f× shmview (PNG encoding %.0f ms of it; %d runs)",
                r->naive.handoff_ms / h->shmview.handoff_ms, r->naive.encode_ms, r->naive.runs);
      table_row ("naive: PNG in a new segment (Qt)", r->naive.handoff_ms, m, note);
    }
}

static void
print_table_lease (const Options *o, const Results *r, const Verdict *v)
{
  double m = r->lease_memcpy_ms;
  char note[128];

  if (!o->lease)
    return;
  printf ("\n  leases (memcpy between these frames: %.3f ms)\n", m);
  snprintf (note, sizeof note, "target ≤ %.2f: %s", 2 * TARGET_LEASE_FACTOR,
            verdict_word (v->lease));
  table_row ("lease hand-off, verified", r->lease_ms, m, note);
  snprintf (note, sizeof note, "target ≤ %.2f: %s", 2 * TARGET_LEASE_NOVERIFY_FACTOR,
            verdict_word (v->lease_noverify));
  table_row ("lease hand-off, not verified", r->lease_noverify_ms, m, note);
}

static void
print_table_rest (const Options *o, const Results *r, const Verdict *v)
{
  printf ("  (the woken reader ran on the writer's core for %.0f%% of the frames)\n",
          100.0 * r->handoff.same_cpu);
  printf ("\n  wake-up, %d samples, blocked reader:\n", r->wake.samples);
  printf ("    from the end of the publish:      p50 %6.1f µs  p99 %6.1f µs  %s\n", r->wake.p50_us,
          r->wake.p99_us, verdict_word (v->wake));
  printf ("    from the start of the publish:    p50 %6.1f µs  p99 %6.1f µs\n",
          r->wake_start.p50_us, r->wake_start.p99_us);
  printf ("    raw futex, from before FUTEX_WAKE: p50 %6.1f µs  p99 %6.1f µs\n", r->futex.p50_us,
          r->futex.p99_us);
  for (int i = 0; i < r->n_streams; i++)
    {
      const BenchStream *s = &r->streams[i];

      printf ("\n  streaming to %d %sreader%s: %.1f fps each (writer %.1f fps, %llu skipped)\n",
              s->readers,
              !s->lease   ? "copying "
              : s->verify ? "leasing, verifying "
                          : "leasing, not verifying ",
              s->readers > 1 ? "s" : "", s->fps, s->publish_fps, (unsigned long long) s->skipped);
      printf ("    while streaming: publish %.3f ms, read %.3f ms (memcpy just before "
              "and after: %.3f ms)\n",
              s->publish_ms, s->read_ms, s->memcpy_ms);
      printf ("    fps × (1 + readers) × memcpy_ms = %.0f, target ≥ %.0f: %s\n", v->bus[i],
              TARGET_BUS_PRODUCT, verdict_word (v->bus[i] >= TARGET_BUS_PRODUCT));
    }
  if (o->image != NULL)
    printf ("\n  PNG file: libpng decode %.1f ms; file to reader's pixels %.1f ms "
            "(target ≤ %.1f): %s\n",
            r->e2e.decode_ms, r->e2e.e2e_ms, v->e2e_limit, verdict_word (v->e2e));
}

static void
print_table (const Options *o, const Results *r, const Verdict *v)
{
  const ShmvImage *f = &r->frame;

  printf ("shmview-bench %s: %ux%u %s, %.1f MB a frame; medians of %d runs after %d warm-up\n\n",
          shmv_version_string (), f->width, f->height, shmv_format_name (f->format),
          (double) (f->stride * f->height) / 1e6, o->runs, o->warmup);
  print_table_copies (r, v);
  print_table_lease (o, r, v);
  print_table_rest (o, r, v);
}

static int
write_png (const Options *o)
{
  ShmvImage frame;
  BenchBytes png = { NULL, 0, 0 };
  FILE *f;
  bool ok;

  ok = bench_image_synthetic (&frame, o->width, o->height) && bench_png_encode (&frame, &png);
  shmv_image_clear (&frame);
  if (ok && (f = fopen (o->write_png, "wbe")) != NULL)
    {
      ok = fwrite (png.data, 1, png.size, f) == png.size;
      ok = fclose (f) == 0 && ok;
    }
  else if (ok)
    ok = false;
  if (!ok)
    bench_fail ("cannot write %s", o->write_png);
  bench_bytes_clear (&png);
  return ok ? 0 : 1;
}

/* Dies of the signal that interrupted us, once everything is cleaned up. */
static void
reraise_interruption (void)
{
  int signo = bench_interrupted;

  if (signo == 0)
    return;
  bench_fail ("interrupted; everything it had made is removed");
  signal (signo, SIG_DFL);
  raise (signo);
}

int
main (int argc, char **argv)
{
  Options o;
  Results r;
  Verdict v;
  int status;

  if (argc > 1 && strcmp (argv[1], "--reader-role") == 0)
    return reader_main (argc, argv);
  status = parse_options (argc, argv, &o);
  if (status >= 0)
    return status;
  if (o.write_png != NULL)
    return write_png (&o);
  if (!bench_install_signal_handlers () || !bench_init_self_path ())
    return 1;
  memset (&r, 0, sizeof r);
  if (!run_all (&o, &r))
    {
      shmv_image_clear (&r.frame);
      reraise_interruption ();
      return 1;
    }
  judge (&o, &r, &v);
  if (o.json)
    print_json (&o, &r, &v);
  else
    print_table (&o, &r, &v);
  shmv_image_clear (&r.frame);
  return 0;
}
