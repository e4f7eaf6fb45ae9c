"""Run the stage tests in pytest subprocesses and turn their results into per-task grades.

The subprocess is the isolation: whatever the graded code does (loop forever,
call ``sys.exit`` or ``os._exit``, crash, recurse without end, print megabytes),
this process survives, reads the results written so far (``tools/runner.py``
supervises the children and resumes after a test that took one down) and says
what happened, in sentences made of sanitised text.  Standard library only.
"""
from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tools.curriculum import ROOT, Stage, Task
from tools.integrity import Canary, changed_since_loaded, expected_test_ids, pytest_own_outcomes
from tools.markers import definition_line, enclosing_name, parse_stub_message, region_starts
from tools.runner import Pass, describe_exit, learner_frames, run_until_done
from tools.sanitize import clean

PER_TEST_TIMEOUT = 10  # seconds; the reference's slowest stage test takes ~3 s (longer ones state their budget)
WALL_CLOCK_LIMIT = 600  # seconds for one whole grading run, every resumed pass included
OUTPUT_TAIL = 2000  # characters of a crashed run's output to show


@dataclass
class TestResult:
    nodeid: str
    task: str
    outcome: str  # passed, failed, error (setup/teardown failed), skipped, missing (never reported)
    message: str = ""
    location: str = ""  # file:line in name, where in the graded code it failed (if it did there)
    output: str = ""  # what the test printed (stdout and stderr), capped
    duration: float = 0.0  # seconds


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
    withheld: str = ""  # why the run's integrity failed (the grade must not be trusted), if it did
    environment_error: str = ""  # pytest could not run at all for a reason that is not the learner's code
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
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8:backslashreplace")
    env.pop("LEARNDYN_TARGET", None)
    with tempfile.TemporaryDirectory(prefix="learndyn-grade-") as scratch:
        canary = Canary.write(Path(scratch))
        command = [sys.executable, "-m", "pytest", *folders, str(canary.path), f"--target={root}", f"--rootdir={ROOT}",
                   "-c", str(ROOT / "pyproject.toml"), "-v", "--no-header", "-p", "no:cacheprovider",
                   "-p", "no:faulthandler", "-p", "tools.pytest_watchdog", "--tb=no", f"--timeout={per_test_timeout}",
                   "-o", "console_output_style=classic", "--continue-on-collection-errors", *extra_args]
        passes = run_until_done(command, env, ROOT, Path(scratch), root, wall_clock_limit,
                                resume=not stop_at_first_failure)
    report = RunReport(root, grades, seconds=time.monotonic() - started)
    results = [event for run in passes for event in run.events] + \
        [crash for run in passes if (crash := _crash_result(run, root))]
    results += _unloaded_test_results(results, set(grades))
    _apply_events(report, [e for e in results if not canary.is_canary(str(e.get("nodeid", "")))])
    _explain_run(report, passes, unrun_expected=stop_at_first_failure)
    partial = "--collect-only" in extra_args or stop_at_first_failure  # the canary (run last) may not be reached
    report.withheld = "; ".join(_integrity_problems(passes, canary, set(grades), partial))
    return report


def _unloaded_test_results(events: list[dict], tasks: set[str]) -> list[dict]:
    """A failed result for each course test in a test file that could not be loaded (the others still run)."""
    expected = expected_test_ids(tasks)
    found = []
    for error in (e for e in events if e.get("event") == "collect-error"):
        prefix = f"{error.get('nodeid', '')}::"
        message = f"not run: its test file could not be loaded: {error.get('message', '')}"
        found += [{"event": "result", "nodeid": nodeid, "task": task, "when": "setup", "outcome": "failed",
                   "message": message, "location": error.get("location", "")}
                  for nodeid, task in expected.items() if nodeid.startswith(prefix)]
    return found


def _integrity_problems(passes: list[Pass], canary: Canary, tasks: set[str], partial: bool) -> list[str]:
    """Why the results of these passes cannot be trusted (see ``tools/integrity.py``); [] when they can."""
    problems = []
    forged = sum(run.forged for run in passes)
    if forged:
        problems.append(f"{forged} line(s) in the results channel were not written by the test harness")
    events = [event for run in passes for event in run.events]
    collected = {t.get("nodeid", "") for e in events if e.get("event") == "collected" for t in e.get("tests", [])}
    if not any(e.get("event") == "collected" for e in events):
        return problems  # nothing ran (an import error): there is no grade to withhold
    expected = set(expected_test_ids(tasks))
    unloaded = {e.get("nodeid") for e in events if e.get("event") == "collect-error"}
    graded = {nodeid for nodeid in collected if not canary.is_canary(nodeid)}
    graded |= {nodeid for nodeid in expected if nodeid.partition("::")[0] in unloaded}
    if expected and graded != expected:
        missing, extra = expected - graded, graded - expected
        problems.append(f"the tests collected are not the course's ({len(missing)} missing, {len(extra)} not in the course"
                        + (f", e.g. {sorted(missing or extra)[0]}" if missing or extra else "") + ")")
    loaded = {path: sha for e in events if e.get("event") == "collected" for path, sha in e.get("modules", {}).items()
              if Path(path).resolve().is_relative_to(ROOT / "tests")}
    changed = changed_since_loaded(loaded)
    if changed:
        problems.append(f"test files pytest loaded differ from what they hold after the run (rewritten and restored?): "
                        f"{', '.join(relative_path(path) for path in changed[:3])}")
    if partial:
        return problems
    canary_results = [e for e in events if e.get("event") == "result" and canary.is_canary(str(e.get("nodeid", "")))]
    if any(e.get("nodeid") in collected for e in canary_results) or any(canary.is_canary(n) for n in collected):
        if not canary_results or any(e.get("outcome") != "failed" for e in canary_results):
            problems.append("the canary test, which must fail, did not fail: the test machinery was changed")
    else:
        problems.append("the canary test was not collected: the test machinery was changed")
    for run in passes:
        own = pytest_own_outcomes(run.full_output)
        for event in run.events:
            if event.get("event") == "result" and event.get("outcome") == "passed" and event.get("when") == "call":
                theirs = own.get(event.get("nodeid", ""), set())
                if theirs & {"FAILED", "ERROR"} or (run.finished and "PASSED" not in theirs):
                    problems.append(f"pytest's own report disagrees with the results channel about {event.get('nodeid')}")
                    return problems
    return problems


def _crash_result(run: Pass, root: Path) -> dict | None:
    """A result for the test a child died in (crash or hang), in words, with the learner's file:line."""
    if run.running is None:
        return None
    frames = learner_frames(run.dump, root)
    where = str(frames[0]) if frames else ""
    budget = float(run.running.get("budget") or 0)
    if run.hung:
        what = f"did not finish within {budget:g} s (an infinite loop?) and was stopped"
        if not frames:
            what += "; it was not in your code's Python lines (a loop in C, or time.sleep?)"
    elif run.returncode is not None and run.returncode < 0:
        what = f"crashed the Python process: {describe_exit(run.returncode)}"
    else:
        what = (f"ended the Python process ({describe_exit(run.returncode)}): did the code call os._exit(), "
                "or exhaust memory?")
    return {"event": "result", "nodeid": run.running["nodeid"], "task": run.running.get("task"), "when": "call",
            "outcome": "failed", "message": f"this test {what}", "location": where, "output": ""}


def _apply_events(report: RunReport, events: list[dict]) -> None:
    outcomes: dict[str, TestResult] = {}
    tasks: dict[str, str] = {}
    for event in events:
        if event.get("event") == "collected":
            for test in event["tests"]:
                tasks[test["nodeid"]] = test["task"]
                outcomes.setdefault(test["nodeid"], TestResult(test["nodeid"], test["task"], "missing"))
        elif event.get("event") == "result":
            nodeid = event.get("nodeid", "")
            previous = outcomes.get(nodeid)
            if previous is not None and previous.outcome in ("failed", "error"):
                continue  # keep the first failure (a teardown error after a failed call adds nothing)
            outcome = event.get("outcome", "failed")
            if event.get("when") != "call" and outcome == "failed":
                outcome = "error"
            task = event.get("task") or tasks.get(nodeid)
            outcomes[nodeid] = TestResult(nodeid, task, outcome, _explain_message(clean(event.get("message", ""))),
                                          relative_location_text(clean(event.get("location", ""), 500)),
                                          clean(event.get("output", "")), _seconds(event.get("duration")))
    for result in outcomes.values():
        if result.task in report.grades:
            report.grades[result.task].results.append(result)


def _seconds(value) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 else 0.0


def _explain_message(message: str) -> str:
    """Make pytest's words (and Python's) for common faults speak to the learner."""
    timeout = re.search(r"Timeout \(?>?([\d.]+)s", message)
    if timeout:
        return f"timed out after {float(timeout.group(1)):g} s: an infinite loop, or a loop over elements that should be one NumPy call?"
    watchdog = re.match(r"(?:[\w.]+\.)?(?:CallsAHungFunction|LearnerKeyboardInterrupt): ", message)
    if watchdog:  # tools/pytest_watchdog.py already speaks to the learner
        return message[watchdog.end():]
    if "RecursionError" in message:
        return message + " (infinite recursion: does a function call itself without end?)"
    if message.startswith("SystemExit") or "SystemExit" in message.split(":")[0]:
        return "the code called sys.exit() (or exit()); a library function must return or raise, never exit"
    return message


def relative_location_text(text: str) -> str:
    """``/abs/path/file.py:12 in name`` with the path made relative to the project."""
    location, _, name = text.partition(" in ")
    return relative_location(location) + (f" in {name}" if name else "")


def _explain_run(report: RunReport, passes: list[Pass], unrun_expected: bool = False) -> None:
    """Say why the run as a whole could not grade everything (if it could not)."""
    events = [event for run in passes for event in run.events]
    last = passes[-1]
    output = last.output
    tail = output if len(output) <= OUTPUT_TAIL else \
        f"[... {len(output) - OUTPUT_TAIL} earlier characters of output cut ...]\n" + output[-OUTPUT_TAIL:]
    import_errors = [e for e in events if e.get("event") == "import-error"]
    collect_errors = [e for e in events if e.get("event") == "collect-error"]
    missing = [r for g in report.grades.values() for r in g.results if r.outcome == "missing"]
    frames = learner_frames(last.dump, report.target)
    if import_errors:
        error = import_errors[0]
        report.problem = f"your learndyn could not be imported: {_explain_message(clean(error.get('message', ''), 1000))}"
        report.problem_location = clean(error.get("location", ""), 500)
    elif collect_errors:
        error = collect_errors[0]
        report.problem = (f"{len(collect_errors)} test file(s) could not be loaded, so their tests count as failed "
                          f"(the others ran): {clean(error.get('nodeid'))}: {clean(error.get('message', ''), 1000)}")
        report.problem_location = clean(error.get("location", ""), 500)
    elif not last.collected and last.hung:
        report.problem = "importing your learndyn (or loading the tests) did not finish: an infinite loop at import?"
        report.problem_location = f"{frames[0].file}:{frames[0].line}" if frames else ""
    elif not last.collected and last.returncode in (3, 4) and not frames and "learndyn" not in last.output:
        report.environment_error = ("pytest could not start the tests (" + describe_exit(last.returncode) + "): "
                                    + clean(last.output.strip().splitlines()[-1] if last.output.strip() else "", 500))
        return
    elif not last.collected:
        report.problem = (f"the test run ended before any test ran ({describe_exit(last.returncode)}): "
                          "did the code call os._exit() or crash the interpreter while being imported?")
        report.problem_location = f"{frames[0].file}:{frames[0].line}" if frames else ""
    elif last.killed == "wall-clock limit":
        report.problem = "the tests were stopped at the wall-clock limit of the whole run; the rest were not run"
    elif missing and not unrun_expected:
        report.problem = (f"the test process ended {len(passes)} times; {len(missing)} test(s) could not be run "
                          f"({describe_exit(last.returncode)})")
    if report.problem:
        report.output_tail = clean(tail, OUTPUT_TAIL + 100)
        for result in missing:
            result.outcome, result.message = "error", f"not run: {report.problem}"


def learner_modules(root: Path) -> list[Path]:
    """The package's ``.py`` files under ``root``, leaving out what is not a readable module
    (an editor's lock file ``.#tensor.py``, a dangling symlink, a cache)."""
    package = root / "learndyn"
    if not package.is_dir():
        return []
    return sorted(p for p in package.rglob("*.py")
                  if p.is_file() and not p.name.startswith((".#", "._")) and "__pycache__" not in p.parts)


def _learner_files(root: Path, task: Task) -> list[Path]:
    """The task's files in the graded copy, then every other module of the package."""
    named = [root / name for name in task.files]
    rest = [p for p in learner_modules(root) if p not in named]
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
        return f"{relative_path(chosen[1])}:{chosen[2]}"
    for path in files:
        index = definition_line(_read_lines(path), function) if function else None
        if index is not None:
            return f"{relative_path(path)}:{index + 1}"
    return relative_path(files[0]) if files else relative_path(root / task.files[0])


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


def relative_path(path: Path | str) -> str:
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
    return f"{relative_path(file)}:{line}"
