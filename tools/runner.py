"""Run pytest on untrusted code and always come back with what happened, in bounded time.

The tests run in a child process of their own session (process group), writing one
JSON line per event to a results file (see ``tests/conftest.py``); its output goes to
files, never to pipes a grandchild could hold open.  This process watches the results
file as it grows and enforces the time limits:

* start-up: the child arms ``faulthandler`` to dump its stacks and exit if importing the
  learner's package takes ``IMPORT_BUDGET`` seconds, or collecting the tests (which
  imports the rest of it) ``COLLECTION_BUDGET``; we kill it ``GRACE`` seconds later if it
  is still there.
* each test: pytest-timeout fails the test after its budget; if the code ignores
  that (SIGALRM blocked, a loop in C, a thread), ``faulthandler`` dumps and exits
  ``BACKSTOP`` seconds later; and we kill the whole group ``GRACE`` seconds after that.

When the child dies in a test (a crash, ``os._exit``, a signal, a hang we killed), that
test is charged with the fault and a new child runs the tests not yet reported, so one
fault costs one test.  Leftover threads and grandchildren never delay the verdict: the
child leaves with ``os._exit`` once its results are written, and its whole process
group is killed when the pass ends.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tools.results_channel import KEY_FD_VARIABLE, PATH_VARIABLE, EventReader, handover

IMPORT_BUDGET = 10  # seconds to import the learner's package (the reference takes a fraction of one)
COLLECTION_BUDGET = 30  # seconds to collect the tests (about 1 s; generous for a loaded machine)
BACKSTOP = 3  # seconds after a test's budget at which faulthandler ends the child
GRACE = 3  # seconds after that at which we kill the process group
POLL = 0.05  # seconds between looks at the results file
MAX_PASSES = 50  # a run that crashes more often than this is stopped (each pass must make progress anyway)
OUTPUT_KEPT = 4000  # characters of the child's output kept for the report
OUTPUT_READ = 20 * 2**20  # bytes of the child's output read to cross-check pytest's own verdict
PR_SET_CHILD_SUBREAPER = 36  # Linux prctl: orphaned descendants are re-parented to us, not to init

SIGNAL_WORDS = {
    signal.SIGSEGV: "segmentation fault", signal.SIGABRT: "aborted", signal.SIGKILL: "killed (out of memory?)",
    signal.SIGFPE: "floating-point exception", signal.SIGBUS: "bus error", signal.SIGILL: "illegal instruction",
    signal.SIGTERM: "terminated",
}
_FRAME = re.compile(r'^\s*File "(?P<file>.+)", line (?P<line>\d+) in (?P<name>\S+)', re.MULTILINE)


@dataclass(frozen=True)
class Frame:
    file: str
    line: int
    name: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} in {self.name}"


def describe_exit(returncode: int | None) -> str:
    """Words for how a process ended: ``segmentation fault (signal 11)``, ``exit code 3``."""
    if returncode is None:
        return "still running"
    if returncode < 0:
        number = -returncode
        try:
            name = SIGNAL_WORDS.get(signal.Signals(number), signal.Signals(number).name)
        except ValueError:
            name = "signal"
        return f"{name} (signal {number})"
    return f"exit code {returncode}"


@dataclass
class Pass:
    """One pytest child: its events, how it ended, and (if it died in a test) that test."""

    events: list[dict] = field(default_factory=list)
    returncode: int | None = None
    output: str = ""
    finished: bool = False  # the child wrote its "finished" event: every selected test was reported
    killed: str = ""  # why we killed it, if we did
    running: dict | None = None  # the "start" event of the test it died in, if any
    dump: str = ""  # what faulthandler wrote (stacks of a crash or a hang)
    full_output: str = ""  # the child's output (pytest's own -v lines among it), up to OUTPUT_READ bytes
    forged: int = 0  # lines of the results channel without a valid signature

    @property
    def collected(self) -> bool:
        return any(e.get("event") == "collected" for e in self.events)

    @property
    def hung(self) -> bool:
        return bool(self.killed) or "Timeout (" in self.dump


def learner_frames(dump: str, root: Path) -> list[Frame]:
    """The frames of a faulthandler dump that lie inside ``root``, innermost first (as faulthandler lists them)."""
    root_text = str(root.resolve()) + os.sep
    return [Frame(m["file"], int(m["line"]), m["name"]) for m in _FRAME.finditer(dump) if m["file"].startswith(root_text)]


def _tail(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - OUTPUT_KEPT))
            return handle.read().decode("utf-8", "replace")
    except OSError:
        return ""


_spawned: set[int] = set()  # our own live children (other threads may be running passes too)
_spawning = threading.Lock()  # held from a child's fork until it is in _spawned, and while orphans are hunted


def _become_subreaper() -> None:
    """Have the learner's daemons (double fork, setsid) re-parented to us, so we can find and end them."""
    if sys.platform != "linux":
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _orphans() -> list[int]:
    """Processes re-parented to us that we did not start (what the learner's code left behind).

    Call with ``_spawning`` held: a pass another thread has just forked is not in ``_spawned`` yet.
    A child in our own session is one this process started without a session of its own (a
    ``subprocess.run`` elsewhere in the grader); what the learner's code starts is always in the
    session of its pytest child, or in one it made itself.
    """
    found, session = [], os.getsid(0)
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rpartition(")")[2].split()  # state, ppid, pgrp, session, ...
        except OSError:
            continue
        pid = int(entry.parent.name)
        if len(fields) > 3 and int(fields[1]) == os.getpid() and int(fields[3]) != session and pid not in _spawned:
            found.append(pid)
    return found


def _kill_group(process: subprocess.Popen) -> None:
    """End the child, everything in its process group, and every daemon it detached."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()
    with _spawning:
        _spawned.discard(process.pid)
        for _ in range(10):  # a killed orphan may leave orphans of its own
            orphans = _orphans()
            if not orphans:
                break
            for pid in orphans:
                try:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                except (ProcessLookupError, ChildProcessError, PermissionError):
                    pass


RUN_AS_VARIABLE = "LEARNDYN_RUN_AS"  # set by the Gradescope package: run the tests as this unprivileged user


def _unprivileged_account(scratch: Path) -> dict:
    """``user``/``group`` for Popen when we are root and asked to drop privileges; the scratch
    folder (results, faults, canary) is handed to that user.  Empty otherwise."""
    name = os.environ.get(RUN_AS_VARIABLE)
    if not name or os.geteuid() != 0:
        return {}
    import pwd

    account = pwd.getpwnam(name)
    for path in [scratch, *scratch.iterdir()]:
        os.chown(path, account.pw_uid, account.pw_gid)
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


def run_pass(command: list[str], env: dict, cwd: Path, scratch: Path, number: int, deadline: float) -> Pass:
    """Run one pytest child until it finishes, dies, or overruns a limit; collect what it reported."""
    results, faults = scratch / f"results-{number}.jsonl", scratch / f"faults-{number}.txt"
    output_path = scratch / f"output-{number}.txt"
    key, key_for_child, key_writer = handover()
    env = dict(env, **{PATH_VARIABLE: str(results), KEY_FD_VARIABLE: str(key_for_child)}, LEARNDYN_FAULTS=str(faults),
               LEARNDYN_IMPORT_BUDGET=str(IMPORT_BUDGET), LEARNDYN_COLLECTION_BUDGET=str(COLLECTION_BUDGET),
               LEARNDYN_BACKSTOP=str(BACKSTOP))
    reader, outcome = EventReader(results, key), Pass()
    _become_subreaper()
    account = _unprivileged_account(scratch)
    with output_path.open("wb") as output:
        try:
            with _spawning:
                process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=output,
                                           stderr=subprocess.STDOUT, start_new_session=True,
                                           pass_fds=(key_for_child,), **account)
                _spawned.add(process.pid)
        finally:
            os.close(key_for_child)
        try:
            with os.fdopen(key_writer, "wb") as handle:  # the key fits in the pipe's buffer: this never blocks
                handle.write(key)
        except BrokenPipeError:
            pass  # the child is gone already; how it ended is read below
        limit = time.monotonic() + IMPORT_BUDGET + GRACE + 20  # start-up also loads Python, pytest and NumPy
        try:
            while process.poll() is None:
                for event in reader.read():
                    outcome.events.append(event)
                    kind = event.get("event")
                    if kind == "configured":
                        limit = time.monotonic() + COLLECTION_BUDGET + GRACE
                    elif kind == "start":
                        outcome.running = event
                        limit = time.monotonic() + float(event.get("budget") or 0) + BACKSTOP + GRACE
                    elif kind == "finish":
                        outcome.running = None
                        limit = time.monotonic() + COLLECTION_BUDGET + GRACE  # between tests: fixtures, teardown
                    elif kind == "finished":
                        outcome.finished = True
                now = time.monotonic()
                if now > limit or now > deadline:
                    outcome.killed = "time limit" if now > limit else "wall-clock limit"
                    break
                time.sleep(POLL)
        finally:
            _kill_group(process)  # the child, and anything it started, in one go
    outcome.returncode = process.returncode
    for event in reader.read():
        outcome.events.append(event)
        kind = event.get("event")
        if kind == "start":
            outcome.running = event
        elif kind == "finish":
            outcome.running = None
        elif kind == "finished":
            outcome.finished = True
    outcome.output = _tail(output_path)
    outcome.forged = reader.forged
    with output_path.open("rb") as handle:
        outcome.full_output = handle.read(OUTPUT_READ).decode("utf-8", "replace")
    outcome.dump = faults.read_text(encoding="utf-8", errors="replace") if faults.exists() else ""
    return outcome


def run_until_done(command: list[str], env: dict, cwd: Path, scratch: Path, root: Path,
                   wall_clock_limit: float, resume: bool = True) -> list[Pass]:
    """Run pytest children until every collected test has been reported (or no progress is made).

    After a child dies in a test, the next one skips every test already reported and
    the one it died in, and guards against the function it hung in (if it hung).
    """
    deadline = time.monotonic() + wall_clock_limit
    passes: list[Pass] = []
    done: set[str] = set()
    hung: list[dict] = []
    skip_file, hung_file = scratch / "skip.json", scratch / "hung.json"
    while len(passes) < MAX_PASSES:
        skip_file.write_text(json.dumps(sorted(done)))
        hung_file.write_text(json.dumps(hung))
        current = run_pass(command, dict(env, LEARNDYN_SKIP=str(skip_file), LEARNDYN_HUNG=str(hung_file)),
                           cwd, scratch, len(passes), deadline)
        passes.append(current)
        reported = {e["nodeid"] for e in current.events if e.get("event") == "finish"}
        if current.running is not None:
            reported.add(current.running["nodeid"])
            frames = learner_frames(current.dump, root)
            if current.hung and frames:
                hung.append({"file": frames[0].file, "line": frames[0].line, "name": frames[0].name,
                             "test": current.running["nodeid"], "budget": current.running.get("budget")})
        collected = {t["nodeid"] for e in current.events if e.get("event") == "collected" for t in e["tests"]}
        progress = reported - done
        done |= reported
        if current.finished or not resume or not current.collected or not progress or not (collected - done):
            break
        if time.monotonic() > deadline:
            break
    return passes

