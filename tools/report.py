"""Render a grading run: for people (text) and for autograders (json, gradescope, exercism, junit)."""
from __future__ import annotations

import json
import os
import re
import sys
from xml.etree import ElementTree

from tools.curriculum import Stage
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
    if report.problem:
        lines += [style.bad("The tests could not run to the end:"), f"  {report.problem}"]
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
        if report.target.name != "solutions":
            lines.append("Compare with the reference when you like: " + ", ".join(
                sorted({f"solutions/{t.file.split(',')[0].strip()}" for s in built for t in s.tasks})))
        notes = ", ".join(s.notes for s in built)
        lines.append(f"Read what it teaches in {notes}; run its experiments with python grader.py run --list.")
    lines.append(style.dim(f"({report.seconds:.1f} s)"))
    return "\n".join(lines)


def render_json(stages: list[Stage], report: RunReport) -> str:
    return json.dumps({
        "target": str(report.target),
        "problem": report.problem,
        "stages": [{
            "name": stage.name, "title": stage.title, "built": stage.built,
            "tasks": [{
                "id": g.task.id, "title": g.task.title, "passed": g.ok, "tests_passed": g.passed, "tests": g.total,
                "failures": [{"test": r.nodeid, "outcome": r.outcome, "message": r.message, "location": r.location}
                             for r in g.results if r.outcome != "passed"],
            } for g in report.stage_grades(stage)],
        } for stage in stages],
    }, indent=2)


def render_gradescope(stages: list[Stage], report: RunReport) -> str:
    """Gradescope's results.json: a test entry per task, weighted by the curriculum."""
    tests = []
    for stage in stages:
        for grade in report.stage_grades(stage):
            failure = grade.first_failure
            tests.append({
                "name": f"{grade.task.id} {grade.task.title}",
                "number": grade.task.id,
                "score": grade.task.weight if grade.ok else 0.0,
                "max_score": grade.task.weight,
                "status": "passed" if grade.ok else "failed",
                "output": f"{grade.passed}/{grade.total} tests passed" + (f"\n{failure.nodeid}\n{_truncate(failure.message)}" if failure else ""),
                "visibility": "visible",
            })
    return json.dumps({
        "score": sum(t["score"] for t in tests),
        "execution_time": round(report.seconds, 2),
        "output": report.problem or f"graded {len(tests)} tasks",
        "tests": tests,
    }, indent=2)


def render_exercism(stages: list[Stage], report: RunReport) -> str:
    """exercism's test runner interface, version 3."""
    tests = []
    for stage in stages:
        for grade in report.stage_grades(stage):
            for result in grade.results:
                tests.append({
                    "name": result.nodeid,
                    "status": "pass" if result.outcome == "passed" else ("error" if result.outcome in ("error", "missing") else "fail"),
                    "message": _truncate(result.message) if result.outcome != "passed" else None,
                    "output": None,
                    "task_id": int(grade.task.id.split(".")[1]),
                })
    status = "error" if report.problem and not tests else ("pass" if tests and all(t["status"] == "pass" for t in tests) else "fail")
    body = {"version": 3, "status": status, "tests": tests}
    if status == "error":
        body["message"] = report.problem
    return json.dumps(body, indent=2)


def render_junit(stages: list[Stage], report: RunReport) -> str:
    suites = ElementTree.Element("testsuites", name="learndyn")
    for stage in stages:
        grades = report.stage_grades(stage)
        results = [r for g in grades for r in g.results]
        suite = ElementTree.SubElement(suites, "testsuite", name=f"{stage.name} {stage.title}", tests=str(len(results)),
                                       failures=str(sum(r.outcome == "failed" for r in results)),
                                       errors=str(sum(r.outcome in ("error", "missing") for r in results)))
        for grade in grades:
            for result in grade.results:
                case = ElementTree.SubElement(suite, "testcase", classname=f"task {grade.task.id}", name=result.nodeid)
                if result.outcome != "passed":
                    kind = "failure" if result.outcome == "failed" else "error"
                    ElementTree.SubElement(case, kind, message=result.message.splitlines()[0][:200] if result.message else result.outcome).text = _truncate(result.message)
    return ElementTree.tostring(suites, encoding="unicode")


FORMATS = {"json": render_json, "gradescope": render_gradescope, "exercism": render_exercism, "junit": render_junit}
