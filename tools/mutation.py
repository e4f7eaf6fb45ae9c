"""Mutation testing of the reference, restricted to the learner's part and run per task.

Which tool, and why: the mutation operators are **Cosmic Ray**'s (``cosmic-ray`` on PyPI, in the
``dev`` extra; never a run-time dependency).  Neither maintained tool can be restricted to line
ranges and per-task test commands on its own: mutmut 3 mutates whole files through trampolines
that wrap top-level functions and methods (our backward closures are nested functions, and it runs
one test command for everything); Cosmic Ray's ``init``/``exec`` run one test command per session
and mutate the files in place.  Cosmic Ray's operators, though, are a clean public API
(``cosmic_ray.plugins.operator_names``, ``Operator.mutation_positions``,
``cosmic_ray.mutating.mutate_code``) over a parso tree, so this small driver uses exactly them and
adds only what the course needs:

* it finds every ``# BEGIN SOLUTION N.k`` ... ``# END SOLUTION`` block (``tools/markers.py``) and
  keeps only the mutants whose node starts strictly inside one: signatures, docstrings and input
  checks outside the blocks are the same in both copies and are not the learner's work;
* each mutant is applied to a scratch copy of ``solutions/learndyn`` (a snapshot taken at the
  start, so edits to the tree during a run change nothing) and graded by **that task's** test
  modules only (``tests/stageN_*/test_N_KK_*.py``), ``-x -q -p no:cacheprovider``, with a time
  limit of a few times the task's own time on the reference;
* pytest runs in a child forked from a parent that has already imported NumPy and pytest (about
  half of a short run's cost), at most ``--workers`` at a time (2 by default), each in its own
  copy; no byte code is written, so a restored file can never meet a stale mutant's ``.pyc``.

A mutant is *killed* when the task's tests fail (or the package no longer imports), *timeout* when
they do not finish in time (counted as killed: a learner would see the task hang), *survived* when
they pass.  Survivors that no test can kill are listed, each with one line on why, in
``tools/mutation_equivalents.toml`` (matched by file, task, the original line and the mutated
line, so the list survives unrelated edits).  The score of a task or stage is::

    (killed + timeout) / (mutants - equivalent)

Usage (the ``dev`` extra installs Cosmic Ray)::

    pip install -e ".[dev]"
    python tools/mutation.py --stage 3               # one stage; --task 3.2 for one task
    python tools/mutation.py                         # every stage
    python tools/mutation.py --stage 3 --list        # the mutants only, nothing run
    python tools/mutation.py --stage 3 --rerun build/mutation/survivors.json --out build/rerun   # survivors only
    python tools/mutation.py --since build/mutation/results.json --out build/again   # reuse earlier kills

Time: all five stages, 5,742 mutants, took 19 minutes from a fresh clone on the project's 2-core machine
with nothing else running (64 minutes while it was shared with other test runs); ``--since`` after adding
tests takes about 4 minutes (most of it generating the mutants' code), and assumes the tests only grew.

Reports go to ``build/mutation/`` (``--out``): ``journal.jsonl`` (each result as it comes), ``report.md`` (per task and per stage, then every
survivor with its diff), ``results.json`` (every mutant's outcome) and ``survivors.json`` (the
non-equivalent survivors, machine-readable).  The exit code is 1 when a stage scores below
``--fail-under`` (default 97).
"""
from __future__ import annotations

import argparse
import difflib
import glob
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.curriculum import tomllib  # noqa: E402
from tools.markers import solution_blocks  # noqa: E402

SOURCE = ROOT / "solutions"
EQUIVALENTS = ROOT / "tools" / "mutation_equivalents.toml"
DEFAULT_OUT = ROOT / "build" / "mutation"


@dataclass(frozen=True)
class Block:
    task: str
    file: str  # relative to solutions/, e.g. "learndyn/tensor.py"
    begin: int  # line number (1-based) of the BEGIN marker
    end: int  # line number of the END marker


@dataclass
class Mutant:
    task: str
    file: str
    line: int  # 1-based line of the mutated node's start
    operator: str  # Cosmic Ray's operator name, e.g. core/ReplaceBinaryOperator_Add_Sub
    occurrence: int  # Cosmic Ray's occurrence index of that operator in the file
    original: str = ""  # the changed lines, stripped and joined by " / "
    mutated: str = ""
    outcome: str = ""  # killed | timeout | survived | equivalent | no-op | error
    seconds: float = 0.0
    detail: str = ""  # the first failing test, or why

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line}:{self.operator}:{self.occurrence}"

    @property
    def stage(self) -> int:
        return int(self.task.split(".")[0])


def reference_blocks(root: Path = SOURCE) -> list[Block]:
    """Every solution block of the reference, in file and line order."""
    return [Block(block.task, str(path.relative_to(root)), block.begin + 1, block.end + 1)
            for path in sorted((root / "learndyn").rglob("*.py")) for block in solution_blocks(path.read_text().splitlines())]


def _operators():
    """Cosmic Ray's operators that take no arguments (the others need a configuration per project)."""
    import cosmic_ray.plugins

    for name in cosmic_ray.plugins.operator_names():
        operator_class = cosmic_ray.plugins.get_operator(name)
        if not operator_class.arguments():
            yield name, operator_class()


def enumerate_mutants(blocks: list[Block], root: Path = SOURCE) -> list[Mutant]:
    """Cosmic Ray's mutants of each file whose node starts strictly inside a solution block.

    The occurrence counts every position of the operator in the whole file, exactly as Cosmic Ray's
    ``init`` numbers its work items, so ``mutate_code(source, operator, occurrence)`` reproduces it.
    """
    from cosmic_ray.ast import ast_nodes, get_ast

    by_file: dict[str, list[Block]] = {}
    for block in blocks:
        by_file.setdefault(block.file, []).append(block)
    mutants = []
    operators = list(_operators())
    for file, file_blocks in by_file.items():
        nodes = list(ast_nodes(get_ast((root / file).read_text())))
        for name, operator in operators:
            positions = ((start, end) for node in nodes for start, end in operator.mutation_positions(node))
            for occurrence, (start, _end) in enumerate(positions):
                for block in file_blocks:
                    if block.begin < start[0] < block.end:
                        mutants.append(Mutant(block.task, file, start[0], name, occurrence))
                        break
    mutants.sort(key=lambda m: (m.stage, [int(p) for p in m.task.split(".")], m.file, m.line, m.operator, m.occurrence))
    return mutants


def mutated_source(mutant: Mutant, source: str) -> str | None:
    import cosmic_ray.plugins
    from cosmic_ray.mutating import mutate_code

    return mutate_code(source, cosmic_ray.plugins.get_operator(mutant.operator)(), mutant.occurrence)


def describe(mutant: Mutant, source: str, mutated: str) -> None:
    """Fill in the mutant's original and mutated lines (what the equivalents list matches)."""
    old, new = source.splitlines(), mutated.splitlines()
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += [line.strip() for line in old[i1:i2]]
            added += [line.strip() for line in new[j1:j2]]
    mutant.original, mutant.mutated = " / ".join(removed), " / ".join(added)


def task_test_files(task: str) -> list[str]:
    stage, number = task.split(".")
    return sorted(glob.glob(str(ROOT / "tests" / f"stage{stage}_*" / f"test_{stage}_{int(number):02d}_*.py")))


# --- equivalent mutants -------------------------------------------------------------------------


@dataclass(frozen=True)
class Equivalent:
    task: str
    file: str
    original: str
    mutated: str
    why: str
    line: int = 0  # where it was when reviewed (informational; matching is by text)
    operator: str = ""

    def matches(self, mutant: Mutant) -> bool:
        return (self.task, self.file, self.original, self.mutated) == (mutant.task, mutant.file, mutant.original, mutant.mutated)


def load_equivalents(path: Path = EQUIVALENTS) -> list[Equivalent]:
    if not path.is_file():
        return []
    with path.open("rb") as handle:
        entries = tomllib.load(handle).get("equivalent", [])
    equivalents = []
    for entry in entries:
        if not entry.get("why", "").strip():
            raise ValueError(f"{path}: the equivalent mutant {entry} has no `why`")
        equivalents.append(Equivalent(**entry))
    return equivalents


# --- running ------------------------------------------------------------------------------------


def _preload() -> None:
    """Import in the parent what every child needs, so that a fork starts warm."""
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    os.environ["MPLBACKEND"] = "Agg"
    import numpy  # noqa: F401
    import pytest  # noqa: F401
    import pytest_timeout  # noqa: F401

    try:
        import matplotlib.figure  # noqa: F401
    except ImportError:
        pass


def _child(target: Path, files: list[str], log: Path, per_test_timeout: float) -> None:
    """In a forked child: grade ``target`` with the task's test files; never returns."""
    try:
        os.setpgrp()
        os.chdir(ROOT)
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        import pytest

        code = pytest.main([*files, f"--target={target}", "-x", "-q", "-p", "no:cacheprovider",
                            f"--timeout={per_test_timeout:.0f}", "-o", "console_output_style=classic"])
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(int(code))
    except BaseException:  # noqa: BLE001 - a child must never return into the parent's loop
        os._exit(99)


@dataclass
class _Slot:
    directory: Path
    mutant: Mutant | None = None
    pid: int = 0
    started: float = 0.0
    deadline: float = 0.0
    original: str = ""
    path: Path | None = None
    log: Path | None = None
    files: list[str] = field(default_factory=list)


def _first_failure(log: Path) -> str:
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return ""
    for line in text.splitlines():
        if line.startswith(("FAILED ", "ERROR ")):
            return line[:300]
    for line in reversed(text.splitlines()):
        if "Error" in line or "error" in line:
            return line.strip()[:300]
    return ""


def reusable_verdicts(paths: list[Path]) -> dict[tuple, dict]:
    """Killed verdicts of earlier runs, by what a mutant is (task, file, operator, original and mutated line).

    A key is reusable only if every earlier mutant with that key was killed: tests are only ever added, so a
    mutant killed before is killed now, and one whose line changed has another key and is run again.
    """
    seen: dict[tuple, list[dict]] = {}
    for path in paths:
        for entry in json.loads(path.read_text()):
            key = (entry["task"], entry["file"], entry["operator"], entry["original"], entry["mutated"])
            seen.setdefault(key, []).append(entry)
    return {key: entries[0] for key, entries in seen.items() if all(e["outcome"] in ("killed", "timeout") for e in entries)}


def run(mutants: list[Mutant], workers: int, baseline: dict[str, float], snapshot: Path, journal: Path | None = None,
        reuse: dict[tuple, dict] | None = None, progress=print) -> None:
    """Grade every mutant (in place: fills outcome, seconds, detail), ``workers`` children at a time.

    ``snapshot`` holds the unmutated ``learndyn/``; each worker grades its mutants in a copy of its own.
    Each finished mutant is appended to ``journal`` (one JSON line) as soon as it is known.
    """
    with tempfile.TemporaryDirectory(prefix="learndyn-mutation-") as scratch:
        slots = []
        for k in range(workers):
            directory = Path(scratch) / f"worker{k}"
            shutil.copytree(snapshot, directory)
            slots.append(_Slot(directory))
        sources = {}
        queue = list(mutants)
        done, total, started = 0, len(mutants), time.monotonic()

        def finish(slot: _Slot, outcome: str, detail: str) -> None:
            nonlocal done
            slot.mutant.outcome, slot.mutant.detail = outcome, detail
            slot.mutant.seconds = round(time.monotonic() - slot.started, 2)
            slot.path.write_text(slot.original)
            if journal:
                with journal.open("a") as handle:
                    handle.write(json.dumps(asdict(slot.mutant) | {"id": slot.mutant.id}) + "\n")
            slot.mutant, slot.pid = None, 0
            done += 1
            if done % 50 == 0 or done == total:
                elapsed = time.monotonic() - started
                progress(f"  {done}/{total} mutants, {elapsed:.0f} s", flush=True)

        while queue or any(s.mutant for s in slots):
            for slot in slots:
                if slot.mutant is None and queue:
                    mutant = queue.pop(0)
                    source = sources.setdefault(mutant.file, (snapshot / mutant.file).read_text())
                    mutated = mutated_source(mutant, source)
                    if mutated is None or mutated == source:
                        mutant.outcome = "no-op"
                        done += 1
                        continue
                    describe(mutant, source, mutated)
                    earlier = (reuse or {}).get((mutant.task, mutant.file, mutant.operator, mutant.original, mutant.mutated))
                    if earlier:
                        mutant.outcome, mutant.detail = earlier["outcome"], "reused: " + earlier["detail"]
                        done += 1
                        continue
                    files = task_test_files(mutant.task)
                    limit = 3 * baseline[mutant.task] + 10
                    slot.mutant, slot.original, slot.path = mutant, source, slot.directory / mutant.file
                    slot.log = slot.directory / "pytest.log"
                    slot.path.write_text(mutated)
                    slot.started, slot.deadline = time.monotonic(), time.monotonic() + limit
                    pid = os.fork()
                    if pid == 0:
                        _child(slot.directory, files, slot.log, limit)
                    slot.pid = pid
            busy = [s for s in slots if s.mutant]
            if not busy:
                continue
            time.sleep(0.01)
            for slot in busy:
                pid, status = os.waitpid(slot.pid, os.WNOHANG)
                if pid:
                    code = os.waitstatus_to_exitcode(status)
                    if code == 0:
                        finish(slot, "survived", "")
                    elif code == 5:
                        finish(slot, "error", "no tests collected")
                    else:
                        finish(slot, "killed", _first_failure(slot.log) or f"pytest exit code {code}")
                elif time.monotonic() > slot.deadline:
                    try:
                        os.killpg(slot.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    os.waitpid(slot.pid, 0)
                    finish(slot, "timeout", f"over {slot.deadline - slot.started:.0f} s")


def measure_baseline(tasks: list[str], snapshot: Path) -> dict[str, float]:
    """Each task's test time on the unmutated reference (and a check that it passes)."""
    times = {}
    for task in tasks:
        files = task_test_files(task)
        if not files:
            raise SystemExit(f"task {task}: no test modules tests/stage*/test_{task.replace('.', '_')}_*.py")
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            _child(snapshot, files, snapshot / "baseline.log", 600)
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            log = (snapshot / "baseline.log").read_text(errors="replace")[-3000:]
            raise SystemExit(f"task {task}: the reference fails its own tests:\n{log}")
        times[task] = time.monotonic() - started
    return times


# --- reports ------------------------------------------------------------------------------------


def classify(mutants: list[Mutant], equivalents: list[Equivalent]) -> list[Equivalent]:
    """Mark surviving mutants that the reviewed list explains; return the entries that matched nothing."""
    used = set()
    for mutant in mutants:
        if mutant.outcome == "survived":
            for k, equivalent in enumerate(equivalents):
                if equivalent.matches(mutant):
                    mutant.outcome, mutant.detail = "equivalent", equivalent.why
                    used.add(k)
                    break
    return [e for k, e in enumerate(equivalents) if k not in used]


def tally(mutants: list[Mutant]) -> dict[str, int | float]:
    count = {name: sum(m.outcome == name for m in mutants) for name in ("killed", "timeout", "survived", "equivalent", "no-op", "error")}
    graded = count["killed"] + count["timeout"] + count["survived"] + count["error"]
    count["mutants"] = graded + count["equivalent"]
    count["score"] = 100.0 * (count["killed"] + count["timeout"]) / graded if graded else 100.0
    return count


def write_reports(mutants: list[Mutant], stale: list[Equivalent], out: Path, seconds: float, scope: str) -> dict[int, dict]:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps([asdict(m) | {"id": m.id} for m in mutants], indent=1))
    survivors = [asdict(m) | {"id": m.id} for m in mutants if m.outcome in ("survived", "error")]
    (out / "survivors.json").write_text(json.dumps(survivors, indent=1))
    stages = sorted({m.stage for m in mutants})
    per_stage = {s: tally([m for m in mutants if m.stage == s]) for s in stages}
    lines = [f"# Mutation testing ({scope})", "",
             "Cosmic Ray's operators inside the solution blocks, each mutant graded by its own task's tests "
             f"(`python tools/mutation.py`); {len(mutants)} mutants in {seconds / 60:.1f} min.",
             "Score = (killed + timeout) / (mutants - equivalent)."
             + (f" {reused} kills reused from an earlier run (--since): the same mutant of the same line, killed then."
                if (reused := sum(m.detail.startswith("reused: ") for m in mutants)) else ""), "",
             "| stage | mutants | killed | timeout | survived | equivalent | score |", "|---|---|---|---|---|---|---|"]
    for s, c in per_stage.items():
        lines.append(f"| {s} | {c['mutants']} | {c['killed']} | {c['timeout']} | {c['survived'] + c['error']} | {c['equivalent']} | {c['score']:.1f}% |")
    lines += ["", "| task | mutants | killed | timeout | survived | equivalent | score |", "|---|---|---|---|---|---|---|"]
    tasks = sorted({m.task for m in mutants}, key=lambda t: [int(p) for p in t.split(".")])
    for task in tasks:
        c = tally([m for m in mutants if m.task == task])
        lines.append(f"| {task} | {c['mutants']} | {c['killed']} | {c['timeout']} | {c['survived'] + c['error']} | {c['equivalent']} | {c['score']:.1f}% |")
    lines += ["", "## Survivors (not in tools/mutation_equivalents.toml)", ""]
    for m in mutants:
        if m.outcome in ("survived", "error"):
            lines.append(f"- {m.task} `{m.file}:{m.line}` {m.operator.removeprefix('core/')}: `{m.original}` -> `{m.mutated}`"
                         + (f" ({m.detail})" if m.detail else ""))
    if stale:
        lines += ["", "## Equivalents that matched no survivor (killed now, or the code moved: review)", ""]
        lines += [f"- {e.task} `{e.file}`: `{e.original}` -> `{e.mutated}`" for e in stale]
    (out / "report.md").write_text("\n".join(lines) + "\n")
    return per_stage


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="See the module docstring (tools/mutation.py) for the method.")
    parser.add_argument("--stage", type=int, action="append", help="only this stage (repeatable)")
    parser.add_argument("--task", action="append", help="only this task, e.g. 3.2 (repeatable)")
    parser.add_argument("--workers", type=int, default=2, help="children at a time (default 2)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="report folder (default build/mutation)")
    parser.add_argument("--list", action="store_true", help="list the mutants per task and run nothing")
    parser.add_argument("--rerun", type=Path, metavar="SURVIVORS_JSON",
                        help="only the mutants listed in this survivors.json of an earlier run (after adding tests)")
    parser.add_argument("--since", type=Path, action="append", metavar="RESULTS_JSON",
                        help="reuse the killed verdicts of an earlier run's results.json for the same mutants (same "
                             "task, operator, original and mutated line); run only the others (repeatable)")
    parser.add_argument("--fail-under", type=float, default=97.0, help="exit 1 when a stage scores below this")
    args = parser.parse_args(argv)
    try:
        import cosmic_ray  # noqa: F401
    except ImportError:
        print('tools/mutation.py needs Cosmic Ray (the dev extra): pip install -e ".[dev]"', file=sys.stderr)
        return 2

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="learndyn-snapshot-") as snapshot:
        snapshot = Path(snapshot)  # the reference as it is now: edits to the tree during the run change nothing
        shutil.copytree(SOURCE / "learndyn", snapshot / "learndyn", ignore=shutil.ignore_patterns("__pycache__"))
        blocks = reference_blocks(snapshot)
        if args.stage:
            blocks = [b for b in blocks if int(b.task.split(".")[0]) in args.stage]
        if args.task:
            blocks = [b for b in blocks if b.task in args.task]
        if not blocks:
            print("no solution block matches", file=sys.stderr)
            return 2
        mutants = enumerate_mutants(blocks, snapshot)
        if args.rerun:
            wanted = {entry["id"] for entry in json.loads(args.rerun.read_text())}
            mutants = [m for m in mutants if m.id in wanted]
        tasks = sorted({m.task for m in mutants}, key=lambda t: [int(p) for p in t.split(".")])
        if args.list:
            for task in tasks:
                print(f"{task}: {sum(m.task == task for m in mutants)} mutants")
            print(f"{len(mutants)} mutants")
            return 0
        scope = ", ".join(f"stage {s}" for s in (args.stage or [])) or ", ".join(args.task or []) or "all stages"
        print(f"{len(mutants)} mutants in {len(tasks)} tasks ({scope}); {args.workers} workers", flush=True)
        sys.dont_write_bytecode = True
        _preload()
        baseline = measure_baseline(tasks, snapshot)
        print("baseline: " + ", ".join(f"{t} {s:.1f} s" for t, s in baseline.items()), flush=True)
        args.out.mkdir(parents=True, exist_ok=True)
        journal = args.out / "journal.jsonl"
        journal.write_text("")
        print(f"each result as it comes: {journal}", flush=True)
        reuse = reusable_verdicts(args.since) if args.since else None
        run(mutants, args.workers, baseline, snapshot, journal, reuse)
    stale = classify(mutants, [e for e in load_equivalents() if e.task in tasks])
    seconds = time.monotonic() - started
    per_stage = write_reports(mutants, stale, args.out, seconds, scope)
    for stage, c in per_stage.items():
        print(f"stage {stage}: {c['score']:.1f}% of {c['mutants'] - c['equivalent']} non-equivalent mutants killed "
              f"({c['survived'] + c['error']} survived, {c['equivalent']} equivalent)")
    print(f"{seconds / 60:.1f} min; report: {args.out / 'report.md'}")
    return 0 if all(c["score"] >= args.fail_under for c in per_stage.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
