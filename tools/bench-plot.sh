#!/bin/sh
# bench-plot.sh: reproduces the table and the plot of docs/PERFORMANCE.md.
#
#   tools/bench-plot.sh [BUILDDIR [OUTDIR]]
#
# Runs shmview-bench --json --lease for 1024x768, 1920x1080, 3840x2160 and
# 7680x4320 RGBA8 frames (1, 4 and 16 streaming readers, copying and leasing,
# then once more with --no-verify for the leasing streams without
# verification) and for a 4K PNG file, then prints the Markdown table and
# writes docs/performance-handoff.png (gnuplot).
# The raw JSON stays in OUTDIR (default BUILDDIR/bench-results).
#
# Other work on the machine changes every figure, so each run first waits
# (up to BENCH_IDLE_WAIT seconds, default 600) until the CPUs have been less
# than BENCH_MAX_BUSY percent busy (default 15) for two seconds, and the
# table says how busy they were. BENCH_ARGS is appended to every run (a
# quick try: BENCH_ARGS="--runs 3 --naive-runs 0"). Needs python3 (as meson
# does) and gnuplot.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
out=${2:-$build/bench-results}
bench=$build/bench/shmview-bench
max_busy=${BENCH_MAX_BUSY:-15}
idle_wait=${BENCH_IDLE_WAIT:-600}
sizes="1024x768 1920x1080 3840x2160 7680x4320"

[ -x "$bench" ] || { echo "no $bench: build first (ninja -C $build)" >&2; exit 1; }
command -v gnuplot >/dev/null || { echo "gnuplot is needed (apt-get install gnuplot-nox)" >&2; exit 1; }
mkdir -p "$out"

# Percentage of CPU time not idle over two seconds, all CPUs together.
# shellcheck disable=SC2046 # splitting /proc/stat's first line into fields
busy_percent() {
  set -- $(head -n 1 /proc/stat)
  t1=$(($2 + $3 + $4 + $5 + $6 + $7 + $8 + $9)) i1=$(($5 + $6))
  sleep 2
  set -- $(head -n 1 /proc/stat)
  t2=$(($2 + $3 + $4 + $5 + $6 + $7 + $8 + $9)) i2=$(($5 + $6))
  echo $((100 - 100 * (i2 - i1) / (t2 - t1)))
}

wait_idle() {
  waited=0
  busy=$(busy_percent)
  while [ "$busy" -gt "$max_busy" ] && [ "$waited" -lt "$idle_wait" ]; do
    echo "  machine ${busy}% busy, waiting" >&2
    sleep 8
    waited=$((waited + 10))
    busy=$(busy_percent)
  done
  echo "$busy"
}

# run NAME ARGS...: one shmview-bench run into OUT/NAME.json, with the
# machine's busy level before it in OUT/NAME.busy.
run() {
  name=$1
  shift
  echo "shmview-bench $* ($name)" >&2
  wait_idle >"$out/$name.busy"
  # shellcheck disable=SC2086 # BENCH_ARGS is a list of options
  "$bench" --json --readers 1,4,16 "$@" ${BENCH_ARGS:-} >"$out/$name.json"
}

for size in $sizes; do
  w=${size%x*} h=${size#*x}
  naive=3
  [ "$size" = 7680x4320 ] && naive=1 # 10 s a frame; one shows the point
  run "$size" --width "$w" --height "$h" --naive-runs "$naive" --lease
  run "$size-noverify" --width "$w" --height "$h" --naive-runs 0 --lease --no-verify
done

# The PNG path: a photo-like 4K file written with libpng's defaults.
"$bench" --width 3840 --height 2160 --write-png "$out/frame-3840x2160.png"
run png-3840x2160 --image "$out/frame-3840x2160.png" --naive-runs 0

# shellcheck disable=SC2086 # one argument per size
python3 - "$out" "$top/docs/performance-handoff.png" $sizes <<'EOF'
import json, subprocess, sys

out, png, sizes = sys.argv[1], sys.argv[2], sys.argv[3:]
runs = {s: json.load(open(f"{out}/{s}.json")) for s in sizes}
noverify = {s: json.load(open(f"{out}/{s}-noverify.json")) for s in sizes}
busy = {s: open(f"{out}/{s}.busy").read().strip() for s in sizes + ["png-3840x2160"]}
img = json.load(open(f"{out}/png-3840x2160.json"))

def mb(d):
    return d["frame_bytes"] / 1e6

def row(label, key, fmt="{:.2f}"):
    return f"| {label} | " + " | ".join(fmt.format(key(runs[s])) for s in sizes) + " |"

def ratio(d, v):
    return f"{v:.2f} ({v / d['memcpy_ms']:.2f}×)"

def bus(d, i):
    s = d["streams"][i]
    return f"{s['fps']:.0f} fps → {s['bus_product']:.0f}"

def stream(d, mode, readers):
    return next(s for s in d["streams"] if s["mode"] == mode and s["readers"] == readers)

def writer_fps(s, mode):
    d = (noverify if mode == "lease-noverify" else runs)[s]
    m = "lease" if mode.startswith("lease") else "copy"
    one = stream(d, m, 1)["publish_fps"]
    return " / ".join(f"{stream(d, m, n)['publish_fps']:.0f}" for n in (1, 4, 16)) + \
        f" ({stream(d, m, 16)['publish_fps'] / one:.2f})"

def fps_row(label, mode):
    return f"| {label} | " + " | ".join(writer_fps(s, mode) for s in sizes) + " |"

lines = [
    "| RGBA8 frame | " + " | ".join(f"{s} ({mb(runs[s]):.1f} MB)" for s in sizes) + " |",
    "|---|" + "---:|" * len(sizes),
    row("memcpy (yardstick), ms", lambda d: d["memcpy_ms"], "{:.3f}"),
    row("publish, ms (×memcpy)", lambda d: ratio(d, d["publish_ms"]), "{}"),
    row("read, ms (×memcpy)", lambda d: ratio(d, d["read_ms"]), "{}"),
    row("**hand-off**, ms (×memcpy)", lambda d: ratio(d, d["handoff_ms"]), "{}"),
    row("hand-off ÷ 2·memcpy (target ≤ 1.10)", lambda d: d["handoff_over_2memcpy"]),
    row("plain C shm_open+sem_open, ms (×memcpy)",
        lambda d: ratio(d, d["baseline_handoff_ms"]), "{}"),
    row("naive PNG path (Qt example), ms", lambda d: d["naive_handoff_ms"], "{:.0f}"),
    row("naive ÷ shmview", lambda d: d["naive_handoff_ms"] / d["handoff_ms"], "{:.0f}×"),
    row("wake-up p50 / p99, µs", lambda d: f"{d['wake_us']['p50']:.1f} / {d['wake_us']['p99']:.1f}", "{}"),
    row("raw futex p50 / p99, µs",
        lambda d: f"{d['futex_wake_us']['p50']:.1f} / {d['futex_wake_us']['p99']:.1f}", "{}"),
    row("**lease hand-off**, verified, ms (×memcpy)",
        lambda d: f"{d['lease_handoff_ms']:.2f} ({d['lease_handoff_ms'] / d['lease_window_memcpy_ms']:.2f}×)", "{}"),
    row("lease ÷ 2·memcpy, verified (target ≤ 0.80 at 4K)", lambda d: d["lease_over_2memcpy"]),
    row("lease hand-off, not verified, ms (×memcpy)",
        lambda d: f"{d['lease_handoff_noverify_ms']:.2f} ({d['lease_handoff_noverify_ms'] / d['lease_window_memcpy_ms']:.2f}×)", "{}"),
    row("lease ÷ 2·memcpy, not verified (target ≤ 0.60 at 4K)",
        lambda d: d["lease_noverify_over_2memcpy"]),
    row("1 reader: fps → fps×2×memcpy", lambda d: bus(d, 0), "{}"),
    row("4 readers: fps → fps×5×memcpy", lambda d: bus(d, 1), "{}"),
    row("frames skipped (1 reader / 4 readers)",
        lambda d: f"{d['streams'][0]['frames_skipped']} / {d['streams'][1]['frames_skipped']}", "{}"),
    fps_row("writer fps, 1 / 4 / 16 copying readers (16 ÷ 1)", "copy"),
    fps_row("writer fps, 1 / 4 / 16 leasing readers, verifying (16 ÷ 1)", "lease"),
    fps_row("writer fps, 1 / 4 / 16 leasing readers, not verifying (16 ÷ 1, target ≥ 0.90 at 1080p)",
            "lease-noverify"),
    row("reader on the writer's core", lambda d: d["handoff_reader_on_writer_core"] * 100, "{:.0f}%"),
    "| machine busy before the run | " + " | ".join(busy[s] + "%" for s in sizes) + " |",
]
print("\n".join(lines))
print()
print(f"PNG file ({img['width']}×{img['height']}, machine {busy['png-3840x2160']}% busy): "
      f"libpng decode {img['decode_ms']:.1f} ms, file to the reader's pixels "
      f"{img['e2e_ms']:.1f} ms (target ≤ 1.05·decode + 2·memcpy = {img['e2e_limit_ms']:.1f} ms), "
      f"of which shmv_channel_publish_png {img['e2e_publish_ms']:.1f} ms.")

with open(f"{out}/plot.dat", "w") as f:
    f.write("# MB memcpy handoff plain naive 2xmemcpy stream1_GBps lease lease_noverify"
            " copy_fps_1_4_16 lease_fps_1_4_16 lease_noverify_fps_1_4_16\n")
    for s in sizes:
        d = runs[s]
        st = d["streams"][0]
        fps = [stream(d, "copy", n)["publish_fps"] for n in (1, 4, 16)]
        fps += [stream(d, "lease", n)["publish_fps"] for n in (1, 4, 16)]
        fps += [stream(noverify[s], "lease", n)["publish_fps"] for n in (1, 4, 16)]
        f.write(f"{mb(d):.3f} {d['memcpy_ms']} {d['handoff_ms']} {d['baseline_handoff_ms']} "
                f"{d['naive_handoff_ms']} {2 * d['memcpy_ms']} "
                f"{st['fps'] * d['frame_bytes'] / 1e9} {d['lease_handoff_ms']} "
                f"{d['lease_handoff_noverify_ms']} " + " ".join(str(x) for x in fps) + "\n")

script = f"""
set terminal pngcairo size 1800,560 font 'sans,10' noenhanced
set output '{png}'
set multiplot layout 1,3 title 'shmview-bench on a 2-vCPU VM ({runs[sizes[0]]['machine']['cpu']}, Linux {runs[sizes[0]]['machine']['kernel']}), RGBA8 frames 1024x768 to 7680x4320'
set logscale xy
set grid
set key top left opaque box
set xrange [2:200]
set xlabel 'frame size, MB'
set ylabel 'ms (median)'
set title 'Hand-off: writer starts -> pixels in the reader'
plot '{out}/plot.dat' u 1:3 w lp lw 2 pt 7 t 'shmview, copying reader', \\
     '' u 1:8 w lp lw 2 pt 13 t 'shmview, leasing reader, verified', \\
     '' u 1:9 w lp lw 2 pt 15 t 'shmview, leasing reader, not verified', \\
     '' u 1:4 w lp pt 5 t 'plain C shm_open + sem_open', \\
     '' u 1:6 w l dt 2 lw 2 t '2 x memcpy (the floor)', \\
     '' u 1:5 w lp pt 9 t 'naive: PNG in a new segment (Qt example)'
set ylabel 'GB/s (log)'
set yrange [0.005:500]
set key top right opaque box
set title 'Throughput: frame bytes delivered per second'
plot '{out}/plot.dat' u 1:($1/$3) w lp lw 2 pt 7 t 'shmview, one hand-off at a time', \\
     '' u 1:($1/$4) w lp pt 5 t 'plain C, one hand-off at a time', \\
     '' u 1:7 w lp pt 11 t 'shmview streaming to 1 reader', \\
     '' u 1:($1/$6) w l dt 2 lw 2 t 'bound for a hand-off: 1 / (2 x memcpy)', \\
     '' u 1:($1/$5) w lp pt 9 t 'naive PNG path'
set title "Writer's publish rate with 1, 4 and 16 readers"
set ylabel 'frames/s published (log)'
set yrange [*:*]
set key top right opaque box
plot '{out}/plot.dat' u 1:10 w lp pt 7 lc 1 t 'copy, 1 reader', \\
     '' u 1:12 w lp pt 7 lc 1 dt 2 t 'copy, 16 readers', \\
     '' u 1:13 w lp pt 13 lc 2 t 'lease verified, 1 reader', \\
     '' u 1:15 w lp pt 13 lc 2 dt 2 t 'lease verified, 16 readers', \\
     '' u 1:16 w lp pt 15 lc 3 t 'lease not verified, 1 reader', \\
     '' u 1:18 w lp pt 15 lc 3 dt 2 t 'lease not verified, 16 readers'
unset multiplot
"""
subprocess.run(["gnuplot"], input=script, text=True, check=True)
print(f"\nplot: {png}", file=sys.stderr)
EOF
