"""Render a grading run: for people (text) and for autograders (json, gradescope, exercism, junit)."""
from __future__ import annotations

import ast
import json
import os
import sys
from pathlib import Path
from xml.etree import ElementTree

from tools.curriculum import ROOT, Stage, load_curriculum
from tools.grading import RunReport, TaskGrade, failing_function, relative_location, task_location
from tools.markers import parse_stub_message

MAX_OUTPUT = 1500  # characters of a failure message in autograder formats


class Style:
    """ANSI colour only for a terminal, and never with NO_COLOR set (https://no-color.org)."""

    def __init__(self, stream=sys.stdout):
        self.enabled = hasattr(stream, "isatty") and stream.isatty() and "NO_COLOR" not in os.environ

    def _wrap(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.enabled else text

    def good(self, text: str) -> str:
        return self._wrap("32", text)

    def bad(self, text: str) -> str:
        return self._wrap("31", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def bold(self, text: str) -> str:
        return self._wrap("1", text)


def bar(done: int, total: int, width: int = 20) -> str:
    filled = round(width * done / total) if total else 0
    return "[" + "#" * filled + "-" * (width - filled) + "]"


def _truncate(text: str, limit: int = MAX_OUTPUT) -> str:
    return text if len(text) <= limit else text[:limit] + f"\n[... {len(text) - limit} more characters cut ...]"


def describe_failure(grade: TaskGrade, report: RunReport, style: Style) -> list[str]:
    """The first failing test of a task in full: where to edit, what failed, what the code printed, the hint."""
    task, failure = grade.task, grade.first_failure
    function = failing_function(failure, report.target, task) if failure else ""
    lines = [style.bold(f"Next: task {task.id} {task.title}"),
             f"  edit   {task_location(report.target, task, function)}  ({function or task.function})"]
    stub = parse_stub_message(failure.message) if failure else None
    if stub is not None and stub.task != task.id:
        lines.append(style.bad(f"  first  this test stops in the stub of task {stub.task} ({stub.function}), which it builds on: "
                               f"do task {stub.task} first"))
    if failure is not None:
        lines.append(f"  test   {failure.nodeid}")
        if failure.location:
            lines.append(f"  at     {failure.location}")
        message = failure.message.strip().replace("\n", "\n         ")
        lines.append(f"  error  {_truncate(message, 800)}")
        if failure.output.strip():
            printed = _truncate(failure.output.rstrip(), 800).replace("\n", "\n         ")
            lines.append(f"  output {printed}")
    lines.append(f"  hint   {task.hint_for(function).hint}")
    lines.append(f"  more   python grader.py hint {task.id} --more")
    return lines


def render_text(stages: list[Stage], report: RunReport, verbose: bool, progress_only: bool, style: Style,
                details: bool = True) -> str:
    """The learner's view: stages (or the one task graded), tasks in order, and the first failing task
    in full (or, without ``details``, named in one line)."""
    copy = {"solutions": "the reference, solutions/", "exercises": "your copy, exercises/"}.get(report.target.name, str(report.target))
    lines = [f"learndyn grader: grading {copy}", ""]
    if report.withheld:
        lines += [style.bad("Grade withheld: this run's integrity checks failed, so its results cannot be trusted:"),
                  f"  {report.withheld}", ""]
    if report.problem:
        lines += [style.bad("Not every test could run:"), f"  {report.problem}"]
        if report.problem_location:
            lines.append(f"  at {relative_location(report.problem_location)}")
        if verbose and report.output_tail:
            lines += ["  last output:", *("    " + l for l in report.output_tail.splitlines())]
        lines.append("")
    first_failing = None
    for stage in stages:
        if not stage.built:
            lines.append(style.dim(f"{stage.name}  {stage.title:<28} not built yet"))
            continue
        grades = report.stage_grades(stage)
        done = sum(g.ok for g in grades)
        if len(grades) == len(stage.tasks):  # a task view (python grader.py 2.3) has no stage bar
            status = style.good("passed") if done == len(grades) else f"{done}/{len(grades)} tasks"
            lines.append(f"{style.bold(stage.name)}  {stage.title:<28} {bar(done, len(grades))} {status}")
        for grade in grades:
            if first_failing is None and not grade.ok:
                first_failing = grade
            if progress_only:
                continue
            mark = style.good(" ok ") if grade.ok else style.bad("FAIL")
            lines.append(f"  {mark} {grade.task.id:<5} {grade.task.title:<44} {grade.passed}/{grade.total} tests")
            if verbose and not grade.ok:
                unrun = [r for r in grade.results if r.message.startswith("not run:")]
                for result in grade.results:
                    if result.outcome != "passed" and result not in unrun:
                        lines.append(style.dim(f"         {result.nodeid.split('::')[-1]}: {result.message.splitlines()[0] if result.message else result.outcome}"))
                if unrun:
                    lines.append(style.dim(f"         ({len(unrun)} tests not run)"))
    built = [s for s in stages if s.built]
    whole = all(len(report.stage_grades(s)) == len(s.tasks) for s in built)
    if len(built) > 1 and whole:
        all_grades = [g for s in built for g in report.stage_grades(s)]
        done = sum(g.ok for g in all_grades)
        lines.append(style.bold(f"{'overall':<36} {bar(done, len(all_grades))} {done}/{len(all_grades)} tasks"))
    lines.append("")
    if report.problem_location:  # nothing can pass until the code imports
        lines += [style.bold("Fix this first:"), f"  edit   {relative_location(report.problem_location)}",
                  f"  error  {report.problem}"]
    elif first_failing is not None and details:
        lines += describe_failure(first_failing, report, style)
    elif first_failing is not None:
        lines.append(style.bold(f"Next: task {first_failing.task.id} {first_failing.task.title}") +
                     f"  (python grader.py {first_failing.task.id})")
    elif built and not whole and not report.problem:
        graded = [g for s in built for g in report.stage_grades(s)]
        lines.append(style.good(f"Task {', '.join(g.task.id for g in graded)} passes."))
    elif built and not report.problem:
        names = ", ".join(s.name for s in built)
        lines.append(style.good(f"All tasks of {names} pass. Well done!"))
        if report.target.name != "solutions" and (ROOT / "solutions").is_dir():  # a student release has no reference
            first = built[0].tasks[0].id
            lines.append(f"Compare your code with the reference, task by task: python grader.py compare {first}")
        notes = ", ".join(s.notes for s in built)
        lines.append(f"Read what it teaches in {notes}; run its experiments with python grader.py run --list.")
    lines.append(style.dim(f"({report.seconds:.1f} s)"))
    return "\n".join(lines)


def render_json(stages: list[Stage], report: RunReport) -> str:
    return json.dumps({
        "target": str(report.target),
        "problem": report.problem,
        "withheld": report.withheld,
        "stages": [{
            "name": stage.name, "title": stage.title, "built": stage.built,
            "tasks": [{
                "id": g.task.id, "title": g.task.title, "weight": g.task.weight, "passed": g.ok and not report.withheld,
                "tests_passed": g.passed, "tests": g.total,
                "failures": [{"test": r.nodeid, "outcome": r.outcome, "message": r.message, "location": r.location}
                             for r in g.results if r.outcome != "passed"],
            } for g in report.stage_grades(stage)],
        } for stage in stages],
    }, indent=2)


def render_gradescope(stages: list[Stage], report: RunReport) -> str:
    """Gradescope's results.json: one test entry per task, worth the task's weight, plain text throughout."""
    tests = []
    for stage in stages:
        for grade in report.stage_grades(stage):
            failure = grade.first_failure
            passed = grade.ok and not report.withheld
            output = f"{grade.passed}/{grade.total} tests passed"
            if failure:
                output += f"\n{failure.nodeid}\n{_truncate(failure.message)}"
            tests.append({
                "name": f"{grade.task.id} {grade.task.title}",
                "number": grade.task.id,
                "score": grade.task.weight if passed else 0.0,
                "max_score": grade.task.weight,
                "status": "passed" if passed else "failed",
                "output": output,
                "output_format": "text",
                "visibility": "visible",
            })
    if report.withheld:
        summary = f"Grade withheld: this run's integrity checks failed ({report.withheld}). Every task scores 0."
    else:
        summary = report.problem or f"graded {len(tests)} tasks"
    return json.dumps({
        "score": sum(t["score"] for t in tests),
        "execution_time": round(report.seconds, 2),
        "output": summary,
        "output_format": "text",
        "test_output_format": "text",
        "tests": tests,
    }, indent=2)


EXERCISM_OUTPUT = 500  # characters of a test's output, as the test runner interface allows


def render_exercism(stages: list[Stage], report: RunReport) -> str:
    """exercism's test runner interface, version 3: tests in file order, each linked to its task by a
    ``task_id`` that names one task of the whole course (its position in course order)."""
    course = [t.id for stage in load_curriculum() for t in stage.tasks]
    tests = []
    for stage in stages:
        for grade in report.stage_grades(stage):
            for result in grade.results:
                status = "pass" if result.outcome == "passed" else ("error" if result.outcome in ("error", "missing") else "fail")
                tests.append({
                    "name": result.nodeid,
                    "status": status,
                    "message": _truncate(result.message) if status != "pass" else None,
                    "output": _truncate(result.output, EXERCISM_OUTPUT) if result.output else None,
                    "test_code": test_source(result.nodeid),
                    "task_id": course.index(grade.task.id) + 1,
                })
    ran = [t for t in tests if t["status"] != "error" or not (report.problem and t["message"] and t["message"].startswith("not run:"))]
    if report.withheld:
        body = {"version": 3, "status": "error", "message": f"Grade withheld: this run's integrity checks failed ({report.withheld})"}
    elif report.problem and not ran:
        body = {"version": 3, "status": "error", "message": report.problem}
    else:
        body = {"version": 3, "status": "pass" if tests and all(t["status"] == "pass" for t in tests) else "fail", "tests": tests}
    return json.dumps(body, indent=2)


_SOURCES: dict[Path, dict[str, str]] = {}


def test_source(nodeid: str) -> str:
    """The source of the test function a node id names (its body as written, for exercism's ``test_code``)."""
    file, _, name = nodeid.partition("::")
    name = name.split("[")[0].split("::")[-1]
    path = ROOT / file
    if path not in _SOURCES:
        try:
            source = path.read_text(encoding="utf-8")
            tree = ast.parse(source)
        except (OSError, SyntaxError, ValueError):
            _SOURCES[path] = {}
        else:
            _SOURCES[path] = {node.name: ast.get_source_segment(source, node) or "" for node in ast.walk(tree)
                              if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return _SOURCES[path].get(name, "")


def render_junit(stages: list[Stage], report: RunReport) -> str:
    """JUnit XML as CI dashboards read it: a suite per stage, a case per test (classname ``stage2.task_2_3``),
    times, totals on every level, and an error case wherever the code could not run or the grade is withheld."""
    suites = ElementTree.Element("testsuites", name="learndyn")
    totals = {"tests": 0, "failures": 0, "errors": 0, "time": 0.0}

    def add_suite(name: str, cases: list[tuple[str, str, str, float, str, str]]) -> None:
        """cases: (classname, name, file, time, kind ("" passed / "failure" / "error"), message)."""
        suite = ElementTree.SubElement(suites, "testsuite", name=name)
        counts = {"tests": len(cases), "failures": sum(c[4] == "failure" for c in cases),
                  "errors": sum(c[4] == "error" for c in cases), "time": sum(c[3] for c in cases)}
        for key, value in counts.items():
            suite.set(key, f"{value:.3f}" if key == "time" else str(value))
            totals[key] += value
        suite.set("skipped", "0")
        for classname, case_name, file, seconds, kind, message in cases:
            case = ElementTree.SubElement(suite, "testcase", classname=classname, name=case_name, time=f"{seconds:.3f}")
            if file:
                case.set("file", file)
            if kind:
                first = message.splitlines()[0][:200] if message else kind
                ElementTree.SubElement(case, kind, message=first, type=kind).text = _truncate(message)

    if report.withheld:
        add_suite("integrity", [("integrity", "grade withheld", "", 0.0, "error",
                                 f"this run's integrity checks failed: {report.withheld}")])
    for stage in stages:
        cases = []
        for grade in report.stage_grades(stage):
            for result in grade.results:
                file, _, test = result.nodeid.partition("::")
                kind = "" if result.outcome == "passed" else ("failure" if result.outcome == "failed" else "error")
                cases.append((f"{stage.name}.task_{grade.task.id.replace('.', '_')}", test or result.nodeid, file,
                              result.duration, kind, result.message or result.outcome))
        if report.problem and not any(kind == "" or kind == "failure" for *_, kind, _ in cases):
            where = f" ({relative_location(report.problem_location)})" if report.problem_location else ""
            cases.insert(0, (stage.name, "the tests could not run", "", 0.0, "error", report.problem + where))
        add_suite(f"{stage.name} {stage.title}", cases)
    for key, value in totals.items():
        suites.set(key, f"{value:.3f}" if key == "time" else str(value))
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True)


FORMATS = {"json": render_json, "gradescope": render_gradescope, "exercism": render_exercism, "junit": render_junit}
