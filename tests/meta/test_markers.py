"""The stub contract (tools/markers.py) round-trips: what the generator writes, the grader and reset read back."""
from __future__ import annotations

from tools.curriculum import ROOT, all_tasks
from tools.make_exercises import stub_source
from tools.markers import (SOLUTION_BEGIN, parse_stub_message, region_pattern, region_starts, solution_blocks,
                           solved_lines, stub_lines, stub_message)
from tools.reset import regions

SOURCE = '''class Tensor:
    def __mul__(self, other):
        def backward(grad):
            # BEGIN SOLUTION 2.2
            return grad * 2,
            # END SOLUTION
        return backward
'''


def test_a_stub_message_parses_back_to_its_task_and_function():
    for task in all_tasks().values():
        text = f"NotImplementedError: {stub_message(task.id, task.title, 'Tensor.__mul__.backward')} (more text)"
        stub = parse_stub_message(text)
        assert stub is not None and (stub.task, stub.function) == (task.id, "Tensor.__mul__.backward"), text


def test_an_ordinary_message_names_no_stub():
    assert parse_stub_message("AssertionError: stage 2 of the rocket, task 3 (fuel)") is None


def test_the_generated_stub_is_found_as_a_region_and_names_its_enclosing_function():
    titles = {task.id: task.title for task in all_tasks().values()}
    stubbed = stub_source(SOURCE, "tensor.py", titles)
    lines = stubbed.splitlines(keepends=True)
    [(index, indent, task)] = region_starts(lines)
    assert task == "2.2" and indent == " " * 12
    stub = parse_stub_message(lines[index + 1])
    assert stub == parse_stub_message(stub_message("2.2", titles["2.2"], "Tensor.__mul__.backward"))
    assert len(regions(stubbed, "2.2")) == 1 and region_pattern("2.2").search(stubbed)


def test_solved_and_stubbed_regions_have_the_same_markers():
    stubbed = "".join(stub_lines("1.1", "Tensor basics", "Tensor.__init__", "    "))
    solved = "".join(solved_lines("1.1", ["    x = 1\n"], "    "))
    for text in (stubbed, solved):
        assert len(regions(text, "1.1")) == 1, text


def test_every_solution_block_of_the_reference_names_a_task_of_the_curriculum():
    tasks = set(all_tasks())
    for path in (ROOT / "solutions" / "learndyn").rglob("*.py"):
        for line in path.read_text().splitlines():
            match = SOLUTION_BEGIN.match(line)
            assert match is None or match["task"] in tasks, f"{path}: {line.strip()}"


def test_solution_blocks_are_found_with_their_task_indent_and_body():
    lines = SOURCE.splitlines()
    [block] = solution_blocks(lines)
    assert (block.task, block.indent, block.begin, block.end) == ("2.2", " " * 12, 3, 5)
    assert block.body(lines) == ["            return grad * 2,"]
    assert solution_blocks(lines[:5]) == [], "a BEGIN without its END is no block"
