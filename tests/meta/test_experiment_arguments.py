"""Maintainer check: every experiment's run() checks each argument at the door (STYLE.md example 4, issue 18).

For every argument of every ``[[experiment]]``'s ``run``, the others left at their defaults:

* a value of the wrong type raises ``TypeError``, starting with the argument's name and showing the value;
* a value out of range raises ``ValueError`` with exactly the message in ``CASES``: the argument, the
  allowed range (exactly the range checked, ``learndyn.experiments.arguments``) and the value;
* either one before any work: ``run`` may make at most ``CALL_BUDGET`` Python calls before it refuses.

The docstring of ``run`` lists every argument with its range. Runs against the copy chosen by ``--target``
(the maintainer command uses ``--target=solutions``).
"""
from __future__ import annotations

import importlib
import inspect
import re
import sys
from contextlib import contextmanager

import numpy as np
import pytest

from tools.curriculum import load_curriculum

EXPERIMENTS = {e.name: e for stage in load_curriculum() for e in stage.experiments}

# The busiest door (ring_attractor: ten arguments, four sequences of up to six entries) makes about 90 Python
# calls with the defaults; the smallest experiment's whole run (graph) makes over 2,000.
CALL_BUDGET = 200

# experiment -> argument -> (a value of the wrong type, a value out of range, the ValueError's message)
CASES = {
    "graph": {"seed": ("0", -1, "seed must be >= 0, got -1")},
    "xor": {
        "n_nets": (2.5, 0, "n_nets must be >= 1, got 0"),
        "hidden": ("2", -1, "hidden must be >= 0, got -1"),
        "epochs": (5000.0, 0, "epochs must be >= 1, got 0"),
        "lr": ("2", 0, "lr must be > 0, got 0"),
        "seed": (None, -1, "seed must be >= 0, got -1"),
    },
    "xor_architectures": {
        "hiddens": (2, (0, -1), "hiddens[1] must be >= 0, got -1"),
        "n_nets": ("200", 0, "n_nets must be >= 1, got 0"),
        "epochs": (1e3, 0, "epochs must be >= 1, got 0"),
        "lr": (None, -2.0, "lr must be > 0, got -2.0"),
        "seed": (3.0, -1, "seed must be >= 0, got -1"),
    },
    "depth_gradients": {
        "width": ("8", 1, "width must be >= 2, got 1"),
        "depth": (20.0, 1, "depth must be >= 2, got 1"),
        "seeds": ([3], 0, "seeds must be >= 1, got 0"),
        "batch": (None, 0, "batch must be >= 1, got 0"),
        "seed": ("0", -1, "seed must be >= 0, got -1"),
    },
    "population_credit": {
        "sizes": (64, (8,), "sizes must hold at least 2 values, got (8,)"),
        "trials": (2000.0, 1, "trials must be >= 2, got 1"),
        "units": ("25", 1, "units must be >= 2, got 1"),
        "width": ("0.5", 0.0, "width must be > 0, got 0.0"),
        "epochs": (300.0, 0, "epochs must be >= 1, got 0"),
        "lr": (None, -0.5, "lr must be > 0, got -0.5"),
        "stimulus": ("0.7", float("inf"), "stimulus must be finite, got inf"),
        "seed": (0.0, -1, "seed must be >= 0, got -1"),
    },
    "stability": {
        "amplitudes": (1.0, (0.5, -1.0), "amplitudes[1] must be > 0, got -1.0"),
        "factors": ("0.5", (), "factors must hold at least 1 value, got ()"),
        "steps": (150.0, 1, "steps must be >= 2, got 1"),
        "hidden": ("8", 0, "hidden must be >= 1, got 0"),
        "pretrain_rounds": (3.0, -1, "pretrain_rounds must be >= 0, got -1"),
        "pretrain_steps": (None, 0, "pretrain_steps must be >= 1, got 0"),
        "seed": ("0", -1, "seed must be >= 0, got -1"),
    },
    "symmetry": {
        "hidden": (4.0, 1, "hidden must be >= 2, got 1"),
        "lr": ("0.12", 0.0, "lr must be > 0, got 0.0"),
        "steps": (1700.5, 1, "steps must be >= 2, got 1"),
        "noise": (None, 0.0, "noise must be > 0, got 0.0"),
        "checkpoints": ("30", 1, "checkpoints must be >= 2, got 1"),
        "seed": (1.5, -1, "seed must be >= 0, got -1"),
    },
    "warmup": {
        "factors": (12.0, (12.0, 0.0), "factors[1] must be > 0, got 0.0"),
        "shown": ("12", 5.0, "shown must be one of (1.0, 2.0, 4.0, 8.0, 12.0, 16.0, 24.0) (the factors), got 5.0"),
        "steps": (1000.0, 1, "steps must be >= 2, got 1"),
        "warmup": (300.0, 1000, "warmup must be in [1, 999] (below steps), got 1000"),
        "warmup_start": ("0.02", 1.5, "warmup_start must be in (0, 1], got 1.5"),
        "hidden": (32.0, 0, "hidden must be >= 1, got 0"),
        "output_scale": (None, 0, "output_scale must be > 0, got 0"),
        "sharpness_every": (25.0, 0, "sharpness_every must be >= 1, got 0"),
        "seed": ("0", -1, "seed must be >= 0, got -1"),
    },
    "landscapes": {
        "grid": (7.0, 1, "grid must be >= 2, got 1"),
        "hidden": ("16", 0, "hidden must be >= 1, got 0"),
        "n_points": (64.0, 0, "n_points must be >= 1, got 0"),
        "epochs": (None, 0, "epochs must be >= 1, got 0"),
        "lr": ("0.2", -0.2, "lr must be > 0, got -0.2"),
        "plane_points": (25.0, 2, "plane_points must be >= 3, got 2"),
        "seed": (0.5, -1, "seed must be >= 0, got -1"),
    },
    "trajectories": {
        "surfaces": ("quadratic", ("quadratic", "nowhere"),
                     "surfaces[1] must be one of ('quadratic', 'rosenbrock', 'beale', 'himmelblau'), got 'nowhere'"),
    },
    "edge_of_stability": {
        "lr": ("0.15", 0.0, "lr must be > 0, got 0.0"),
        "steps": (1500.0, 0, "steps must be >= 1, got 0"),
        "sharpness_every": (10.0, 0, "sharpness_every must be >= 1, got 0"),
        "width": ("32", 0, "width must be >= 1, got 0"),
        "n_points": (None, 0, "n_points must be >= 1, got 0"),
        "n_inputs": (8.0, 0, "n_inputs must be >= 1, got 0"),
        "frequency": ("4", -4.0, "frequency must be > 0, got -4.0"),
        "warm_steps": (4.5, 0, "warm_steps must be >= 1, got 0"),
        "seed": ("2", -1, "seed must be >= 0, got -1"),
    },
    "gd_vs_flow": {
        "path_lrs": (0.1, (0.1, -0.1), "path_lrs[1] must be > 0, got -0.1"),
        "horizon": ("1", -1, "horizon must be > 0, got -1"),
        "distance_lrs": (0.04, (0.04, 2.0), "distance_lrs[1] must be in (0, 1.0] (horizon at most), got 2.0"),
    },
    "saxe": {
        "singular_values": (4.0, (4.0, 0.0), "singular_values[1] must be > 0, got 0.0"),
        "hidden": (8.0, 3, "hidden must be >= 4 (the number of singular_values), got 3"),
        "lr": ("0.01", 0, "lr must be > 0, got 0"),
        "t_final": (None, 0.001, "t_final must be >= 0.01 (lr: at least one step), got 0.001"),
        "u0": ("1e-3", 0.5, "u0 must be in (0, 0.5) (below the smallest singular value), got 0.5"),
        "seed": (0.0, -1, "seed must be >= 0, got -1"),
    },
    "ring_attractor": {
        "n_neurons": (64.0, 7, "n_neurons must be >= 8, got 7"),
        "cue_angles": (1.0, (1.0, float("nan")), "cue_angles[1] must be finite, got nan"),
        "delay": ("30", 0.0, "delay must be > 0, got 0.0"),
        "start_offsets": (0.25, (), "start_offsets must hold at least 1 value, got ()"),
        "long_delay": (None, -1.0, "long_delay must be > 0, got -1.0"),
        "sizes": (16, (16, 4), "sizes[1] must be >= 8, got 4"),
        "noise_levels": (0.01, (0.01, -0.01), "noise_levels[1] must be >= 0, got -0.01"),
        "noise_duration": ("200", 0.05, "noise_duration must be > 0.05 (NOISE_STEP, the noisy runs' time step), got 0.05"),
        "noise_trials": (48.0, 1, "noise_trials must be >= 2, got 1"),
        "seed": ("0", -1, "seed must be >= 0, got -1"),
    },
    "population_dynamics": {
        "n_units": (64.0, 4, "n_units must be >= 8, got 4"),
        "peak_rate": ("50", 0.0, "peak_rate must be > 0, got 0.0"),
        "baseline": (None, 0.0, "baseline must be > 0, got 0.0"),
        "stimulus": ("0.25", 0.0005, "stimulus must be >= 0.001 (dt: at least one time bin), got 0.0005"),
        "delay": ("0.75", -0.1, "delay must be >= 0, got -0.1"),
        "dt": ("0.001", 0.01, "dt must be in (0, 0.002] (tau / 10 at most), got 0.01"),
        "tau": (None, 0.0, "tau must be > 0, got 0.0"),
        "input_gains": (0.5, (0.5, 0.0), "input_gains[1] must be > 0, got 0.0"),
        "trials": (1000.0, 1, "trials must be >= 2, got 1"),
        "samples_every": ("0.01", 2.0, "samples_every must be in [0.001, 1.0] (from dt to stimulus + delay), got 2.0"),
        "decoder_times": (0.05, (0.05, 0.0),
                          "decoder_times[1] must be in [0.001, 1.0] (from dt to stimulus + delay), got 0.0"),
        "decoder_trials": (500.0, 1, "decoder_trials must be >= 2, got 1"),
        "seed": ("0", -1, "seed must be >= 0, got -1"),
    },
    "feedback_alignment": {
        "seeds": (0, (), "seeds must hold at least 1 value, got ()"),
        "steps": (600.0, 0, "steps must be >= 1, got 0"),
        "node_counts": (5, (2, 0), "node_counts[1] must be >= 1, got 0"),
        "samples": ("20000", 0, "samples must be >= 1, got 0"),
    },
    "hopfield_memory": {
        "sizes": (100, (100, 5), "sizes[1] must be >= 10, got 5"),
        "loads": (0.1, (0.2, 0.1), "loads must be increasing, got (0.2, 0.1)"),
        "noise": ("0.1", 0.5, "noise must be in [0, 0.5), got 0.5"),
        "recalls": (250.0, 0, "recalls must be >= 1, got 0"),
        "seed": (None, -1, "seed must be >= 0, got -1"),
    },
}
ARGUMENTS = [(name, argument) for name in sorted(CASES) for argument in CASES[name]]


class WorkStarted(Exception):
    """run() went past its door without refusing the bad argument."""


@contextmanager
def at_the_door(what: str):
    """Fail as soon as the code inside makes more than ``CALL_BUDGET`` Python calls: the checks come before any work."""
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        calls += 1
        if calls > CALL_BUDGET:
            raise WorkStarted(f"{what}: more than {CALL_BUDGET} Python calls without refusing the argument: "
                              "check it at the door, before any work")

    previous = sys.gettrace()
    sys.settrace(count)  # 'call' events only: count returns None, so no line is traced
    try:
        yield
    finally:
        sys.settrace(previous)


def run_function(name: str):
    return importlib.import_module(EXPERIMENTS[name].module).run


def test_every_argument_of_every_experiment_has_cases():
    assert sorted(CASES) == sorted(EXPERIMENTS), f"CASES in {__file__} must list exactly the experiments {sorted(EXPERIMENTS)}"
    for name in EXPERIMENTS:
        arguments = list(inspect.signature(run_function(name)).parameters)
        assert list(CASES[name]) == arguments, f"CASES[{name!r}] must list the arguments of its run(), in order: {arguments}"


@pytest.mark.parametrize("name", sorted(EXPERIMENTS))
def test_the_docstring_of_run_lists_every_argument_with_its_range(name):
    run = run_function(name)
    doc = inspect.getdoc(run) or ""
    assert "Arguments (checked before any work" in doc, f"{name}.run's docstring has no 'Arguments (checked before any work...):' list"
    listed = re.findall(r"^    (\w+): (.+)$", doc.split("Arguments (checked before any work", 1)[1], re.MULTILINE)
    assert [argument for argument, _ in listed] == list(inspect.signature(run).parameters), (
        f"{name}.run's docstring must list its arguments in order, one per line as '    name: range, meaning'")


@pytest.mark.parametrize("name, argument", ARGUMENTS)
def test_a_wrong_type_is_a_type_error_naming_the_argument_and_the_value(name, argument):
    run, wrong = run_function(name), CASES[name][argument][0]
    with at_the_door(f"{name}.run({argument}={wrong!r})"), pytest.raises(TypeError) as info:
        run(**{argument: wrong})
    message = str(info.value)
    assert message.startswith(argument) and repr(wrong) in message, (
        f"{name}.run({argument}={wrong!r}): the TypeError must start with the argument's name and show the value, got: {message}")


@pytest.mark.parametrize("name, argument", ARGUMENTS)
def test_a_value_out_of_range_is_a_value_error_naming_the_argument_the_range_and_the_value(name, argument):
    run, (_, bad, expected) = run_function(name), CASES[name][argument]
    with at_the_door(f"{name}.run({argument}={bad!r})"), pytest.raises(ValueError) as info:
        run(**{argument: bad})
    assert str(info.value) == expected, f"{name}.run({argument}={bad!r}): expected the ValueError {expected!r}, got {str(info.value)!r}"


@pytest.mark.parametrize("name", sorted(EXPERIMENTS))
def test_the_defaults_pass_the_door(name):
    """run() with its defaults gets past the checks (stopped once its work begins, or done if it is that quick)."""
    try:
        with at_the_door(f"{name}.run()"):
            run_function(name)()
    except WorkStarted:
        pass  # the checks (within the budget, as the cases above show) let every default through


# ---- the checks themselves (learndyn.experiments.arguments) -----------------------------------------------

def arguments_module():
    return importlib.import_module("learndyn.experiments.arguments")


@pytest.mark.parametrize("bounds, inside, outside, message", [
    (dict(above=0), 1e-300, 0, "x must be > 0, got 0"),
    (dict(at_least=0), 0, -1e-300, "x must be >= 0, got -1e-300"),
    (dict(below=0.5), 0.49, 0.5, "x must be < 0.5, got 0.5"),
    (dict(at_most=1), 1, 1.0000001, "x must be <= 1, got 1.0000001"),
    (dict(above=0, at_most=1), 1.0, 0.0, "x must be in (0, 1], got 0.0"),
    (dict(at_least=0, below=0.5), 0.0, 0.5, "x must be in [0, 0.5), got 0.5"),
    (dict(above=0, note="why"), 0.1, -0.1, "x must be > 0 (why), got -0.1"),
])
def test_real_accepts_exactly_the_range_its_message_states(bounds, inside, outside, message):
    checks = arguments_module()
    assert checks.real("x", inside, **bounds) == inside and type(checks.real("x", inside, **bounds)) is float
    with pytest.raises(ValueError) as info:
        checks.real("x", outside, **bounds)
    assert str(info.value) == message


def test_real_refuses_bools_strings_and_non_finite_values_and_accepts_numpy_scalars():
    checks = arguments_module()
    for wrong in (True, "1", None, 1j, [1.0]):
        with pytest.raises(TypeError, match=r"^x must be a real number, got "):
            checks.real("x", wrong)
    for infinite in (float("nan"), float("inf"), -float("inf"), np.float64("nan")):
        with pytest.raises(ValueError, match=r"^x must be finite, got "):
            checks.real("x", infinite)
    assert checks.real("x", np.float32(0.5), above=0) == 0.5 and checks.real("x", np.int64(2)) == 2.0
    with pytest.raises(ValueError) as info:
        checks.real("x", np.float64(-0.5), above=0)
    assert str(info.value) == "x must be > 0, got -0.5", "a NumPy scalar is shown as a plain number"


def test_integer_refuses_floats_and_bools_and_checks_its_range():
    checks = arguments_module()
    assert checks.integer("n", 1, at_least=1) == 1 and type(checks.integer("n", np.int64(3), at_least=1)) is int
    for wrong, shown in ((2.5, "2.5 (float)"), (2.0, "2.0 (float)"), (True, "True (bool)"), ("2", "'2' (str)")):
        with pytest.raises(TypeError) as info:
            checks.integer("n", wrong, at_least=1)
        assert str(info.value) == f"n must be an int, got {shown}"
    with pytest.raises(ValueError) as info:
        checks.integer("n", 5, at_least=1, at_most=4, note="below m")
    assert str(info.value) == "n must be in [1, 4] (below m), got 5"


def test_sequences_are_lists_tuples_ranges_or_vectors_of_checked_entries():
    checks = arguments_module()
    assert checks.integers("s", [1, np.int64(2)], at_least=1) == (1, 2)
    assert checks.reals("s", np.array([0.5, 1.5]), min_length=2, above=0) == (0.5, 1.5)
    assert checks.sequence("s", range(3)) == (0, 1, 2)
    for wrong in ("ab", b"ab", 3, {1, 2}, np.ones((2, 2)), None):
        with pytest.raises(TypeError, match=r"^s must be a list, tuple or 1-D array, got "):
            checks.sequence("s", wrong)
    with pytest.raises(ValueError, match=r"^s must hold at least 2 values, got \[1\]$"):
        checks.integers("s", [1], at_least=1, min_length=2)
    with pytest.raises(TypeError, match=r"^s\[1\] must be an int, got 2.0 \(float\)$"):
        checks.integers("s", [1, 2.0], at_least=1)
    with pytest.raises(ValueError, match=r"^s\[0\] must be >= 1, got 0$"):
        checks.integers("s", (0, 2), at_least=1)


def test_one_of_names_the_allowed_values():
    checks = arguments_module()
    assert checks.one_of("k", "b", ("a", "b")) == "b"
    with pytest.raises(ValueError, match=r"^k must be one of \('a', 'b'\), got 'c'$"):
        checks.one_of("k", "c", ("a", "b"))
    with pytest.raises(TypeError, match=r"^k must be a str, got 1 \(int\)$"):
        checks.one_of("k", 1, ("a", "b"))
