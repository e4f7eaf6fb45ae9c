"""Your code beside the reference's, once a task passes: ``python grader.py compare 2.3 [--anyway]``.

The task is graded first (its tests only, as ``python grader.py 2.3`` does).  Once it passes,
each of the task's regions in your files is shown against the reference's block as a
unified diff with the whole of both in view (``-`` the reference's lines, ``+`` yours), with
the links to the notes that explain it.  Before it passes the comparison is not shown (it
would be the answer); the command names what still fails, and ``--anyway`` shows it regardless.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from tools.answers import NOTES_LINK
from tools.curriculum import ROOT, Stage, Task, load_curriculum
from tools.environment import EnvironmentProblem
from tools.grading import learner_modules, run_tests
from tools.markers import YOUR_CODE_END, enclosing_name, region_starts, solution_blocks
from tools.release import NO_REFERENCE, has_reference
from tools.sanitize import clean

SOLUTIONS = ROOT / "solutions"
SHOWN_FAILURES = 5


class CompareError(ValueError):
    """compare cannot run (no reference in this copy, an unknown task); the message says why."""


@dataclass(frozen=True)
class Region:
    """One marked part of a task in one file: its first line (1-based) and its lines, without the markers."""

    file: str  # relative to the package's parent, e.g. learndyn/tensor.py
    function: str
    line: int
    lines: list[str]


def _dedent(lines: list[str], indent: str) -> list[str]:
    return [line[len(indent):] if line.startswith(indent) else line.lstrip(" \t") for line in lines]


def reference_blocks(task: str, root: Path = SOLUTIONS) -> list[Region]:
    """The reference's ``BEGIN SOLUTION task`` blocks, file by file, in order."""
    blocks = []
    for path in sorted((root / "learndyn").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        blocks += [Region(path.relative_to(root).as_posix(), enclosing_name(lines, block.begin, block.indent),
                          block.begin + 2, _dedent(block.body(lines), block.indent))
                   for block in solution_blocks(lines) if block.task == task]
    return blocks


def learner_regions(task: str, root: Path) -> list[Region]:
    """The learner's regions of ``task`` (between ``# --- your code for task ...`` and its end line)."""
    regions = []
    for path in learner_modules(root):
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
        end_marker = YOUR_CODE_END.format(task=task)
        for index, indent, region_task in region_starts(lines):
            if region_task != task:
                continue
            end = next((j for j in range(index + 1, len(lines)) if end_marker in lines[j]), None)
            if end is not None:
                regions.append(Region(path.relative_to(root).as_posix(), enclosing_name(lines, index, indent),
                                      index + 2, _dedent(lines[index + 1:end], indent)))
    return regions


def notes_links(task: Task, stage: Stage) -> list[str]:
    """The notes' sections the task's hints point at (its stage's page when none does)."""
    texts = [task.more, task.hint, *(h.more for h in task.hints), *(h.hint for h in task.hints)]
    links = list(dict.fromkeys(link for text in texts for link in NOTES_LINK.findall(text)))
    return links or [stage.notes]


def side_by_side(reference: Region, yours: Region | None, root: Path) -> list[str]:
    """A unified diff of one region with the whole of both in view; a sentence when they are the same."""
    title = f"{reference.function}  ({reference.file})"
    if yours is None:
        return [f"== {title}", "   your files have no region of this task here (were its marker lines edited?); "
                               "the reference's block:", *("   " + line.rstrip("\n") for line in reference.lines)]
    mine = [clean(line, 500) for line in yours.lines]
    if [l.rstrip() for l in mine] == [l.rstrip() for l in reference.lines]:
        return [f"== {title}: the same as the reference, line for line"]
    where = root.name + "/" if root.name in ("exercises", "solutions") else f"{root}/"
    diff = difflib.unified_diff(reference.lines, mine, fromfile=f"reference  solutions/{reference.file}:{reference.line}",
                                tofile=f"yours      {where}{yours.file}:{yours.line}",
                                n=max(len(reference.lines), len(mine)))
    return [f"== {title}", *(line.rstrip("\n") for line in diff)]


def compare(task_id: str, root: Path, anyway: bool = False, timeout: int = 30) -> int:
    """Print the comparison (or what still fails); 0 when the task passes, 1 when it does not (yet)."""
    if not has_reference():
        raise CompareError(NO_REFERENCE)
    stages = load_curriculum()
    tasks = {t.id: (s, t) for s in stages for t in s.tasks}
    if task_id not in tasks:
        raise CompareError(f"unknown task {task_id!r}; tasks are {next(iter(tasks))} ... {next(reversed(tasks))}")
    stage, task = tasks[task_id]
    if not (root / "learndyn" / "__init__.py").is_file():
        raise CompareError(f"no learndyn package under {root}")
    report = run_tests([stage], root, per_test_timeout=timeout, tasks=[task_id])
    if report.environment_error:
        raise EnvironmentProblem(report.environment_error)
    grade = report.grades[task_id]
    if not grade.ok:
        failing = [r for r in grade.results if r.outcome != "passed"]
        print(f"Task {task.id} {task.title} does not pass yet ({grade.passed}/{grade.total} tests): the comparison "
              f"with the reference is shown once it passes.")
        if report.problem:
            print(f"  {report.problem}")
        for result in failing[:SHOWN_FAILURES]:
            message = result.message.splitlines()[0] if result.message else result.outcome
            print(f"  FAIL {result.nodeid.rpartition('::')[2]}: {message[:200]}")
        if len(failing) > SHOWN_FAILURES:
            print(f"  ... and {len(failing) - SHOWN_FAILURES} more")
        if not anyway:
            print(f"Finish it first (python grader.py {task.id}), or look now: python grader.py compare {task.id} --anyway")
            return 1
        print()
    else:
        print(f"Task {task.id} {task.title} passes ({grade.passed}/{grade.total} tests). Your code beside the reference's "
              f"('-' reference, '+' yours):")
    references = reference_blocks(task_id)
    mine = learner_regions(task_id, root)
    for index, reference in enumerate(references):
        same_file = [r for r in mine if r.file == reference.file]
        position = sum(1 for r in references[:index] if r.file == reference.file)
        yours = same_file[position] if position < len(same_file) else None
        print("\n".join(["", *side_by_side(reference, yours, root)]))
    print(f"\nWhy it works: {', '.join(notes_links(task, stage))}")
    return 0 if grade.ok else 1
