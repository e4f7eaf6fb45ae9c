"""Backups of the learner's files: every one in a folder of its own, never reused.

``reset`` and ``make_exercises --force`` copy what they are about to overwrite to
``.grader/backups/<date>-<time>-<n>/``; two backups in the same second get different
folders, so no backup ever overwrites another.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path

from tools.curriculum import ROOT

BACKUPS = ROOT / ".grader" / "backups"


def new_backup_folder(backups: Path = BACKUPS) -> Path:
    """A fresh, empty folder under ``backups`` (created here; the name is never used twice)."""
    backups.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for number in range(1, 10_000):
        folder = backups / f"{stamp}-{number}"
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
    raise RuntimeError(f"could not make a new backup folder in {backups}")


def back_up(files: list[Path], base: Path, backups: Path = BACKUPS) -> Path:
    """Copy ``files`` (paths under ``base``) into a new backup folder, keeping their relative paths."""
    folder = new_backup_folder(backups)
    for path in files:
        if path.is_file():
            copy = folder / path.relative_to(base.parent)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)
    return folder
