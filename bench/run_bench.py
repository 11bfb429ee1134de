#!/usr/bin/env python3
"""The performance suite: mdnviz against PyTorch as Debian installs it (reference BLAS) and
PyTorch with OpenBLAS, at several scales, every process pinned to the same core, the profiles run
in alternation and medians quoted; then CSV loading against pandas and the GUI's latency. The
PyTorch processes report the BLAS they really mapped, its core type and threads, and the settings
they ran with, and the suite prints them beside the figures.

Usage: bench/run_bench.py BUILD_DIR [--seconds S] [--repeats R] [--quick]
Prints Markdown tables. Standard library only; PyTorch/pandas come from Debian packages
(scripts/deps --bench), OpenBLAS is unpacked from Debian's libopenblas0-pthread into a cache
folder (apt-get download + dpkg -x), not installed.
"""
import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
CACHE = pathlib.Path(os.environ.get("XDG_CACHE_HOME", pathlib.Path.home() / ".cache")) / "mdnviz-bench"
CORE = "0"


def run(cmd, env=None, timeout=900):
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed: {out.stderr.strip()[-500:]}")
    return out.stdout.strip().splitlines()[-1]


def fields(line):
    return {k: v for k, v in (p.split("=", 1) for p in line.split() if "=" in p)}


def openblas_dir():
    lib = CACHE / "openblas" / "usr" / "lib" / "x86_64-linux-gnu" / "openblas-pthread"
    if (lib / "libblas.so.3").exists():
        return lib
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(["apt-get", "download", "libopenblas0-pthread"], cwd=CACHE, check=True,
                   capture_output=True)
    deb = sorted(CACHE.glob("libopenblas0-pthread_*.deb"))[-1]
    subprocess.run(["dpkg", "-x", str(deb), str(CACHE / "openblas")], check=True)
    return lib


# Both PyTorch profiles get the same allocator settings. PyTorch frees and allocates its per-epoch
# tensors (288 KiB each at N = 1000, H = K = 24) every step; with glibc's defaults, and even more
# with mmap_max=0 alone (which pins the trim threshold at 128 KiB), the top of the heap is given
# back to the kernel and faulted in again each epoch (140-220 minor faults per epoch, a third of
# the time). No mmap and no trimming keeps those pages: under one fault per epoch.
MALLOC_TUNABLES = "glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4294967296"


def torch_env(openblas):
    env = dict(os.environ)
    # OpenBLAS picks its kernels from the CPU (the core type is printed with the results); a core
    # type or cache size left in the caller's environment would override that.
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LD_LIBRARY_PATH", "LD_PRELOAD"):
        env.pop(name, None)
    env["OPENBLAS_NUM_THREADS"] = "1"
    env["OMP_NUM_THREADS"] = "1"
    env["GLIBC_TUNABLES"] = MALLOC_TUNABLES
    if openblas:
        env["LD_LIBRARY_PATH"] = str(openblas_dir())
    return env


def figure(x):
    """A rate with three significant digits at least: 5,017.9, 35.0, 0.584."""
    return f"{x:,.1f}" if x >= 10 else f"{x:.3g}"


def load():
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    build = pathlib.Path(args.build)
    mdn_bench = [str(build / "bench" / "mdn_bench")]
    torch = ["/usr/bin/python3", str(ROOT / "bench" / "torch_mdn.py")]
    pin = ["taskset", "-c", CORE]

    profiles = {
        "mdnviz": (mdn_bench, None),
        "pytorch (Debian, reference BLAS)": (torch, torch_env(False)),
        "pytorch + OpenBLAS": (torch, torch_env(True)),
    }
    sizes = [1000] if args.quick else [1000, 100000, 1000000]
    shapes = [(24, 24), (64, 10)]

    cpu = next(l for l in open("/proc/cpuinfo") if l.startswith("model name")).split(":")[1].strip()
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, cpu: {cpu}, {os.cpu_count()} cores, "
          f"pinned to core {CORE}, {args.repeats} alternating runs per cell, medians; "
          f"load average (1/5/15 min) at start {load()}\n")
    print("| N | H | K | " + " | ".join(f"{p} epochs/s" for p in profiles)
          + " | vs OpenBLAS | mdnviz of product bound | peak memory mdnviz / OpenBLAS (MiB) |")
    print("|---|---|---|" + "---|" * len(profiles) + "---|---|---|")
    first = {}
    for n in sizes:
        for h, k in shapes:
            results = {p: [] for p in profiles}
            for _ in range(args.repeats):
                for name, (cmd, env) in profiles.items():
                    seconds = args.seconds if n < 1000000 or name == "mdnviz" else max(args.seconds, 20)
                    line = run(pin + cmd + ["--points", str(n), "--hidden", str(h), "--mixtures", str(k),
                                            "--seconds", str(seconds)], env=env)
                    results[name].append(fields(line))
            eps = {p: statistics.median(float(r["epochs_per_second"]) for r in rs) for p, rs in results.items()}
            bound = statistics.median(float(r["product_bound"]) for r in results["mdnviz"])
            rss = {p: statistics.median(float(r["max_rss_kib"]) for r in rs) / 1024 for p, rs in results.items()}
            ob = "pytorch + OpenBLAS"
            print(f"| {n:,} | {h} | {k} | " + " | ".join(figure(eps[p]) for p in profiles)
                  + f" | {eps['mdnviz'] / eps[ob]:.1f}x | {100 * eps['mdnviz'] / bound:.0f}% of {figure(bound)}"
                  + f" | {rss['mdnviz']:.0f} / {rss[ob]:.0f} |", flush=True)
            first = first or results
    print(f"\nload average at the end of the table {load()}")

    print("\nThe PyTorch processes (as they reported themselves at N = 1,000, H = K = 24):\n")
    print("| profile | BLAS library mapped | version | core type | BLAS threads | torch threads "
          "| environment | page faults per epoch |")
    print("|---|---|---|---|---|---|---|---|")
    for name in list(profiles)[1:]:
        r = first[name][0]
        libs = r["blas_lib"].split(",")
        lib = next((l for l in libs if "openblas" in os.path.basename(l)), libs[0])
        env = ", ".join(f"{k[4:]}={v}" for k, v in r.items() if k.startswith("env_") and v != "unset")
        faults = statistics.median(float(x["faults_per_epoch"]) for x in first[name])
        print(f"| {name} | `{lib}` | {r['blas_version']} | {r['blas_core']} | {r['blas_threads']} "
              f"| {r['torch_threads']} | {env} | {faults:.1f} |")

    print("\nTime to reach train NLL 1.3 nats on the inverse sinusoid (1,000 points, H = K = 24, "
          "full batch):\n")
    print("| profile | seconds of training (median) |")
    print("|---|---|")
    to = ["--time-to", "1.3", "--points", "1000", "--hidden", "24", "--mixtures", "24"]
    times = {p: [] for p in profiles}
    for _ in range(args.repeats):
        for name, (cmd, env) in profiles.items():
            times[name].append(float(fields(run(pin + cmd + to, env=env))["seconds"]))
    for name, ts in times.items():
        print(f"| {name} | {statistics.median(ts):.3f} |", flush=True)

    csv = CACHE / "rows-1000000.csv"
    CACHE.mkdir(parents=True, exist_ok=True)
    ours = fields(run(pin + [str(build / "bench" / "csv_bench"), str(csv), "--rows", "1000000"]))
    theirs = fields(run(pin + ["/usr/bin/python3", str(ROOT / "bench" / "pandas_csv.py"), str(csv)]))
    print("\nLoading a 1,000,000-row CSV (the same file, median of 5 loads each):\n")
    print("| reader | seconds | peak memory |")
    print("|---|---|---|")
    print(f"| mdnviz (mdn::readCsv) | {float(ours['median_seconds']):.3f} | {float(ours['max_rss_mib']):.0f} MiB "
          f"(raw data {float(ours['raw_data_mib']):.0f} MiB, file {float(ours['file_mib']):.0f} MiB) |")
    print(f"| pandas.read_csv | {float(theirs['median_seconds']):.3f} | |")

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    ui = fields(run([str(build / "bench" / "ui_latency"), "--seconds", "5"], env=env))
    print("\nThe GUI thread while training flat out with live charts (offscreen, 5 s):\n")
    print("| Train click to first chart update | 10 ms timer lateness p50 | p99 | max | chart updates/s | epochs/s |")
    print("|---|---|---|---|---|---|")
    print(f"| {float(ui['train_click_to_first_update_ms']):.0f} ms | {float(ui['timer_lateness_ms_p50']):.2f} ms "
          f"| {float(ui['p99']):.2f} ms | {float(ui['max']):.2f} ms | {float(ui['update_rate_hz']):.1f} "
          f"| {float(ui['epochs_per_second']):,.0f} |")


if __name__ == "__main__":
    sys.exit(main())
