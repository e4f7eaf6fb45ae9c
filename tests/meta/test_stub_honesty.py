"""Maintainer checks: the stubs are in sync, and every stage test can fail.

* Every stage test fails on the untouched exercises/.
* Per task: with only that task's solution blocks stubbed (everything else the
  reference), every test marked with that task fails.  So no test passes merely
  because an earlier stage is missing, and no test is credited to the wrong task.
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from tools.curriculum import ROOT, all_tasks, load_curriculum
from tools.grading import run_tests
from tools.markers import SOLUTION_BEGIN as BEGIN
from variants import grade_selected  # tests/meta/variants.py

# The fixtures run every mutant / stubbed task up front (two subprocesses at a time): minutes, not seconds.
pytestmark = pytest.mark.timeout(1800)

STAGES = [stage for stage in load_curriculum() if stage.built]
TASKS = {task.id: (stage, task) for stage in STAGES for task in stage.tasks}


def passing_tests(report) -> list[str]:
    return [r.nodeid for grade in report.grades.values() for r in grade.results if r.outcome == "passed"]


def test_exercises_are_in_sync_with_the_generator():
    completed = subprocess.run([sys.executable, str(ROOT / "tools" / "make_exercises.py"), "--check"],
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_every_task_has_solution_blocks_and_tests():
    blocks = set()
    for path in (ROOT / "solutions" / "learndyn").rglob("*.py"):
        blocks |= {m["task"] for line in path.read_text().splitlines() if (m := BEGIN.match(line))}
    assert blocks <= set(all_tasks()), f"solution blocks name unknown tasks: {sorted(blocks - set(all_tasks()))}"
    assert set(TASKS) <= blocks, f"tasks without a solution block: {sorted(set(TASKS) - blocks)}"
    report = run_tests(STAGES, ROOT / "solutions", extra_args=["--collect-only"])
    untested = [task for task, grade in report.grades.items() if grade.total == 0]
    assert not untested, f"tasks without any test: {untested}"


def test_every_stage_test_fails_on_the_untouched_stubs():
    report = run_tests(STAGES, ROOT / "exercises")
    assert all(grade.total > 0 for grade in report.grades.values())
    passing = passing_tests(report)
    assert not passing, f"{len(passing)} tests pass on the untouched stubs (they assert nothing about the learner's work):\n" + "\n".join(passing)


@pytest.fixture(scope="module")
def one_task_stubbed(request, tmp_path_factory):
    """task -> the report of its tests run against solutions/ with only that task stubbed."""
    return grade_selected(request, "test_stubbing_only_this_task_fails_every_one_of_its_tests",
                          {task: stage for task, (stage, _) in TASKS.items()}, lambda task: {task},
                          tmp_path_factory.mktemp("stub-one-task"))


@pytest.mark.parametrize("task", list(TASKS))
def test_stubbing_only_this_task_fails_every_one_of_its_tests(task, one_task_stubbed):
    report = one_task_stubbed[task]
    grade = report.grades[task]
    assert not report.problem, f"task {task} stubbed alone: the run failed as a whole: {report.problem}"
    assert grade.total > 0, f"no tests ran for task {task}"
    passing = passing_tests(report)
    assert not passing, (
        f"with only task {task} stubbed, {len(passing)} of its tests still pass: they test something else "
        f"(another task's code?) and should be moved or strengthened:\n" + "\n".join(passing)
    )
