"""The test harness: which copy of learndyn is graded, and which task each test belongs to.

* ``--target=exercises`` (the default) or ``--target=solutions`` (or a path to
  any folder holding a ``learndyn`` package; the environment variable
  ``LEARNDYN_TARGET`` sets the same) puts that folder first on ``sys.path``.
  A guard then checks that ``learndyn.__file__`` really lies under it, and the
  header of the run says which copy was graded.
* Every test under ``tests/stageN_*/`` must carry exactly one
  ``@pytest.mark.task("N.k")`` of a task of stage N listed in ``curriculum/``;
  collection fails otherwise.
* With ``LEARNDYN_RESULTS=FILE`` each test's outcome is appended to FILE as one
  JSON line as soon as it is known (``tools/results_channel.py``; the grader reads
  it, and a crash mid-run loses nothing that was already graded).  Results are
  written by ``tools/pytest_watchdog.py``, which the grader loads as a plugin (it
  also turns hangs and crashes into events); this file records only what happens
  while it imports the learner's package.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

# One BLAS thread: the tests' matrices are small, and on a 2-core machine that is busy
# OpenBLAS's threads made a 256x256 matmul 20x slower.  Must be set before NumPy loads.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.curriculum import all_tasks  # noqa: E402
from tools.results_channel import record  # noqa: E402
from tools.sanitize import safe_str  # noqa: E402

STAGE_FOLDER = re.compile(r"stage(\d+)_")
TASKS = all_tasks()


def pytest_addoption(parser):
    parser.addoption(
        "--target",
        default=os.environ.get("LEARNDYN_TARGET", "exercises"),
        help="which learndyn to grade: exercises (default), solutions, or a folder holding learndyn/",
    )
    parser.addoption("--task", action="append", default=[], help="run only the tests of this task (repeatable)")


def target_root(config) -> Path:
    target = config.getoption("--target")
    path = ROOT / target if target in ("exercises", "solutions") else Path(target).resolve()
    if not (path / "learndyn" / "__init__.py").is_file():
        raise pytest.UsageError(f"--target={target}: no learndyn package under {path}")
    return path


def pytest_configure(config):
    config.addinivalue_line("markers", "task(id): the course task this test grades, e.g. task('2.3')")
    root = target_root(config)
    config.learndyn_root = root
    for name in [m for m in sys.modules if m == "learndyn" or m.startswith("learndyn.")]:
        del sys.modules[name]
    sys.path.insert(0, str(root))
    try:
        import learndyn
    except BaseException as error:  # a syntax error, an import error, even sys.exit() in the learner's code
        where = _innermost_location(error, root)
        message = f"{type(error).__name__}: {safe_str(error)}"
        record({"event": "import-error", "message": message, "location": where})
        raise pytest.UsageError(f"could not import learndyn from {root}: {message} ({where})") from None
    record({"event": "configured"})

    location = Path(learndyn.__file__).resolve()
    if root.resolve() not in location.parents:
        raise pytest.UsageError(
            f"refusing to grade: --target asked for {root} but `import learndyn` found {location}. "
            "Is another learndyn installed (pip uninstall learndyn)?"
        )
    config.learndyn_location = location.parent


def _innermost_location(error: BaseException, root: Path) -> str:
    """file:line of the deepest frame of ``error`` inside ``root`` (for a SyntaxError, the bad line)."""
    if isinstance(error, SyntaxError) and error.filename:
        return f"{error.filename}:{error.lineno}"
    where = ""
    traceback = error.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if str(root) in filename:
            where = f"{filename}:{traceback.tb_lineno}"
        traceback = traceback.tb_next
    return where


def pytest_report_header(config):
    copy = config.learndyn_root.name
    return f"learndyn: grading the {copy} copy ({config.learndyn_location})"


def pytest_collection_modifyitems(config, items):
    problems = []
    for item in items:
        match = STAGE_FOLDER.search(Path(item.fspath).parent.name)
        if not match:
            continue
        markers = [m for m in item.iter_markers("task")]
        if len(markers) != 1 or len(markers[0].args) != 1:
            problems.append(f"{item.nodeid}: needs exactly one @pytest.mark.task('N.k'), has {len(markers)}")
            continue
        task = str(markers[0].args[0])
        if task not in TASKS:
            problems.append(f"{item.nodeid}: task {task} is not in curriculum/")
        elif TASKS[task].stage_number != int(match.group(1)):
            problems.append(f"{item.nodeid}: task {task} belongs to stage {TASKS[task].stage_number}, not this folder's")
        item.user_properties.append(("task", task))
    if problems:
        raise pytest.UsageError("unmarked or mis-marked stage tests:\n  " + "\n  ".join(problems))
    wanted = set(config.getoption("--task"))
    if wanted:  # tests outside the stage folders (the grader's canary) are not a task's: they stay
        keep = [item for item in items if dict(item.user_properties).get("task", "") in wanted
                or not STAGE_FOLDER.search(Path(item.fspath).parent.name)]
        config.hook.pytest_deselected(items=[item for item in items if item not in keep])
        items[:] = keep
