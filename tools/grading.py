"""Run the stage tests in a pytest subprocess and turn its results into per-task grades.

The subprocess is the isolation: whatever the graded code does (loop forever,
call ``sys.exit`` or ``os._exit``, recurse without end, print megabytes), this
process survives, reads the results that were written so far (one JSON line
per test, see ``tests/conftest.py``) and says what happened.  Standard library only.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tools.curriculum import ROOT, Stage, Task
from tools.markers import definition_line, enclosing_name, parse_stub_message, region_starts

PER_TEST_TIMEOUT = 30  # seconds; the reference's slowest test takes ~5 s
WALL_CLOCK_LIMIT = 300  # seconds for one whole grading run
OUTPUT_TAIL = 2000  # characters of a crashed run's output to show


@dataclass
class TestResult:
    nodeid: str
    task: str
    outcome: str  # passed, failed, error (setup/teardown failed), skipped, missing (never reported)
    message: str = ""
    location: str = ""  # file:line in name, where in the graded code it failed (if it did there)
    output: str = ""  # what the test printed (stdout and stderr), capped


@dataclass
class TaskGrade:
    task: Task
    results: list[TestResult] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(r.outcome == "passed" for r in self.results)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def ok(self) -> bool:
        return self.total > 0 and self.passed == self.total

    @property
    def first_failure(self) -> TestResult | None:
        return next((r for r in self.results if r.outcome != "passed"), None)


@dataclass
class RunReport:
    """Everything one grading run found out."""

    target: Path
    grades: dict[str, TaskGrade]  # task id -> grade
    problem: str = ""  # why the run as a whole failed (import error, crash, time limit), if it did
    problem_location: str = ""
    output_tail: str = ""
    seconds: float = 0.0

    def stage_grades(self, stage: Stage) -> list[TaskGrade]:
        return [self.grades[t.id] for t in stage.tasks if t.id in self.grades]


def target_root(solutions: bool, target: str | None = None) -> Path:
    if target:
        return Path(target).resolve()
    return ROOT / ("solutions" if solutions else "exercises")


def task_test_files(stage: Stage, task: Task) -> list[Path]:
    """The test modules of ``task`` (``test_2_03_*.py`` for task 2.3), by the naming convention."""
    number = int(task.id.split(".")[1])
    return sorted((ROOT / stage.tests).glob(f"test_{stage.number}_{number:02d}_*.py"))


def run_tests(stages: list[Stage], root: Path, extra_args: list[str] | None = None,
              per_test_timeout: int = PER_TEST_TIMEOUT, wall_clock_limit: int = WALL_CLOCK_LIMIT,
              stop_at_first_failure: bool = False, tasks: list[str] | None = None) -> RunReport:
    """Grade ``stages`` (or only the ``tasks`` of them) against the learndyn under ``root``.

    ``tasks`` runs only those tasks' test modules, which is what makes grading one
    task take about a second.  ``stop_at_first_failure`` (pytest's ``-x``) leaves the
    remaining tests unrun, which is then expected rather than a sign of a crash.
    """
    extra_args = [*(extra_args or []), *(["-x"] if stop_at_first_failure else [])]
    grades = {task.id: TaskGrade(task) for stage in stages for task in stage.tasks if tasks is None or task.id in tasks}
    if tasks is None:
        folders = [str(ROOT / stage.tests) for stage in stages if (ROOT / stage.tests).is_dir()]
    else:
        chosen = [(stage, task) for stage in stages for task in stage.tasks if task.id in tasks]
        files = [str(path) for stage, task in chosen for path in task_test_files(stage, task)]
        # A task whose tests do not follow the naming convention is found by its marker in the whole folder.
        folders = files if all(task_test_files(stage, task) for stage, task in chosen) else \
            sorted({str(ROOT / stage.tests) for stage, _ in chosen})
        extra_args += [argument for task in tasks for argument in ("--task", task)]
    started = time.monotonic()
    if not folders:
        return RunReport(root, grades)
    with tempfile.TemporaryDirectory(prefix="learndyn-grade-") as scratch:
        results_file = Path(scratch) / "results.jsonl"
        command = [sys.executable, "-m", "pytest", *folders, f"--target={root}", "-q", "--no-header",
                   "-p", "no:cacheprovider", "--tb=no", f"--timeout={per_test_timeout}", "-o", "console_output_style=classic",
                   *extra_args]
        env = dict(os.environ, LEARNDYN_RESULTS=str(results_file), PYTHONDONTWRITEBYTECODE="1")
        env.pop("LEARNDYN_TARGET", None)
        problem = ""
        try:
            completed = subprocess.run(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                                       text=True, errors="replace", timeout=wall_clock_limit)
            output, returncode = completed.stdout + completed.stderr, completed.returncode
        except subprocess.TimeoutExpired as expired:
            output = _text(expired.stdout) + _text(expired.stderr)
            returncode = None
            problem = f"the test run was stopped after the wall-clock limit of {wall_clock_limit} s (an infinite loop?)"
        events = _read_events(results_file)
    report = RunReport(root, grades, seconds=time.monotonic() - started)
    _apply_events(report, events)
    _explain_run(report, events, output, returncode, problem, unrun_expected=stop_at_first_failure)
    return report


def _text(value) -> str:
    if value is None:
        return ""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _read_events(path: Path) -> list[dict]:
    if not path.exists():
        return []
    events = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:  # a line cut short by a crash
            continue
    return events


def _apply_events(report: RunReport, events: list[dict]) -> None:
    outcomes: dict[str, TestResult] = {}
    for event in events:
        if event.get("event") == "collected":
            for test in event["tests"]:
                outcomes[test["nodeid"]] = TestResult(test["nodeid"], test["task"], "missing")
        elif event.get("event") == "result":
            previous = outcomes.get(event["nodeid"])
            if previous is not None and previous.outcome in ("failed", "error"):
                continue  # keep the first failure (a teardown error after a failed call adds nothing)
            outcome = event["outcome"]
            if event["when"] != "call" and outcome == "failed":
                outcome = "error"
            outcomes[event["nodeid"]] = TestResult(event["nodeid"], event["task"], outcome,
                                                   _explain_message(event["message"]), relative_location_text(event["location"]),
                                                   event.get("output", ""))
    for result in outcomes.values():
        if result.task in report.grades:
            report.grades[result.task].results.append(result)


def _explain_message(message: str) -> str:
    """Make pytest's words (and Python's) for common faults speak to the learner."""
    timeout = re.search(r"Timeout \(?>?([\d.]+)s", message)
    if timeout:
        return f"timed out after {float(timeout.group(1)):g} s: an infinite loop, or a loop over elements that should be one NumPy call?"
    if "RecursionError" in message:
        return message + " (infinite recursion: does a function call itself without end?)"
    if message.startswith("SystemExit") or "SystemExit" in message.split(":")[0]:
        return "the code called sys.exit() (or exit()); a library function must return or raise, never exit"
    return message


def relative_location_text(text: str) -> str:
    """``/abs/path/file.py:12 in name`` with the path made relative to the project."""
    location, _, name = text.partition(" in ")
    return relative_location(location) + (f" in {name}" if name else "")


def _explain_run(report: RunReport, events: list[dict], output: str, returncode, problem: str,
                 unrun_expected: bool = False) -> None:
    tail = output[-OUTPUT_TAIL:]
    if len(output) > OUTPUT_TAIL:
        tail = f"[... {len(output) - OUTPUT_TAIL} earlier characters of output cut ...]\n" + tail
    import_errors = [e for e in events if e.get("event") == "import-error"]
    stopped = [e for e in events if e.get("event") == "stopped"]
    collect_errors = [e for e in events if e.get("event") == "collect-error"]
    collected = any(e.get("event") == "collected" for e in events)
    missing = [r for g in report.grades.values() for r in g.results if r.outcome == "missing"]
    if import_errors:
        error = import_errors[0]
        report.problem = f"your learndyn could not be imported: {_explain_message(error['message'])}"
        report.problem_location = error["location"]
    elif collect_errors:
        error = collect_errors[0]
        report.problem = f"a test file could not be loaded ({error['nodeid']}): {error['message']}"
        report.problem_location = error["location"]
    elif problem:
        report.problem = problem
    elif stopped:
        report.problem = (f"a test timed out (an infinite loop?) in {relative_location_text(stopped[0]['location'])}; "
                          "the remaining tests were not run")
    elif not collected or (missing and not unrun_expected):
        last = next((e["nodeid"] for e in reversed(events) if e.get("event") == "result"), None)
        where = f" during or right after {last}" if last else " before any test ran"
        report.problem = (f"the test run ended abruptly{where} (exit code {returncode}): "
                          "did the code call os._exit(), crash the interpreter, or exhaust memory?")
    if report.problem:
        report.output_tail = tail
        for result in missing:
            result.outcome, result.message = "error", f"not run: {report.problem}"


def _learner_files(root: Path, task: Task) -> list[Path]:
    """The task's files in the graded copy, then every other module of the package."""
    named = [root / name.strip() for name in task.file.split(",")]
    rest = sorted(p for p in (root / "learndyn").rglob("*.py") if p not in named)
    return [p for p in named if p.is_file()] + rest


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
    except OSError:
        return []


def task_location(root: Path, task: Task, function: str = "") -> str:
    """Where the learner edits ``task`` (``function`` of it, if named): ``file:line`` relative to the project.

    The line of the stub while it is there; once it is gone, the first line of the
    learner's region (``# --- your code for task 2.3 ---``), and if those marker
    lines were deleted, the ``def`` line of the function.  Only the file, with no
    line, when none of these can be found.
    """
    files = _learner_files(root, task)
    candidates = []  # (is this the function?, file, line number)
    for path in files:
        lines = _read_lines(path)
        for index, indent, region_task in region_starts(lines):
            if region_task == task.id:
                candidates.append((enclosing_name(lines, index, indent) == function, path, index + 2))
    if candidates:
        chosen = next((c for c in candidates if c[0]), candidates[0])
        return f"{_relative(chosen[1])}:{chosen[2]}"
    for path in files:
        index = definition_line(_read_lines(path), function) if function else None
        if index is not None:
            return f"{_relative(path)}:{index + 1}"
    return _relative(files[0]) if files else _relative(root / task.file.split(",")[0].strip())


def failing_function(result: TestResult, root: Path, task: Task) -> str:
    """The dotted name of the function of ``task`` that ``result`` failed in, or ``""`` when unsure.

    From the stub's message when the test stopped in a stub of this task; else from
    the line of the learner's code where it failed; else (an assertion of the test
    about a value the code returned) from the one function of the task that the
    test's name mentions (``test_forward_matches_numpy[exp-3x4]``: ``Tensor.exp``).
    """
    stub = parse_stub_message(result.message)
    if stub is not None:
        return stub.function if stub.task == task.id else ""
    location, _, _ = result.location.partition(" in ")
    file, _, line = location.rpartition(":")
    path = Path(file) if Path(file).is_absolute() else ROOT / file
    if line.isdigit() and path.resolve().is_relative_to(root.resolve()):
        lines = _read_lines(path)
        index = int(line) - 1
        if 0 <= index < len(lines):
            return enclosing_name(lines, index)
    words = set(re.findall(r"[a-z0-9]+", result.nodeid.rpartition("::")[2].lower()))
    named = [h.function for h in task.hints
             if any(part.strip("_").lower() in words for part in h.function.split(".") if part not in ("Tensor", "backward"))]
    return named[0] if len(named) == 1 else ""


def _relative(path: Path | str) -> str:
    path = Path(path)
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def relative_location(location: str) -> str:
    """A ``file:line`` shown relative to the project root when it lies inside it."""
    if not location or ":" not in location:
        return location
    file, _, line = location.rpartition(":")
    return f"{_relative(file)}:{line}"
