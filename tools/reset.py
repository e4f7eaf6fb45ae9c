"""Restore the pristine stub of one task in the learner's exercises/, keeping a backup.

The learner's code for task 2.3 sits between ``# --- your code for task 2.3 ---`` and
``# --- end of task 2.3 ---``; resetting swaps each such region for the region of a freshly
generated copy.  Every file that changes is first copied to a new folder of its own under ``.grader/backups/``.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from tools.backups import BACKUPS, back_up
from tools.curriculum import ROOT
from tools.make_exercises import generate
from tools.markers import region_pattern


class ResetError(ValueError):
    """The learner's file no longer has the markers of the task (or has a different number)."""


def regions(text: str, task: str) -> list[tuple[int, int]]:
    """(start, end) character spans of every marked region of ``task``, markers included."""
    return [match.span() for match in region_pattern(task).finditer(text)]


def plan_reset(tasks: list[str], exercises: Path = ROOT / "exercises") -> dict[Path, str]:
    """learner file -> its new text with every region of ``tasks`` restored; only files that change."""
    changes = {}
    with tempfile.TemporaryDirectory() as scratch:
        generate(Path(scratch))
        pristine_root = Path(scratch) / "learndyn"
        for pristine_path in sorted(pristine_root.rglob("*.py")):
            learner_path = exercises / "learndyn" / pristine_path.relative_to(pristine_root)
            pristine = pristine_path.read_text()
            learner = learner_path.read_text(errors="surrogateescape") if learner_path.is_file() else pristine
            updated = learner
            for task in tasks:
                fresh, mine = regions(pristine, task), regions(updated, task)
                if not fresh:
                    continue
                if len(mine) != len(fresh):
                    raise ResetError(
                        f"{learner_path} has {len(mine)} marked regions of task {task}, the stubs have "
                        f"{len(fresh)}: were the '# --- your code for task {task} ---' lines edited? Restore that file "
                        "by hand from a fresh `python tools/make_exercises.py --out DIR`."
                    )
                for (start, end), (fresh_start, fresh_end) in reversed(list(zip(mine, fresh))):
                    updated = updated[:start] + pristine[fresh_start:fresh_end] + updated[end:]
            if updated != learner or not learner_path.is_file():
                changes[learner_path] = updated
    return changes


def apply_reset(changes: dict[Path, str], exercises: Path = ROOT / "exercises", backups: Path = BACKUPS) -> Path:
    """Back up every file that will change (to a new folder of its own), then write the new texts.

    Files that are missing (a deleted module, even the whole package) are written anew.
    Returns the backup folder.
    """
    folder = back_up([path for path in changes if path.is_file()], exercises, backups)
    for path, text in changes.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, errors="surrogateescape")
    return folder
