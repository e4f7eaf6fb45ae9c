"""Is this grade the course's verdict on the learner's code, and nothing else?

The files that decide a grade (the tests and their conftest, the grader and its tools, the
curriculum, pytest's configuration) are listed with their SHA-256 in
``curriculum/course.sha256``, and every test the course has is listed with its task in
``curriculum/tests.ids``; ``tools/make_exercises.py`` writes both, and its ``--check``
verifies them.  A run's grade is **withheld** when:

* a file that decides the grade differs from the manifest before or after the run, or a
  ``conftest.py`` or pytest configuration file the course does not have is present;
* the test modules or conftest files pytest loaded are not what the files hold after the
  run (a test rewritten at import and restored at exit);
* the tests collected are not the course's tests of the tasks graded (some were left out);
* a line of the results channel carries no valid signature (``tools/results_channel.py``);
* pytest's own report (its ``-v`` lines) contradicts the results channel;
* the canary, a test made fresh for every run that must fail, did not fail.

This is protection against naive tampering, not a security boundary: code running in the
same process as the tests can always patch them (the README says what else to add).
"""
from __future__ import annotations

import hashlib
import re
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tools.curriculum import ROOT

MANIFEST = ROOT / "curriculum" / "course.sha256"
TEST_IDS = ROOT / "curriculum" / "tests.ids"
CONFIG_FILES = ("pytest.ini", ".pytest.ini", "tox.ini", "setup.cfg", "conftest.py")  # pytest reads these at the root


MAINTAINER_TESTS = ("meta", "properties")  # folders of tests/ the grader never runs: they decide no grade


def is_maintainer_check(path: Path, root: Path = ROOT) -> bool:
    return any(root / "tests" / name in path.parents for name in MAINTAINER_TESTS)


def course_files(root: Path = ROOT) -> list[Path]:
    """The files that decide a grade, as they are now (the maintainer's own checks left out, so editing
    one does not withhold every local grade until the manifest is remade)."""
    files = [p for folder in ("tests", "tools") for p in (root / folder).rglob("*.py")
             if not is_maintainer_check(p, root)]
    files += sorted((root / "curriculum").glob("*.toml")) + [root / "grader.py", root / "pyproject.toml", root / TEST_IDS.relative_to(ROOT)]
    return sorted(p for p in files if p.is_file() and "__pycache__" not in p.parts)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def digest_lines(root: Path = ROOT) -> str:
    return "".join(f"{digest(p)}  {p.relative_to(root).as_posix()}\n" for p in course_files(root))


def _parse(text: str) -> dict[str, str]:
    return {name: sha for sha, _, name in (line.partition("  ") for line in text.splitlines()) if name}


def recorded_digests(root: Path = ROOT) -> dict[str, str]:
    path = root / MANIFEST.relative_to(ROOT)
    return _parse(path.read_text()) if path.exists() else {}


def collect_test_ids(root: Path = ROOT) -> str:
    """``task<TAB>nodeid`` of every stage test, as pytest collects them (from the reference copy)."""
    completed = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "--target=solutions",
                                "-p", "no:cacheprovider", "-o", "addopts="], cwd=root, capture_output=True, text=True)
    ids = [line.strip() for line in completed.stdout.splitlines() if "::" in line]
    if completed.returncode != 0 or not ids:
        raise RuntimeError(f"could not collect the stage tests: {completed.stdout[-2000:]}{completed.stderr[-2000:]}")
    from tools.curriculum import load_curriculum

    tasks = {}
    for stage in load_curriculum(root / "curriculum"):
        folder = stage.tests.rstrip("/") + "/"
        for task in stage.tasks:
            number = int(task.id.split(".")[1])
            tasks[f"{folder}test_{stage.number}_{number:02d}_"] = task.id
    lines = []
    for nodeid in ids:
        task = next((t for prefix, t in tasks.items() if nodeid.startswith(prefix)), "")
        lines.append(f"{task}\t{nodeid}\n")
    return "".join(lines)


def write_manifest(root: Path = ROOT) -> None:
    """Record the course's tests and the digests of every file that decides a grade."""
    (root / TEST_IDS.relative_to(ROOT)).write_text(collect_test_ids(root))
    (root / MANIFEST.relative_to(ROOT)).write_text(digest_lines(root))


def expected_test_ids(tasks: set[str], root: Path = ROOT) -> dict[str, str]:
    """nodeid -> task, for every test of the course (``curriculum/tests.ids``) that belongs to ``tasks``."""
    path = root / TEST_IDS.relative_to(ROOT)
    if not path.exists():
        return {}
    return {nodeid: task for task, _, nodeid in (line.partition("\t") for line in path.read_text().splitlines())
            if task in tasks}


def changed_course_files(root: Path = ROOT) -> list[str]:
    """Files that decide a grade and were added, removed or edited since the manifest was written."""
    recorded = recorded_digests(root)
    if not recorded:
        return []
    current = _parse(digest_lines(root))
    return sorted(name for name in recorded.keys() | current.keys() if recorded.get(name) != current.get(name))


def foreign_config_files(root: Path = ROOT) -> list[str]:
    """``conftest.py`` and pytest configuration files the course does not have, where pytest reads them:
    the course's root (its rootdir) and ``tests/`` with every folder below it but the maintainer's (a
    grading run never collects there)."""
    recorded = recorded_digests(root)
    candidates = [root / name for name in CONFIG_FILES]
    candidates += [p for p in (root / "tests").rglob("conftest.py") if not is_maintainer_check(p, root)]
    return sorted(p.relative_to(root).as_posix() for p in candidates
                  if p.is_file() and p.relative_to(root).as_posix() not in recorded)


@dataclass(frozen=True)
class Canary:
    """A test written fresh for every run, under a random name, that must fail."""

    path: Path
    name: str

    @classmethod
    def write(cls, folder: Path) -> "Canary":
        name = f"test_{secrets.token_hex(6)}"
        left, right = secrets.randbelow(10**6), secrets.randbelow(10**6) + 10**6
        path = folder / f"{name}.py"
        path.write_text(f"def {name}():\n    assert {left} == {right}\n")
        return cls(path, name)

    def is_canary(self, nodeid: str) -> bool:
        return nodeid.endswith(f"::{self.name}")


_VERBOSE_LINE = re.compile(r"^(?P<nodeid>\S.*?::.+?) (?P<outcome>PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)\b")


def pytest_own_outcomes(output: str) -> dict[str, set[str]]:
    """nodeid -> the outcomes pytest's own ``-v`` lines report for it (setup/call/teardown may add an ERROR)."""
    outcomes: dict[str, set[str]] = {}
    for line in output.splitlines():
        match = _VERBOSE_LINE.match(line)
        if match:
            outcomes.setdefault(match["nodeid"], set()).add(match["outcome"])
    return outcomes


def changed_since_loaded(loaded: dict[str, str]) -> list[str]:
    """Files (path -> the digest pytest loaded) whose content now differs: rewritten during the run."""
    changed = []
    for path, sha in sorted(loaded.items()):
        try:
            now = digest(Path(path))
        except OSError:
            now = ""
        if now != sha:
            changed.append(path)
    return changed
