"""The learner's path: one task graded alone, `watch` on the task being edited, "Next", the edit
line, the hint of the function that failed, the learner's prints, and likely causes that are true."""
from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading

import numpy as np
import pytest

from oracle.checks import assert_close, shape_cause
from tools.curriculum import ROOT, all_tasks
from tools.make_exercises import generate
from tools.markers import YOUR_CODE_BEGIN

GRADER = [sys.executable, str(ROOT / "grader.py")]
TASKS = all_tasks()
COURSE = list(TASKS)


def grader(*args, timeout=120):
    completed = subprocess.run([*GRADER, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                               env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"}, stdin=subprocess.DEVNULL)
    return completed.returncode, completed.stdout + completed.stderr


def learner_up_to(path, last_solved: str, also_stubbed: tuple[str, ...] = ()):
    """A learner's copy with every task up to ``last_solved`` written between the region markers, the rest stubs."""
    later = set(COURSE[COURSE.index(last_solved) + 1:]) | set(also_stubbed)
    generate(path, only=later, as_learner=True)
    return path


def replace_region(path, task: str, body: str) -> None:
    """Replace the code of the first region of ``task`` in tensor.py by ``body`` (indented to the region)."""
    file = path / "learndyn" / "tensor.py"
    lines = file.read_text().splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == YOUR_CODE_BEGIN.format(task=task))
    end = next(i for i in range(start, len(lines)) if f"end of task {task}" in lines[i])
    indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
    lines[start + 1:end] = [indent + line + "\n" for line in body.splitlines()]
    file.write_text("".join(lines))


def test_one_task_is_graded_alone_and_names_the_next(tmp_path):
    code, output = grader("--solutions", "2.3")
    assert code == 0, output
    assert re.search(r"^\s+ok\s+2\.3\s", output, re.MULTILINE), output
    graded = re.findall(r"^\s+(?:ok|FAIL)\s+(\d+\.\d+)\s", output, re.MULTILINE)
    assert graded == ["2.3"] and not re.search(r"^stage\d", output, re.MULTILINE), "only task 2.3 is graded"
    assert "Next: task 2.4" in output and "python grader.py 2.4" in output


def test_a_failing_task_shows_its_stub_its_function_and_that_function_s_hint(tmp_path):
    learner = learner_up_to(tmp_path, "2.2")
    code, output = grader("2.3", "--target", str(learner))
    assert code == 1, output
    assert "Next: task 2.3" in output
    edit = re.search(r"edit\s+(\S+):(\d+)\s+\((\S+)\)", output)
    assert edit and edit.group(1).endswith("learndyn/tensor.py") and edit.group(3) == "Tensor.__matmul__.backward", output
    line = (learner / "learndyn" / "tensor.py").read_text().splitlines()[int(edit.group(2)) - 1]
    assert "raise NotImplementedError" in line and "task 2.3" in line, f"the edit line points at {line!r}"
    assert TASKS["2.3"].hint_for("Tensor.__matmul__.backward").hint in output, "the hint of the function that failed"
    assert "The tasks before 2.3 pass" in output, output


def test_a_task_whose_earlier_task_fails_says_which(tmp_path):
    learner = learner_up_to(tmp_path, "2.2", also_stubbed=("2.1",))
    code, output = grader("2.2", "--target", str(learner))
    assert code == 1
    assert re.search(r"builds on earlier tasks that still fail: .*\b2\.1 \(", output), output
    assert "python grader.py 2.1" in output


def test_the_edit_line_survives_the_stub_and_the_learner_s_prints_are_shown(tmp_path):
    learner = learner_up_to(tmp_path, "1.5")
    replace_region(learner, "1.5", "print('DEBUG exp of', self.data.shape)\ndata = self.data")  # a wrong exp
    code, output = grader("1.5", "--target", str(learner))
    assert code == 1, output
    edit = re.search(r"edit\s+(\S+):(\d+)\s+\((\S+)\)", output)
    assert edit and edit.group(3) == "Tensor.exp", output
    line = (learner / "learndyn" / "tensor.py").read_text().splitlines()[int(edit.group(2)) - 1]
    assert "DEBUG exp of" in line, f"the edit line should be the first line of the learner's exp, not {line!r}"
    assert re.search(r"output\s+DEBUG exp of \(", output), f"the learner's print() should be shown:\n{output}"


def test_hint_without_a_task_gives_the_hint_of_the_function_the_learner_is_on(tmp_path):
    learner = learner_up_to(tmp_path, "1.1")
    code, output = grader("hint", "--target", str(learner))
    assert code == 0, output
    assert output.startswith("Task 1.2: "), output
    assert re.search(r"Tensor\._result\s+<- your code stopped here", output), output


def test_hint_shows_code_level_hints_only_with_more():
    _, short = grader("hint", "2.3")
    _, full = grader("hint", "2.3", "--more")
    task = TASKS["2.3"]
    code_level = [h.more for h in task.hints if h.more] + ([task.more] if task.more else [])
    assert code_level, "task 2.3 has code-level hints"
    assert not any(more in short for more in code_level), "without --more, no code-level hint is shown"
    assert all(more in full for more in code_level), "with --more, every code-level hint is shown"


def read_lines(process) -> "queue.Queue[str]":
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    return lines


def until(lines, predicate, limit=60) -> list[str]:
    seen = []
    while not seen or not predicate(seen[-1]):
        seen.append(lines.get(timeout=limit))
    return seen


def test_watch_grades_the_edited_task_first_then_the_rest(tmp_path):
    learner = learner_up_to(tmp_path, "2.4")
    process = subprocess.Popen([*GRADER, "watch", "--target", str(learner), "--interval", "0.1"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL,
                               env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"})
    try:
        lines = read_lines(process)
        until(lines, lambda line: line.startswith("watching"))
        replace_region(learner, "2.3", "return None, None  # my first try")
        after = until(lines, lambda line: line.startswith("watching"))
    finally:
        process.kill()
        process.wait()
    text = "".join(after)
    task_line = next(i for i, line in enumerate(after) if re.match(r"\s+(ok|FAIL)\s+2\.3\s", line))
    first_stage_bar = next(i for i, line in enumerate(after) if line.startswith("stage1"))
    assert task_line < first_stage_bar, f"the edited task 2.3 should be graded before the rest:\n{text}"
    assert re.match(r"\s+FAIL\s+2\.3\s", after[task_line]), text
    assert "Next: task 2.3" in text


# Likely causes are named only where the test can tell them apart.

def test_a_transposed_gradient_is_named_as_swapped_transposes():
    with pytest.raises(AssertionError, match="transpose of the expected") as error:
        assert_close(np.zeros((5, 3)), np.ones((3, 5)), rtol=1e-9, atol=0, what="d loss / d a of matmul")
    assert "sum_to_shape" not in str(error.value)


def test_an_unreduced_broadcast_gradient_is_named_as_such():
    with pytest.raises(AssertionError, match="sum_to_shape"):
        assert_close(np.ones((4, 3)), np.ones((3,)), rtol=1e-9, atol=0, what="d loss / d b of add")


def test_a_forward_shape_error_is_not_blamed_on_sum_to_shape():
    with pytest.raises(AssertionError) as error:
        assert_close(np.ones((4, 3)), np.ones((3,)), rtol=1e-9, atol=0, what="forward of add")
    assert "sum_to_shape" not in str(error.value) and "Likely cause" not in str(error.value)
    assert shape_cause((2, 3), (6,), gradient=True) == "", "unrelated shapes have no likely cause"
