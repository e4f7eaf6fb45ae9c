#!/usr/bin/env python3
"""learndyn's grader: which tasks of the kata work, and what to do next.

    python grader.py                  progress over all stages, and the next task
    python grader.py stage2           one stage, task by task (also: 2, all)
    python grader.py 2.3              one task, in about a second
    python grader.py --solutions all  grade the reference instead of your exercises/
    python grader.py hint [2.3] [--more]   the hint of the task you are on (or of 2.3)
    python grader.py watch [stage2]   re-grade whenever you save: the task you edited first, then the rest
    python grader.py reset 2.3        restore the stub of a task (or a stage), after asking; keeps a backup
    python grader.py run xor          run an experiment, write its figure to figures/
    python grader.py run --list
    python grader.py compare 2.3      your code beside the reference's, once task 2.3 passes
    python grader.py release --out course/             (instructors) the course without its answers
    python grader.py batch submissions/ --out grades/  (instructors) grade a class
    python grader.py package gradescope --out autograder.zip [stage1 ...]   an autograder for Gradescope

Exit codes: 0 every graded task passes, 1 some task fails (also when the code
crashes or hangs), 2 the grader itself could not run.  Standard library only:
the tests run in a pytest subprocess, so nothing your code does can hang or
crash the grader, and the grader never writes to your files (only `reset`
writes, after asking, and it keeps a backup).
"""
from __future__ import annotations

import argparse
import difflib
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from tools import environment  # noqa: E402
from tools.curriculum import CurriculumError, Stage, Task, all_tasks, load_curriculum  # noqa: E402
from tools.grading import failing_function, learner_modules, relative_path, run_tests, target_root  # noqa: E402
from tools.integrity import changed_course_files, foreign_config_files  # noqa: E402
from tools.markers import YOUR_CODE_END, region_starts  # noqa: E402
from tools.report import FORMATS, Style, render_text  # noqa: E402
from tools.reset import ResetError, apply_reset, plan_reset  # noqa: E402

EXIT_PASS, EXIT_FAIL, EXIT_ERROR = 0, 1, 2
EXPERIMENT_TIME_LIMIT = 600  # seconds; every experiment takes a few with the reference


class GraderError(Exception):
    """A problem with the grader's own input (unknown stage or task): exit code 2."""


@dataclass(frozen=True)
class Selection:
    """What to grade: whole stages, or one task of one stage."""

    stages: list[Stage]
    task: Task | None = None


def select(stages: list[Stage], which: str | None) -> Selection:
    """``None`` or ``all``: every stage; ``stage2`` or ``2``: one stage; ``2.3``: one task."""
    if which is None or which == "all":
        return Selection(stages)
    tasks = all_tasks(stages)
    if which in tasks:
        return Selection([s for s in stages if s.number == tasks[which].stage_number], tasks[which])
    name = which if which.startswith("stage") else f"stage{which}"
    chosen = [s for s in stages if s.name == name]
    if not chosen:
        raise GraderError(f"unknown stage or task {which!r}; choose all, a stage ({', '.join(s.name for s in stages)}) "
                          f"or a task ({next(iter(tasks), '1.1')} ... {next(reversed(tasks), '')})")
    return Selection(chosen)


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


def earlier_tasks_note(task: Task, stages: list[Stage], root: Path, timeout: int) -> str:
    """Grade the tasks that ``task`` builds on (earlier ones of its stage, and its stage's prerequisites)."""
    stage = next(s for s in stages if s.number == task.stage_number)
    earlier = [t.id for t in stage.tasks[: [t.id for t in stage.tasks].index(task.id)]]
    required = [s for s in stages if s.name in stage.requires and s.built]
    if not earlier and not required:
        return ""
    report = run_tests(required + [stage], root, per_test_timeout=timeout,
                       tasks=[t.id for s in required for t in s.tasks] + earlier)
    failing = [g for g in report.grades.values() if not g.ok]
    if not failing:
        return f"The tasks before {task.id} pass, so what fails is in task {task.id} itself."
    listed = ", ".join(f"{g.task.id} ({g.passed}/{g.total} tests)" for g in failing[:5]) + (", ..." if len(failing) > 5 else "")
    return (f"Task {task.id} builds on earlier tasks that still fail: {listed}. Their faults can show up here: "
            f"fix task {failing[0].task.id} first (python grader.py {failing[0].task.id}).")


def grade(which: str | None, root: Path, *, output_format: str = "text", out: str | None = None,
          verbose: bool = False, timeout: int = 30, check_earlier: bool = True, details: bool = True) -> int:
    """Grade a selection of the learndyn under ``root``, print (or write) the report; returns the exit code."""
    stages = load_curriculum()
    selection = select(stages, which)
    if not (root / "learndyn" / "__init__.py").is_file():
        raise GraderError(f"no learndyn package under {root}")
    chosen = selection.stages
    task_ids = [selection.task.id] if selection.task else None
    changed_before = changed_course_files()
    foreign = foreign_config_files()
    report = run_tests([s for s in chosen if s.built], root, per_test_timeout=timeout, tasks=task_ids)
    if report.environment_error:
        raise environment.EnvironmentProblem(report.environment_error)
    changed_after = changed_course_files()
    foreign = sorted(set(foreign) | set(foreign_config_files()))
    withheld = [report.withheld] if report.withheld else []
    if foreign:
        withheld.append(f"pytest configuration the course does not have: {', '.join(foreign[:3])}")
    if changed_after != changed_before:
        withheld.append(f"files that decide the grade changed during the run: {', '.join(sorted(set(changed_after) ^ set(changed_before))[:3])}")
    elif changed_before and output_format != "text":  # the learner's own view only warns (below)
        withheld.append(f"files that decide the grade differ from the course's: {', '.join(changed_before[:3])}"
                        f"{', ...' if len(changed_before) > 3 else ''}")
    report.withheld = "; ".join(withheld)
    failed = any(not g.ok for s in chosen for g in report.stage_grades(s))
    if failed and not selection.task:
        # Only now is it worth grading the prerequisites: their failures may explain these.
        required = {name for stage in chosen for name in stage.requires}
        prerequisites = [s for s in stages if s.name in required and s not in chosen and s.built]
        if prerequisites:
            report.grades.update(run_tests(prerequisites, root, per_test_timeout=timeout).grades)
    style = Style()
    if output_format == "text":
        notes = [prerequisite_note(s, stages, report) for s in chosen
                 if s.built and not selection.task and not set(s.requires) & {c.name for c in chosen}]
        changed = changed_before
        if changed:
            notes.insert(0, style.bad(f"Warning: {len(changed)} file(s) that decide the grade differ from the course's "
                                      f"({', '.join(changed[:3])}{', ...' if len(changed) > 3 else ''}): your grades may "
                                      "differ from your instructor's (autograder formats withhold the grade)."))
        body = render_text(chosen, report, verbose, progress_only=which is None, style=style, details=details)
        text = "\n".join([n for n in notes if n] + [body])
    else:
        text = FORMATS[output_format](chosen, report)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text + "\n", encoding="utf-8")
        print(f"wrote {output_format} results to {out}")
    else:
        print(text, flush=True)
    if output_format == "text" and selection.task and not failed and not report.problem:
        following = list(all_tasks(stages).values())
        index = following.index(selection.task) + 1
        if index < len(following):
            print(f"Next: task {following[index].id} {following[index].title} (python grader.py {following[index].id})")
    if output_format == "text" and selection.task and failed and check_earlier and not report.problem_location:
        note = earlier_tasks_note(selection.task, stages, root, timeout)
        if note:
            print(style.dim(note) if note.startswith("The tasks before") else style.bad(note))
    grades = [g for s in chosen for g in report.stage_grades(s)]
    if output_format == "exercism" and not report.withheld:
        return EXIT_PASS  # the test runner interface: 0 whenever the results were written, whatever they say
    return EXIT_PASS if grades and all(g.ok for g in grades) and not report.problem and not report.withheld else EXIT_FAIL


def current_failure(root: Path, timeout: int = 30) -> tuple[Task, str] | None:
    """The first failing task in course order and the function its first failing test stopped in."""
    report = run_tests([s for s in load_curriculum() if s.built], root, per_test_timeout=timeout, stop_at_first_failure=True)
    for grade_ in report.grades.values():
        if grade_.first_failure is not None:
            return grade_.task, failing_function(grade_.first_failure, root, grade_.task)
    return None


def hint(task_id: str | None, more: bool, root: Path) -> int:
    tasks = all_tasks()
    function = ""
    if task_id is None:
        found = current_failure(root)
        if found is None:
            print("Every task passes: no hint needed. Read the notes or run the experiments (python grader.py run --list).")
            return EXIT_PASS
        task, function = found
    elif task_id not in tasks:
        raise GraderError(f"unknown task {task_id!r}; tasks are " + ", ".join(tasks))
    else:
        task = tasks[task_id]
    print(f"Task {task.id}: {task.title}\n  edit: {', '.join(task.files)} ({task.function})\n  hint: {task.hint}")
    if more and task.more:
        print(f"  more: {task.more}")
    current = task.hint_for(function)
    for entry in sorted(task.hints, key=lambda h: h is not current):  # the function you are on first
        here = "  <- your code stopped here" if entry is current else ""
        print(f"\n  {entry.function}{here}\n    {entry.hint}")
        if more and entry.more:
            print(f"    more: {entry.more}")
    if not more and (task.more or any(h.more for h in task.hints)):
        print(f"\n  (python grader.py hint {task.id} --more gives the code-level hints)")
    return EXIT_PASS


def edited_tasks(before: dict[Path, str], after: dict[Path, str]) -> list[str]:
    """Tasks whose marked regions hold a line that changed between two snapshots of the learner's files."""
    found = []
    for path, text in after.items():
        old = before.get(path)
        if old == text:
            continue
        lines = text.splitlines(keepends=True)
        changed = set(range(len(lines)))
        if old is not None:
            changed = {index for tag, _, _, start, stop in
                       difflib.SequenceMatcher(None, old.splitlines(keepends=True), lines, autojunk=False).get_opcodes()
                       if tag != "equal" for index in range(start, max(stop, start + 1))}
        for start, _, task in region_starts(lines):
            end = next((i for i in range(start + 1, len(lines)) if YOUR_CODE_END.format(task=task) in lines[i]), len(lines))
            if task not in found and any(start <= index <= end for index in changed):
                found.append(task)
    return found


def watch(which: str | None, root: Path, interval: float, once: bool, timeout: int = 30) -> int:
    """Poll the graded files; on every change grade the task being worked on first, then the rest.

    The task being worked on is the one whose marked region was just edited, else the
    first task that failed last time.  Its verdict appears in about a second; the
    progress over the rest follows.
    """
    select(load_curriculum(), which)  # an unknown stage or task is an error before we start

    def snapshot() -> dict[Path, int]:
        stamps = {}
        for path in learner_modules(root):
            try:
                stamps[path] = path.stat().st_mtime_ns
            except OSError:  # removed (or an editor's lock file) between listing and looking
                continue
        return stamps

    def texts() -> dict[Path, str]:
        found = {}
        for path in snapshot():
            try:
                found[path] = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
        return found

    interactive = sys.stdout.isatty()
    seen, contents, current = None, {}, None
    try:
        while True:
            stamps = snapshot()
            if stamps != seen:
                seen, previous, contents = stamps, contents, texts()
                edited = edited_tasks(previous, contents) if previous else []
                focus = next((t for t in edited if which in (None, "all") or t == which or t.split(".")[0] == which.removeprefix("stage")), current)
                if interactive:
                    print("\033[2J\033[H", end="")
                if focus and focus != which:
                    grade(focus, root, timeout=timeout, check_earlier=False)
                    print()
                grade(which, root, timeout=timeout, details=not focus or focus == which)
                current = current_failing_task(which, root, timeout) if focus is None else focus
                print(f"\nwatching {root.name}/ for changes: save a file to re-grade, Ctrl-C to stop", flush=True)
                if once:
                    return EXIT_PASS
            time.sleep(interval)
    except KeyboardInterrupt:
        print("\nstopped watching")
        return EXIT_PASS


def current_failing_task(which: str | None, root: Path, timeout: int) -> str | None:
    found = current_failure(root, timeout)
    return found[0].id if found else None


def reset(args) -> int:
    """Restore the stubs of a task or stage in exercises/, after asking; the old files are backed up."""
    selection = select(load_curriculum(), args.what)
    chosen = [selection.task.id] if selection.task else [t.id for s in selection.stages for t in s.tasks]
    exercises = target_root(False, args.target)
    try:
        changes = plan_reset(chosen, exercises=exercises)
    except ResetError as error:
        raise GraderError(str(error)) from None
    if not changes:
        print(f"nothing to reset: {args.what} is already the untouched stub")
        return EXIT_PASS
    files = ", ".join(relative_path(p) for p in changes)
    if not args.yes:
        if not sys.stdin.isatty():
            raise GraderError("reset asks for confirmation; pass --yes when not running in a terminal")
        try:
            answer = input(f"Reset {args.what} to the stub in {files}? Your version is backed up first. [y/N] ")
        except EOFError:  # Ctrl-D: no answer is a no
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing changed")
            return EXIT_PASS
    backup = apply_reset(changes, exercises=exercises)
    print(f"reset {args.what} in {files}; your previous version is in {relative_path(backup)}/")
    return EXIT_PASS


def package(stages: list[str], out: Path) -> int:
    """Write a Gradescope autograder zip for ``stages`` (all when empty)."""
    from tools.package import build_gradescope

    known = {s.name for s in load_curriculum()} | {str(s.number) for s in load_curriculum()}
    unknown = [s for s in stages if s not in known]
    if unknown:
        raise GraderError(f"unknown stage(s) {', '.join(unknown)}; choose from stage1 ... stage5")
    if not (ROOT / "solutions" / "learndyn").is_dir():
        raise GraderError("this copy of the course has no solutions/: package the autograder from the instructor's copy")
    build_gradescope(out, stages)
    print(f"wrote {out}: upload it as the autograder of a Gradescope programming assignment "
          "(students submit their learndyn/ folder, or the files of exercises/learndyn)")
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


def check_reference(root: Path) -> None:
    """A student release has no solutions/: say so, rather than that there is no package there."""
    from tools.release import missing_reference

    problem = missing_reference(root)
    if problem:
        raise GraderError(problem)


def course_operation(command: str, args) -> int:
    """release, batch and compare (tools/release.py, tools/batch.py, tools/compare.py)."""
    from tools.batch import BatchError, batch
    from tools.compare import CompareError, compare
    from tools.release import ReleaseError, write_release

    try:
        if command == "release":
            print(write_release(Path(args.out), args.stages, args.keep_code_hints).summary())
            return EXIT_PASS
        if command == "batch":
            return batch(Path(args.submissions), Path(args.out), args.jobs, args.regrade, args.timeout)
        return compare(args.task, target_root(False, args.target), args.anyway)
    except (ReleaseError, BatchError, CompareError) as error:
        raise GraderError(str(error)) from None


def parsers() -> dict[str, argparse.ArgumentParser]:
    """One parser per command; ``grade`` is the default.  Options shared by commands come from one parent."""
    copy = argparse.ArgumentParser(add_help=False)
    copy.add_argument("--solutions", action="store_true", help="use the reference solutions/ instead of exercises/")
    copy.add_argument("--target", metavar="DIR", help="use the learndyn package in DIR (overrides --solutions)")
    timing = argparse.ArgumentParser(add_help=False)
    timing.add_argument("--timeout", type=int, default=30, help="seconds allowed per test (default 30)")

    grade_ = argparse.ArgumentParser(prog="grader.py", description=__doc__, parents=[copy, timing],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    grade_.add_argument("stage", nargs="?", help="stage1 ... stage5 (or 1 ... 5), a task such as 2.3, or all; "
                                                 "none: progress over all stages")
    grade_.add_argument("-v", "--verbose", action="store_true", help="list every failing test")
    grade_.add_argument("--format", choices=["text", *FORMATS], default="text", help="output format (default text)")
    grade_.add_argument("--out", metavar="FILE", help="write the report to FILE instead of the screen")

    hint_ = argparse.ArgumentParser(prog="grader.py hint", parents=[copy])
    hint_.add_argument("task", nargs="?", help="a task id such as 2.3 (default: the task you are on)")
    hint_.add_argument("--more", action="store_true", help="also show the code-level hints")

    watch_ = argparse.ArgumentParser(prog="grader.py watch", parents=[copy, timing])
    watch_.add_argument("stage", nargs="?", help="the stage or task to grade (default: progress over all)")
    watch_.add_argument("--interval", type=float, default=0.25, help="seconds between looks at your files (default 0.25)")
    watch_.add_argument("--once", action="store_true", help="grade once and stop (for scripts)")

    reset_ = argparse.ArgumentParser(prog="grader.py reset")
    reset_.add_argument("what", help="a task id such as 2.3, or a stage such as stage2")
    reset_.add_argument("--target", metavar="DIR", help="reset the learndyn package in DIR (default exercises/)")
    reset_.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    run_ = argparse.ArgumentParser(prog="grader.py run", parents=[copy])
    run_.add_argument("name", nargs="?", help="the experiment to run")
    run_.add_argument("--list", action="store_true", help="list the experiments")
    run_.add_argument("-v", "--verbose", action="store_true", help="show the full traceback when it fails")
    package_ = argparse.ArgumentParser(prog="grader.py package")
    package_.add_argument("platform", choices=["gradescope"], help="the autograder platform")
    package_.add_argument("stages", nargs="*", help="the stages to grade (stage1 ... or 1 ...; default: all)")
    package_.add_argument("--out", metavar="ZIP", default="autograder.zip", help="where to write it (default autograder.zip)")
    release_ = argparse.ArgumentParser(prog="grader.py release", description="Write a student course: the exercises, "
                                       "tests, grader, curriculum and notes, without solutions or any line of them.")
    release_.add_argument("--out", metavar="DIR", required=True, help="a new (or empty) folder for the course")
    release_.add_argument("--stages", metavar="1-3", help="only stages 1 to k (default: every stage)")
    release_.add_argument("--keep-code-hints", action="store_true",
                          help="keep the code-level hints (hint --more) that quote lines of the reference")

    batch_ = argparse.ArgumentParser(prog="grader.py batch", description="Grade a class: SUBMISSIONS holds one folder "
                                     "or .zip per student, named after the student.")
    batch_.add_argument("submissions", metavar="SUBMISSIONS", help="the folder of submissions")
    batch_.add_argument("--out", metavar="DIR", required=True, help="where grades.csv, the reports and the summary go")
    batch_.add_argument("--jobs", type=int, help="students graded at once (default: the number of cores)")
    batch_.add_argument("--regrade", action="store_true", help="grade again the students whose submission has not changed")
    batch_.add_argument("--timeout", type=int, help="seconds allowed per test (default: the grader's)")

    compare_ = argparse.ArgumentParser(prog="grader.py compare", description="Your code beside the reference's, "
                                       "once the task passes.")
    compare_.add_argument("task", help="a task id such as 2.3")
    compare_.add_argument("--anyway", action="store_true", help="compare even though the task does not pass yet")
    compare_.add_argument("--target", metavar="DIR", help="compare the learndyn package in DIR instead of exercises/")
    return {"grade": grade_, "hint": hint_, "watch": watch_, "reset": reset_, "run": run_, "release": release_, "batch": batch_, "compare": compare_, "package": package_}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if hasattr(signal, "SIGPIPE"):  # `python grader.py | head` ends quietly, like any Unix tool
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    for stream in (sys.stdout, sys.stderr):  # whatever the terminal's encoding, printing never fails
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    commands = parsers()
    command = argv[0] if argv and argv[0] in commands and argv[0] != "grade" else "grade"
    try:
        args = commands[command].parse_args(argv[1:] if command != "grade" else argv)
        environment.check(experiments=command == "run")
        if hasattr(args, "solutions"):
            check_reference(target_root(args.solutions, args.target))
        if command == "hint":
            return hint(args.task, args.more, target_root(args.solutions, args.target))
        if command == "run":
            return run_experiment(args)
        if command == "watch":
            return watch(args.stage, target_root(args.solutions, args.target), args.interval, args.once, args.timeout)
        if command == "reset":
            return reset(args)
        if command in ("release", "batch", "compare"):
            return course_operation(command, args)
        if command == "package":
            return package(args.stages, Path(args.out))
        return grade(args.stage, target_root(args.solutions, args.target), output_format=args.format, out=args.out,
                     verbose=args.verbose, timeout=args.timeout)
    except (GraderError, environment.EnvironmentProblem, CurriculumError) as error:
        print(f"grader: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:  # Ctrl-C: the tests' processes were already stopped
        print("\ngrader: interrupted", file=sys.stderr)
        return 130
    except SystemExit as exit_:  # argparse: --help is 0, a usage error is 2
        return int(exit_.code or 0)
    except Exception as error:  # the grader's own failure, never the learner's
        print(f"grader: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
