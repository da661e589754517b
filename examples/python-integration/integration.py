"""The lecture's integration convergence study, in Python, on a process pool.

One estimate of the integral of f(x) = 1 / (1 + x^2) on [0, 1] (exactly pi/4)
for every n in 0 .. samples: draw n uniforms, sort them, and add the
right-endpoint rule over the random intervals, without the pieces before the
first point and after the last (as the lecture does; see
shared/specs/workloads.md, section 1). As in the lecture, the estimates are
spread over `multiprocessing.Pool` with one `apply_async` per estimate, and
collected back in order of n.

Usage:
    python3 integration.py PROCESSES [--samples N] [--seed S]
    python3 integration.py serial    [--samples N] [--seed S]

PROCESSES is the pool's size; `serial` runs the same study in this process
with no pool at all: the true serial program, for `speedup sweep --serial`.
Each estimate draws from its own random stream, seeded by (seed, n), so the
output is the same at every process count: `speedup sweep --check-output`
can check it. It prints the last estimate, its error, and the mean of all
estimates.
"""

import argparse
import math
import multiprocessing

import numpy as np


def f(x):
    return 1 / (1 + x**2)


def estimate(n, seed):
    """One estimate with n random points, from the stream (seed, n)."""
    rng = np.random.default_rng([seed, n])
    x = np.sort(rng.uniform(0.0, 1.0, n))
    return float(np.sum(np.diff(x) * f(x[1:])))


def study(processes, samples, seed):
    """Every estimate for n in 0 .. samples, in order of n."""
    if processes is None:
        return [estimate(n, seed) for n in range(samples)]
    with multiprocessing.Pool(processes) as pool:
        pending = [pool.apply_async(estimate, (n, seed)) for n in range(samples)]
        return [result.get() for result in pending]


def processes_arg(text):
    if text == "serial":
        return None
    count = int(text)
    if count < 1:
        raise argparse.ArgumentTypeError("must be at least 1, or 'serial'")
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("processes", type=processes_arg, help="pool size, or 'serial'")
    parser.add_argument("--samples", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    areas = study(args.processes, args.samples, args.seed)
    last = areas[-1] if areas else 0.0
    print(f"last estimate  {last:.10f}  (n = {len(areas) - 1})")
    print(f"abs error      {abs(last - math.pi / 4):.3e}")
    print(f"mean estimate  {sum(areas) / max(len(areas), 1):.10f}")


if __name__ == "__main__":
    main()
