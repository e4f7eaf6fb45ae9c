"""Which typical mistakes of the bug zoo fail which test: the map the class summary names them from.

``bugzoo/stageN.toml`` lists the mutants (``tools/bug_zoo.py`` checks that each is caught by
stopping at the first failing test).  The batch grader wants more: every test of its stage that
each mutant fails, so that a student's most failed test can be matched with the mistakes that
fail it.  Running every mutant on its whole stage takes minutes, so the map is kept in
``bugzoo/catches.json`` with a hash of what it was made from (the zoo, the reference, the tests);
when those change, the summary says the map may be stale.

    python tools/zoo_catches.py [--jobs 2]      remake bugzoo/catches.json
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

if __package__ in (None, ""):  # python tools/zoo_catches.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.curriculum import ROOT, load_curriculum

ZOO_MAP = ROOT / "bugzoo" / "catches.json"


def zoo_inputs_hash() -> str:
    files = sorted((ROOT / "bugzoo").glob("*.toml")) + sorted((ROOT / "solutions" / "learndyn").rglob("*.py"))
    files += sorted(p for p in (ROOT / "tests").rglob("*.py") if not {"meta", "properties"} & set(p.parts))
    digest = hashlib.sha256()
    for path in (p for p in files if "__pycache__" not in p.parts):
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def load_zoo_map(path: Path = ZOO_MAP) -> tuple[dict[str, list[str]], str]:
    """test id -> names of the mutants that fail it (the most specific first), and a note on the map's state."""
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, f"no bug-zoo map ({path.relative_to(ROOT).as_posix()}): python tools/zoo_catches.py makes it"
    names: dict[str, list[tuple[int, str]]] = {}
    for mutant in recorded.get("mutants", []):
        for test in mutant.get("tests", []):
            names.setdefault(test, []).append((len(mutant["tests"]), mutant["name"]))
    note = "" if recorded.get("inputs") == zoo_inputs_hash() else (
        "the bug-zoo map was made before the latest changes to the zoo, the reference or the tests "
        "(python tools/zoo_catches.py remakes it)")
    return {test: [name for _, name in sorted(found)] for test, found in names.items()}, note


def make_zoo_map(workers: int, path: Path = ZOO_MAP) -> int:
    """Run every mutant on its whole stage (no stop at the first failure) and record the tests it fails."""
    from tools.bug_zoo import apply, load_mutants  # maintainer's tool; not in a student release
    from tools.grading import run_tests

    stages = {stage.number: stage for stage in load_curriculum()}
    mutants = load_mutants()

    def failing_tests(mutant) -> list[str]:
        with tempfile.TemporaryDirectory(prefix="learndyn-zoo-") as scratch:
            apply(mutant, Path(scratch))
            report = run_tests([stages[mutant.stage]], Path(scratch))
        return [r.nodeid for g in report.grades.values() for r in g.results if r.outcome != "passed"]

    started = time.monotonic()
    recorded = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(failing_tests, mutant): mutant for mutant in mutants}
        for done, future in enumerate(as_completed(futures), 1):
            mutant = futures[future]
            recorded.append({"stage": mutant.stage, "name": mutant.name, "tests": future.result()})
            print(f"\rzoo map: {done}/{len(mutants)} mutants, {time.monotonic() - started:.0f} s", end="", file=sys.stderr)
    print(file=sys.stderr)
    recorded.sort(key=lambda m: (m["stage"], m["name"]))
    path.write_text(json.dumps({"inputs": zoo_inputs_hash(), "mutants": recorded}, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}: {len(recorded)} mutants, {sum(len(m['tests']) for m in recorded)} failing tests")
    return 0




def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2, help="mutants graded at once (default 2)")
    return make_zoo_map(parser.parse_args(argv).jobs)


if __name__ == "__main__":
    sys.exit(main())
