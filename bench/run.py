"""Run every benchmark and print its table: python bench/run.py

Each benchmark measures ratios inside one process (interleaved repetitions, medians), so the
numbers compare like with like on a noisy machine; absolute times are for orientation only.
"""
from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = {
    "MLP training step, engine vs hand-written NumPy": "mlp_step.py",
    "Per-op overhead": "op_overhead.py",
    "RK45 function evaluations and error": "ode_nfev.py",
    "Time to grade": "grading_time.py",
    "Save to verdict in watch, per task of stages 1-2": "task_feedback.py",
    "Batch grading, seconds per student": "batch_time.py",
}
RAISED_MALLOC = {"MALLOC_TRIM_THRESHOLD_": str(1 << 30), "MALLOC_MMAP_THRESHOLD_": str(1 << 30)}


def run(script: str, env: dict | None = None) -> str:
    completed = subprocess.run([sys.executable, str(HERE / script)], cwd=HERE, capture_output=True, text=True,
                               env={**os.environ, **(env or {})})
    return completed.stdout.strip() if completed.returncode == 0 else f"(failed: {completed.stderr.strip()[-500:]})"


def main() -> None:
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for title, script in BENCHMARKS.items():
        if not (HERE / script).exists():
            continue
        print(f"\n### {title}\n")
        print(run(script))
        if script == "mlp_step.py":
            print("\nwith glibc's trim and mmap thresholds raised (MALLOC_TRIM_THRESHOLD_=MALLOC_MMAP_THRESHOLD_=1 GiB):\n")
            print(run(script, RAISED_MALLOC))


if __name__ == "__main__":
    main()
