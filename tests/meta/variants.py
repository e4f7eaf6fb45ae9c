"""Grade one task's tests against a variant of the reference: some tasks stubbed, the rest solved.

The stub-honesty check (only task k stubbed: all its tests fail) and the course-order check
(every task after k stubbed: all its tests pass) both grade every task this way, two
subprocesses at a time, up front in a module fixture.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tools.grading import RunReport, run_tests
from tools.make_exercises import generate


def grade_with_stubbed(stage, task: str, stubbed: set[str], scratch: Path) -> RunReport:
    """Task ``task``'s tests run against the reference with the tasks in ``stubbed`` turned back into stubs."""
    destination = scratch / task.replace(".", "_")
    destination.mkdir()
    generate(destination, only=stubbed)
    return run_tests([stage], destination, tasks=[task])


def grade_selected(request, test_name: str, stage_of: dict, stubbed_for, scratch: Path) -> dict[str, RunReport]:
    """task -> its report, for the tasks whose ``test_name`` tests this session selected."""
    selected = [item.callspec.params["task"] for item in request.session.items if item.originalname == test_name]
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = pool.map(lambda task: grade_with_stubbed(stage_of[task], task, stubbed_for(task), scratch), selected)
        return dict(zip(selected, reports))
