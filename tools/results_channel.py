"""The channel from the pytest child to the grader: one signed JSON line per event, in a file.

The child (``tests/conftest.py`` and ``tools/pytest_watchdog.py``) appends events with
``record`` as soon as each is known, so a crash loses nothing already graded; the grader
reads them back with ``EventReader`` while the child runs.  Events:

``configured``  the learner's package was imported
``import-error``, ``collect-error``   the package or a test file could not be loaded
``collected``   the list of selected tests, each with its task, and the digests of the test modules
``start``, ``finish``   a test began (with its time budget) and ended
``result``      a test's outcome and message, with where in the learner's code it failed
``finished``    every selected test ran; pytest's exit status

Each line carries an HMAC of its content under a key that only the grader and the
watchdog know: the grader hands it over on an inherited file descriptor (never in the
environment, never in a file), and the watchdog opens the channel with it before the
learner's package is imported, removing the path and the descriptor from sight.  A line
the learner's code writes into the file by hand cannot carry a valid HMAC, and the
grader withholds the grade when one appears.  (Code in the same process can still reach
the open channel; the canary test and the other checks in ``tools/integrity.py`` catch
the blunt ways of doing so.)
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path

PATH_VARIABLE = "LEARNDYN_RESULTS"
KEY_FD_VARIABLE = "LEARNDYN_KEY_FD"


def _sign(key: bytes, entry: dict) -> str:
    return hmac.new(key, json.dumps(entry, sort_keys=True).encode(), hashlib.sha256).hexdigest()


class _Channel:
    def __init__(self, path: str, key: bytes):
        self._write = self._writer(path, key)

    @staticmethod
    def _writer(path: str, key: bytes):
        def write(entry: dict) -> None:
            signed = dict(entry, mac=_sign(key, entry))
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(signed) + "\n")
        return write

    def write(self, entry: dict) -> None:
        self._write(entry)


_channel: _Channel | None = None


def open_channel() -> bool:
    """In the child: take the path and the key the grader handed over, and hide both. True if grading."""
    global _channel
    path = os.environ.pop(PATH_VARIABLE, None)
    descriptor = os.environ.pop(KEY_FD_VARIABLE, None)
    if not path:
        return False
    key = b""
    if descriptor and descriptor.isdigit():
        with os.fdopen(int(descriptor), "rb") as handle:
            key = handle.read()
    _channel = _Channel(path, key)
    return True


def record(entry: dict) -> None:
    """Append one signed event to the grader's results file (nothing when not graded by the grader)."""
    if _channel is not None:
        _channel.write(entry)


def handover() -> tuple[bytes, int, int]:
    """In the grader: a fresh key and a pipe that carries it (read end for the child, write end for us)."""
    key = os.urandom(32)
    read_end, write_end = os.pipe()
    os.set_inheritable(read_end, True)
    return key, read_end, write_end


class EventReader:
    """Reads the events appended to a results file since the last call; counts lines whose HMAC is wrong."""

    def __init__(self, path: Path, key: bytes):
        self.path, self.key, self.offset, self.partial = path, key, 0, b""
        self.forged = 0

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
            if not isinstance(event, dict):
                self.forged += 1
                continue
            mac = event.pop("mac", "")
            if not isinstance(mac, str) or not hmac.compare_digest(mac, _sign(self.key, event)):
                self.forged += 1
                continue
            events.append(event)
        return events
