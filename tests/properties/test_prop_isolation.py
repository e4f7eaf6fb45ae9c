"""Hypothesis is the maintainer's tool: a learner's plain ``pytest`` and ``python grader.py`` never import it,
even where it is installed (its pytest plugin would, at the end of every run: pyproject.toml blocks it).

Each run below starts with a ``sitecustomize`` that installs an audit hook in every Python process
(children too, through PYTHONPATH): it notes that the process started, and any import of Hypothesis.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("hypothesis", reason="the generated tests need Hypothesis: pip install -e '.[dev]'")
pytestmark = pytest.mark.timeout(120)

ROOT = Path(__file__).resolve().parents[2]

WATCH = '''
import os, sys
_log = os.environ["LEARNDYN_IMPORT_WATCH"]
with open(_log, "a") as _f:
    _f.write(f"started {os.getpid()}\\n")
def _audit(event, args):
    if event == "import" and (args[0] == "hypothesis" or args[0].startswith("hypothesis.")):
        with open(_log, "a") as f:
            f.write(f"hypothesis imported in {os.getpid()} ({' '.join(sys.argv)[:200]}): {args[0]}\\n")
sys.addaudithook(_audit)
'''


@pytest.mark.parametrize("command", [
    ["-m", "pytest", "--collect-only", "-q"],  # the learner's plain run (collection is where plugins load)
    ["grader.py", "1.1"],                       # the grader, which runs pytest in a child process
], ids=["plain-pytest", "grader"])
def test_learner_runs_never_import_hypothesis(command, tmp_path):
    (tmp_path / "sitecustomize.py").write_text(WATCH)
    log = tmp_path / "imports.log"
    env = {**os.environ, "LEARNDYN_IMPORT_WATCH": str(log),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))}
    env.pop("LEARNDYN_TARGET", None)
    subprocess.run([sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=100)
    lines = log.read_text().splitlines() if log.exists() else []
    started = [line for line in lines if line.startswith("started")]
    expected_processes = 2 if command[0] == "grader.py" else 1
    assert len(started) >= expected_processes, f"the watch ran in {len(started)} processes, expected {expected_processes}: {lines}"
    imports = [line for line in lines if line.startswith("hypothesis imported")]
    assert not imports, "a learner's run imported Hypothesis:\n" + "\n".join(imports[:5])
