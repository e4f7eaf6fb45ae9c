"""The grader never lies and never loses work: each fault a learner (or their machine) really
produces, injected into a scratch copy, ends in bounded time with a true sentence, costs only
the tests it broke, and touches no work of the learner's.

Bounded time is enforced by each subprocess's timeout (the test fails if the grader hangs);
no test asserts a duration.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from tools.curriculum import ROOT, tomllib
from tools.make_exercises import generate

GRADER = [sys.executable, str(ROOT / "grader.py")]
QUIET = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1"}


def grader(*args, timeout=120, env=None, executable=None, stdin=subprocess.DEVNULL):
    command = [executable, str(ROOT / "grader.py")] if executable else GRADER
    completed = subprocess.run([*command, *args], cwd=ROOT, capture_output=True, timeout=timeout,
                               env={**QUIET, **(env or {})}, stdin=stdin)
    return completed.returncode, completed.stdout.decode("utf-8", "replace") + completed.stderr.decode("utf-8", "replace")


def reference_copy(tmp_path, file=None, find=None, replace=None):
    destination = tmp_path / "learner"
    shutil.copytree(ROOT / "solutions", destination, ignore=shutil.ignore_patterns("__pycache__"))
    if file:
        path = destination / "learndyn" / file
        source = path.read_text()
        assert source.count(find) == 1, f"fault fixture out of date: {find!r} not found once in {file}"
        path.write_text(source.replace(find, replace))
    return destination


EXP_BODY = "        data = np.exp(self.data)\n"  # task 1.5: a fault here must cost task 1.5 only


def task_line(output: str, task: str) -> str:
    match = re.search(rf"^\s+(ok|FAIL)\s+{re.escape(task)}\s.*$", output, re.MULTILINE)
    assert match, f"task {task} is not in the report:\n{output[-3000:]}"
    return match.group(0)


def assert_costs_only_task_1_5(output: str) -> None:
    for task in ("1.1", "1.2", "1.3", "1.4", "1.6", "1.7"):
        assert task_line(output, task).split()[0] == "ok", f"a fault in exp cost task {task} too:\n{output[-4000:]}"
    assert task_line(output, "1.5").split()[0] == "FAIL"


# --- work lost ----------------------------------------------------------------------------------

def test_plain_pytest_collects_only_the_stage_tests():
    completed = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q"], cwd=ROOT,
                               capture_output=True, text=True, timeout=120)
    ids = [line for line in completed.stdout.splitlines() if "::" in line]
    assert ids and all(line.startswith("tests/stage") for line in ids), (
        "plain `python -m pytest` (the learner's command) must collect no maintainer checks: "
        + ", ".join(line for line in ids if not line.startswith("tests/stage"))[:500])


def test_the_stage_test_folders_of_pytest_and_the_curriculum_agree():
    from tools.curriculum import load_curriculum

    configured = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["testpaths"]
    assert configured == [stage.tests for stage in load_curriculum()]


def test_make_exercises_refuses_to_overwrite_edits_and_backs_them_up_when_forced(tmp_path):
    tool = [sys.executable, str(ROOT / "tools" / "make_exercises.py"), "--out", str(tmp_path)]
    first = subprocess.run(tool, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    tensor = tmp_path / "learndyn" / "tensor.py"
    tensor.write_text(tensor.read_text() + "\n# my work\n")
    refused = subprocess.run(tool, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1 and "refusing" in refused.stderr and "--force" in refused.stderr
    assert tensor.read_text().endswith("# my work\n"), "the learner's edit must survive"
    forced = subprocess.run([*tool, "--force"], capture_output=True, text=True, timeout=120)
    assert forced.returncode == 0, forced.stderr
    backup = re.search(r"to (\S+)", forced.stdout)
    assert backup, forced.stdout
    saved = list((ROOT / backup.group(1)).rglob("tensor.py")) if not os.path.isabs(backup.group(1)) else \
        list(type(tmp_path)(backup.group(1)).rglob("tensor.py"))
    assert saved and saved[0].read_text().endswith("# my work\n"), f"no backup of the edit in {backup.group(1)}"
    shutil.rmtree(saved[0].parents[2])
    again = subprocess.run(tool, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, "an untouched copy is regenerated without --force"


def test_two_resets_in_the_same_second_keep_two_backups(tmp_path):
    from tools.reset import apply_reset, plan_reset

    learner = tmp_path / "learner"
    generate(learner, only=set(), as_learner=True)  # a learner who solved every task
    backups = tmp_path / "backups"
    first = apply_reset(plan_reset(["1.1"], exercises=learner), exercises=learner, backups=backups)
    second = apply_reset(plan_reset(["1.2"], exercises=learner), exercises=learner, backups=backups)
    assert first != second, "each backup needs a folder of its own"
    saved = [next(folder.rglob("tensor.py")).read_text() for folder in (first, second)]
    assert "task 1.1 (" not in saved[0] and "task 1.1 (" in saved[1], "the first backup holds the work on 1.1"


def test_reset_restores_a_deleted_package(tmp_path):
    generate(tmp_path)
    shutil.rmtree(tmp_path / "learndyn")
    from tools.reset import apply_reset, plan_reset

    apply_reset(plan_reset(["1.1"], exercises=tmp_path), exercises=tmp_path, backups=tmp_path / "backups")
    assert (tmp_path / "learndyn" / "tensor.py").is_file()


def test_ctrl_d_at_the_reset_prompt_changes_nothing(tmp_path):
    import pty

    learner = tmp_path / "learner"
    generate(learner, only=set(), as_learner=True)  # work on every task: reset 1.1 has something to undo
    tensor = learner / "learndyn" / "tensor.py"
    before = tensor.read_bytes()
    main, secondary = pty.openpty()
    process = subprocess.Popen([*GRADER, "reset", "1.1", "--target", str(learner)], cwd=ROOT, stdin=secondary,
                               stdout=secondary, stderr=secondary, env=QUIET)
    os.close(secondary)
    os.write(main, b"\x04")
    output = b""
    try:
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
    finally:
        process.wait(timeout=60)
        os.close(main)
    text = output.decode("utf-8", "replace")
    assert "Reset 1.1" in text, f"the prompt should have been shown:\n{text}"
    assert process.returncode == 0 and "internal error" not in text, text
    assert tensor.read_bytes() == before


# --- the environment is the grader's problem -----------------------------------------------------

def _bare_python(tmp_path, base: str, keep_site_packages_without: str | None = None) -> tuple[str, dict]:
    """A venv without the kit's packages (the forgotten `activate`), optionally seeing ours minus one."""
    venv = tmp_path / "bare"
    subprocess.run([base, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    env = {}
    if keep_site_packages_without:
        import site

        mirror = tmp_path / "site"
        mirror.mkdir()
        for folder in site.getsitepackages():
            for entry in os.scandir(folder):
                if not entry.name.startswith(keep_site_packages_without) and not (mirror / entry.name).exists():
                    (mirror / entry.name).symlink_to(entry.path)
        env["PYTHONPATH"] = str(mirror)
    return str(venv / "bin" / "python"), env


def test_without_the_kit_s_packages_the_grader_exits_2_with_the_fix(tmp_path):
    python, env = _bare_python(tmp_path, sys.executable)
    code, output = grader("stage1", executable=python, env=env)
    assert code == 2, output
    fix = ". .venv/bin/activate" if (ROOT / ".venv").is_dir() else "pip install -e ."  # the course's venv, if made
    assert "numpy" in output and "pytest-timeout" in output and fix in output, output
    assert "os._exit" not in output and "autograd.py" not in output, "never blamed on the learner's code"


def test_without_pytest_timeout_alone_the_grader_exits_2_naming_it(tmp_path):
    python, env = _bare_python(tmp_path, sys.executable, keep_site_packages_without="pytest_timeout")
    code, output = grader("1.1", executable=python, env=env)
    assert code == 2, output
    assert "pytest-timeout is not installed" in output and "numpy" not in output.split("To fix")[0], output


def _python_3_10():
    """A working Python 3.10 (on PATH, or one of pyenv's), or None."""
    candidates = [shutil.which("python3.10")]
    if shutil.which("pyenv"):
        pyenv = subprocess.run(["pyenv", "root"], capture_output=True, text=True).stdout.strip()
        candidates += sorted(str(p) for p in (type(ROOT)(pyenv) / "versions").glob("3.10*/bin/python3.10"))
    for candidate in filter(None, candidates):
        check = subprocess.run([candidate, "-c", "import sys; assert sys.version_info[:2] == (3, 10)"], capture_output=True)
        if check.returncode == 0:
            return candidate
    return None


def test_python_3_10_without_tomli_gets_exit_2_not_a_traceback(tmp_path):
    base = _python_3_10()
    if base is None:
        pytest.skip("no Python 3.10 on this machine (.ci/oldest runs the full check where there is one)")
    python, env = _bare_python(tmp_path, base)
    code, output = grader("stage1", executable=python, env=env)
    assert code == 2 and "tomli" in output and "Traceback" not in output, output


def test_license_is_an_spdx_expression_with_its_file():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT" and (ROOT / "LICENSE").is_file()


# --- hangs: reported within seconds, with the learner's line ---------------------------------------

def test_an_infinite_loop_at_import_is_reported_with_its_line(tmp_path):
    learner = reference_copy(tmp_path, "autograd.py", "_grad_enabled = True\n", "_grad_enabled = True\nwhile True:\n    pass\n")
    code, output = grader("stage1", "--target", str(learner), timeout=90)
    assert code == 1, output
    assert "infinite loop at import" in output and re.search(r"autograd\.py:\d+", output), output


def test_a_learner_that_ignores_sigalrm_is_still_stopped_and_only_its_task_fails(tmp_path):
    learner = reference_copy(tmp_path, "tensor.py", EXP_BODY,
                             "        import signal; signal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
                             "        while True:\n            pass\n")
    code, output = grader("stage1", "--target", str(learner), "--timeout", "2", "-v", timeout=120)
    assert code == 1
    assert "did not finish within 2 s" in output and re.search(r"tensor\.py:\d+", output), output
    assert_costs_only_task_1_5(output)


def test_a_loop_in_a_function_costs_its_task_only(tmp_path):
    learner = reference_copy(tmp_path, "tensor.py", EXP_BODY, "        while True:\n            pass\n")
    code, output = grader("stage1", "--target", str(learner), "--timeout", "2", "-v", timeout=120)
    assert code == 1 and "timed out after 2 s" in output, output
    assert_costs_only_task_1_5(output)


def test_leftover_threads_and_child_processes_neither_delay_nor_survive_the_verdict(tmp_path):
    pid_file = tmp_path / "child.pid"
    learner = reference_copy(
        tmp_path, "autograd.py", "_grad_enabled = True\n",
        "_grad_enabled = True\nimport subprocess as _s, threading as _t, time as _time\n"
        f"_child = _s.Popen(['sleep', '300']); open({str(pid_file)!r}, 'w').write(str(_child.pid))\n"
        "_t.Thread(target=lambda: _time.sleep(300)).start()\n")
    code, output = grader("stage1", "--target", str(learner), timeout=90)
    assert code == 0, f"the learner's tasks pass; leftovers must not change that:\n{output[-3000:]}"
    pid = int(pid_file.read_text())
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.kill(pid, 9)
        pytest.fail("the learner's child process outlived the grading run")


# --- one fault costs one test --------------------------------------------------------------------

FAULTS_IN_EXP = {
    "an exception whose __str__ raises": (
        "        class Weird(Exception):\n            def __str__(self):\n                raise RuntimeError('no')\n"
        "        raise Weird()\n", "Weird"),
    "a KeyboardInterrupt raised by the code": ("        raise KeyboardInterrupt\n", "KeyboardInterrupt"),
    "os._exit": ("        import os; os._exit(3)\n", "exit code 3"),
    "a segmentation fault": ("        import ctypes; ctypes.string_at(0)\n", "segmentation fault (signal 11)"),
    "an abort": ("        import os; os.abort()\n", "aborted (signal 6)"),
}


@pytest.mark.parametrize("fault", FAULTS_IN_EXP)
def test_a_fault_in_one_function_costs_only_its_task_and_is_named(fault, tmp_path):
    replace, words = FAULTS_IN_EXP[fault]
    learner = reference_copy(tmp_path, "tensor.py", EXP_BODY, replace)
    code, output = grader("stage1", "--target", str(learner), "-v", timeout=120)
    assert code == 1
    assert words in output, f"{fault}: expected {words!r} in:\n{output[-3000:]}"
    assert_costs_only_task_1_5(output)
    if fault in ("os._exit", "a segmentation fault", "an abort"):
        assert "test_1_05" in output and re.search(r"tensor\.py:\d+", output), "names the running test and the line"


def test_every_format_keeps_the_scores_of_correct_tasks_after_a_crash(tmp_path):
    learner = reference_copy(tmp_path, "tensor.py", EXP_BODY, "        import ctypes; ctypes.string_at(0)\n")
    out = tmp_path / "results.json"
    code, output = grader("stage1", "--target", str(learner), "--format", "gradescope", "--out", str(out), timeout=120)
    assert code == 1, output
    scores = {t["number"]: t["score"] for t in json.loads(out.read_text())["tests"]}
    assert scores["1.5"] == 0 and all(scores[t] > 0 for t in scores if t != "1.5"), scores


# --- output hygiene ------------------------------------------------------------------------------

def test_control_characters_and_floods_from_the_learner_are_escaped_and_capped(tmp_path):
    learner = reference_copy(tmp_path, "tensor.py", EXP_BODY,
                             "        raise ValueError('\\x1b[2J\\x1b[31mred\\x00nul\\x0cfeed' + 'x' * 1_000_000)\n")
    code, output = grader("stage1", "--target", str(learner), "-v", timeout=120)
    assert code == 1
    assert "\x1b" not in output and "\x00" not in output and "\x0c" not in output, "raw control bytes reached the terminal"
    assert "\\x1b[31mred" in output, "escaped, so the learner can still read them"
    assert len(output) < 30_000, f"{len(output)} characters: a flood must be cut"


def test_a_huge_message_at_import_is_printed_once_and_capped(tmp_path):
    learner = reference_copy(tmp_path, "autograd.py", "_grad_enabled = True\n",
                             "_grad_enabled = True\nraise ImportError('y' * 1_000_000)\n")
    code, output = grader("stage1", "--target", str(learner), timeout=90)
    assert code == 1 and "could not be imported" in output
    assert len(output) < 20_000, f"{len(output)} characters"


def test_a_lone_surrogate_under_strict_utf8_output_does_not_crash_the_grader(tmp_path):
    learner = reference_copy(tmp_path, "tensor.py", EXP_BODY, "        raise ValueError('bad \\ud800 surrogate')\n")
    code, output = grader("stage1", "--target", str(learner), env={"PYTHONIOENCODING": "utf-8:strict"}, timeout=120)
    assert code == 1 and "internal error" not in output, output


def test_an_editor_lock_file_in_the_package_is_ignored(tmp_path):
    learner = tmp_path / "learner"
    generate(learner)  # the stubs: every task fails, so the grader looks for stubs and regions in every file
    (learner / "learndyn" / ".#tensor.py").symlink_to("user@host.1234:1700000000")  # emacs's dangling lock
    for args in (["stage1"], ["1.5"], ["watch", "1.1", "--once"], ["hint"]):
        code, output = grader(*args, "--target", str(learner), timeout=120)
        assert code in (0, 1) and "internal error" not in output and "Traceback" not in output, f"{args}: {output[-2000:]}"



def test_passes_run_by_parallel_threads_never_take_each_other_for_orphans(tmp_path):
    """Hunting the learner's orphans must not kill (and reap) a pass another thread has just started:
    its run would then end 'before any test ran' with a made-up exit code 0."""
    from concurrent.futures import ThreadPoolExecutor

    from tools.runner import run_pass

    def one(number: int) -> int | None:
        scratch = tmp_path / str(number)
        scratch.mkdir()
        return run_pass([sys.executable, "-c", "import sys; sys.exit(5)"], dict(os.environ), scratch, scratch, 0,
                        time.monotonic() + 60).returncode

    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(one, range(40)))
    assert codes == [5] * 40, f"exit codes of 40 passes that all exit with 5: {codes}"
