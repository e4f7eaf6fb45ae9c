"""The instructor's kit: outputs real autograders accept in every state, a Gradescope package that
works end to end, and grades that naive tampering cannot buy.

Every run here grades a scratch copy; the attacks run in a scratch copy of the whole course, so
the repository is never touched.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from xml.etree import ElementTree

import pytest

from tools.curriculum import ROOT, CurriculumError, load_curriculum
from tools.make_exercises import generate

pytestmark = pytest.mark.timeout(600)

QUIET = {"PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin", "NO_COLOR": "1"}
EXP_BODY = "        data = np.exp(self.data)\n"
STAGE1 = [t.id for t in load_curriculum()[0].tasks]


def grader(*args, course=ROOT, timeout=180):
    completed = subprocess.run([sys.executable, str(course / "grader.py"), *args], cwd=course, capture_output=True,
                               timeout=timeout, env=QUIET, stdin=subprocess.DEVNULL)
    return completed.returncode, completed.stdout.decode("utf-8", "replace") + completed.stderr.decode("utf-8", "replace")


def reference_with(tmp_path, find=None, replace=None, file="tensor.py"):
    destination = tmp_path / "learner"
    shutil.copytree(ROOT / "solutions", destination, ignore=shutil.ignore_patterns("__pycache__"))
    if find:
        path = destination / "learndyn" / file
        assert path.read_text().count(find) == 1, f"fixture out of date: {find!r}"
        path.write_text(path.read_text().replace(find, replace))
    return destination


def stubs(tmp_path):
    generate(tmp_path / "stubs")
    return tmp_path / "stubs"


@pytest.fixture(scope="module")
def pristine_course(tmp_path_factory):
    """A scratch copy of the whole course with its manifests rewritten for exactly its files."""
    copy = tmp_path_factory.mktemp("pristine") / "course"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", ".venv*", "__pycache__", ".grader", "figures"))
    subprocess.run([sys.executable, "-c", "from tools.integrity import write_manifest; write_manifest()"], cwd=copy,
                   check=True, capture_output=True, timeout=300)
    return copy


STATES = {
    "all solved": lambda tmp: reference_with(tmp),
    "none solved": stubs,
    "partial": lambda tmp: reference_with(tmp, EXP_BODY, "        data = self.data\n"),
    "syntax error": lambda tmp: reference_with(tmp, EXP_BODY, "        data = np.exp(self.data))\n"),
    "crash": lambda tmp: reference_with(tmp, EXP_BODY, "        import ctypes; ctypes.string_at(0)\n"),
    "timeout": lambda tmp: reference_with(tmp, EXP_BODY, "        while True:\n            pass\n"),
    "control characters": lambda tmp: reference_with(
        tmp, EXP_BODY, "        print('\\x1b[31m\\x00\\x0c\\x07 bell')\n        raise ValueError('\\x1b[2J\\x00 nul \\ud800 \\x0c')\n"),
}


def run_format(learner, fmt, tmp_path, course):
    out = tmp_path / f"results.{fmt}"
    code, output = grader("stage1", "--target", str(learner), "--format", fmt, "--out", str(out), "--timeout", "2",
                          course=course)
    assert out.exists(), f"{fmt}: no report written (exit {code}):\n{output[-2000:]}"
    return code, out.read_text(encoding="utf-8")


def no_control_characters(text: str) -> bool:
    return not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)


@pytest.mark.parametrize("state", STATES)
def test_every_format_is_valid_for_its_consumer_in_every_state(state, tmp_path, pristine_course):
    learner = STATES[state](tmp_path)
    solved = state == "all solved"

    code, text = run_format(learner, "junit", tmp_path, pristine_course)
    root = ElementTree.fromstring(text.encode())  # well-formed, or this raises
    assert root.tag == "testsuites" and {"tests", "failures", "errors", "time"} <= set(root.attrib)
    suites = root.findall("testsuite")
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites) > 0
    bad = int(root.get("failures")) + int(root.get("errors"))
    assert (bad == 0) if solved else (bad > 0), f"{state}: {bad} failures and errors (a CI dashboard reads this)"
    cases = root.iter("testcase")
    assert all(re.fullmatch(r"stage1(\.task_1_\d+)?", c.get("classname")) and c.get("time") for c in cases)
    assert code == (0 if solved else 1)

    code, text = run_format(learner, "exercism", tmp_path, pristine_course)
    body = json.loads(text)
    assert code == 0, "the test runner interface: exit 0 whenever results.json was written"
    assert body["version"] == 3 and body["status"] in ("pass", "fail", "error")
    if state == "syntax error":
        assert body["status"] == "error" and body["message"]
    else:
        tasks_of_id = {}
        for test in body["tests"]:
            tasks_of_id.setdefault(test["task_id"], set()).add(test["name"].split("::")[0])
            assert test["test_code"].startswith("def test_"), test["name"]
            assert test["output"] is None or len(test["output"]) <= 500 + 60
        assert all(len(files) == 1 for files in tasks_of_id.values()), "a task_id must name exactly one task"
        assert body["status"] == ("pass" if solved else "fail")

    code, text = run_format(learner, "gradescope", tmp_path, pristine_course)
    body = json.loads(text)
    assert body["output_format"] == "text" and body["test_output_format"] == "text"
    weights = {t.id: t.weight for t in load_curriculum()[0].tasks}
    assert {t["number"]: t["max_score"] for t in body["tests"]} == weights
    assert body["score"] == sum(t["score"] for t in body["tests"]) == (sum(weights.values()) if solved else body["score"])
    if state in ("partial", "crash", "timeout", "control characters"):
        scores = {t["number"]: t["score"] for t in body["tests"]}
        assert scores["1.5"] == 0 and all(scores[t] == weights[t] for t in STAGE1 if t != "1.5"), scores
    assert all(no_control_characters(t["output"]) for t in body["tests"]) and no_control_characters(body["output"])


def test_control_characters_never_reach_any_report(tmp_path, pristine_course):
    learner = STATES["control characters"](tmp_path)
    for fmt in ("junit", "exercism", "gradescope", "json"):
        _, text = run_format(learner, fmt, tmp_path, pristine_course)
        decoded = json.dumps(json.loads(text)) if fmt != "junit" else text
        values = re.findall(r'"(?:message|output)": "((?:[^"\\]|\\.)*)"', text) if fmt != "junit" else [text]
        for value in values:
            raw = json.loads(f'"{value}"') if fmt != "junit" else value
            assert no_control_characters(raw), f"{fmt}: a raw control character in {raw[:200]!r}"
        assert "\\x1b[2J" in decoded or "\\\\x1b[2J" in decoded, f"{fmt}: the escape should be shown, escaped"


def test_a_syntax_error_in_a_later_stage_s_module_costs_only_the_tests_that_load_it(tmp_path, pristine_course):
    learner = reference_with(tmp_path, "        param.data -= lr * g\n", "        param.data -= (lr * g\n", file="optim/sgd.py")
    out = tmp_path / "results.json"
    code, output = grader("all", "--target", str(learner), "--format", "gradescope", "--out", str(out),
                          course=pristine_course, timeout=300)
    results = json.loads(out.read_text())
    scores = {t["number"]: t["score"] for t in results["tests"]}
    assert code == 1 and "withheld" not in results["output"], results["output"]
    # stages 1, 2 and 5 never import learndyn.optim; stage 4 does only in its trajectories (4.9)
    kept = [t for t in scores if t.startswith(("1.", "2.", "5.")) or (t.startswith("4.") and t != "4.9")]
    assert all(scores[t] > 0 for t in kept), {t: scores[t] for t in kept if not scores[t]}
    assert scores["3.5"] == 0, scores
    code, output = grader("stage3", "--target", str(learner), course=pristine_course)
    assert "could not be loaded" in output and re.search(r"sgd\.py:\d+", output) and "SyntaxError" in output, output


@pytest.mark.parametrize("weight", ["-3", '"2"', "0", "nan", "inf", "true"])
def test_a_weight_that_is_not_a_positive_finite_number_is_refused_naming_file_and_task(weight, tmp_path):
    folder = tmp_path / "curriculum"
    shutil.copytree(ROOT / "curriculum", folder)
    path = folder / "stage2.toml"
    path.write_text(re.sub(r"^weight = .*$", f"weight = {weight}", path.read_text(), count=1, flags=re.MULTILINE))
    with pytest.raises(CurriculumError, match=r"stage2\.toml: task 2\.1: weight must be a positive finite number"):
        load_curriculum(folder)


def test_every_task_has_an_explicit_weight():
    for stage in load_curriculum():
        for task in stage.tasks:
            assert task.weight in (1, 2, 3), f"task {task.id}: weight {task.weight} (CONTRIBUTING.md: 1, 2 or 3 by size)"


# --- the Gradescope package ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory, pristine_course):
    out = tmp_path_factory.mktemp("package") / "autograder.zip"
    code, output = grader("package", "gradescope", "--out", str(out), course=pristine_course)
    assert code == 0, output
    return out


def test_the_package_holds_setup_run_autograder_and_the_course_but_no_reference(autograder_zip):
    names = zipfile.ZipFile(autograder_zip).namelist()
    assert "setup.sh" in names and "run_autograder" in names and "grader.py" in names
    assert any(n.startswith("tests/stage1_tensor_ops/") for n in names) and any(n.startswith("exercises/learndyn/") for n in names)
    assert not any(n.startswith(("solutions/", "tests/meta/", "bugzoo/", ".git")) for n in names)
    info = zipfile.ZipFile(autograder_zip).getinfo("run_autograder")
    assert (info.external_attr >> 16) & 0o111, "run_autograder must be executable"


@pytest.mark.parametrize("submission, full_marks", [("reference learndyn/ folder", True), ("stubs, package files at the top", False)])
def test_run_autograder_grades_a_submission_end_to_end(submission, full_marks, autograder_zip, tmp_path):
    root = tmp_path / "autograder"
    zipfile.ZipFile(autograder_zip).extractall(root / "source")
    if full_marks:
        shutil.copytree(ROOT / "solutions" / "learndyn", root / "submission" / "learndyn")
    else:
        shutil.copytree(stubs(tmp_path) / "learndyn", root / "submission")
    completed = subprocess.run(["bash", str(root / "source" / "run_autograder")], env={**QUIET, "AUTOGRADER_ROOT": str(root)},
                               capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    total = sum(t.weight for s in load_curriculum() for t in s.tasks)
    assert results["score"] == (total if full_marks else 0), json.dumps(results)[:2000]
    assert len(results["tests"]) == sum(len(s.tasks) for s in load_curriculum())


def test_a_submission_without_a_package_gets_a_results_file_that_says_so(autograder_zip, tmp_path):
    root = tmp_path / "autograder"
    zipfile.ZipFile(autograder_zip).extractall(root / "source")
    (root / "submission").mkdir(parents=True)
    (root / "submission" / "notes.txt").write_text("I did not finish")
    completed = subprocess.run(["bash", str(root / "source" / "run_autograder")], env={**QUIET, "AUTOGRADER_ROOT": str(root)},
                               capture_output=True, text=True, timeout=300)
    results = json.loads((root / "results" / "results.json").read_text())
    assert completed.returncode == 0 and results["score"] == 0 and "no learndyn package" in results["output"]


# --- tampering ---------------------------------------------------------------------------------------

@pytest.fixture
def course(pristine_course, tmp_path):
    """A fresh copy of the pristine course for one attack (attacks rewrite its files)."""
    copy = tmp_path / "course"
    shutil.copytree(pristine_course, copy)
    return copy


def test_an_untampered_run_is_not_withheld(course, tmp_path):
    out = tmp_path / "results.json"
    code, output = grader("stage1", "--target", str(ROOT / "solutions"), "--format", "gradescope", "--out", str(out),
                          course=course)
    results = json.loads(out.read_text())
    assert code == 0 and "withheld" not in results["output"], results["output"]
    assert results["score"] == sum(t.weight for t in load_curriculum()[0].tasks)


ATTACKS = {
    "wrapping the harness's record function": """
import tools.pytest_watchdog as _w
_real = _w.record
def _record(entry):
    if entry.get("event") == "result":
        entry = dict(entry, outcome="passed", message="")
    _real(entry)
_w.record = _record
""",
    "writing passed lines into the results file, then os._exit(0)": """
import glob as _g, json as _j, os as _o
from .tensor import Tensor as _T
def _forge(self, *args, **kwargs):  # the first Tensor made by a test: every test's result is "passed"
    for _path in _g.glob("/tmp/learndyn-grade-*/results-*.jsonl"):
        _ids = [t["nodeid"] for _line in open(_path) for _e in [_j.loads(_line)] if _e.get("event") == "collected"
                for t in _e["tests"]]
        with open(_path, "a") as _f:
            for _id in _ids:
                _f.write(_j.dumps({"event": "result", "nodeid": _id, "when": "call", "outcome": "passed"}) + "\\n")
            _f.write(_j.dumps({"event": "finished", "exitstatus": 0}) + "\\n")
    _o._exit(0)
_T.__init__ = _forge
""",
    "an atexit handler that rewrites the results": """
import atexit as _a, glob as _g
def _rewrite():
    for _path in _g.glob("/tmp/learndyn-grade-*/results-*.jsonl"):
        open(_path, "w").write("")
_a.register(_rewrite)
""",
    "rewriting the stage tests at import (restored at exit)": """
import atexit as _a, pathlib as _p, sys as _s
_tests = next(_p.Path(_arg) for _arg in _s.argv if _arg.endswith("stage1_tensor_ops"))
_saved = {_f: _f.read_text() for _f in _tests.glob("test_*.py")}
for _f in _saved:
    _f.write_text("import pytest\\npytestmark = pytest.mark.task('1.1')\\ndef test_nothing():\\n    pass\\n")
_a.register(lambda: [_f.write_text(_t) for _f, _t in _saved.items()])
""",
    "patching pytest's own test-running function": """
import _pytest.python as _pp
_pp.Function.runtest = lambda self: None
""",
    "a detached daemon that rewrites the --out file after the grader exits": """
import os as _o, time as _t
_args = open(f"/proc/{_o.getppid()}/cmdline").read().split("\\0")  # the grader's command line
_out = _args[_args.index("--out") + 1]
if _o.fork() == 0:
    _o.setsid()
    if _o.fork() == 0:
        _t.sleep(4)
        open(_out, "w").write('{"score": 1000, "output": "bought", "tests": []}')
        _o._exit(0)
    _o._exit(0)
""",
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_naive_tampering_never_buys_a_grade(attack, course, tmp_path):
    learner = tmp_path / "learner"
    generate(learner)  # the untouched stubs: worth 0
    init = learner / "learndyn" / "__init__.py"
    init.write_text(init.read_text() + ATTACKS[attack])
    out = tmp_path / "results.json"
    completed = subprocess.run([sys.executable, str(course / "grader.py"), "stage1", "--target", str(learner),
                                "--format", "gradescope", "--out", str(out)], cwd=course, capture_output=True,
                               text=True, timeout=180, env=QUIET, stdin=subprocess.DEVNULL)
    if "daemon" in attack:
        import time

        time.sleep(6)  # longer than the daemon would wait
    results = json.loads(out.read_text())
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert results["score"] == 0, f"{attack}: the stubs bought {results['score']} points\n{json.dumps(results)[:1500]}"
    reaches_the_results = attack not in ("an atexit handler that rewrites the results",
                                         "a detached daemon that rewrites the --out file after the grader exits")
    if reaches_the_results:
        assert "withheld" in results["output"], f"{attack}: not noticed:\n{results['output']}"
