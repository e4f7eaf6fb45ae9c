"""Seconds per student of `python grader.py batch` at --jobs 1 and --jobs 2.

The class is four copies of the reference (every test runs, so this is the slow case: a
submission that fails early grades faster), graded from scratch (--regrade) at each setting.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, table

STUDENTS = 4


def main() -> str:
    rows = []
    with tempfile.TemporaryDirectory(prefix="learndyn-bench-batch-") as scratch:
        submissions = Path(scratch) / "submissions"
        for number in range(STUDENTS):
            shutil.copytree(ROOT / "solutions" / "learndyn", submissions / f"student{number}" / "learndyn",
                            ignore=shutil.ignore_patterns("__pycache__"))
        for jobs in (1, 2):
            started = time.perf_counter()
            completed = subprocess.run([sys.executable, str(ROOT / "grader.py"), "batch", str(submissions), "--out",
                                        str(Path(scratch) / "grades"), "--jobs", str(jobs), "--regrade"],
                                       cwd=ROOT, capture_output=True, text=True)
            seconds = time.perf_counter() - started
            statuses = (Path(scratch) / "grades" / "grades.csv").read_text().splitlines()[1:]
            if completed.returncode != 0 or not all(line.endswith(",ok") for line in statuses):
                raise RuntimeError("the class was not graded ok (a loaded machine?):\n" + "\n".join(statuses)
                                   + completed.stdout + completed.stderr)
            rows.append([jobs, STUDENTS, f"{seconds:.1f}", f"{seconds / STUDENTS:.1f}"])
    return table(["--jobs", "students", "batch (s)", "per student (s)"], rows)


if __name__ == "__main__":
    print(main())
