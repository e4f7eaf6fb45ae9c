"""Does a training loop keep each step's graph alive?  Measured with the cycle collector off."""
from __future__ import annotations

import gc
import tracemalloc
from typing import Callable

# One step's graph of a small MLP holds ~20 small arrays (~10 kB); a leak of one graph per step adds
# ~9 MB over 900 steps. 200 kB leaves room for interpreter caches that fill once.
GROWTH_LIMIT = 200_000  # bytes over MEASURED_STEPS
WARM_UP_STEPS, MEASURED_STEPS = 100, 900


def assert_training_memory_is_flat(train: Callable[[int], None]) -> None:
    """Run ``train(steps)`` with only reference counting freeing memory; fail if it grows step by step."""
    gc.disable()  # without the cycle collector, only graphs freed by reference counting go away
    tracemalloc.start()
    try:
        train(WARM_UP_STEPS)
        before = tracemalloc.get_traced_memory()[0]
        train(MEASURED_STEPS)
        growth = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
        gc.enable()
    assert growth < GROWTH_LIMIT, (f"memory grew by {growth / 1e3:.0f} kB over {MEASURED_STEPS} training steps: is each "
                                   "step's graph kept alive (a reference cycle, a global list)?")
