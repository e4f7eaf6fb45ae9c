"""The switch between the two copies, the guard, and the collection check of task markers."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

from tools.curriculum import ROOT

ONE_TEST_FILE = "tests/stage1_tensor_ops/test_1_01_tensor_basics.py"


def pytest_run(*args, cwd=ROOT, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEARNDYN_")}
    env.update(env_extra or {})
    completed = subprocess.run([sys.executable, "-m", "pytest", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120)
    return completed.returncode, completed.stdout + completed.stderr


def test_default_target_is_the_learners_copy_and_the_header_says_so():
    code, output = pytest_run(ONE_TEST_FILE)
    assert code == 1, "the untouched exercises must fail"
    assert f"grading the exercises copy ({ROOT / 'exercises' / 'learndyn'})" in output


def test_target_option_and_environment_variable_select_the_reference():
    code, output = pytest_run(ONE_TEST_FILE, "--target=solutions")
    assert code == 0 and f"grading the solutions copy ({ROOT / 'solutions' / 'learndyn'})" in output
    code, output = pytest_run(ONE_TEST_FILE, env_extra={"LEARNDYN_TARGET": "solutions"})
    assert code == 0 and "grading the solutions copy" in output


def test_a_target_without_learndyn_is_refused(tmp_path):
    code, output = pytest_run(ONE_TEST_FILE, f"--target={tmp_path}")
    assert code == 4 and "no learndyn package" in output


def test_a_learndyn_found_elsewhere_is_refused(tmp_path):
    # A meta-path finder that serves learndyn from another folder, as an editable install of the
    # wrong copy would: the guard must notice that learndyn.__file__ is not under the target.
    (tmp_path / "impostor" / "learndyn").mkdir(parents=True)
    (tmp_path / "impostor" / "learndyn" / "__init__.py").write_text("")
    (tmp_path / "sitecustomize.py").write_text(
        "import importlib.machinery, sys\n"
        "class Finder:\n"
        "    @staticmethod\n"
        "    def find_spec(name, path=None, target=None):\n"
        f"        return importlib.machinery.PathFinder.find_spec(name, [{str(tmp_path / 'impostor')!r}]) if name == 'learndyn' else None\n"
        "sys.meta_path.insert(0, Finder)\n"
    )
    code, output = pytest_run(ONE_TEST_FILE, "--target=solutions", env_extra={"PYTHONPATH": str(tmp_path)})
    assert code == 4 and "refusing to grade" in output, output[-2000:]


def test_an_unmarked_stage_test_is_rejected_at_collection(tmp_path):
    copy = tmp_path / "kit"
    for part in ("tests/conftest.py", "tests/oracle", "tools", "curriculum", "solutions", "pyproject.toml"):
        source, target = ROOT / part, copy / part
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    (copy / "tests" / "stage1_tensor_ops").mkdir()
    (copy / "tests" / "stage1_tensor_ops" / "test_unmarked.py").write_text("def test_nothing():\n    assert True\n")
    (copy / "tests" / "stage1_tensor_ops" / "test_wrong_stage.py").write_text(
        "import pytest\n\n@pytest.mark.task('2.1')\ndef test_x():\n    assert True\n")
    code, output = pytest_run("--target=solutions", "tests/stage1_tensor_ops", cwd=copy)
    assert code == 4, output
    assert "test_unmarked.py::test_nothing: needs exactly one @pytest.mark.task" in output
    assert "task 2.1 belongs to stage 2" in output


def test_installing_the_kit_does_not_make_learndyn_importable(tmp_path):
    completed = subprocess.run([sys.executable, "-c", "import learndyn"], cwd=tmp_path, capture_output=True, text=True,
                               env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert completed.returncode != 0 and "No module named 'learndyn'" in completed.stderr
