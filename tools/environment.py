"""Is this Python able to run the course?  Problems of the environment are the grader's, not the learner's.

A forgotten ``. .venv/bin/activate`` (the system Python, without the kit's packages),
a missing package or a too old interpreter would otherwise surface as a crash of the
learner's code.  ``problems()`` finds them before anything runs, and each comes with
the command that fixes it; the grader then exits with code 2.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

MINIMUM_PYTHON = (3, 10)
ROOT = Path(__file__).resolve().parent.parent
# import name -> the package that provides it; what the grader and the tests need to run
REQUIRED = {"numpy": "numpy", "pytest": "pytest", "pytest_timeout": "pytest-timeout"}
FOR_EXPERIMENTS = {"matplotlib": "matplotlib"}


class EnvironmentProblem(RuntimeError):
    """The interpreter cannot run the course; the message says what is missing and how to fix it."""


def _toml_reader_missing() -> bool:
    if sys.version_info >= (3, 11):
        return False
    return importlib.util.find_spec("tomli") is None


def fix_command() -> str:
    venv = ROOT / ".venv"
    activate = f". {venv.relative_to(Path.cwd()) if venv.is_relative_to(Path.cwd()) else venv}/bin/activate"
    if venv.is_dir() and Path(sys.prefix).resolve() != venv.resolve():
        return f"activate the course's environment first: {activate}"
    return f"install the kit into this Python: {Path(sys.executable).name} -m pip install -e ."


def problems(experiments: bool = False) -> list[str]:
    """What this interpreter lacks to grade (and, with ``experiments``, to draw figures)."""
    found = []
    if sys.version_info < MINIMUM_PYTHON:
        found.append(f"Python {'.'.join(map(str, MINIMUM_PYTHON))} or newer is needed, this is "
                     f"{sys.version.split()[0]} ({sys.executable})")
    needed = {**REQUIRED, **(FOR_EXPERIMENTS if experiments else {})}
    missing = [package for module, package in needed.items() if importlib.util.find_spec(module) is None]
    if _toml_reader_missing():
        missing.append("tomli")
    if missing:
        found.append(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not installed for {sys.executable}")
    return found


def check(experiments: bool = False) -> None:
    """Raise ``EnvironmentProblem`` naming every problem and the command that fixes it."""
    found = problems(experiments)
    if found:
        raise EnvironmentProblem("; ".join(found) + f". To fix it, {fix_command()}")
