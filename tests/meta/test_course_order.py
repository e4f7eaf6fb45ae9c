"""Maintainer check: every task can be passed when the learner reaches it, in course order.

For each task k (course order: the curriculum's stages in order, each stage's tasks in
order), build a copy of learndyn with k and every earlier task solved and every LATER
task stubbed, run k's tests against it and require all of them to pass.  A test of k
that calls code of a later task (say 2.3's test going through ``Tensor.backward``, task
2.7) fails here, and the message names the test and the later task whose stub it ran
into, so it can be rewritten to test k on its own.

``test_stub_honesty.py`` checks the other direction: every test of k needs k's own code.
"""
from __future__ import annotations

from collections import Counter

import pytest

from tools.curriculum import load_curriculum
from tools.markers import parse_stub_message

from variants import grade_selected  # tests/meta/variants.py

# The fixture grades every selected task up front (two subprocesses at a time): a minute or two.
pytestmark = pytest.mark.timeout(1800)

STAGES = [stage for stage in load_curriculum() if stage.built]
COURSE = [(stage, task.id) for stage in STAGES for task in stage.tasks]  # course order
LATER = {task: {later for _, later in COURSE[position + 1:]} for position, (_, task) in enumerate(COURSE)}


@pytest.fixture(scope="module")
def solved_up_to(request, tmp_path_factory):
    """task -> the report of its tests run with it and every earlier task solved, every later one stubbed."""
    return grade_selected(request, "test_every_test_of_a_task_passes_before_any_later_task_is_done",
                          {task: stage for stage, task in COURSE}, LATER.get, tmp_path_factory.mktemp("course-order"))


def describe(result) -> str:
    """One line for a test that did not pass: its id, the later task it ran into (if any), where, its message."""
    stub = parse_stub_message(result.message)
    blocker = f"ran into the stub of later task {stub.task} ({stub.function})" if stub else "failed"
    _, _, relative = result.location.partition("/learndyn/")  # drop the scratch folder's path
    where = f"learndyn/{relative}" if relative else result.location
    return f"  {result.nodeid}: {blocker}" + (f" (in {where})" if where else "") + f": {result.message[:200]}"


SHOWN = 12  # failing tests listed in full; the rest are counted


@pytest.mark.parametrize("task", [task for _, task in COURSE])
def test_every_test_of_a_task_passes_before_any_later_task_is_done(task, solved_up_to):
    report = solved_up_to[task]
    grade = report.grades[task]
    assert not report.problem, f"task {task} with every later task stubbed: the run failed as a whole: {report.problem}"
    assert grade.total > 0, f"no tests ran for task {task}"
    failing = [result for result in grade.results if result.outcome != "passed"]
    blockers = Counter(stub.task for r in failing if (stub := parse_stub_message(r.message)))
    ran_into = ", ".join(f"{later} ({count} test{'s' * (count != 1)})"
                         for later, count in sorted(blockers.items(), key=lambda item: [int(k) for k in item[0].split(".")]))
    assert not failing, (
        f"with task {task} and every earlier task solved and every later task stubbed, {len(failing)} of "
        f"{grade.total} tests of task {task} fail, so a learner who reaches task {task} cannot pass it. "
        f"Stubs of later tasks they ran into: {ran_into or 'none'}. "
        f"Test task {task} without the later task's code (tests/oracle/ has stand-ins such as reverse_sweep):\n"
        + "\n".join(describe(result) for result in failing[:SHOWN])
        + (f"\n  ... and {len(failing) - SHOWN} more" if len(failing) > SHOWN else "")
    )
