#!/usr/bin/env python3
"""learndyn's grader: which tasks of the kata work, and what to do next.

    python grader.py                  progress over all stages, and the next task
    python grader.py stage2           one stage, task by task (also: 2, all)
    python grader.py --solutions all  grade the reference instead of your exercises/
    python grader.py hint 2.3 [--more]
    python grader.py watch [stage2]   re-grade whenever you save a file under exercises/
    python grader.py reset 2.3        restore the stub of a task (or a stage), after asking; keeps a backup
    python grader.py run xor          run an experiment, write its figure to figures/
    python grader.py run --list

Exit codes: 0 every graded task passes, 1 some task fails (also when the code
crashes or hangs), 2 the grader itself could not run.  Standard library only:
the tests run in a pytest subprocess, so nothing your code does can hang or
crash the grader, and the grader never writes to your files (only `reset`
writes, after asking, and it keeps a backup).
"""
from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from tools.curriculum import Stage, all_tasks, load_curriculum  # noqa: E402
from tools.grading import run_tests, target_root  # noqa: E402
from tools.integrity import changed_test_files  # noqa: E402
from tools.report import FORMATS, Style, render_text  # noqa: E402
from tools.reset import ResetError, apply_reset, plan_reset  # noqa: E402

EXIT_PASS, EXIT_FAIL, EXIT_ERROR = 0, 1, 2
EXPERIMENT_TIME_LIMIT = 600  # seconds; every experiment takes a few with the reference


class GraderError(Exception):
    """A problem with the grader's own input (unknown stage or task): exit code 2."""


def select_stages(stages: list[Stage], which: str) -> list[Stage]:
    if which == "all":
        return stages
    name = which if which.startswith("stage") else f"stage{which}"
    chosen = [s for s in stages if s.name == name]
    if not chosen:
        raise GraderError(f"unknown stage {which!r}; choose one of: all, " + ", ".join(s.name for s in stages))
    return chosen


def prerequisite_note(stage: Stage, stages: list[Stage], report) -> str:
    """A plain sentence when a stage's prerequisites still fail (their failures explain this stage's)."""
    failing = [(s, [g for g in report.stage_grades(s) if not g.ok]) for s in stages if s.name in stage.requires]
    failing = [(s, bad) for s, bad in failing if bad]
    if not failing:
        return ""
    count = sum(len(bad) for _, bad in failing)
    names = ", ".join(s.name for s, _ in failing)
    return (f"Note: {stage.name} uses your work from {names}; {count} task(s) there still fail, so some failures "
            f"below may come from there. Run `python grader.py {failing[0][0].name}` first.")


def grade(args) -> int:
    stages = load_curriculum()
    chosen = select_stages(stages, args.stage) if args.stage else stages
    root = target_root(args.solutions, args.target)
    if not (root / "learndyn" / "__init__.py").is_file():
        raise GraderError(f"no learndyn package under {root}")
    report = run_tests([s for s in chosen if s.built], root, per_test_timeout=args.timeout)
    if any(not g.ok for s in chosen for g in report.stage_grades(s)):
        # Only now is it worth grading the prerequisites: their failures may explain these.
        required = {name for stage in chosen for name in stage.requires}
        prerequisites = [s for s in stages if s.name in required and s not in chosen and s.built]
        if prerequisites:
            report.grades.update(run_tests(prerequisites, root, per_test_timeout=args.timeout).grades)
    style = Style()
    if args.format == "text":
        notes = [prerequisite_note(s, stages, report) for s in chosen if s.built and not set(s.requires) & {c.name for c in chosen}]
        changed = changed_test_files()
        if changed:
            notes.insert(0, style.bad(f"Warning: {len(changed)} test file(s) differ from the course's ({', '.join(changed[:3])}"
                                      f"{', ...' if len(changed) > 3 else ''}): your grades may differ from your instructor's."))
        body = render_text(chosen, report, args.verbose, progress_only=args.stage is None, style=style)
        text = "\n".join([n for n in notes if n] + [body])
    else:
        text = FORMATS[args.format](chosen, report)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        print(f"wrote {args.format} results to {args.out}")
    else:
        print(text)
    grades = [g for s in chosen for g in report.stage_grades(s)]
    return EXIT_PASS if grades and all(g.ok for g in grades) and not report.problem else EXIT_FAIL


def hint(args) -> int:
    tasks = all_tasks()
    if args.task not in tasks:
        raise GraderError(f"unknown task {args.task!r}; tasks are " + ", ".join(tasks))
    task = tasks[args.task]
    print(f"Task {task.id}: {task.title}\n  edit: {task.file} ({task.function})\n  hint: {task.hint}")
    if args.more and task.more:
        print(f"  more: {task.more}")
    elif task.more:
        print(f"  (python grader.py hint {task.id} --more for more)")
    return EXIT_PASS


def watch(args) -> int:
    """Poll the graded files once a second; re-grade (with a clear screen) whenever one changes."""
    root = target_root(args.solutions, args.target)

    def snapshot():
        return {p: p.stat().st_mtime_ns for p in (root / "learndyn").rglob("*.py")}

    grade_args = parser().parse_args([*([args.stage] if args.stage else []), *(["--solutions"] if args.solutions else []),
                                      *(["--target", args.target] if args.target else [])])
    interactive = sys.stdout.isatty()
    seen = None
    try:
        while True:
            current = snapshot()
            if current != seen:
                seen = current
                if interactive:
                    print("\033[2J\033[H", end="")
                grade(grade_args)
                print(f"\nwatching {root.name}/ for changes: save a file to re-grade, Ctrl-C to stop")
                if args.once:
                    return EXIT_PASS
            time.sleep(args.interval)
    except KeyboardInterrupt:
        print("\nstopped watching")
        return EXIT_PASS


def reset(args) -> int:
    """Restore the stubs of a task or stage in exercises/, after asking; the old files are backed up."""
    stages = load_curriculum()
    tasks = all_tasks(stages)
    if args.what in tasks:
        chosen = [args.what]
    else:
        chosen = [t.id for s in select_stages(stages, args.what) for t in s.tasks]
    try:
        changes = plan_reset(chosen)
    except ResetError as error:
        raise GraderError(str(error)) from None
    if not changes:
        print(f"nothing to reset: {args.what} is already the untouched stub")
        return EXIT_PASS
    files = ", ".join(str(p.relative_to(ROOT)) for p in changes)
    if not args.yes:
        if not sys.stdin.isatty():
            raise GraderError("reset asks for confirmation; pass --yes when not running in a terminal")
        answer = input(f"Reset {args.what} to the stub in {files}? Your version is backed up first. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing changed")
            return EXIT_PASS
    backup = apply_reset(changes)
    print(f"reset {args.what} in {files}; your previous version is in {backup.relative_to(ROOT)}/")
    return EXIT_PASS


def run_experiment(args) -> int:
    experiments = {e.name: (stage, e) for stage in load_curriculum() for e in stage.experiments}
    if args.list or not args.name:
        for name, (stage, experiment) in experiments.items():
            print(f"{name:<22} {stage.name}  {experiment.about}")
        return EXIT_PASS
    if args.name not in experiments:
        raise GraderError(f"unknown experiment {args.name!r}; python grader.py run --list shows them")
    stage, experiment = experiments[args.name]
    root = target_root(args.solutions, args.target)
    figure = ROOT / "figures" / f"{args.name}.png"
    figure.parent.mkdir(exist_ok=True)
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import importlib\n"
        "module = importlib.import_module(sys.argv[2]); result = module.run(); module.plot(result, sys.argv[3])\n"
        "print(result.summary() if hasattr(result, 'summary') else result)\n"
    )
    try:
        completed = subprocess.run([sys.executable, "-c", script, str(root), experiment.module, str(figure)], cwd=ROOT,
                                   stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace",
                                   timeout=EXPERIMENT_TIME_LIMIT)
    except subprocess.TimeoutExpired:
        print(f"The experiment {args.name} was stopped after {EXPERIMENT_TIME_LIMIT} s: an infinite loop?")
        return EXIT_FAIL
    if completed.stdout.strip():
        print(completed.stdout.strip())
    if completed.returncode != 0:
        error = completed.stderr.strip().splitlines()[-1:] or [f"exit code {completed.returncode}"]
        print(f"The experiment {args.name} failed: {error[0]}\nIt runs on your code: do the tasks of {stage.name} pass? "
              f"(python grader.py {stage.name}){'' if args.verbose else '  Add -v for the full traceback.'}")
        if args.verbose:
            print(completed.stderr)
        return EXIT_FAIL
    print(f"figure written to {figure.relative_to(ROOT)}")
    return EXIT_PASS


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--solutions", action="store_true", help="grade the reference solutions/ instead of exercises/")
    common.add_argument("--target", metavar="DIR", help="grade the learndyn package in DIR (overrides --solutions)")
    main = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter, parents=[common])
    main.add_argument("stage", nargs="?", help="stage1 ... stage5 (or 1 ... 5), or all; none: progress over all stages")
    main.add_argument("-v", "--verbose", action="store_true", help="list every failing test")
    main.add_argument("--format", choices=["text", *FORMATS], default="text", help="output format (default text)")
    main.add_argument("--out", metavar="FILE", help="write the report to FILE instead of the screen")
    main.add_argument("--timeout", type=int, default=30, help="seconds allowed per test (default 30)")
    return main


def subcommand_parser(name: str) -> argparse.ArgumentParser:
    sub = argparse.ArgumentParser(prog=f"grader.py {name}")
    if name == "hint":
        sub.add_argument("task", help="a task id such as 2.3")
        sub.add_argument("--more", action="store_true", help="show the longer hint")
    elif name == "watch":
        sub.add_argument("stage", nargs="?", help="the stage to grade (default: progress over all)")
        sub.add_argument("--solutions", action="store_true", help="watch the reference instead")
        sub.add_argument("--target", metavar="DIR", help="watch the learndyn package in DIR")
        sub.add_argument("--interval", type=float, default=1.0, help="seconds between polls (default 1)")
        sub.add_argument("--once", action="store_true", help="grade once and stop (for scripts)")
    elif name == "reset":
        sub.add_argument("what", help="a task id such as 2.3, or a stage such as stage2")
        sub.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    else:
        sub.add_argument("name", nargs="?", help="the experiment to run")
        sub.add_argument("--list", action="store_true", help="list the experiments")
        sub.add_argument("--solutions", action="store_true", help="run it with the reference solutions/")
        sub.add_argument("--target", metavar="DIR", help="run it with the learndyn package in DIR")
        sub.add_argument("-v", "--verbose", action="store_true", help="show the full traceback when it fails")
    return sub


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if hasattr(signal, "SIGPIPE"):  # `python grader.py | head` ends quietly, like any Unix tool
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        if argv and argv[0] == "hint":
            return hint(subcommand_parser("hint").parse_args(argv[1:]))
        if argv and argv[0] == "run":
            return run_experiment(subcommand_parser("run").parse_args(argv[1:]))
        if argv and argv[0] == "watch":
            return watch(subcommand_parser("watch").parse_args(argv[1:]))
        if argv and argv[0] == "reset":
            return reset(subcommand_parser("reset").parse_args(argv[1:]))
        return grade(parser().parse_args(argv))
    except GraderError as error:
        print(f"grader: {error}", file=sys.stderr)
        return EXIT_ERROR
    except SystemExit as exit_:  # argparse: --help is 0, a usage error is 2
        return int(exit_.code or 0)
    except Exception as error:  # the grader's own failure, never the learner's
        print(f"grader: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
