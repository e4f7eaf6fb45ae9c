"""A student release: the course without its answers, in a folder of its own.

    python grader.py release --out course/ [--stages 1-3] [--keep-code-hints]

writes the exercises (fresh stubs), the stage tests of the chosen stages with their oracle,
the grader and its tools, the curriculum of those stages, their notes, the figures the
notes and the student README show, ``pyproject.toml``, ``LICENSE`` and a student README.
It never writes ``solutions/``, the bug zoo, the benchmarks, CI, the maintainer tests or
``.git``.  ``tools/stubs/learndyn`` keeps a pristine copy of the stubs, from which
``reset`` and the placing of submissions generate (there is no ``solutions/`` to generate
from).

**No answer leaves.**  Before the release is moved into place, every text file of it is
searched for every *telling* line of every ``BEGIN/END SOLUTION`` block (``answer_lines``);
one found anywhere, even inside a hint's sentence, and nothing is written.  A block line
is telling unless

* it is generic: fewer than ``MIN_TOKENS`` tokens (``return out``, ``pass``, ``else:``,
  ``while True:``, ``g = grad``, ``raise RuntimeError(``); three tokens cannot say how a
  function works, while four already can (a forward of one product is four tokens long);
* the learner has it anyway: the stubs hold it (outside the blocks: a signature, or a
  formula in a docstring) or the released tests do (the stage tests and their oracle,
  which every copy of the course holds and the grading needs).

The curriculum's code-level hints (``more``, shown by ``hint TASK --more``) quote many of
these lines on purpose; in a release each one that does is cut down to the links to the
notes it holds, unless ``--keep-code-hints`` (the release then says how many answer lines
its hints quote, and the check ignores the curriculum's ``more`` fields).
"""
from __future__ import annotations

import json
import posixpath
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from tools import integrity
from tools.curriculum import ROOT, Stage, load_curriculum
from tools.make_exercises import IGNORED, STUBS, generate, generated_manifest, package_digest
from tools.markers import SOLUTION_BEGIN, SOLUTION_END

SOLUTIONS = ROOT / "solutions" / "learndyn"
MIN_TOKENS = 4
NOT_RELEASED_TOOLS = {"bug_zoo.py"}  # needs bugzoo/, which holds the reference's lines
_TOKEN = re.compile(r"[A-Za-z_]\w*|\d+\.?\d*(?:[eE][-+]?\d+)?|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\S")
_NOTES_LINK = re.compile(r"docs/[\w.-]+\.md(?:#[\w-]+)?")
_IMPORT = re.compile(r"^\s*(?:from\s+(?P<relative>\.+)(?P<inner>[\w.]*)\s+import\s+(?P<names>[\w, ()]+)"
                     r"|from\s+learndyn\.(?P<absolute>[\w.]+)\s+import|import\s+learndyn\.(?P<plain>[\w.]+))", re.MULTILINE)
_MORE_LINE = re.compile(r"^(?P<head>\s*more\s*=\s*)(?P<value>.+?)\s*$")

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


def normalised(text: str) -> str:
    """Whitespace runs made one space, and double quotes single (a hint in a TOML string quotes code with ')."""
    return " ".join(text.split()).replace('"', "'")


def is_generic(line: str) -> bool:
    return len(_TOKEN.findall(line)) < MIN_TOKENS


@dataclass
class AnswerLines:
    """The telling lines of the solution blocks, each with where it comes from, and what was left out."""

    lines: dict[str, str] = field(default_factory=dict)  # normalised line -> "file:line" of its first block
    generic: int = 0
    in_stubs: int = 0
    in_tests: int = 0


def _block_lines(source: Path = SOLUTIONS) -> list[tuple[str, str]]:
    """(normalised line, ``file:line``) of every non-blank line inside a solution block."""
    inside = []
    for path in sorted(source.rglob("*.py")):
        in_block = False
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SOLUTION_BEGIN.match(line):
                in_block = True
            elif SOLUTION_END.match(line):
                in_block = False
            elif in_block and line.strip():
                inside.append((normalised(line), f"solutions/{path.relative_to(source.parent).as_posix()}:{number}"))
    return inside


def _joined(files: list[Path]) -> str:
    return "\n".join(normalised(path.read_text(encoding="utf-8")) for path in files)


def answer_lines(stubs: Path, test_files: list[Path], source: Path = SOLUTIONS) -> AnswerLines:
    """The lines a release must not hold (see the module's docstring for the rule); ``stubs`` is a generated package."""
    in_stubs = _joined(sorted(stubs.rglob("*.py")))
    in_tests = _joined(test_files)
    found = AnswerLines()
    seen = set()
    for text, where in _block_lines(source):
        if text in seen:
            continue
        seen.add(text)
        if is_generic(text):
            found.generic += 1
        elif text in in_stubs:
            found.in_stubs += 1
        elif text in in_tests:
            found.in_tests += 1
        else:
            found.lines[text] = where
    return found


def _searchable_texts(path: Path, skip_more: bool) -> list[str]:
    """The text of a file as it can hold a line: raw, and for TOML its parsed strings (escapes undone)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return []
    if b"\0" in raw:  # a figure
        return []
    text = raw.decode("utf-8", errors="replace")
    if path.suffix != ".toml":
        return [normalised(text)]
    if skip_more:
        text = "\n".join(line for line in text.splitlines() if not _MORE_LINE.match(line))
    strings: list[str] = []

    def walk(value, key=""):
        items = value.items() if isinstance(value, dict) else ((key, v) for v in value) if isinstance(value, list) else ()
        for inner_key, inner in items:
            walk(inner, inner_key)
        if isinstance(value, str) and not (skip_more and key == "more"):
            strings.append(value)
    try:
        walk(tomllib.loads(text))
    except tomllib.TOMLDecodeError:
        pass
    return [normalised(text), normalised("\n".join(strings))]


def find_answers(folder: Path, answers: AnswerLines, skip_more: bool = False) -> list[tuple[str, str, str]]:
    """(file in ``folder``, the answer line found in it, where that line is in solutions/) for every find."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        texts = _searchable_texts(path, skip_more and path.parent.name == "curriculum")
        for line, where in answers.lines.items():
            if any(line in text for text in texts):
                found.append((path.relative_to(folder).as_posix(), line, where))
    return found


def cut_code_hints(toml_text: str, answers: AnswerLines) -> tuple[str, int]:
    """``toml_text`` with every ``more`` hint that quotes an answer line cut down to its notes links."""
    out, cut = [], 0
    for number, line in enumerate(toml_text.splitlines(keepends=True), 1):
        match = _MORE_LINE.match(line.rstrip("\n"))
        if match:
            try:
                value = tomllib.loads(f"v = {match['value']}")["v"]
            except tomllib.TOMLDecodeError:
                raise ReleaseError(f"line {number}: a `more` hint the release cannot read on one line") from None
            plain = normalised(value)
            if any(answer in plain for answer in answers.lines):
                links = list(dict.fromkeys(_NOTES_LINK.findall(value)))
                line = f"{match['head']}{json.dumps('see ' + ', '.join(links) if links else '', ensure_ascii=False)}\n"
                cut += 1
        out.append(line)
    return "".join(out), cut


# ---- which modules of the package a release of some stages needs ---------------------------------------------

def _unit(relative: Path) -> str:
    """The part of the package a module belongs to: its subpackage, a top-level module, or one experiment."""
    parts = relative.parts
    if len(parts) == 1 or parts[0] == "experiments":
        return relative.with_suffix("").as_posix()
    return parts[0]


def _block_stages(path: Path) -> set[int]:
    return {int(m["task"].split(".")[0]) for line in path.read_text(encoding="utf-8").splitlines()
            if (m := SOLUTION_BEGIN.match(line))}


def _imported_units(path: Path, package: Path) -> set[str]:
    """The units a module imports from the package (relative and ``learndyn.`` imports)."""
    units = set()
    here = path.relative_to(package).parent
    for match in _IMPORT.finditer(path.read_text(encoding="utf-8")):
        if match["relative"]:
            base = here
            for _ in range(len(match["relative"]) - 1):
                base = base.parent
            inner = match["inner"]
            targets = [inner] if inner else [n.strip(" ()") for n in match["names"].split(",") if n.strip(" ()")]
            for target in targets:
                candidate = base.joinpath(*target.split("."))
                if (package / candidate).is_dir() or (package / candidate).with_suffix(".py").is_file():
                    units.add(_unit(candidate.with_suffix(".py") if not (package / candidate).is_dir() else candidate / "__init__.py"))
        else:
            dotted = (match["absolute"] or match["plain"]).split(".")
            candidate = Path(*dotted)
            units.add(_unit(candidate / "__init__.py" if (package / candidate).is_dir() else candidate.with_suffix(".py")))
    return units


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
            wanted += [link.partition("#")[0] for text in texts for link in _NOTES_LINK.findall(text)]
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
        reduced, cut = cut_code_hints(text, answers)
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
