"""Measuring ratios inside one process: interleaved repetitions, medians."""
from __future__ import annotations

import os

# One BLAS thread for both sides of every ratio (set before NumPy loads): on 2 shared cores,
# OpenBLAS's threads add more noise than speed at these sizes.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import statistics
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent


def use_reference_engine() -> None:
    """Benchmarks measure the reference: put solutions/ first on the path."""
    sys.path.insert(0, str(ROOT / "solutions"))


def interleaved_medians(candidates: dict[str, Callable[[], None]], repeats: int = 15, inner: int = 5) -> dict[str, float]:
    """Median seconds per call of each candidate, timed in alternation so drift hits all alike."""
    for run in candidates.values():  # warm up caches, allocator and lazy imports
        run()
    samples = {name: [] for name in candidates}
    for _ in range(repeats):
        for name, run in candidates.items():
            start = time.perf_counter()
            for _ in range(inner):
                run()
            samples[name].append((time.perf_counter() - start) / inner)
    return {name: statistics.median(values) for name, values in samples.items()}


def table(header: list[str], rows: list[list]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])
