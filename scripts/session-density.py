#!/usr/bin/env python3
"""The conditional density p(y|x) of a mixture density network saved in an mdnviz session file.

Reads the file with json, base64 and numpy only, rebuilds the network of the first MDN run (or
--run N, counted from 0) from its "architecture" and "state", and prints p(y|x) at every pair of
the given inputs and targets, in the data's units, one line each: x, y, p.

The network is evaluated in double precision from its float32 weights. mdnviz evaluates it in
float32, so its own figures differ from these by float32 rounding (about 1e-5 relative).

Usage:
  scripts/session-density.py SESSION --x 0.5 1.0 --y -2 0 2
  scripts/session-density.py SESSION --x 0.1,0.2 --y 1,2,3      (two inputs, three targets)
  scripts/session-density.py SESSION --x 0.5 --mixture           (the mixture's pi, mu, sigma instead)
"""

import argparse
import base64
import hashlib
import json
import re
import sys

import numpy as np

DTYPES = {"float64": "<f8", "float32": "<f4", "int64": "<i8", "uint32": "<u4"}


def unpack(array):
    """A packed array {"dtype", "shape", "base64"} as a numpy array of that shape."""
    values = np.frombuffer(base64.b64decode(array["base64"]), dtype=DTYPES[array["dtype"]])
    return values.reshape(array["shape"])


def load_session(path):
    with open(path, "rb") as f:
        raw = f.read()
    session = json.loads(raw)
    if session.get("format") != "mdnviz-session" or session.get("version") != 1:
        raise ValueError(f"{path}: not an mdnviz session file of version 1")
    # The checksum: SHA-256 of the file with its own 64 hex digits replaced by zeros.
    digits = session.get("sha256", "").encode("ascii")
    found = re.search(rb'"sha256"\s*:\s*"(' + re.escape(digits) + rb')"', raw) if len(digits) == 64 else None
    if not found or hashlib.sha256(raw[:found.start(1)] + b"0" * 64 + raw[found.end(1):]).hexdigest().encode() != digits:
        raise ValueError(f"{path}: the file is damaged or was edited (its sha256 does not match)")
    return session


def network(run):
    """The layers (W, b) of a run's network, as float64: W is sizes[l+1] x sizes[l]."""
    arch = run["architecture"]
    params = unpack(run["state"]["parameters"]).astype(np.float64)
    sizes = arch["layerSizes"]
    layers, offset = [], 0
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        w = params[offset:offset + fan_out * fan_in].reshape((fan_in, fan_out)).T  # column-major
        offset += fan_out * fan_in
        b = params[offset:offset + fan_out]
        offset += fan_out
        layers.append((w, b))
    assert offset == params.size
    return layers


def mixture(run, x):
    """pi (n x K), mu and sigma (n x K x D) in data units at inputs x (n x inputDims)."""
    arch = run["architecture"]
    st = arch["standardiser"]
    K, D = arch["mixtures"], arch["targetDims"]
    x = np.atleast_2d(np.asarray(x, dtype=np.float64))
    h = ((x - np.array(st["xMean"])) / np.array(st["xScale"])).T  # inputs x n, standardised
    layers = network(run)
    for i, (w, b) in enumerate(layers):
        h = w @ h + b[:, None]
        if i + 1 < len(layers):
            h = np.tanh(h)
    out = h.T  # n x (K + 2KD)
    a = out[:, :K]
    pi = np.exp(a - a.max(axis=1, keepdims=True))
    pi /= pi.sum(axis=1, keepdims=True)
    mu = out[:, K:K + K * D].reshape(-1, K, D)
    s = out[:, K + K * D:].reshape(-1, K, D)
    sigma = np.exp(np.minimum(s, arch["maxLogSigma"])) + arch["sigmaFloor"]
    y_mean, y_scale = np.array(st["yMean"]), np.array(st["yScale"])
    return pi, mu * y_scale + y_mean, sigma * y_scale


def density(run, x, y):
    """p(y|x) for each row of x (n x inputDims) and of y (n x targetDims)."""
    pi, mu, sigma = mixture(run, x)
    y = np.atleast_2d(np.asarray(y, dtype=np.float64))[:, None, :]  # n x 1 x D
    z = (y - mu) / sigma
    log_n = (-0.5 * z * z - np.log(sigma) - 0.5 * np.log(2 * np.pi)).sum(axis=2)  # n x K
    return (pi * np.exp(log_n)).sum(axis=1)


def first_mdn_run(session, index=None):
    runs = session["runs"]
    if index is not None:
        return runs[index]
    for run in runs:
        if run["config"]["kind"] == "mdn":
            return run
    raise ValueError("the session has no MDN run")


def points(texts, dims, what):
    rows = [[float(v) for v in t.split(",")] for t in texts]
    for r in rows:
        if len(r) != dims:
            raise ValueError(f"each {what} needs {dims} comma-separated values")
    return np.array(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("session")
    parser.add_argument("--run", type=int, help="the run to use (default: the first MDN)")
    parser.add_argument("--x", nargs="+", required=True, help="inputs, comma-separated per point")
    parser.add_argument("--y", nargs="+", help="targets, comma-separated per point")
    parser.add_argument("--mixture", action="store_true", help="print pi, mu, sigma per x instead")
    args = parser.parse_args()
    try:
        session = load_session(args.session)
        run = first_mdn_run(session, args.run)
        arch = run["architecture"]
        xs = points(args.x, arch["inputDims"], "x")
        if args.mixture:
            pi, mu, sigma = mixture(run, xs)
            for i, x in enumerate(xs):
                for k in range(pi.shape[1]):
                    print(",".join(map(repr, x)), k, repr(pi[i, k]), " ".join(map(repr, mu[i, k])),
                          " ".join(map(repr, sigma[i, k])))
            return 0
        if not args.y:
            parser.error("--y is needed for a density")
        ys = points(args.y, arch["targetDims"], "y")
        for x in xs:
            p = density(run, np.repeat(x[None, :], len(ys), axis=0), ys)
            for y, v in zip(ys, p):
                print(",".join(map(repr, x)), ",".join(map(repr, y)), repr(v))
    except (OSError, ValueError, KeyError) as e:
        print(f"session-density: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
