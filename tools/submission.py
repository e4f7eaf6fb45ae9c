"""A student's submission, as an autograder receives it, placed into a fresh copy of the course.

A submission is a folder or a ``.zip`` holding the student's ``learndyn`` package in one of two
layouts: a ``learndyn/`` folder (anywhere up to a few levels down, e.g. inside a folder named
after the student), or the contents of ``exercises/learndyn`` at the top level.  Only the
package's own modules are taken, each over the untouched stub of the same path: a stray
``conftest.py``, ``sitecustomize.py`` or a file the course does not have is never copied, so a
submission can change the learner's code and nothing else.
"""
from __future__ import annotations

import shutil
import stat
import tempfile
import zipfile
from pathlib import Path

from tools.make_exercises import generate

MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a submission is a few hundred KB of Python
MAX_DEPTH = 4  # how deep a learndyn/ folder may sit inside a submission


class SubmissionError(ValueError):
    """The submission holds no learndyn package (or an unsafe archive); the message says what was found."""


def unpack(archive: Path, into: Path) -> Path:
    """Extract a zip safely (no absolute paths, no ``..``, no links, bounded size); returns ``into``."""
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = bundle.infolist()
            if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
                raise SubmissionError(f"{archive.name}: unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB")
            for member in members:
                name = Path(member.filename)
                mode = member.external_attr >> 16
                if name.is_absolute() or ".." in name.parts or stat.S_ISLNK(mode):
                    raise SubmissionError(f"{archive.name}: refusing the entry {member.filename!r}")
            bundle.extractall(into)
    except zipfile.BadZipFile as error:
        raise SubmissionError(f"{archive.name}: not a valid zip file ({error})") from None
    return into


def find_package(submission: Path) -> Path:
    """The folder of the submitted package: a ``learndyn/`` folder, or a top level that is one."""
    if (submission / "__init__.py").is_file() and (submission / "tensor.py").is_file():
        return submission
    candidates = sorted((p for p in submission.rglob("learndyn") if p.is_dir() and (p / "__init__.py").is_file()
                         and len(p.relative_to(submission).parts) <= MAX_DEPTH and "__MACOSX" not in p.parts),
                        key=lambda p: len(p.parts))
    if candidates:
        return candidates[0]
    inner = [p for p in submission.rglob("tensor.py") if (p.parent / "__init__.py").is_file()
             and len(p.relative_to(submission).parts) <= MAX_DEPTH and "__MACOSX" not in p.parts]
    if len(inner) == 1:
        return inner[0].parent
    found = ", ".join(sorted(p.name for p in submission.iterdir())[:10]) if submission.is_dir() else "nothing"
    raise SubmissionError(f"no learndyn package in the submission (expected a learndyn/ folder, or the contents of "
                          f"exercises/learndyn at the top level); found: {found}")


def place_submission(submission: Path, destination: Path) -> Path:
    """Write ``destination/learndyn``: the untouched stubs, with each module the submission has of them
    replaced by the submission's.  Returns ``destination`` (a target for ``--target``)."""
    with tempfile.TemporaryDirectory(prefix="learndyn-submission-") as scratch:
        source = submission
        if submission.is_file():
            source = unpack(submission, Path(scratch))
        package = find_package(source)
        generate(destination)  # the untouched stubs (from tools/stubs/ in a copy without solutions/)
        course = destination / "learndyn"
        for stub in sorted(course.rglob("*.py")):
            theirs = package / stub.relative_to(course)
            if theirs.is_file() and not theirs.is_symlink():
                shutil.copyfile(theirs, stub)
    return destination
