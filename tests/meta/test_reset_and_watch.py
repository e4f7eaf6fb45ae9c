"""`grader.py reset` restores a task's stub (with a backup) and `grader.py watch` re-grades."""
from __future__ import annotations

import subprocess
import sys

import pytest

from tools.curriculum import ROOT
from tools.make_exercises import generate
from tools.reset import ResetError, apply_reset, plan_reset

STUB_OF_2_3 = "raise NotImplementedError('stage 2, task 2.3"


@pytest.fixture
def learner(tmp_path):
    """A fresh copy of the stubs where the learner has written code for tasks 2.2 and 2.3."""
    generate(tmp_path)
    path = tmp_path / "learndyn" / "tensor.py"
    text = path.read_text()
    for task in ("2.2", "2.3"):
        marker = f"raise NotImplementedError('stage 2, task {task}"
        text = text.replace(marker, f"return 'my work on {task}'  # " + marker[:5], 1)
    path.write_text(text)
    return tmp_path


def test_reset_restores_only_the_chosen_task_and_keeps_a_backup(learner, tmp_path_factory):
    changes = plan_reset(["2.3"], exercises=learner)
    path = learner / "learndyn" / "tensor.py"
    assert list(changes) == [path]
    backups = tmp_path_factory.mktemp("backups")
    folder = apply_reset(changes, exercises=learner, backups=backups)
    text = path.read_text()
    assert STUB_OF_2_3 in text and "my work on 2.3" not in text, "task 2.3's stub should be back"
    assert "my work on 2.2" in text, "the learner's work on other tasks must be kept"
    backup = next(folder.rglob("tensor.py"))
    assert "my work on 2.3" in backup.read_text(), "the learner's version must be backed up"


def test_reset_refuses_when_the_markers_were_removed(learner):
    path = learner / "learndyn" / "tensor.py"
    path.write_text(path.read_text().replace("# --- end of task 2.3 ---", "", 1))
    with pytest.raises(ResetError, match="2.3"):
        plan_reset(["2.3"], exercises=learner)


def test_reset_without_a_terminal_needs_yes_and_changes_nothing():
    before = (ROOT / "exercises" / "learndyn" / "tensor.py").read_bytes()
    completed = subprocess.run([sys.executable, str(ROOT / "grader.py"), "reset", "2.3"], cwd=ROOT,
                               capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert completed.returncode in (0, 2)
    assert "--yes" in completed.stderr or "nothing to reset" in completed.stdout
    assert (ROOT / "exercises" / "learndyn" / "tensor.py").read_bytes() == before


def test_watch_grades_once_and_says_it_is_watching():
    completed = subprocess.run([sys.executable, str(ROOT / "grader.py"), "watch", "stage1", "--solutions", "--once"],
                               cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "stage1" in completed.stdout and "watching solutions/" in completed.stdout
