#!/usr/bin/env python3
"""The same MDN training step in PyTorch, for comparison with mdn_bench: 1 -> H tanh -> 3K,
full-batch Adam (lr 0.01, betas 0.9 and 0.99 as mdnviz's) on the standardised inverse sinusoid,
log-sum-exp NLL with sigma = exp(s) + 0.001, float32, one thread.

Usage: taskset -c 0 /usr/bin/python3 bench/torch_mdn.py [--points N] [--hidden H] [--mixtures K]
       [--seconds S] [--time-to NLL]
Prints one line of key=value pairs: epochs/s, the final training NLL (data units), peak memory,
minor page faults per epoch, and the BLAS this process really mapped (path, version, core type,
threads) with the environment that steers it; with --time-to, the seconds of training until the
training NLL (data units) is at most NLL.
"""
import argparse
import ctypes
import math
import os
import re
import resource
import time

import torch


def blas_fields():
    """key=value pairs (no spaces) naming the BLAS mapped into this process and its settings."""
    libs = sorted({line.split()[-1] for line in open("/proc/self/maps")
                   if re.search(r"/lib(open)?blas[^/]*\.so", line)})
    fields = {"blas_lib": ",".join(libs) or "none", "torch_blas_info": "unknown",
              "torch_threads": str(torch.get_num_threads())}
    info = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    if info:
        fields["torch_blas_info"] = info.group(1)
    openblas = next((p for p in libs if "openblas" in os.path.basename(p)), None)
    if openblas:
        lib = ctypes.CDLL(openblas)
        lib.openblas_get_config.restype = ctypes.c_char_p
        lib.openblas_get_corename.restype = ctypes.c_char_p
        config = lib.openblas_get_config().decode()
        fields["blas_version"] = config.split()[1] if config.startswith("OpenBLAS ") else "unknown"
        fields["blas_core"] = lib.openblas_get_corename().decode()
        fields["blas_threads"] = str(lib.openblas_get_num_threads())
    elif libs:
        # Netlib's reference BLAS has no query function; its version is in the file name.
        version = re.search(r"\.so\.([0-9.]+)$", os.path.realpath(libs[0]))
        fields["blas_version"] = "reference-" + (version.group(1) if version else "unknown")
        fields["blas_core"] = "none"
        fields["blas_threads"] = "1"
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS",
                 "GLIBC_TUNABLES"):
        fields["env_" + name] = os.environ.get(name, "unset").replace(" ", "_")
    return " ".join(f"{k}={v}" for k, v in fields.items())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=1000)
    ap.add_argument("--hidden", type=int, default=24)
    ap.add_argument("--mixtures", type=int, default=24)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--time-to", type=float, default=None)
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)

    n, h, k = args.points, args.hidden, args.mixtures
    t = (torch.rand(n, 1) * 21.0 - 10.5)
    x = 7.0 * torch.sin(0.75 * t) + 0.5 * t + torch.randn(n, 1)
    x = (x - x.mean()) / x.std()
    log_scale = math.log(t.std().item())  # NLL in data units = standardised NLL + log(sd)
    y = (t - t.mean()) / t.std()

    net = torch.nn.Sequential(torch.nn.Linear(1, h), torch.nn.Tanh(), torch.nn.Linear(h, 3 * k))
    opt = torch.optim.Adam(net.parameters(), lr=0.01, betas=(0.9, 0.99), eps=1e-8)
    log_sqrt_2pi = 0.5 * math.log(2 * math.pi)

    def step():
        opt.zero_grad(set_to_none=True)
        out = net(x)
        logits, mu, s = out[:, :k], out[:, k:2 * k], out[:, 2 * k:]
        sigma = torch.exp(s) + 1e-3
        log_pi = torch.log_softmax(logits, dim=1)
        z = (y - mu) / sigma
        log_joint = log_pi - 0.5 * z * z - torch.log(sigma) - log_sqrt_2pi
        loss = -torch.logsumexp(log_joint, dim=1).mean()
        loss.backward()
        opt.step()
        return loss

    if args.time_to is not None:
        start = time.perf_counter()
        for _ in range(20000):
            if step().item() + log_scale <= args.time_to:
                print(f"time_to_nll={args.time_to} points={n} hidden={h} mixtures={k} "
                      f"seconds={time.perf_counter() - start:.4f}")
                return
        print(f"time_to_nll={args.time_to} points={n} hidden={h} mixtures={k} seconds=-1")
        return

    chunk = max(1, 20000 // n)  # read the clock rarely, but at least once per epoch on big data
    for _ in range(min(chunk, 5)):  # warm up
        step()
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    epochs, start = 0, time.perf_counter()
    while True:
        for _ in range(chunk):
            loss = step()
        epochs += chunk
        elapsed = time.perf_counter() - start
        if elapsed >= args.seconds:
            break
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"pytorch={torch.__version__} points={n} hidden={h} mixtures={k} "
          f"epochs_per_second={epochs / elapsed:.3f} max_rss_kib={usage.ru_maxrss} "
          f"faults_per_epoch={(usage.ru_minflt - faults) / epochs:.1f} "
          f"final_nll={loss.item() + log_scale:.4f} {blas_fields()}")


if __name__ == "__main__":
    main()
