# ELFI's MA2 rejection tutorial with its native (serial) client: 5000 kept of
# 1,000,000 simulations in batches of 10,000, seed 20170530. Prints "ready",
# then the seconds of one run per input line.
import sys
import time

import elfi
from elfi.examples import ma2

elfi.set_client("native")
model = ma2.get_model(n_obs=100, true_params=[0.6, 0.2], seed_obs=20170530)

print("ready", flush=True)
for _ in sys.stdin:
    start = time.perf_counter()
    rejection = elfi.Rejection(model["d"], batch_size=10_000, seed=20170530)
    rejection.sample(5000, n_sim=1_000_000, bar=False)  # the bar would garble stdout
    print(time.perf_counter() - start, flush=True)
