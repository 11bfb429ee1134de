#!/usr/bin/env python3
"""pandas.read_csv on the same file as csv_bench, for comparison.
Usage: /usr/bin/python3 bench/pandas_csv.py FILE [--repeat R]"""
import statistics
import sys
import time

import pandas

path = sys.argv[1]
repeat = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] == "--repeat" else 5
times = []
for _ in range(repeat):
    t0 = time.perf_counter()
    frame = pandas.read_csv(path)
    times.append(time.perf_counter() - t0)
print(f"pandas {pandas.__version__}: rows={len(frame)} median_seconds={statistics.median(times):.4f} "
      f"best_seconds={min(times):.4f}")
