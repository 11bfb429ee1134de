#!/usr/bin/env python3
"""Does `mdnviz --headless --auto` reach a held-out NLL at least as good as a plain PyTorch MDN?

mdnviz --auto trains 10 candidates (K in 1, 2, 3, 5, 10 x H in 12, 24) on 80 % of the training
file, chooses by the held-out 20 % and keeps each candidate's best epoch. The baseline is the
PyTorch MDN of bench/torch_mdn.py (1 -> H tanh -> 3K, sigma = exp(s) + 0.001, log-sum-exp NLL,
full-batch Adam lr 0.01, betas 0.9/0.99, float32, standardised inputs and targets) with K = H = 24,
trained 3000 epochs on ALL the training points, no early stopping. Both are scored on a fresh test
file of 5,000 points from the same distribution, in nats per point in the data's units; the true
conditional density's NLL on the same test points (the Bayes floor) is printed beside them.

The problems are generated here with numpy (none is one of mdnviz's built-in generators; Bishop's
toy problem is mdnviz's `bishop` dataset, but drawn here with other seeds and read from CSV).

Usage: /usr/bin/python3 bench/auto_vs_torch.py [--mdnviz PATH] [--seeds N] [--epochs E]
       [--work DIR] [--problems a,b,...]
Runs one training process at a time. Exit code 0 when every run finished.
"""
import argparse
import json
import math
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

N_TRAIN, N_TEST = 1000, 5000
LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)


def _norm_logpdf(y, mu, sd):
    return -0.5 * ((y - mu) / sd) ** 2 - np.log(sd) - LOG_SQRT_2PI


# Each problem: name -> (description, sampler(rng, n) -> (x, y), true log p(y | x) or None).

def bishop_sample(rng, n):
    t = rng.uniform(0.0, 1.0, n)
    x = t + 0.3 * np.sin(2 * np.pi * t) + rng.uniform(-0.1, 0.1, n)
    return x, t


def bishop_logp(x, t):
    # p(t | x) = p(x | t) / p(x) with p(x | t) = 5 on |x - g(t)| < 0.1, p(t) = 1 on (0, 1).
    # p(x) = 5 * measure{t in (0, 1) : |x - g(t)| < 0.1}, g(t) = t + 0.3 sin 2 pi t, by counting
    # the points of a fine grid of t (in chunks of x).
    grid = (np.arange(200000) + 0.5) / 200000
    gu = grid + 0.3 * np.sin(2 * np.pi * grid)
    px = np.empty_like(x)
    for i in range(0, len(x), 250):
        xs = x[i:i + 250, None]
        px[i:i + 250] = 5.0 * np.mean(np.abs(xs - gu[None, :]) < 0.1, axis=1)
    inside = np.abs(x - (t + 0.3 * np.sin(2 * np.pi * t))) < 0.1
    return np.where(inside, math.log(5.0) - np.log(px), -np.inf)


def hetero_sample(rng, n):
    x = rng.uniform(-3.0, 3.0, n)
    y = np.sin(2 * x) + (0.05 + 0.3 * np.abs(x)) * rng.standard_normal(n)
    return x, y


def hetero_logp(x, y):
    return _norm_logpdf(y, np.sin(2 * x), 0.05 + 0.3 * np.abs(x))


def parabolas_sample(rng, n):
    x = rng.uniform(-1.0, 1.0, n)
    s = rng.choice([-1.0, 1.0], n)
    y = s * x ** 2 + 0.1 * rng.standard_normal(n)
    return x, y


def parabolas_logp(x, y):
    return np.logaddexp(_norm_logpdf(y, x ** 2, 0.1), _norm_logpdf(y, -x ** 2, 0.1)) - math.log(2)


def circle_sample(rng, n):
    x = rng.uniform(-1.0, 1.0, n)
    s = rng.choice([-1.0, 1.0], n)
    y = s * np.sqrt(1.0 - x ** 2) + 0.05 * rng.standard_normal(n)
    return x, y


def circle_logp(x, y):
    r = np.sqrt(1.0 - x ** 2)
    return np.logaddexp(_norm_logpdf(y, r, 0.05), _norm_logpdf(y, -r, 0.05)) - math.log(2)


def lognormal_sample(rng, n):
    # Skewed, heteroscedastic, unimodal: y = 0.5 x + scale(x) * LogNormal(0, 0.6).
    x = rng.uniform(-2.0, 2.0, n)
    y = 0.5 * x + (0.2 + 0.1 * (x + 2.0)) * np.exp(0.6 * rng.standard_normal(n))
    return x, y


def lognormal_logp(x, y):
    scale = 0.2 + 0.1 * (x + 2.0)
    e = y - 0.5 * x
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.log(e / scale) / 0.6
        lp = -0.5 * z * z - np.log(e) - math.log(0.6) - LOG_SQRT_2PI
    return np.where(e > 0, lp, -np.inf)


def outliers_sample(rng, n):
    # 80 % on a narrow sine, 20 % uniform outliers on [-2, 2].
    x = rng.uniform(0.0, 1.0, n)
    clean = np.sin(2 * np.pi * x) + 0.05 * rng.standard_normal(n)
    y = np.where(rng.uniform(size=n) < 0.8, clean, rng.uniform(-2.0, 2.0, n))
    return x, y


def outliers_logp(x, y):
    uni = np.where(np.abs(y) <= 2.0, math.log(0.2 * 0.25), -np.inf)
    return np.logaddexp(math.log(0.8) + _norm_logpdf(y, np.sin(2 * np.pi * x), 0.05), uni)


PROBLEMS = {
    "bishop": ("Bishop 1994 toy inverse: t ~ U(0,1), x = t + 0.3 sin 2pi t + U(-.1,.1); t from x",
               bishop_sample, bishop_logp),
    "hetero": ("x ~ U(-3,3), y = sin 2x + (0.05 + 0.3|x|) N(0,1)", hetero_sample, hetero_logp),
    "parabolas": ("x ~ U(-1,1), y = +-x^2 + 0.1 N(0,1), random sign",
                  parabolas_sample, parabolas_logp),
    "circle": ("x ~ U(-1,1), y = +-sqrt(1 - x^2) + 0.05 N(0,1), random sign",
               circle_sample, circle_logp),
    "lognormal": ("x ~ U(-2,2), y = 0.5x + (0.2 + 0.1(x+2)) exp(0.6 N(0,1))",
                  lognormal_sample, lognormal_logp),
    "outliers": ("x ~ U(0,1), y = sin 2pi x + 0.05 N w.p. 0.8, else U(-2,2)",
                 outliers_sample, outliers_logp),
}


def write_csv(path, x, y):
    np.savetxt(path, np.column_stack([x, y]), delimiter=",", header="x,y", comments="",
               fmt="%.17g")


def make_data(name, work, index):
    """The training and test CSVs of a problem (fixed seeds, distinct per problem and file)."""
    _, sample, logp = PROBLEMS[name]
    xtr, ytr = sample(np.random.default_rng(1000 + 10 * index), N_TRAIN)
    xte, yte = sample(np.random.default_rng(1000 + 10 * index + 1), N_TEST)
    train, test = work / f"{name}-train.csv", work / f"{name}-test.csv"
    write_csv(train, xtr, ytr)
    write_csv(test, xte, yte)
    bayes = float(-np.mean(logp(xte, yte)))
    return train, test, (xtr, ytr), (xte, yte), bayes


def run_auto(mdnviz, train, test, report, seed, epochs):
    cmd = [str(mdnviz), "--headless", "--data", str(train), "--auto", "--model", "mdn",
           "--epochs", str(epochs), "--seed", str(seed), "--eval", str(test),
           "--report", str(report)]
    start = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    wall = time.perf_counter() - start
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {out.returncode}: {out.stderr.strip()[-500:]}")
    rep = json.loads(pathlib.Path(report).read_text())
    chosen = rep["auto"]["chosen"]
    nll = rep["eval"]["mdn_nll"]
    if nll is None:
        raise RuntimeError(f"{report}: eval.mdn_nll is null")
    return {"K": chosen["mixtures"], "H": chosen["hidden"], "best_epoch": chosen["best_epoch"],
            "val_nll": chosen["best_validation_nll"], "test_nll": float(nll), "wall": wall,
            "eval_points": rep["eval"]["points"], "train_points": rep["dataset"]["train_points"]}


def run_torch(train_xy, test_xy, seed, epochs, k=24, h=24):
    """bench/torch_mdn.py's model and step, on all training points; test NLL in data units."""
    start = time.perf_counter()
    torch.manual_seed(seed)
    xtr, ytr = train_xy
    xm, xs, ym, ys = xtr.mean(), xtr.std(), ytr.mean(), ytr.std()
    x = torch.tensor((xtr - xm) / xs, dtype=torch.float32).reshape(-1, 1)
    y = torch.tensor((ytr - ym) / ys, dtype=torch.float32).reshape(-1, 1)

    net = torch.nn.Sequential(torch.nn.Linear(1, h), torch.nn.Tanh(), torch.nn.Linear(h, 3 * k))
    opt = torch.optim.Adam(net.parameters(), lr=0.01, betas=(0.9, 0.99), eps=1e-8)

    def nll(out, target):
        logits, mu, s = out[:, :k], out[:, k:2 * k], out[:, 2 * k:]
        sigma = torch.exp(s) + 1e-3
        log_pi = torch.log_softmax(logits, dim=1)
        z = (target - mu) / sigma
        log_joint = log_pi - 0.5 * z * z - torch.log(sigma) - LOG_SQRT_2PI
        return -torch.logsumexp(log_joint, dim=1).mean()

    for _ in range(epochs):
        opt.zero_grad(set_to_none=True)
        loss = nll(net(x), y)
        loss.backward()
        opt.step()
    train_nll = loss.item() + math.log(ys)  # loss of the last step's weights (before its update)

    xte, yte = test_xy
    with torch.no_grad():
        out = net(torch.tensor((xte - xm) / xs, dtype=torch.float32).reshape(-1, 1)).double()
        target = torch.tensor((yte - ym) / ys, dtype=torch.float64).reshape(-1, 1)
        test_nll = nll(out, target).item() + math.log(ys)  # the Jacobian of standardising y
    return {"test_nll": test_nll, "train_nll": train_nll, "wall": time.perf_counter() - start}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mdnviz", default="/tmp/mdnviz-auto")
    ap.add_argument("--seeds", type=int, default=3,
                    help="seeds 1..N: mdnviz --seed (split and weights) and torch.manual_seed")
    ap.add_argument("--epochs", type=int, default=3000)
    ap.add_argument("--work", default=None, help="folder for the CSVs and reports (default: temp)")
    ap.add_argument("--problems", default=",".join(PROBLEMS))
    args = ap.parse_args()
    torch.set_num_threads(1)
    work = pathlib.Path(args.work or tempfile.mkdtemp(prefix="auto_vs_torch-"))
    work.mkdir(parents=True, exist_ok=True)
    names = [p for p in args.problems.split(",") if p]
    for p in names:
        if p not in PROBLEMS:
            sys.exit(f"unknown problem {p!r}; known: {', '.join(PROBLEMS)}")
    seeds = list(range(1, args.seeds + 1))

    print(f"# mdnviz {args.mdnviz} --auto vs PyTorch {torch.__version__} K=H=24, "
          f"{args.epochs} epochs, {N_TRAIN} training / {N_TEST} test points, seeds {seeds}, "
          f"work {work}", flush=True)
    for p in names:
        print(f"#   {p}: {PROBLEMS[p][0]}")
    detail, summary = [], []
    for index, name in enumerate(PROBLEMS):
        if name not in names:
            continue
        train, test, train_xy, test_xy, bayes = make_data(name, work, index)
        autos, torches = [], []
        for seed in seeds:  # one training process at a time
            a = run_auto(args.mdnviz, train, test, work / f"{name}-auto-s{seed}.json", seed,
                         args.epochs)
            t = run_torch(train_xy, test_xy, seed, args.epochs)
            autos.append(a)
            torches.append(t)
            detail.append((name, seed, a, t))
            print(f"#   {name} seed {seed}: auto K={a['K']} H={a['H']} test {a['test_nll']:.4f} "
                  f"({a['wall']:.1f} s), torch test {t['test_nll']:.4f} ({t['wall']:.1f} s)",
                  flush=True)
        summary.append((name, bayes, autos, torches))

    print()
    print("Per seed (auto: mdnviz --auto --seed S; torch: torch.manual_seed(S)); NLL in nats per "
          "test point, data units; diff = auto - torch (negative: auto better)")
    print(f"{'problem':<10} {'seed':>4} {'auto K,H':>8} {'best ep':>7} {'auto val':>9} "
          f"{'auto test':>9} {'torch test':>10} {'diff':>8} {'auto s':>7} {'torch s':>7}")
    for name, seed, a, t in detail:
        print(f"{name:<10} {seed:>4} {a['K']:>4},{a['H']:<3} {a['best_epoch']:>7} "
              f"{a['val_nll']:>9.4f} {a['test_nll']:>9.4f} {t['test_nll']:>10.4f} "
              f"{a['test_nll'] - t['test_nll']:>+8.4f} {a['wall']:>7.1f} {t['wall']:>7.1f}")

    print()
    print(f"Mean over {len(seeds)} seed(s); Bayes = NLL of the true conditional density on the "
          f"same test points")
    print(f"{'problem':<10} {'auto chosen (K,H) per seed':<27} {'auto test':>9} "
          f"{'torch test':>10} {'diff':>8} {'Bayes':>8} {'auto s':>7} {'torch s':>7}  verdict")
    losses = 0
    for name, bayes, autos, torches in summary:
        am = float(np.mean([a["test_nll"] for a in autos]))
        tm = float(np.mean([t["test_nll"] for t in torches]))
        chosen = " ".join(f"{a['K']},{a['H']}" for a in autos)
        verdict = "auto >= torch" if am <= tm else "AUTO LOSES"
        losses += am > tm
        print(f"{name:<10} {chosen:<27} {am:>9.4f} {tm:>10.4f} {am - tm:>+8.4f} {bayes:>8.4f} "
              f"{np.mean([a['wall'] for a in autos]):>7.1f} "
              f"{np.mean([t['wall'] for t in torches]):>7.1f}  {verdict}")
    print()
    print(f"auto at least as good as torch (mean test NLL) on {len(summary) - losses} of "
          f"{len(summary)} problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
