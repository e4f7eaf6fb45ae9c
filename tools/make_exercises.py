"""Write exercises/ from solutions/: every marked block becomes a stub.

In ``solutions/`` the learner's part of the code is marked::

    # BEGIN SOLUTION 2.3
    ...reference code...
    # END SOLUTION

and this tool replaces each such block with
``raise NotImplementedError("stage 2, task 2.3 (<title>): implement <function> ...")``
at the block's indentation, between two comment lines that mark where the
learner's code goes (``grader.py reset`` finds the region by them).  Everything else (signatures, docstrings, the
scaffolding) is copied unchanged, so the two copies cannot drift.

    python tools/make_exercises.py                 # regenerate exercises/
    python tools/make_exercises.py --check         # exit 1 if exercises/ is out of date
    python tools/make_exercises.py --only 2.3 --out DIR   # stub only task 2.3 (maintainer checks)

It never loses a learner's work: the hashes of what it wrote last are kept in
``DIR/learndyn.sha256``; if any file under ``DIR/learndyn`` differs from them (the
learner edited it), it refuses, and with ``--force`` it first copies the edited
package to a new folder under ``.grader/backups/`` and says where.
"""
from __future__ import annotations

import argparse
import filecmp
import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.curriculum import load_curriculum  # noqa: E402
from tools.backups import back_up  # noqa: E402
from tools.integrity import changed_course_files, write_manifest  # noqa: E402
from tools.markers import SOLUTION_BEGIN as BEGIN, SOLUTION_END as END, enclosing_name, solved_lines, stub_lines  # noqa: E402

IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc")
EXERCISES = ROOT / "exercises"
STUBS = ROOT / "tools" / "stubs"  # a student release (tools/release.py) has no solutions/: its pristine stubs are here


class MarkerError(ValueError):
    """A malformed BEGIN/END SOLUTION block, reported with file and line."""


def stub_source(source: str, path: str, titles: dict[str, str], only: set[str] | None = None,
                as_learner: bool = False) -> str:
    """``source`` with its solution blocks (or only those of the tasks in ``only``) stubbed.

    ``as_learner`` writes the blocks that stay solved between the learner's region
    markers, as a learner who solved those tasks would have them.
    """
    lines = source.splitlines(keepends=True)
    out, i = [], 0
    while i < len(lines):
        begin = BEGIN.match(lines[i])
        if not begin:
            if END.match(lines[i]):
                raise MarkerError(f"{path}:{i + 1}: END SOLUTION without a BEGIN")
            if "BEGIN SOLUTION" in lines[i]:
                raise MarkerError(f"{path}:{i + 1}: malformed marker, expected '# BEGIN SOLUTION <task>' e.g. 2.3")
            out.append(lines[i])
            i += 1
            continue
        task, indent = begin["task"], begin["indent"]
        if task not in titles:
            raise MarkerError(f"{path}:{i + 1}: task {task} is not in curriculum/")
        end = next((j for j in range(i + 1, len(lines)) if END.match(lines[j]) or BEGIN.match(lines[j])), None)
        if end is None or BEGIN.match(lines[end]):
            raise MarkerError(f"{path}:{i + 1}: BEGIN SOLUTION {task} has no END SOLUTION before the next block")
        if only is not None and task not in only:
            out.extend(solved_lines(task, lines[i + 1 : end], indent) if as_learner else lines[i : end + 1])
        else:
            out.extend(stub_lines(task, titles[task], enclosing_name(lines, i, indent), indent))
        i = end + 1
    return "".join(out)


def generate(destination: Path, only: set[str] | None = None, as_learner: bool = False) -> None:
    """Write the stubbed copy of ``solutions/learndyn`` to ``destination/learndyn`` (see ``stub_source``)."""
    titles = {task.id: task.title for stage in load_curriculum() for task in stage.tasks}
    source_root = ROOT / "solutions" / "learndyn"
    if not source_root.is_dir():  # a student release: the stubs hold no blocks, so they are copied as they are
        source_root = STUBS / "learndyn"
    target_root = destination / "learndyn"
    if target_root.exists():
        shutil.rmtree(target_root)
    shutil.copytree(source_root, target_root, ignore=IGNORED)
    for path in sorted(target_root.rglob("*.py")):
        relative = path.relative_to(destination)
        path.write_text(stub_source(path.read_text(), str(relative), titles, only, as_learner))


def package_digest(destination: Path) -> str:
    """One line per file of ``destination/learndyn``: its SHA-256 and relative path."""
    package = destination / "learndyn"
    files = sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(destination).as_posix()}\n" for p in files)


def generated_manifest(destination: Path) -> Path:
    return destination / "learndyn.sha256"


def edited_files(destination: Path) -> list[str]:
    """Files under ``destination/learndyn`` that differ from what this tool last wrote there.

    Without a record of the last generation, every file that differs from a fresh
    generation counts as edited (the safe side).
    """
    if not (destination / "learndyn").exists():
        return []
    record = generated_manifest(destination)
    if record.is_file():
        last = dict(reversed(line.split("  ", 1)) for line in record.read_text().splitlines() if "  " in line)
        now = dict(reversed(line.split("  ", 1)) for line in package_digest(destination).splitlines())
        return sorted(name for name in last.keys() | now.keys() if last.get(name) != now.get(name))
    with tempfile.TemporaryDirectory() as scratch:
        generate(Path(scratch))
        return [f"learndyn/{name}" for name in differences(Path(scratch) / "learndyn", destination / "learndyn")]


def differences(left: Path, right: Path) -> list[str]:
    """Relative paths that differ between two trees (missing on either side or with other content)."""
    found = []
    comparison = filecmp.dircmp(left, right, ignore=["__pycache__"])
    stack = [(comparison, Path("."))]
    while stack:
        node, prefix = stack.pop()
        found += [str(prefix / name) for name in node.left_only + node.right_only]
        found += [str(prefix / name) for name in node.common_files if (Path(node.left) / name).read_bytes() != (Path(node.right) / name).read_bytes()]
        stack += [(sub, prefix / name) for name, sub in node.subdirs.items()]
    return sorted(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare exercises/ with a fresh generation")
    parser.add_argument("--only", nargs="+", metavar="TASK", help="stub only these tasks' blocks")
    parser.add_argument("--out", type=Path, default=EXERCISES, help="destination folder (default exercises/)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite edited files after backing them up (otherwise edits make it refuse)")
    args = parser.parse_args(argv)
    only = set(args.only) if args.only else None
    try:
        return run(args, only)
    except MarkerError as error:
        print(f"make_exercises: {error}", file=sys.stderr)
        return 1


def run(args, only: set[str] | None) -> int:
    if args.check:
        with tempfile.TemporaryDirectory() as scratch:
            generate(Path(scratch), only)
            stale = differences(Path(scratch) / "learndyn", args.out / "learndyn") if (args.out / "learndyn").exists() else ["learndyn/"]
        stale += [f"course manifest: {name}" for name in (changed_course_files() if args.out.resolve() == EXERCISES else [])]
        record = generated_manifest(args.out)
        if only is None and (not record.is_file() or record.read_text() != package_digest(args.out)):
            stale.append(f"{record.name} (the record of the last generation)")
        if stale:
            print(f"{args.out} (or the tests manifest) differs from what the generator writes:")
            print("\n".join(f"  {name}" for name in stale))
            print("This is expected in a learner's copy. Maintainers: python tools/make_exercises.py "
                  "(it refuses to overwrite edited files; --force backs them up first).")
            return 1
        print("exercises/ is in sync with solutions/, and the tests manifest with tests/")
        return 0
    edited = edited_files(args.out)
    if edited and not args.force:
        print(f"make_exercises: refusing to overwrite {len(edited)} edited file(s) in {args.out} "
              f"({', '.join(edited[:4])}{', ...' if len(edited) > 4 else ''}): they may hold a learner's work.\n"
              "Re-run with --force to overwrite them after a backup in .grader/backups/.", file=sys.stderr)
        return 1
    if edited:
        folder = back_up(sorted(p for p in (args.out / "learndyn").rglob("*") if p.is_file()), args.out)
        print(f"backed up {args.out / 'learndyn'} (with {len(edited)} edited file(s)) to {folder}")
    generate(args.out, only)
    generated_manifest(args.out).write_text(package_digest(args.out))
    if args.out.resolve() == EXERCISES and only is None:
        write_manifest()
    print(f"wrote {args.out / 'learndyn'}" + (f" (stubbed tasks: {', '.join(sorted(only))})" if only else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
