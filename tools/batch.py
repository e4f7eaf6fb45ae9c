"""Grade a class: ``python grader.py batch SUBMISSIONS --out DIR [--jobs N] [--regrade]``.

SUBMISSIONS holds one entry per student, a folder or a ``.zip`` in either layout that
``tools/submission.py`` reads; the entry's name (without ``.zip``) is the student's id.
Each student is graded in a fresh copy of the course's stubs with the submission's
modules placed over them, by one ``python grader.py all --format json`` subprocess: every
time limit, crash recovery and integrity check of a single run applies unchanged, and a
student's hang or crash costs that student the tests it breaks and nothing else.

Written to DIR:

* ``grades.csv``: ``student``, one column per task (the task's weight when it passes,
  else 0), ``total``, ``status``: ``ok``; ``error`` (not a package, or the run as a whole
  failed: the package did not import, a test file could not be loaded; see its report);
  ``timeout`` (a test hung, or the run overran its limit); ``withheld`` (the run's
  integrity failed: score 0).
* ``<student>/report.txt`` (task by task, the failures, the bug-zoo mistakes that fail the
  same tests) and ``<student>/results.json`` (the grader's JSON report).
* ``summary.md`` and ``summary.png``: the pass rate per task, the most failed test of each
  task and the bug-zoo mistakes that fail that test (``tools/class_summary.py``, with the map
  of ``tools/zoo_catches.py``).

A rerun skips a student whose submission, and the course's tests and grader, are unchanged
since the last grading (the hash is kept in ``<student>/grade.json``), unless that grade was
withheld or the grader could not run; ``--regrade`` grades everyone again.  While it runs, one line per student: students done of total, time
elapsed and an estimate of the time left.

Exit codes: 0 when the batch ran to the end (whatever the grades), 2 when it could not run,
130 when interrupted (Ctrl-C; the students graded so far are kept, the rest are graded next time).
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tools import integrity
from tools.class_summary import draw_summary, task_statistics, write_summary
from tools.curriculum import ROOT, Stage, Task, load_curriculum
from tools.submission import SubmissionError, place_submission
from tools.zoo_catches import load_zoo_map

GRADER = ROOT / "grader.py"
RUN_LIMIT = 900  # seconds for one student's grader (its own limit for the whole run is 600 s)
STOP_GRACE = 15  # seconds a grader gets to stop its tests after an interrupt, before it is killed
INTERRUPTED = 130  # the grader's exit code after Ctrl-C
SUMMARY_FILES = {"grades.csv", "summary.md", "summary.png"}
SHOWN_FAILURES = 3  # failing tests listed per task in a student's report
TIMEOUT_WORDS = ("timed out after", "did not finish within", "wall-clock limit")
_SCRATCH_COPY = r"[^\s\"']*learndyn-batch-[^/\s\"']+/copy/"  # the placed copy's path, as the grader writes it


class BatchError(ValueError):
    """The batch cannot run (no submissions folder, nothing in it); the message says why."""


# ---- submissions and hashes ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    student: str
    path: Path
    problem: str = ""  # why it cannot be graded before trying (not a folder or a zip, a duplicate id)


def find_entries(submissions: Path) -> list[Entry]:
    """One entry per student: every folder and every file of SUBMISSIONS but hidden ones and ``__MACOSX``."""
    if not submissions.is_dir():
        raise BatchError(f"{submissions} is not a folder of submissions (one folder or .zip per student)")
    found: dict[str, list[Path]] = {}
    for path in sorted(submissions.iterdir()):
        if path.name.startswith((".", "__MACOSX")):
            continue
        student = path.name[:-4] if path.is_file() and path.name.lower().endswith(".zip") else path.name
        found.setdefault(student, []).append(path)
    entries = []
    for student, paths in found.items():
        problem = ""
        if len(paths) > 1:
            problem = f"two submissions for {student}: {', '.join(p.name for p in paths)}"
        elif not (paths[0].is_dir() or paths[0].name.lower().endswith(".zip")):
            problem = f"{paths[0].name} is neither a folder nor a .zip"
        elif student in SUMMARY_FILES:
            problem = f"the id {student!r} is the name of a class file; rename the submission"
        entries.append(Entry(student, paths[0], problem))
    if not entries:
        raise BatchError(f"{submissions} holds no submissions (one folder or .zip per student)")
    return entries


def _hash_files(files: list[Path], base: Path, digest) -> None:
    for path in files:
        digest.update(path.relative_to(base).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def content_hash(path: Path) -> str:
    """SHA-256 of a submission: a zip's bytes, or a folder's files (names and contents; caches left out)."""
    digest = hashlib.sha256()
    if path.is_file():
        digest.update(path.read_bytes())
    elif path.is_dir():
        _hash_files(sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts), path, digest)
    return digest.hexdigest()


def course_hash() -> str:
    """SHA-256 of what decides a grade besides the submission: the files the grader checks itself against
    (``integrity.course_files``), their manifests, and the source of the stubs."""
    files = [*integrity.course_files(), integrity.MANIFEST, *sorted((ROOT / "solutions" / "learndyn").rglob("*.py"))]
    digest = hashlib.sha256()
    _hash_files([p for p in files if p.is_file() and "__pycache__" not in p.parts], ROOT, digest)
    return digest.hexdigest()


# ---- one student --------------------------------------------------------------------------------------------

@dataclass
class StudentGrade:
    student: str
    status: str  # ok, error, timeout, withheld
    points: dict[str, float] = field(default_factory=dict)  # task id -> points
    total: float = 0.0
    note: str = ""
    seconds: float = 0.0
    key: str = ""  # submission and course hashes: unchanged means no need to grade again
    graded: bool = False  # did the grader report on the tests (else there are no results to count)
    passed: list[str] = field(default_factory=list)  # the tasks that pass
    settled: bool = True  # False when a rerun must grade again (withheld, the grader could not run, interrupted)


def tasks_of(stages: list[Stage]) -> list[Task]:
    return [task for stage in stages if stage.built for task in stage.tasks]


def run_grader(copy: Path, results: Path, timeout: int | None, limit: float = RUN_LIMIT) -> tuple[int | None, str]:
    """``python grader.py all`` on ``copy``, JSON to ``results``: (exit code, or None when stopped at ``limit``; stderr)."""
    command = [sys.executable, str(GRADER), "all", "--target", str(copy), "--format", "json", "--out", str(results)]
    if timeout:
        command += ["--timeout", str(timeout)]
    env = dict(os.environ, NO_COLOR="1")
    env.pop("LEARNDYN_TARGET", None)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, errors="replace")
    try:
        _, error = process.communicate(timeout=limit)
        return process.returncode, error
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGINT)  # the grader stops its tests' process group, then ends
        try:
            process.communicate(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
        return None, ""


def status_of(results: dict) -> str:
    if results.get("withheld"):
        return "withheld"
    problem = results.get("problem") or ""
    if any(word in problem for word in TIMEOUT_WORDS):
        return "timeout"
    if problem:
        return "error"
    messages = (f.get("message", "") for s in results.get("stages", []) for t in s.get("tasks", [])
                for f in t.get("failures", []))
    return "timeout" if any(any(word in m for word in TIMEOUT_WORDS) for m in messages) else "ok"


def points_of(results: dict, tasks: list[Task]) -> dict[str, float]:
    if results.get("withheld"):
        return {task.id: 0.0 for task in tasks}
    passed = {t["id"] for s in results.get("stages", []) for t in s.get("tasks", []) if t.get("passed")}
    return {task.id: task.weight if task.id in passed else 0.0 for task in tasks}


def grade_student(entry: Entry, out: Path, tasks: list[Task], key: str, timeout: int | None,
                  zoo: dict[str, list[str]]) -> StudentGrade:
    """Place, grade, and write the student's results.json, report.txt and grade.json."""
    folder = out / entry.student
    folder.mkdir(parents=True, exist_ok=True)
    for stale in ("results.json", "report.txt", "grade.json"):
        (folder / stale).unlink(missing_ok=True)
    started = time.monotonic()
    grade = StudentGrade(entry.student, "error", {task.id: 0.0 for task in tasks}, key=key)
    results: dict = {}
    if entry.problem:
        grade.note = entry.problem
    else:
        with tempfile.TemporaryDirectory(prefix="learndyn-batch-") as scratch:
            try:
                copy = place_submission(entry.path, Path(scratch) / "copy")
            except SubmissionError as error:
                grade.note = str(error)
            else:
                returncode, error = run_grader(copy, Path(scratch) / "results.json", timeout)
                try:
                    text = (Path(scratch) / "results.json").read_text(encoding="utf-8")
                    results = json.loads(re.sub(_SCRATCH_COPY, "", text))  # learndyn/tensor.py:12, not /tmp/...
                    results["target"] = str(entry.path)
                except (OSError, ValueError):
                    results = {}
                if returncode is None:
                    grade.status, grade.note = "timeout", f"the grader was stopped after {RUN_LIMIT} s"
                elif returncode == INTERRUPTED:  # Ctrl-C reached the grader too: grade this student next time
                    grade.note, grade.settled = "interrupted", False
                elif returncode == 2 or not results:
                    tail = error.strip().splitlines()[-1:] or [f"exit code {returncode}"]
                    grade.note, grade.settled = f"the grader could not run: {tail[0]}", False
                else:
                    grade.graded = True
                    grade.status = status_of(results)
                    grade.points = points_of(results, tasks)
                    grade.passed = [t["id"] for s in results.get("stages", []) for t in s.get("tasks", [])
                                    if t.get("passed") and not results.get("withheld")]
                    grade.note = results.get("withheld") or results.get("problem") or ""
                    grade.settled = grade.status != "withheld"  # the course's files may be at fault: try again
    grade.total = sum(grade.points.values())
    grade.seconds = time.monotonic() - started
    (folder / "results.json").write_text(json.dumps(results or {"problem": grade.note}, indent=2) + "\n", encoding="utf-8")
    (folder / "report.txt").write_text(student_report(grade, results, tasks, zoo), encoding="utf-8")
    (folder / "grade.json").write_text(json.dumps(asdict(grade), indent=2) + "\n", encoding="utf-8")
    return grade


def load_grade(folder: Path) -> StudentGrade | None:
    try:
        return StudentGrade(**json.loads((folder / "grade.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _points(value: float) -> str:
    return f"{value:g}"


def student_report(grade: StudentGrade, results: dict, tasks: list[Task], zoo: dict[str, list[str]]) -> str:
    """The text report of one student: task by task, then the first failures of each failing task."""
    weights = sum(task.weight for task in tasks)
    lines = [f"learndyn: {grade.student}", f"status {grade.status}, {_points(grade.total)} of {_points(weights)} points",
             *([f"note: {grade.note}".replace("\n", "\n      ")] if grade.note else []), ""]
    failing = []
    for stage in results.get("stages", []):
        graded = stage.get("tasks", [])
        done = sum(t.get("passed", False) for t in graded)
        lines.append(f"{stage['name']}  {stage.get('title', '')}  {done}/{len(graded)} tasks")
        for task in graded:
            mark = " ok " if task.get("passed") else "FAIL"
            points = _points(grade.points.get(task["id"], 0.0))
            lines.append(f"  {mark} {task['id']:<5} {task.get('title', ''):<44} {task.get('tests_passed', 0)}/"
                         f"{task.get('tests', 0)} tests  {points} pt")
            if not task.get("passed"):
                failing.append(task)
    for task in failing:
        failures = task.get("failures", [])
        if not failures:
            continue
        lines += ["", f"task {task['id']} {task.get('title', '')}: {len(failures)} test(s) fail"]
        for failure in failures[:SHOWN_FAILURES]:
            message = (failure.get("message") or failure.get("outcome", "")).strip().splitlines() or [""]
            lines.append(f"  {failure.get('test', '')}")
            lines += [f"    {line}" for line in message[:6]]
            if failure.get("location"):
                lines.append(f"    at {failure['location']}")
            if zoo.get(failure.get("test", "")):
                lines.append(f"    a typical mistake that fails this test: {'; '.join(zoo[failure['test']][:3])}")
        if len(failures) > SHOWN_FAILURES:
            lines.append(f"  ... and {len(failures) - SHOWN_FAILURES} more")
    return "\n".join(lines) + "\n"


# ---- the class ----------------------------------------------------------------------------------------------

def write_grades(out: Path, tasks: list[Task], grades: list[StudentGrade]) -> None:
    with (out / "grades.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", *(task.id for task in tasks), "total", "status"])
        for grade in grades:
            writer.writerow([grade.student, *(_points(grade.points.get(task.id, 0.0)) for task in tasks),
                             _points(grade.total), grade.status])


class Progress:
    """One line per student: students done of total, time elapsed, an estimate of the time left."""

    def __init__(self, total: int, stream=sys.stderr):
        self.total, self.done, self.graded, self.stream = total, 0, 0, stream
        self.started = time.monotonic()
        self.interactive = hasattr(stream, "isatty") and stream.isatty()

    @staticmethod
    def _clock(seconds: float) -> str:
        return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"

    def advance(self, grade: StudentGrade, skipped: bool = False) -> None:
        self.done += 1
        self.graded += not skipped
        elapsed = time.monotonic() - self.started
        left = elapsed / self.graded * (self.total - self.done) if self.graded else 0.0
        what = "unchanged since the last batch, kept" if skipped else f"{grade.status}, {_points(grade.total)} points"
        line = (f"batch: {self.done}/{self.total} students, {self._clock(elapsed)} elapsed, "
                f"about {self._clock(left)} left ({grade.student}: {what})")
        print(f"\r\033[K{line}" if self.interactive else line, end="" if self.interactive else "\n",
              file=self.stream, flush=True)

    def close(self) -> None:
        if self.interactive:
            print(file=self.stream)


def batch(submissions: Path, out: Path, jobs: int | None = None, regrade: bool = False,
          timeout: int | None = None) -> int:
    stages = [s for s in load_curriculum() if s.built]
    tasks = tasks_of(stages)
    entries = find_entries(submissions)
    out.mkdir(parents=True, exist_ok=True)
    jobs = max(1, jobs or os.cpu_count() or 1)
    course = course_hash()
    zoo, zoo_note = load_zoo_map()
    progress = Progress(len(entries))
    grades: dict[str, StudentGrade] = {}
    to_grade = []
    for entry in entries:
        key = f"{content_hash(entry.path)}:{course}"
        previous = load_grade(out / entry.student)
        if not regrade and previous is not None and previous.key == key and previous.settled and not entry.problem:
            grades[entry.student] = previous
            progress.advance(previous, skipped=True)
        else:
            to_grade.append((entry, key))
    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = {pool.submit(grade_student, entry, out, tasks, key, timeout, zoo): entry for entry, key in to_grade}
        for future in as_completed(futures):
            grade = future.result()
            grades[grade.student] = grade
            progress.advance(grade)
    except KeyboardInterrupt:  # the graders got the same Ctrl-C and stop their tests; start no more
        pool.shutdown(wait=True, cancel_futures=True)
        progress.close()
        print("batch: interrupted; the students graded so far are kept", file=sys.stderr)
        return INTERRUPTED
    finally:
        pool.shutdown(wait=True)
    progress.close()
    ordered = [grades[entry.student] for entry in entries]
    write_grades(out, tasks, ordered)
    statistics = task_statistics(tasks, ordered, out, zoo)
    drawn = draw_summary(out / "summary.png", statistics, sum(g.graded for g in ordered))
    write_summary(out, ordered, statistics, zoo_note, drawn)
    counts = ", ".join(f"{n} {s}" for s in ("ok", "error", "timeout", "withheld")
                       if (n := sum(g.status == s for g in ordered)))
    print(f"graded {len(ordered)} students ({counts}) in {time.monotonic() - progress.started:.0f} s: "
          f"{out / 'grades.csv'}, {out / 'summary.md'}" + (f", {out / 'summary.png'}" if drawn else ""))
    return 0
