# The lab's 100,000 linear-normal draws in numpy: five Generator.normal
# vectors and the sum. Prints "ready", then the seconds of one run per line.
import sys
import time

import numpy as np

rng = np.random.default_rng(20170530)


def draws(n=100_000):
    alpha = rng.normal(15, 2, n)
    x1 = rng.normal(3, 5, n)
    x2 = rng.normal(10, 1, n)
    x3 = rng.normal(8, 8, n)
    eps = rng.normal(0, 1, n)
    return alpha + x1 + 2 * x2 + 0.5 * x3 + eps


print("ready", flush=True)
for _ in sys.stdin:
    start = time.perf_counter()
    draws()
    print(time.perf_counter() - start, flush=True)
