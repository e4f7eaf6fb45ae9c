"""Time to grade each stage on the reference and on the untouched stubs (one pytest subprocess each)."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from common import ROOT, table

sys.path.insert(0, str(ROOT))
from tools.curriculum import load_curriculum  # noqa: E402
from tools.grading import run_tests  # noqa: E402
from tools.make_exercises import generate  # noqa: E402


def main() -> str:
    stages = [s for s in load_curriculum() if s.built]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        generate(Path(scratch))  # fresh stubs, whatever the state of exercises/
        for stage in stages:
            reference = run_tests([stage], ROOT / "solutions")
            stubs = run_tests([stage], Path(scratch))
            tests = sum(g.total for g in reference.grades.values())
            rows.append([stage.name, tests, f"{reference.seconds:.1f}", f"{stubs.seconds:.1f}"])
        everything = run_tests(stages, ROOT / "solutions")
    rows.append(["all stages", sum(r[1] for r in rows), f"{everything.seconds:.1f}", ""])
    return table(["stage", "tests", "reference (s)", "stubs (s)"], rows)


if __name__ == "__main__":
    print(main())
