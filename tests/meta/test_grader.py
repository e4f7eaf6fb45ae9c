"""The grader itself: exit codes, messages, formats, and isolation from faulty learner code.

Faults are injected into a scratch copy of solutions/ and graded with ``--target``; each run
must end in bounded time with exit code 1 and a message that says what happened, without a
raw traceback.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from xml.etree import ElementTree

import pytest

from tools.curriculum import ROOT

GRADER = [sys.executable, str(ROOT / "grader.py")]


def grade(*args, timeout=120):
    started = time.monotonic()
    completed = subprocess.run([*GRADER, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                               env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"})
    return completed.returncode, completed.stdout + completed.stderr, time.monotonic() - started


def faulty_copy(tmp_path, file, find, replace):
    destination = tmp_path / "learner"
    shutil.copytree(ROOT / "solutions", destination, ignore=shutil.ignore_patterns("__pycache__"))
    path = destination / "learndyn" / file
    source = path.read_text()
    assert source.count(find) == 1, f"fault fixture out of date: {find!r} not found once in {file}"
    path.write_text(source.replace(find, replace))
    return destination


def test_reference_passes_with_exit_code_0():
    code, output, _ = grade("--solutions", "stage1")
    assert code == 0, output
    assert "passed" in output and "Traceback" not in output


def test_untouched_stubs_fail_cleanly_and_point_at_the_first_stub():
    code, output, _ = grade("stage1")
    assert code == 1, output
    assert "Traceback" not in output
    assert "Next: task 1.1" in output and "exercises/learndyn/tensor.py:" in output and "hint" in output


def test_progress_lists_every_stage():
    code, output, _ = grade()
    assert code == 1
    for n in range(1, 6):
        assert f"stage{n}" in output


@pytest.mark.parametrize("args", [["stage9"], ["hint", "9.9"], ["--format", "yaml"], ["run", "no-such-experiment"]])
def test_bad_grader_input_exits_2(args):
    code, output, _ = grade(*args)
    assert code == 2, output


def test_hint_and_more():
    code, output, _ = grade("hint", "2.3", "--more")
    assert code == 0 and "grad_a = grad @ b.T" in output and "docs/stage2.md" in output


def test_run_list_shows_the_experiments():
    code, output, _ = grade("run", "--list")
    assert code == 0 and "xor" in output


@pytest.mark.parametrize("fmt", ["json", "gradescope", "exercism", "junit"])
def test_autograder_formats_are_well_formed(fmt, tmp_path):
    out = tmp_path / f"results.{fmt}"
    code, output, _ = grade("--solutions", "stage1", "--format", fmt, "--out", str(out))
    assert code == 0, output
    text = out.read_text()
    if fmt == "junit":
        root = ElementTree.fromstring(text)
        assert root.tag == "testsuites" and int(root[0].get("tests")) > 0 and root[0].get("failures") == "0"
        return
    data = json.loads(text)
    if fmt == "gradescope":
        assert data["score"] == sum(t["max_score"] for t in data["tests"]) > 0
        assert {"name", "number", "score", "max_score", "status", "output", "visibility"} <= set(data["tests"][0])
    elif fmt == "exercism":
        assert data["version"] == 3 and data["status"] == "pass" and all(t["status"] == "pass" for t in data["tests"])
        assert {"name", "status", "message", "output", "task_id"} <= set(data["tests"][0])
    else:
        assert all(task["passed"] for stage in data["stages"] for task in stage["tasks"])


def test_gradescope_scores_a_failing_learner_zero(tmp_path):
    out = tmp_path / "results.json"
    code, _, _ = grade("stage1", "--format", "gradescope", "--out", str(out))
    data = json.loads(out.read_text())
    assert code == 1 and data["score"] == 0 and all(t["status"] == "failed" for t in data["tests"])


FAULTS = {
    "syntax error": ("tensor.py", "        data = a * b\n", "        data = a * b)\n", "SyntaxError"),
    "import error": ("autograd.py", "import numpy as np\n", "import numpy as np\nimport no_such_module\n", "No module named 'no_such_module'"),
    "infinite loop": ("tensor.py", "        data = np.exp(self.data)\n", "        while True:\n            pass\n", "timed out"),
    "sys.exit in a test": ("tensor.py", "        data = np.exp(self.data)\n", "        import sys; sys.exit(3)\n", "sys.exit()"),
    "sys.exit at import": ("__init__.py", "from .autograd import", "import sys; sys.exit(0)\nfrom .autograd import", "sys.exit()"),
    "os._exit in a test": ("tensor.py", "        data = np.exp(self.data)\n", "        import os; os._exit(0)\n", "ended the Python process"),
    "os._exit at import": ("__init__.py", "from .autograd import", "import os; os._exit(0)\nfrom .autograd import", "ended before any test ran"),
    "infinite recursion": ("tensor.py", "        data = np.exp(self.data)\n", "        return self.exp()\n", "infinite recursion"),
    "a flood of output": ("tensor.py", "        data = np.exp(self.data)\n", "        print('x' * 5_000_000)\n        data = None\n", "FAIL"),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_faulty_learner_code_ends_in_bounded_time_with_a_clear_message(fault, tmp_path):
    file, find, replace, expected = FAULTS[fault]
    learner = faulty_copy(tmp_path, file, find, replace)
    # Bounded time is enforced by the subprocess timeout (the grader is killed and this test fails if it
    # hangs), not by asserting a duration: these runs take 1-5 s, and timing asserts flake on busy machines.
    code, output, _ = grade("stage1", "--target", str(learner), "--timeout", "2", "-v", timeout=60)
    assert code == 1, f"{fault}: exit code {code}, expected 1\n{output[-3000:]}"
    assert expected in output, f"{fault}: expected {expected!r} in the grader's output:\n{output[-3000:]}"
    assert "Traceback (most recent call last)" not in output, f"{fault}: a raw traceback reached the learner"
    assert len(output) < 20_000, f"{fault}: {len(output)} characters of output (a flood must be cut)"


def test_an_experiment_on_the_stubs_fails_in_one_line_without_a_traceback():
    code, output, _ = grade("run", "xor")
    assert code == 1 and "NotImplementedError" in output and "Traceback" not in output, output


def test_a_later_stage_blocked_by_an_earlier_stub_says_which_task_to_do_first(tmp_path):
    from tools.make_exercises import generate

    generate(tmp_path, only={"2.7"})  # everything done but backpropagation
    code, output, _ = grade("stage3", "--target", str(tmp_path))
    assert code == 1
    assert "stage3 uses your work from stage2" in output, output
    assert "do task 2.7 first" in output, output
