"""The channel from the pytest child to the grader: one JSON line per event, in a file.

The child (``tests/conftest.py`` and ``tools/pytest_watchdog.py``) appends events with
``record`` as soon as each is known, so a crash loses nothing already graded; the grader
reads them back with ``EventReader`` while the child runs.  Events:

``configured``  the learner's package was imported
``import-error``, ``collect-error``   the package or a test file could not be loaded
``collected``   the list of selected tests, each with its task
``start``, ``finish``   a test began (with its time budget) and ended
``result``      a test's outcome and message, with where in the learner's code it failed
``finished``    every selected test ran; pytest's exit status
"""
from __future__ import annotations

import json
import os
from pathlib import Path

VARIABLE = "LEARNDYN_RESULTS"


def record(entry: dict) -> None:
    """Append one event to the file named by ``$LEARNDYN_RESULTS``, if it is set."""
    path = os.environ.get(VARIABLE)
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")


class EventReader:
    """Reads the events appended to a results file since the last call (a line cut short waits)."""

    def __init__(self, path: Path):
        self.path, self.offset, self.partial = path, 0, b""

    def read(self) -> list[dict]:
        try:
            with self.path.open("rb") as handle:
                handle.seek(self.offset)
                chunk = handle.read()
        except OSError:
            return []
        self.offset += len(chunk)
        lines = (self.partial + chunk).split(b"\n")
        self.partial = lines.pop()
        events = []
        for line in lines:
            try:
                event = json.loads(line.decode("utf-8", "replace"))
            except json.JSONDecodeError:  # a line cut short by a crash
                continue
            if isinstance(event, dict):
                events.append(event)
        return events
