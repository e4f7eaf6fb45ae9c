"""The bug zoo: typical learner mistakes, applied to a copy of solutions/, must each be caught.

Each ``bugzoo/stageN.toml`` lists mutants::

    [[mutant]]
    name = "gradient overwritten instead of accumulated"
    file = "learndyn/tensor.py"           # relative to solutions/
    find = "node.grad + node_grad"        # must occur exactly once in the file
    replace = "node_grad"

A mutant is *caught* when at least one test of its stage fails on the mutated
copy.  A mutant that survives means a test is missing.

    python tools/bug_zoo.py            # run every mutant, print which test caught it
    python tools/bug_zoo.py --stage 3  # only stage 3's mutants
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.curriculum import load_curriculum, tomllib  # noqa: E402
from tools.grading import run_tests  # noqa: E402

ZOO = ROOT / "bugzoo"


@dataclass(frozen=True)
class Mutant:
    stage: int
    name: str
    file: str
    find: str
    replace: str

    @property
    def id(self) -> str:
        return f"stage{self.stage}: {self.name}"


def load_mutants(stage: int | None = None) -> list[Mutant]:
    mutants = []
    for path in sorted(ZOO.glob("stage*.toml")):
        number = int(path.stem.removeprefix("stage"))
        if stage is not None and number != stage:
            continue
        with path.open("rb") as handle:
            for entry in tomllib.load(handle).get("mutant", []):
                mutants.append(Mutant(number, **entry))
    return mutants


def apply(mutant: Mutant, destination: Path) -> None:
    """Copy solutions/learndyn to ``destination`` and apply the mutant; ValueError if it does not apply."""
    shutil.copytree(ROOT / "solutions" / "learndyn", destination / "learndyn", ignore=shutil.ignore_patterns("__pycache__"))
    path = destination / mutant.file
    source = path.read_text()
    count = source.count(mutant.find)
    if count != 1:
        raise ValueError(f"mutant {mutant.id!r}: `find` occurs {count} times in {mutant.file}, expected exactly once")
    path.write_text(source.replace(mutant.find, mutant.replace))


@dataclass(frozen=True)
class Verdict:
    caught: bool
    detail: str  # the test that caught the mutant, or why it was not caught


def hunt(mutant: Mutant, scratch: Path) -> Verdict:
    """Run the mutant's stage against the mutated copy, stopping at the first failing test."""
    destination = scratch / f"mutant-{abs(hash(mutant.id))}"
    try:
        apply(mutant, destination)
    except ValueError as stale:
        return Verdict(False, f"stale mutant: {stale}")
    stage = next(s for s in load_curriculum() if s.number == mutant.stage)
    report = run_tests([stage], destination, stop_at_first_failure=True)
    failures = [r.nodeid for g in report.grades.values() for r in g.results if r.outcome in ("failed", "error")]
    if failures:
        return Verdict(True, failures[0])
    if report.problem:
        return Verdict(True, f"the run failed as a whole: {report.problem}")
    return Verdict(False, "no test failed: add one")


def hunt_all(mutants: list[Mutant], workers: int = 2) -> dict[Mutant, Verdict]:
    with tempfile.TemporaryDirectory(prefix="learndyn-zoo-") as scratch:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return dict(zip(mutants, pool.map(lambda m: hunt(m, Path(scratch)), mutants)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", type=int, help="only this stage's mutants")
    args = parser.parse_args(argv)
    results = hunt_all(load_mutants(args.stage))
    for mutant, verdict in results.items():
        print(f"{'caught' if verdict.caught else 'SURVIVED':<9} {mutant.id}\n          {verdict.detail}")
    caught = sum(v.caught for v in results.values())
    print(f"\n{caught} of {len(results)} mutants caught")
    return 0 if caught == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
