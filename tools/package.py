"""A Gradescope autograder for the course, in one zip, and the script that runs it there.

``python grader.py package gradescope --out autograder.zip [STAGES]`` writes a zip with
``setup.sh`` and ``run_autograder`` at its top and the course beside them: the grader and
its tools, the stage tests and their helpers, the curriculum, and the untouched stubs (the
reference is not needed: a submission is placed over the stubs).  The course's manifests
are rewritten for exactly the files packed, so the integrity checks hold there.

On Gradescope, ``setup.sh`` installs the kit's dependencies and creates an unprivileged
user ``student``; ``run_autograder`` (as root) calls ``run`` below, which places the
submission (``$AUTOGRADER_ROOT/submission``: a ``learndyn/`` folder or the contents of
``exercises/learndyn``) into a fresh copy, grades it with the student's code running as
``student`` (the course stays root's and read-only), and writes
``$AUTOGRADER_ROOT/results/results.json``, also when the submission cannot be graded.
"""
from __future__ import annotations

import argparse
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.integrity import TEST_IDS, collect_test_ids, digest_lines  # noqa: E402
from tools.make_exercises import STUBS, generate, generated_manifest, package_digest  # noqa: E402
from tools.submission import SubmissionError, place_submission  # noqa: E402

STUDENT = "student"  # the unprivileged user setup.sh creates for running submissions
PACKED = ["grader.py", "pyproject.toml", "LICENSE", "tools", "curriculum", "tests/conftest.py", "tests/oracle"]
NOT_PACKED = ("__pycache__", "*.pyc", "tests.sha256")

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when the autograder image is built.
set -euo pipefail
cd /autograder/source
python3 -m pip install --quiet --disable-pip-version-check .   # the kit's dependencies (it installs nothing importable)
id {student} >/dev/null 2>&1 || useradd --no-create-home --shell /usr/sbin/nologin {student}
chown -R root:root /autograder/source
chmod -R go-w,a+rX /autograder/source   # the student's code can read the course, never change it
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for every submission; it always writes $AUTOGRADER_ROOT/results/results.json.
root="${{AUTOGRADER_ROOT:-/autograder}}"
exec python3 "$root/source/tools/package.py" run --root "$root"{stages}
"""


def stage_folders(stages: list[str]) -> list[str]:
    from tools.curriculum import load_curriculum

    chosen = [s for s in load_curriculum() if not stages or s.name in stages or str(s.number) in stages]
    return [s.tests for s in chosen]


def build_gradescope(out: Path, stages: list[str]) -> Path:
    """Write the autograder zip to ``out`` (grading ``stages``, or all) and return it."""
    with tempfile.TemporaryDirectory(prefix="learndyn-package-") as scratch:
        course = Path(scratch) / "source"
        course.mkdir()
        for name in PACKED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, course / name, ignore=shutil.ignore_patterns(*NOT_PACKED))
            else:
                (course / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, course / name)
        for folder in stage_folders(stages):
            shutil.copytree(ROOT / folder, course / folder, ignore=shutil.ignore_patterns(*NOT_PACKED))
        for stubs in (course / "exercises", course / STUBS.relative_to(ROOT)):  # the learner's, and tools/stubs for placing
            generate(stubs)  # fresh stubs, whatever the state of this copy's exercises/
            generated_manifest(stubs).write_text(package_digest(stubs))
        folders = tuple(folder.rstrip("/") + "/" for folder in stage_folders(stages))
        ids = [line for line in collect_test_ids(ROOT).splitlines(keepends=True) if line.split("\t")[-1].startswith(folders)]
        (course / TEST_IDS.relative_to(ROOT)).write_text("".join(ids))
        (course / "curriculum" / "course.sha256").write_text(digest_lines(course))
        chosen = " --stages " + " ".join(stages) if stages else ""
        (course / "setup.sh").write_text(SETUP.format(student=STUDENT))
        (course / "run_autograder").write_text(RUN.format(stages=chosen))
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(course.rglob("*")):
                if path.is_file():
                    info = zipfile.ZipInfo(str(path.relative_to(course)))
                    info.external_attr = (0o755 if path.name in ("setup.sh", "run_autograder") else 0o644) << 16
                    info.compress_type = zipfile.ZIP_DEFLATED
                    bundle.writestr(info, path.read_bytes())
    return out


def _results(path: Path, output: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"score": 0.0, "output": output, "output_format": "text", "tests": []}, indent=2))


def _student() -> pwd.struct_passwd | None:
    """The unprivileged user to run the submission as, when we are root and it exists."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(STUDENT)
    except KeyError:
        return None


def run(root: Path, stages: list[str]) -> int:
    """Grade ``root/submission`` into ``root/results/results.json``; returns the grader's exit code."""
    results = root / "results" / "results.json"
    work = Path(tempfile.mkdtemp(prefix="learndyn-submission-"))
    try:
        place_submission(root / "submission", work)
    except SubmissionError as error:
        _results(results, f"The submission could not be graded: {error}")
        return 0
    student = _student()
    env = dict(os.environ, NO_COLOR="1")
    if student is not None:
        for path in [work, *work.rglob("*")]:
            os.chown(path, student.pw_uid, student.pw_gid)
        env["LEARNDYN_RUN_AS"] = STUDENT
    completed = subprocess.run([sys.executable, str(ROOT / "grader.py"), *(stages or ["all"]), "--target", str(work),
                                "--format", "gradescope", "--out", str(results)], cwd=ROOT, env=env,
                               capture_output=True, text=True, errors="replace")
    print(completed.stdout + completed.stderr)
    if completed.returncode == 2 or not results.exists():
        _results(results, "The autograder could not run (this is not the submission's fault):\n"
                 + (completed.stdout + completed.stderr)[-3000:])
    shutil.rmtree(work, ignore_errors=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    running = commands.add_parser("run", help="grade $AUTOGRADER_ROOT/submission (what run_autograder calls)")
    running.add_argument("--root", type=Path, default=Path(os.environ.get("AUTOGRADER_ROOT", "/autograder")))
    running.add_argument("--stages", nargs="*", default=[])
    args = parser.parse_args(argv)
    return run(args.root, args.stages)


if __name__ == "__main__":
    sys.exit(main())
