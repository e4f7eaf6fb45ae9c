"""A student release: the course without its answers, in a folder of its own.

    python grader.py release --out course/ [--stages 1-3] [--keep-code-hints]

writes the exercises (fresh stubs of the parts of the package those stages need), the stage
tests of the chosen stages with their oracle, the grader and its tools, the curriculum of
those stages, their notes, the figures the notes and the student README show,
``pyproject.toml`` (its test paths those stages'), ``LICENSE`` and a student README (set-up,
stage map, how to submit).  It never writes ``solutions/``, the bug zoo, the benchmarks, CI,
the maintainer tests or ``.git``.  ``tools/stubs/learndyn`` keeps a pristine copy of the
stubs, from which ``reset`` and the placing of submissions generate (there is no
``solutions/`` to generate from).  The manifests the grader checks itself against
(``tools/integrity.py``) are written for the released files.

No answer leaves: the release is built in a hidden folder beside DIR and searched for every
telling line of the solution blocks (``tools/answers.py`` says which lines and why); one
found anywhere, even inside a hint's sentence, and nothing is written.  The curriculum's
code-level hints (``more``, shown by ``hint TASK --more``) quote many of these lines on
purpose: each one that does is cut down to the links to the notes it holds, unless
``--keep-code-hints`` (the check then leaves the ``more`` fields alone).
"""
from __future__ import annotations

import posixpath
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tools import integrity
from tools.answers import MIN_TOKENS, NOTES_LINK, SOLUTIONS, AnswerLines, answer_lines, cut_code_hints, find_answers
from tools.curriculum import ROOT, Stage, load_curriculum
from tools.make_exercises import IGNORED, STUBS, generate, generated_manifest, package_digest
from tools.markers import solution_blocks

NOT_RELEASED_TOOLS = {"bug_zoo.py", "mutation.py"}  # maintainers' tools: they mutate solutions/ (and bugzoo/ holds its lines)
_IMPORT = re.compile(r"^\s*(?:from\s+(?P<relative>\.+)(?P<inner>[\w.]*)\s+import\s+(?P<names>[\w, ()]+)"
                     r"|from\s+learndyn\.(?P<absolute>[\w.]+)\s+import|import\s+learndyn\.(?P<plain>[\w.]+))", re.MULTILINE)

NO_REFERENCE = ("this copy of the course has no reference solutions (it is a student release); "
                "the instructor's copy of the course has them")


class ReleaseError(ValueError):
    """The release cannot be written (bad stages, an occupied folder, an answer found); the message says why."""


def has_reference(root: Path = ROOT) -> bool:
    return (root / "solutions" / "learndyn" / "__init__.py").is_file()


def missing_reference(copy: Path) -> str:
    """The sentence to say when ``copy`` is the reference of a course that has none, else ``""``."""
    if copy.resolve() == (ROOT / "solutions").resolve() and not has_reference():
        return NO_REFERENCE
    return ""


def parse_stages(spec: str | None, stages: list[Stage]) -> list[Stage]:
    """``1-3``, ``1,2,3`` or ``3`` (stages 1 to 3): the stages from 1 up, since each builds on the ones before."""
    built = [s for s in stages if s.built]
    if not spec:
        return built
    numbers: set[int] = set()
    try:
        for part in spec.split(","):
            low, _, high = part.strip().partition("-")
            numbers |= set(range(int(low), int(high) + 1)) if high else {int(low)}
    except ValueError:
        raise ReleaseError(f"--stages must look like 1-3, got {spec!r}") from None
    if len(numbers) == 1 and "-" not in spec and "," not in spec:
        numbers = set(range(1, max(numbers) + 1))
    known = {s.number for s in built}
    if not numbers <= known or numbers != set(range(1, max(numbers) + 1)):
        raise ReleaseError(f"--stages must be stages 1 to k of {min(known)}-{max(known)} (each stage builds on the "
                           f"ones before), got {spec!r}")
    return [s for s in built if s.number in numbers]


# ---- which modules of the package a release of some stages needs ---------------------------------------------

def _unit(relative: Path) -> str:
    """The part of the package a module belongs to: its subpackage, a top-level module, or one experiment."""
    parts = relative.parts
    if len(parts) == 1 or parts[0] == "experiments":
        return relative.with_suffix("").as_posix()
    return parts[0]


def _block_stages(path: Path) -> set[int]:
    return {int(block.task.split(".")[0]) for block in solution_blocks(path.read_text(encoding="utf-8").splitlines())}


def _unit_at(package: Path, module: Path) -> str | None:
    """The unit of the module or subpackage at ``module`` (a dotted name made a path), if the package has it."""
    if (package / module).is_dir():
        return _unit(module / "__init__.py")
    if (package / module).with_suffix(".py").is_file():
        return _unit(module.with_suffix(".py"))
    return None


def _imported_units(path: Path, package: Path) -> set[str]:
    """The units a module imports from the package (relative and ``learndyn.`` imports)."""
    found = set()
    for match in _IMPORT.finditer(path.read_text(encoding="utf-8")):
        if match["relative"]:
            base = path.relative_to(package).parent
            for _ in range(len(match["relative"]) - 1):
                base = base.parent
            names = [match["inner"]] if match["inner"] else [name.strip(" ()") for name in match["names"].split(",")]
            modules = [base.joinpath(*name.split(".")) for name in names if name]
        else:
            modules = [Path(*(match["absolute"] or match["plain"]).split("."))]
        found |= {unit for module in modules if (unit := _unit_at(package, module))}
    return found


def units_to_leave_out(stages: list[Stage], all_stages: list[Stage], source: Path = SOLUTIONS) -> set[str]:
    """Parts of the package that hold only later stages' tasks (or experiments) and that nothing kept imports."""
    chosen = {s.number for s in stages}
    experiment_stage = {e.module.removeprefix("learndyn.").replace(".", "/"): s.number
                        for s in all_stages for e in s.experiments}
    modules = sorted(p for p in source.rglob("*.py") if "__pycache__" not in p.parts)
    stages_of: dict[str, set[int]] = {}
    for path in modules:
        unit = _unit(path.relative_to(source))
        stages_of.setdefault(unit, set()).update(_block_stages(path))
        if unit in experiment_stage:
            stages_of[unit].add(experiment_stage[unit])
    kept = {unit for unit, numbers in stages_of.items() if not numbers or numbers & chosen}
    imports: dict[str, set[str]] = {}
    for path in modules:
        imports.setdefault(_unit(path.relative_to(source)), set()).update(_imported_units(path, source))
    pending = list(kept)
    while pending:
        for needed in imports.get(pending.pop(), ()):
            if needed in stages_of and needed not in kept:
                kept.add(needed)
                pending.append(needed)
    return set(stages_of) - kept


def _remove_units(package: Path, units: set[str]) -> None:
    for unit in units:
        target = package / unit
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.with_suffix(".py").unlink(missing_ok=True)


# ---- the files of a release ---------------------------------------------------------------------------------

def _copy(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, destination, ignore=IGNORED)
    else:
        shutil.copyfile(source, destination)


def notes_pages(stages: list[Stage]) -> list[str]:
    """The notes of ``stages``: their pages, the pages their hints link to, and the pages those link to,
    leaving out the pages of stages not released (a link to one then points nowhere)."""
    numbers = {s.number for s in stages}

    def released(page: str) -> bool:
        stage = re.match(r"docs/stage(\d+)", page)
        return (ROOT / page).is_file() and (stage is None or int(stage.group(1)) in numbers)

    wanted = [s.notes for s in stages]
    for stage in stages:
        for task in stage.tasks:
            texts = [task.hint, task.more, *(h.hint for h in task.hints), *(h.more for h in task.hints)]
            wanted += [link.partition("#")[0] for text in texts for link in NOTES_LINK.findall(text)]
    pages, pending = [], list(dict.fromkeys(wanted))
    while pending:
        page = pending.pop(0)
        if page in pages or not released(page):
            continue
        pages.append(page)
        text = (ROOT / page).read_text(encoding="utf-8")
        pending += [f"docs/{name}" for name in re.findall(r"\]\(([\w.-]+\.md)(?:#[\w-]*)?\)", text)]
    return pages


def figures_used(markdown: str, base: str = "") -> list[str]:
    """``figures/NAME.png`` for every image a page shows (``base``: the page's folder, relative to the root)."""
    return [posixpath.normpath(posixpath.join(base, target))
            for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+\.png)\)", markdown)]


def student_readme(stages: list[Stage]) -> str:
    """The README of a release: set-up, the stage map, the loop, how to submit, the experiments."""
    rows = "\n".join(f"| {s.number} | {s.title} | {len(s.tasks)} ({s.tasks[0].id}-{s.tasks[-1].id}) | [{s.notes}]({s.notes}) |"
                     for s in stages)
    experiments = []
    for stage in stages:
        for experiment in stage.experiments:
            figure = f"figures/{experiment.name}.png"
            picture = f"\n\n![{experiment.name}]({figure})" if (ROOT / figure).is_file() else ""
            experiments.append(f"**`python grader.py run {experiment.name}`** (stage {stage.number}): {experiment.about}."
                               f"{picture}")
    last = stages[-1]
    return f"""# learndyn: learning dynamics from first principles

A test-driven kata. You rebuild the mechanics of learning in plain NumPy, one task at a time, and a
grader tells you, task by task, what works, what does not, and where to look. This copy of the
course holds stages 1-{last.number}.

## Set up (Python 3.10 or newer)

```bash
python -m venv .venv && . .venv/bin/activate
pip install -e .
```

Then run `python grader.py`: it shows your progress over every stage and sends you to the first task to
do, task {stages[0].tasks[0].id}, with the file and line to edit, the test that failed and a hint.

## The stages

| stage | you build | tasks | notes |
|---|---|---|---|
{rows}

A later stage uses your engine from the earlier ones; the tasks are meant to be taken in order.

## The loop

Edit `exercises/learndyn/...` between the lines `# --- your code for task 1.1 ---` and
`# --- end of task 1.1 ---`, save, and grade again.

| command | what it does |
|---|---|
| `python grader.py 1.3` | one task alone, in about a second |
| `python grader.py watch` | re-grade every time you save (Ctrl-C stops) |
| `python grader.py` | progress over all stages and the next task to do |
| `python grader.py stage2` | one stage, task by task; `-v` lists every failing test |
| `python grader.py hint [2.3] [--more]` | what the function you are on must do and why, with links to the notes |
| `python grader.py reset 2.3` | put the stub of a task back, after asking; your version is backed up first |
| `python grader.py run --list`, `run xor` | run an experiment with *your* engine; its figure goes to `figures/` |

Exit codes: 0 when every graded task passes, 1 when one fails, 2 when the grader itself cannot run
(it says why, and the command that fixes it).

## Submitting

Hand in your package, `exercises/learndyn`: the folder itself, or a zip of it:

```bash
cd exercises && zip -r ../learndyn.zip learndyn && cd ..
```

Your grade is what `python grader.py all` says on the course's own tests: each module of your
package is placed over a fresh copy of the stubs and graded, one point per task (the curriculum's
weight). Only the package's modules count; other files you add are not copied, and edited tests do
not change your grade.

## Experiments

Each experiment runs on your engine once its stage passes; the figures below are what the
reference engine draws.

{(chr(10) * 2).join(experiments) if experiments else "(none in these stages)"}
"""


def _testpaths(pyproject: str, stages: list[Stage]) -> str:
    listed = "".join(f'    "{s.tests}",\n' for s in stages)
    return re.sub(r"testpaths = \[\n(?:\s+\"[^\"]*\",?\n)*\]", f"testpaths = [\n{listed}]", pyproject, count=1)


@dataclass
class Release:
    folder: Path
    stages: list[Stage]
    files: int
    size: int  # bytes
    answers: AnswerLines
    hints_cut: int
    hints_quoting: int  # with --keep-code-hints: how many code-level hints quote an answer line
    left_out: set[str]

    def summary(self) -> str:
        a = self.answers
        hints = (f"{self.hints_cut} code-level hints quoted the reference and were cut to their notes links "
                 f"(--keep-code-hints keeps them)" if not self.hints_quoting else
                 f"{self.hints_quoting} code-level hints quote lines of the reference (kept: --keep-code-hints)")
        return "\n".join([
            f"wrote a student course for stages {self.stages[0].number}-{self.stages[-1].number} "
            f"({sum(len(s.tasks) for s in self.stages)} tasks) to {self.folder}: {self.files} files, {self.size / 1e6:.1f} MB",
            f"no answer in it: searched every file for {len(a.lines)} lines of the solution blocks (left out as not "
            f"telling: {a.generic} with fewer than {MIN_TOKENS} tokens, {a.in_stubs} that the stubs hold, "
            f"{a.in_tests} that the course's tests hold)",
            hints,
            *([f"left out of the package (later stages): {', '.join(sorted(self.left_out))}"] if self.left_out else []),
            f"try it: cd {self.folder} && python -m venv .venv && . .venv/bin/activate && pip install -e . && python grader.py",
        ])


def _write_manifests(course: Path) -> None:
    """The records the release's grader checks itself against (``tools/integrity.py``), of the released files.

    The test ids are collected by pytest as ``integrity.write_manifest`` does it, on a copy of the
    reference that is removed at once (the ids do not depend on the code, but collecting imports it);
    the release is searched for answers only after.
    """
    reference = course / "solutions"
    _copy(SOLUTIONS, reference / "learndyn")
    try:
        integrity.write_manifest(course)
    finally:
        shutil.rmtree(reference)
        for cache in [p for p in course.rglob("__pycache__") if p.is_dir()]:
            shutil.rmtree(cache)


def write_release(out: Path, stages_spec: str | None = None, keep_code_hints: bool = False) -> Release:
    if not has_reference():
        raise ReleaseError(NO_REFERENCE)
    all_stages = load_curriculum()
    stages = parse_stages(stages_spec, all_stages)
    out = out.resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ReleaseError(f"{out} already exists and is not empty: choose a new folder")
    if out == ROOT or ROOT.is_relative_to(out):
        raise ReleaseError(f"{out} holds the course itself: choose a new folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        release = _build(staging, stages, all_stages, keep_code_hints)
        if out.exists():
            out.rmdir()
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    release.folder = out
    return release


def _build(course: Path, stages: list[Stage], all_stages: list[Stage], keep_code_hints: bool) -> Release:
    numbers = {s.number for s in stages}
    # exercises: fresh stubs of the parts of the package these stages need, and the record of them
    generate(course / "exercises")
    left_out = units_to_leave_out(stages, all_stages)
    _remove_units(course / "exercises" / "learndyn", left_out)
    generated_manifest(course / "exercises").write_text(package_digest(course / "exercises"))
    _copy(course / "exercises" / "learndyn", course / STUBS.relative_to(ROOT) / "learndyn")
    # tests: the harness, the oracle (without later stages' parts), these stages' folders
    _copy(ROOT / "tests" / "conftest.py", course / "tests" / "conftest.py")
    for path in sorted((ROOT / "tests" / "oracle").glob("*.py")):
        stage = re.match(r"stage(\d+)_", path.name)
        if not stage or int(stage.group(1)) in numbers:
            _copy(path, course / "tests" / "oracle" / path.name)
    for stage in stages:
        _copy(ROOT / stage.tests, course / stage.tests)
    # the grader and its tools
    _copy(ROOT / "grader.py", course / "grader.py")
    for path in sorted((ROOT / "tools").glob("*.py")):
        if path.name not in NOT_RELEASED_TOOLS:
            _copy(path, course / "tools" / path.name)
    test_files = sorted(p for p in (course / "tests").rglob("*.py"))
    answers = answer_lines(course / "exercises" / "learndyn", test_files)
    # the curriculum of these stages, code-level hints that quote the reference cut to their notes links
    hints_cut = hints_quoting = 0
    for stage in stages:
        source = ROOT / "curriculum" / f"{stage.name}.toml"
        text = source.read_text(encoding="utf-8")
        try:
            reduced, cut = cut_code_hints(text, answers)
        except ValueError as error:
            raise ReleaseError(f"curriculum/{source.name}, {error}") from None
        if keep_code_hints:
            hints_quoting += cut
        else:
            text, hints_cut = reduced, hints_cut + cut
        (course / "curriculum").mkdir(exist_ok=True)
        (course / "curriculum" / source.name).write_text(text, encoding="utf-8")
    if [s.number for s in load_curriculum(course / "curriculum")] != sorted(numbers):
        raise ReleaseError("the released curriculum does not read back as the chosen stages")
    # notes, README, figures, packaging
    figures = []
    for page in notes_pages(stages):
        _copy(ROOT / page, course / page)
        figures += figures_used((ROOT / page).read_text(encoding="utf-8"), str(Path(page).parent))
    readme = student_readme(stages)
    (course / "README.md").write_text(readme, encoding="utf-8")
    figures += figures_used(readme)
    for figure in dict.fromkeys(figures):
        if (ROOT / figure).is_file():
            _copy(ROOT / figure, course / figure)
    (course / "figures").mkdir(exist_ok=True)
    (course / "pyproject.toml").write_text(_testpaths((ROOT / "pyproject.toml").read_text(encoding="utf-8"), stages),
                                           encoding="utf-8")
    for name in ("LICENSE", ".gitignore"):
        if (ROOT / name).is_file():
            _copy(ROOT / name, course / name)
    _write_manifests(course)
    found = find_answers(course, answers, skip_more=keep_code_hints)
    if found:
        listed = "\n".join(f"  {file}: {line[:90]!r} (from {where})" for file, line, where in found[:20])
        raise ReleaseError(f"refusing to write the release: {len(found)} line(s) of the reference found in it:\n{listed}")
    files = [p for p in course.rglob("*") if p.is_file()]
    return Release(course, stages, len(files), sum(p.stat().st_size for p in files), answers, hints_cut, hints_quoting,
                   left_out)
