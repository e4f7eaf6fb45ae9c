"""Has tests/ been changed since the course was generated?  (Grades would then differ.)

``curriculum/tests.sha256`` lists a SHA-256 per test file; ``tools/make_exercises.py``
writes it whenever it regenerates exercises/, and its ``--check`` verifies it.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from tools.curriculum import ROOT

MANIFEST = ROOT / "curriculum" / "tests.sha256"


def test_files(root: Path = ROOT) -> list[Path]:
    return sorted(p for p in (root / "tests").rglob("*.py") if "__pycache__" not in p.parts)


def digest_lines(root: Path = ROOT) -> str:
    return "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(root).as_posix()}\n" for p in test_files(root))


def write_manifest() -> None:
    MANIFEST.write_text(digest_lines())


def changed_test_files() -> list[str]:
    """Test files added, removed or edited since the manifest was written ([] when it is absent)."""
    if not MANIFEST.exists():
        return []
    recorded = dict(reversed(line.split("  ", 1)) for line in MANIFEST.read_text().splitlines() if line)
    current = dict(reversed(line.split("  ", 1)) for line in digest_lines().splitlines())
    return sorted(name for name in recorded.keys() | current.keys() if recorded.get(name) != current.get(name))
