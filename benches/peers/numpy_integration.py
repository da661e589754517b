# The lecture's serial integration, as the lecture wrote it: one estimate per
# n in 0..10000, each sorting n fresh uniforms. Prints "ready", then the
# seconds of one study per input line.
import sys
import time

import numpy as np


def f(x):
    return 1 / (1 + x**2)


def estimate(n):
    x = np.sort(np.random.uniform(0, 1, n))
    return np.sum(np.diff(x) * f(x[1:]))


def study(samples=10000):
    return [estimate(n) for n in range(samples)]


print("ready", flush=True)
for _ in sys.stdin:
    start = time.perf_counter()
    study()
    print(time.perf_counter() - start, flush=True)
