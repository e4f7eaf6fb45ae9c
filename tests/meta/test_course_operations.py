"""Course operations (issue 19): a student release holds no answer and grades; batch grades a class
with each fault costing only its student's broken tests; compare shows a solved task beside the reference.

Everything is written to temporary folders; the repository is never touched.  The class is graded
once (a module fixture, two graders at a time) and several tests read its results.
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tools.curriculum import ROOT, load_curriculum, tomllib
from tools.make_exercises import generate
from tools.markers import solution_blocks

pytestmark = pytest.mark.timeout(600)

QUIET = {"PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin", "NO_COLOR": "1"}
STAGES = [s for s in load_curriculum() if s.built]
TASKS = [t for s in STAGES for t in s.tasks]
WEIGHTS = {t.id: t.weight for t in TASKS}
LEFT_OUT = ["solutions", ".git", "bugzoo", "bench", ".ci", "tests/meta", "tests/properties", "tools/bug_zoo.py",
            "tools/mutation.py"]


def grader(*args, course=ROOT, timeout=300):
    completed = subprocess.run([sys.executable, str(course / "grader.py"), *args], cwd=course, capture_output=True,
                               timeout=timeout, env=QUIET, stdin=subprocess.DEVNULL)
    return completed.returncode, completed.stdout.decode("utf-8", "replace"), completed.stderr.decode("utf-8", "replace")


# ---- the release ------------------------------------------------------------------------------------------
#
# The test's own search, written apart from tools/release.py's: every line inside a BEGIN/END SOLUTION
# block of solutions/ is searched for in every file of the release (as text, whitespace runs made one
# space and " made ', and in TOML also as the parsed strings), except lines that say nothing:
# * fewer than four tokens (`return out`, `pass`, `else:`, `while True:`, `g = grad`): three tokens
#   cannot tell how a function works, four can (a forward of one product is four tokens);
# * lines the learner is given anyway: in the stubs (outside the blocks: signatures, docstring
#   formulas) or in the released tests and their oracle, which the grading needs.

def _plain(text: str) -> str:
    return " ".join(text.split()).replace('"', "'")


def _tokens(line: str) -> int:
    return len(re.findall(r"\w+|[^\w\s]", re.sub(r"(['\"]).*?\1", "s", line)))


def solution_block_lines() -> set[str]:
    lines = set()
    for path in (ROOT / "solutions" / "learndyn").rglob("*.py"):
        source = path.read_text(encoding="utf-8").splitlines()
        lines |= {_plain(line) for block in solution_blocks(source) for line in block.body(source) if line.strip()}
    return lines


def searchable(path: Path) -> list[str]:
    raw = path.read_bytes()
    if raw.startswith(b"\x89PNG"):
        return []
    text = raw.decode("utf-8")
    texts = [_plain(text)]
    if path.suffix == ".toml":
        strings = []

        def walk(value):
            if isinstance(value, str):
                strings.append(value)
            for inner in value.values() if isinstance(value, dict) else value if isinstance(value, list) else ():
                walk(inner)
        walk(tomllib.loads(text))
        texts.append(_plain("\n".join(strings)))
    return texts


def telling_lines(course: Path) -> set[str]:
    given = "\n".join(_plain(p.read_text(encoding="utf-8")) for folder in ("exercises", "tests")
                      for p in (course / folder).rglob("*.py"))
    return {line for line in solution_block_lines() if _tokens(line) >= 4 and line not in given}


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    course = tmp_path_factory.mktemp("release") / "course"
    code, out, err = grader("release", "--out", str(course))
    assert code == 0, out + err
    return course, out


def test_the_release_holds_no_line_of_any_solution_block(release):
    course, summary = release
    for name in LEFT_OUT:
        assert not (course / name).exists(), f"{name} must not be released"
    lines = telling_lines(course)
    assert len(lines) > 300, f"only {len(lines)} lines to search: the search has become vacuous"
    found = [(path.relative_to(course).as_posix(), line) for path in sorted(course.rglob("*")) if path.is_file()
             for text in searchable(path) for line in lines if line in text]
    assert not found, f"{len(found)} solution line(s) in the release, e.g. {found[:5]}"
    assert "no answer in it" in summary and "code-level hints" in summary


def test_the_search_would_find_a_planted_line(release, tmp_path):
    course, _ = release
    planted = tmp_path / "course"
    shutil.copytree(course / "docs", planted / "docs")
    line = sorted(telling_lines(course), key=len)[len(telling_lines(course)) // 2]
    with (planted / "docs" / "stage1.md").open("a") as handle:
        handle.write(f"\n```python\n    {line}\n```\n")
    assert any(line in text for path in planted.rglob("*.md") for text in searchable(path))


def test_the_release_grades_and_sends_the_learner_to_task_1_1(release):
    course, _ = release
    code, out, err = grader(course=course)
    assert code == 1 and "Next: task 1.1" in out and "Traceback" not in out + err, out + err
    code, out, err = grader("all", "--format", "json", "--out", str(course.parent / "stubs.json"), course=course)
    report = json.loads((course.parent / "stubs.json").read_text())
    assert code == 1 and not report.get("withheld") and not report["problem"], report.get("withheld")
    assert all(t["tests"] > 0 and not t["passed"] for s in report["stages"] for t in s["tasks"])
    code, out, err = grader("--solutions", "1.1", course=course)
    assert code == 2 and "no reference" in err
    code, out, err = grader("--target", "solutions", course=course)
    assert code == 2 and "no reference" in err
    code, out, err = grader("compare", "1.1", course=course)
    assert code == 2 and "no reference" in err
    checked = subprocess.run([sys.executable, "tools/make_exercises.py", "--check"], cwd=course, env=QUIET,
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr  # both manifests match the released files


def test_a_release_of_some_stages_grades_the_reference_in_full(tmp_path):
    course = tmp_path / "course"
    code, out, err = grader("release", "--out", str(course), "--stages", "1-2")
    assert code == 0, out + err
    assert sorted(p.name for p in (course / "curriculum").glob("stage*.toml")) == ["stage1.toml", "stage2.toml"]
    assert not (course / "tests" / "stage3_optimizers").exists() and not (course / "exercises/learndyn/optim").exists()
    reference = tmp_path / "reference"
    shutil.copytree(ROOT / "solutions", reference, ignore=shutil.ignore_patterns("__pycache__"))
    code, out, err = grader("all", "--target", str(reference), "--format", "json", "--out", str(tmp_path / "r.json"),
                            course=course)
    report = json.loads((tmp_path / "r.json").read_text())
    assert code == 0 and not report.get("withheld"), out + err + str(report.get("withheld"))
    assert [s["name"] for s in report["stages"]] == ["stage1", "stage2"]


def test_release_refuses_an_occupied_folder_and_bad_stages(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    code, _, err = grader("release", "--out", str(tmp_path / "taken"))
    assert code == 2 and "not empty" in err
    code, _, err = grader("release", "--out", str(tmp_path / "new"), "--stages", "2-3")
    assert code == 2 and "stages 1 to k" in err and not (tmp_path / "new").exists()


# ---- the class --------------------------------------------------------------------------------------------

HANG = ("    weights = patterns.T @ patterns / patterns.shape[1]\n", "    while True:\n        pass\n")  # task 5.8
HUNG_TASK = "5.8"


def _reference(destination: Path) -> Path:
    shutil.copytree(ROOT / "solutions" / "learndyn", destination, ignore=shutil.ignore_patterns("__pycache__"))
    return destination


def _edit(path: Path, find: str, replace: str) -> None:
    text = path.read_text()
    assert text.count(find) == 1, f"fixture out of date: {find!r} in {path.name}"
    path.write_text(text.replace(find, replace))


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """Six students graded by `batch --jobs 2`, plus one whose syntax error sits in a stage-3 module (gus)."""
    base = tmp_path_factory.mktemp("class")
    submissions = base / "submissions"
    _reference(submissions / "ada" / "learndyn")  # the reference, as a folder holding learndyn/
    with zipfile.ZipFile(submissions / "bo.zip", "w") as bundle:  # the reference, zipped
        for path in sorted((ROOT / "solutions" / "learndyn").rglob("*.py")):
            bundle.write(path, f"learndyn/{path.relative_to(ROOT / 'solutions' / 'learndyn').as_posix()}")
    generate(submissions / "cy")  # the untouched stubs
    generate(base / "di", only={t.id for t in TASKS if t.stage_number > 1}, as_learner=True)
    shutil.move(str(base / "di" / "learndyn"), submissions / "di")  # stage 1 solved only, package contents at the top
    _edit(_reference(submissions / "ed" / "learndyn") / "neuro" / "hopfield.py", *HANG)  # a hang in one task's function
    _edit(_reference(submissions / "fy" / "learndyn") / "tensor.py", "        data = a @ b\n", "        data = a @ b)\n")
    _edit(_reference(submissions / "gus" / "learndyn") / "optim" / "adam.py", "import numpy as np\n",
          "import numpy as np\ndef broken(:\n")
    out = base / "grades"
    code, stdout, stderr = grader("batch", str(submissions), "--out", str(out), "--jobs", "2", "--timeout", "10",
                                  timeout=900)
    assert code == 0, stdout + stderr
    with (out / "grades.csv").open(newline="") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    return submissions, out, rows, stdout + stderr


def _points(row) -> dict[str, float]:
    return {t.id: float(row[t.id]) for t in TASKS}


def test_the_class_gets_the_right_rows(graded_class):
    _, out, rows, log = graded_class
    full = sum(WEIGHTS.values())
    stage1 = sum(t.weight for t in TASKS if t.stage_number == 1)
    expected = {"ada": (full, "ok"), "bo": (full, "ok"), "cy": (0, "ok"), "di": (stage1, "ok"),
                "ed": (full - WEIGHTS[HUNG_TASK], "timeout"), "fy": (0, "error")}
    for student, (total, status) in expected.items():
        row = rows[student]
        assert (float(row["total"]), row["status"]) == (total, status), (student, row["total"], row["status"])
        assert float(row["total"]) == sum(_points(row).values())
    with (out / "grades.csv").open(newline="") as handle:
        header = next(csv.reader(handle))
    assert header == ["student", *WEIGHTS, "total", "status"]
    assert [t for t, p in _points(rows["di"]).items() if p] == [t.id for t in TASKS if t.stage_number == 1]
    for student in expected:
        assert (out / student / "report.txt").is_file() and json.loads((out / student / "results.json").read_text())
    assert re.search(r"batch: \d/7 students, \d+:\d\d elapsed, about \d+:\d\d left", log), log


def test_a_hang_costs_only_its_task(graded_class):
    _, out, rows, _ = graded_class
    lost = [task for task, points in _points(rows["ed"]).items() if points == 0]
    assert lost == [HUNG_TASK]
    report = (out / "ed" / "report.txt").read_text()
    assert "timed out" in report and "learndyn/neuro/hopfield.py" in report and "/tmp/" not in report


def test_a_syntax_error_is_reported_with_its_line(graded_class):
    _, out, rows, _ = graded_class
    report = (out / "fy" / "report.txt").read_text()
    assert re.search(r"SyntaxError: .* \(tensor\.py, line \d+\)", report) and "/tmp/" not in report


def test_a_syntax_error_in_a_later_module_costs_only_the_tests_that_import_it(graded_class):
    _, out, rows, _ = graded_class
    points = _points(rows["gus"])
    assert rows["gus"]["status"] == "error" and "could not be loaded" in (out / "gus" / "report.txt").read_text()
    assert all(points[t.id] == t.weight for t in TASKS if t.stage_number <= 2)  # stages 1-2 never import optim
    assert 0 < float(rows["gus"]["total"]) < sum(WEIGHTS.values())


def test_the_summary_has_the_pass_rates_the_most_failed_tests_and_a_labelled_chart(graded_class):
    _, out, rows, _ = graded_class
    summary = (out / "summary.md").read_text()
    for task in TASKS:
        assert re.search(rf"^\| {re.escape(task.id)} \| .* \| \d+% \(\d+/\d+\) \|", summary, re.MULTILINE), task.id
    # all seven ran; the hung task's pass rate counts the students whose row gives it points
    passing = sum(float(row[HUNG_TASK]) > 0 for row in rows.values())
    assert 2 <= passing < 7 and f"| {HUNG_TASK} | " in summary
    assert re.search(rf"^\| {re.escape(HUNG_TASK)} \| .* \| {100 * passing / 7:.0f}% \({passing}/7\) \|", summary,
                     re.MULTILINE), summary
    assert (out / "summary.png").read_bytes().startswith(b"\x89PNG")
    from tools.batch import load_zoo_map
    zoo, _ = load_zoo_map()
    if zoo:  # the zoo's names appear where a most failed test is one a mutant fails
        assert any(name in summary for names in zoo.values() for name in names)


def test_a_rerun_skips_unchanged_submissions_and_regrades_a_changed_one(graded_class):
    """A withheld grade is no grade: those students are graded again too."""
    submissions, out, rows, _ = graded_class
    before = (out / "grades.csv").read_text()
    stub = submissions / "cy" / "learndyn" / "autograd.py"
    stub.write_text(stub.read_text() + "\n# changed\n")
    code, stdout, stderr = grader("batch", str(submissions), "--out", str(out), "--jobs", "2", "--timeout", "10")
    assert code == 0, stdout + stderr
    kept = [student for student, row in rows.items() if student != "cy" and row["status"] != "withheld"]
    assert all(f"({student}: unchanged since the last batch" in stderr for student in kept), stderr
    assert stderr.count("unchanged since the last batch") == len(kept) and "(cy: ok, 0 points)" in stderr, stderr
    assert (out / "grades.csv").read_text() == before


def test_a_folder_without_a_package_is_an_error_and_the_batch_goes_on(tmp_path):
    submissions = tmp_path / "submissions"
    (submissions / "nobody").mkdir(parents=True)
    (submissions / "nobody" / "notes.txt").write_text("no code")
    (submissions / "odd.tar").write_text("not a zip")
    code, stdout, stderr = grader("batch", str(submissions), "--out", str(tmp_path / "grades"), "--jobs", "1")
    assert code == 0, stdout + stderr
    rows = list(csv.DictReader((tmp_path / "grades" / "grades.csv").open(newline="")))
    assert {(r["student"], r["status"], r["total"]) for r in rows} == {("nobody", "error", "0"), ("odd.tar", "error", "0")}
    assert "no learndyn package" in (tmp_path / "grades" / "nobody" / "report.txt").read_text()


# ---- compare ----------------------------------------------------------------------------------------------

def test_compare_a_solved_task_shows_both_and_links_the_notes(tmp_path):
    generate(tmp_path, only={t.id for t in TASKS} - {"1.1"}, as_learner=True)
    _edit(tmp_path / "learndyn" / "tensor.py", "        return Tensor(self.data)\n",
          "        copy = Tensor(self.data)  # a new leaf\n        return copy\n")
    code, out, err = grader("compare", "1.1", "--target", str(tmp_path))
    assert code == 0, out + err
    assert "passes" in out and "-return Tensor(self.data)" in out and "+return copy" in out
    assert "the same as the reference" in out and re.search(r"docs/stage1\.md#[\w-]+", out)


def test_compare_an_unsolved_task_names_what_fails_and_shows_nothing_unless_asked(tmp_path):
    generate(tmp_path)
    code, out, err = grader("compare", "2.3", "--target", str(tmp_path))
    assert code == 1 and "does not pass yet" in out and "FAIL test_" in out and "--anyway" in out
    assert "reference  solutions/" not in out
    code, out, err = grader("compare", "2.3", "--target", str(tmp_path), "--anyway")
    assert code == 1 and "does not pass yet" in out and "reference  solutions/learndyn/tensor.py" in out
    code, out, err = grader("compare", "9.9")
    assert code == 2 and "unknown task" in err
