"""A pytest plugin for the grader's child process: every fault of the learner's code becomes an event.

The grader loads it with ``-p tools.pytest_watchdog`` (plain ``pytest`` runs without it).
It makes sure that, whatever the graded code does, the grader hears what happened:

* ``faulthandler`` writes the stacks of a crash (segfault, abort) or of a hang to the
  file ``$LEARNDYN_FAULTS``, so the grader can name the learner's file and line.  Armed
  with ``exit=True`` around start-up and around each test (its budget plus
  ``$LEARNDYN_BACKSTOP`` seconds), it also ends a hang that pytest-timeout cannot
  (SIGALRM ignored, a loop in C).
* each test is announced (``start``, with its time budget) and closed (``finish``),
  so a crash is charged to the test that was running, not the last one that finished.
* tests already graded by an earlier child (``$LEARNDYN_SKIP``) are left out: the
  grader resumes after a test that took the process down.
* a function that hung once (in this child, or in an earlier one: ``$LEARNDYN_HUNG``)
  stops every later test that calls it at once, with a sentence saying so, instead of
  costing each of them the whole budget.
* a ``KeyboardInterrupt`` raised by the code fails its test instead of ending the run.
* once every result is written, the child leaves at once (``os._exit``): threads or
  processes the code left behind cannot delay the verdict.
"""
from __future__ import annotations

import faulthandler
import hashlib
import json
import os
import re
import sys
from pathlib import Path

import pytest

from tools.results_channel import open_channel, record
from tools.sanitize import safe_str


class CallsAHungFunction(BaseException):
    """Raised when a test calls a function that already hung (a BaseException: ``except Exception`` can't hide it)."""


class LearnerKeyboardInterrupt(Exception):
    """A ``KeyboardInterrupt`` raised by the graded code (not by a person at the keyboard)."""


_state = {"faults": None, "exitstatus": 0, "hung": []}  # hung: (matches(code) -> bool, sentence)


def _number(variable: str, default: float) -> float:
    try:
        return float(os.environ.get(variable, default))
    except ValueError:
        return default


def _arm(seconds: float) -> None:
    if _state["faults"] is not None:
        faulthandler.dump_traceback_later(seconds, exit=True, file=_state["faults"])


def _disarm() -> None:
    if _state["faults"] is not None:
        faulthandler.cancel_dump_traceback_later()


def _code_lines(code) -> set[int]:
    return {line for _, _, line in code.co_lines() if line is not None}


def _remember_hung(file: str, line: int, name: str, sentence: str, code=None) -> None:
    if code is not None:
        _state["hung"].append((lambda candidate: candidate is code, sentence))
    else:
        _state["hung"].append((lambda candidate: candidate.co_filename == file and candidate.co_name == name
                               and line in _code_lines(candidate), sentence))


def _guard(frame, event, arg):
    """Global trace function: stop a test the moment it calls a function that hung before."""
    if event == "call":
        for matches, sentence in _state["hung"]:
            if matches(frame.f_code):
                raise CallsAHungFunction(sentence)
    return None


def _budget(item) -> float:
    """The test's time budget in seconds, as pytest-timeout will apply it."""
    marker = item.get_closest_marker("timeout")
    if marker is not None:
        value = marker.args[0] if marker.args else marker.kwargs.get("timeout")
        if value is not None:
            return float(value)
    value = item.config.getoption("timeout", None) or item.config.getini("timeout")
    return float(value) if value else 0.0


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    open_channel()  # before the learner's package is imported: it never sees the path or the key
    path = os.environ.get("LEARNDYN_FAULTS")
    if path:
        _state["faults"] = open(path, "a", encoding="utf-8")  # noqa: SIM115 - open for the whole run
        faulthandler.enable(file=_state["faults"], all_threads=True)
    _arm(_number("LEARNDYN_IMPORT_BUDGET", 10))  # importing the learner's package (tests/conftest.py does it next)
    hung_file = os.environ.get("LEARNDYN_HUNG")
    if hung_file and Path(hung_file).exists():
        for entry in json.loads(Path(hung_file).read_text()):
            _remember_hung(entry["file"], entry["line"], entry["name"],
                           f"not run to the end: it calls {entry['name']} ({entry['file']}:{entry['line']}), which did "
                           f"not finish within {float(entry.get('budget') or 0):g} s in {entry['test']} (an infinite loop?)")


def pytest_sessionstart(session):
    """The package imported: now the tests are collected (which imports the rest of it)."""
    _arm(_number("LEARNDYN_COLLECTION_BUDGET", 30))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    skip_file = os.environ.get("LEARNDYN_SKIP")
    if skip_file and Path(skip_file).exists():
        done = set(json.loads(Path(skip_file).read_text()))
        if done:
            config.hook.pytest_deselected(items=[item for item in items if item.nodeid in done])
            items[:] = [item for item in items if item.nodeid not in done]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    budget = _budget(item)
    record({"event": "start", "nodeid": item.nodeid, "budget": budget})
    if budget:
        _arm(budget + _number("LEARNDYN_BACKSTOP", 3))
    sys.settrace(_guard if _state["hung"] else None)
    try:
        yield
    finally:
        sys.settrace(None)
        _disarm()
        record({"event": "finish", "nodeid": item.nodeid})


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Call the test function (as pytest does), turning a KeyboardInterrupt it raises into a failure."""
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    try:
        pyfuncitem.obj(**arguments)
    except KeyboardInterrupt:
        raise LearnerKeyboardInterrupt("the code raised KeyboardInterrupt; a library function must return or "
                                       "raise an ordinary exception") from None
    return True


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Note where in the graded code a test failed (its innermost frame there); after a timeout,
    remember the learner's function it was stuck in (see ``_guard``)."""
    outcome = yield
    report = outcome.get_result()
    if call.excinfo is None:
        return
    root = str(getattr(item.config, "learndyn_root", "")) + os.sep
    frames = [entry for entry in call.excinfo.traceback if str(entry.path).startswith(root)]
    if frames:
        innermost = frames[-1]
        report.user_properties.append(("in", f"{innermost.path}:{innermost.lineno + 1} in {innermost.name}"))
    if frames and report.failed and "Timeout" in safe_str(call.excinfo.value, 200):
        code = innermost.frame.code.raw
        where = f"{innermost.path}:{innermost.lineno + 1}"
        _remember_hung(str(innermost.path), innermost.lineno + 1, innermost.name,
                       f"not run to the end: it calls {innermost.name} ({where}), which did not finish within "
                       f"{_budget(item):g} s in {item.nodeid} (an infinite loop?)", code)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """Start-up is over: disarm its limit.  Tell the grader which tests will run, and the digests of
    the test modules and conftest files pytest loaded (so a test rewritten meanwhile is noticed)."""
    modules = {str(item.fspath) for item in session.items}
    modules |= {plugin.__file__ for plugin in session.config.pluginmanager.get_plugins()
                if getattr(plugin, "__file__", "").endswith("conftest.py")}
    _disarm()
    record({"event": "collected",
            "tests": [{"nodeid": item.nodeid, "task": dict(item.user_properties).get("task")} for item in session.items],
            "modules": {path: hashlib.sha256(Path(path).read_bytes()).hexdigest() for path in sorted(modules)}})


_TRACEBACK_PLACE = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)|^(?P<path>/\S+\.py):(?P<number>\d+): in ', re.MULTILINE)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """A test file that cannot be loaded: say why in one line (the error pytest shows after ``E``) and
    where in the learner's code (the deepest line of the traceback inside the graded package)."""
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    text = str(report.longrepr)
    errors = [line[1:].strip() for line in text.splitlines() if line.startswith("E ") and line[1:].strip()]
    root = str(getattr(collector.config, "learndyn_root", "")) + os.sep
    places = [(m["file"] or m["path"], m["line"] or m["number"]) for m in _TRACEBACK_PLACE.finditer(text)]
    learner = [f"{file}:{line}" for file, line in places if file.startswith(root)]
    record({"event": "collect-error", "nodeid": report.nodeid,
            "message": " ".join(errors[-3:]) or text[-500:], "location": learner[-1] if learner else ""})


def _short_message(report) -> str:
    """The assertion or exception message of a failed test, without pytest's source listing."""
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return crash.message
    return str(report.longrepr)[-2000:]


def pytest_runtest_logreport(report):
    """One line per test: its outcome, with the message of the first phase that did not pass."""
    if report.when == "call" or not report.passed:
        if report.when == "teardown" and report.skipped:
            return
        crash = getattr(report.longrepr, "reprcrash", None)
        properties = dict(report.user_properties)
        record({
            "event": "result",
            "nodeid": report.nodeid,
            "task": properties.get("task"),
            "when": report.when,
            "outcome": report.outcome,
            "message": "" if report.passed else _short_message(report),
            "location": properties.get("in") or (f"{crash.path}:{crash.lineno}" if crash is not None else ""),
            "duration": round(report.duration, 4),
            "output": _captured_output(report),
        })


OUTPUT_LIMIT = 2000  # characters of a failing test's printed output that reach the grader


def _captured_output(report) -> str:
    """What the test printed (the learner's print() calls included), cut to ``OUTPUT_LIMIT``."""
    text = report.capstdout + report.capstderr
    if len(text) > OUTPUT_LIMIT:
        text = text[:OUTPUT_LIMIT] + f"\n[... {len(text) - OUTPUT_LIMIT} more characters of output cut ...]"
    return text


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    _state["exitstatus"] = int(exitstatus)
    record({"event": "finished", "exitstatus": int(exitstatus)})


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """Leave now: threads and processes the graded code left behind must not delay the verdict."""
    if os.environ.get("LEARNDYN_FAULTS"):  # run by the grader
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_state["exitstatus"])
