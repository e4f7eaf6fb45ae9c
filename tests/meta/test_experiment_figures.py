"""Maintainer check: every experiment's plot() draws a PNG, on its own figure, without touching the caller's matplotlib.

For every ``[[experiment]]`` of the curriculum: run it with small settings
(below), draw its figure into a temporary folder, and require a non-empty PNG.
Drawing must not call ``matplotlib.use`` (which switches the backend of the
whole process and, on matplotlib 3.6, closes the caller's open figures): the
caller's backend and its open pyplot figure must be exactly as before.
Runs against the copy chosen by ``--target`` (the maintainer command uses
``--target=solutions``); the experiments need every task solved.
"""
from __future__ import annotations

import importlib

import pytest

from tools.curriculum import load_curriculum

EXPERIMENTS = {e.name: e for stage in load_curriculum() for e in stage.experiments}

# Small settings: each figure in a second or two. The numbers are not checked here (the stage tests do that).
QUICK = {
    "graph": {},
    "xor": dict(n_nets=6, epochs=100),
    "xor_architectures": dict(hiddens=(0, 1, 2), n_nets=6, epochs=100),
    "depth_gradients": dict(width=16, depth=5, seeds=1, batch=4),
    "population_credit": dict(sizes=(8, 16, 32), trials=50, units=8, epochs=5),
    "stability": dict(amplitudes=(0.5, 1.0), factors=(0.5, 1.1, 5.0), steps=20, pretrain_rounds=1, pretrain_steps=30),
    "symmetry": dict(steps=60, checkpoints=3),
    "warmup": dict(factors=(1.0, 12.0), shown=12.0, steps=120, warmup=60, sharpness_every=30),
    "landscapes": dict(grid=3, hidden=4, n_points=16, epochs=5, plane_points=5),
    "trajectories": dict(surfaces=("quadratic", "himmelblau")),
    "edge_of_stability": dict(steps=30, sharpness_every=10, width=8, n_points=32),
    "gd_vs_flow": dict(path_lrs=(0.1, 0.3), distance_lrs=(0.04, 0.02)),
    "saxe": dict(t_final=2.0, lr=0.05),
    "ring_attractor": dict(delay=5.0, long_delay=20.0, start_offsets=(0.25,), sizes=(16, 32), noise_levels=(0.01,),
                           noise_duration=2.0, noise_trials=4),
    "population_dynamics": dict(stimulus=0.02, delay=0.01, trials=20, input_gains=(1.0,), decoder_times=(0.01, 0.02),
                                decoder_trials=10),
    "feedback_alignment": dict(seeds=(0,), steps=20, node_counts=(2, 5), samples=200),
    "hopfield_memory": dict(sizes=(20,), loads=(0.05, 0.3), recalls=3),
}


def test_every_experiment_has_quick_settings():
    missing = sorted(set(EXPERIMENTS) - set(QUICK))
    assert not missing, f"add small settings for {missing} to QUICK in {__file__}"


@pytest.mark.parametrize("name", sorted(EXPERIMENTS))
def test_plot_writes_a_png_without_touching_the_callers_matplotlib(name, tmp_path, monkeypatch):
    import matplotlib
    import matplotlib.pyplot as plt

    if name not in QUICK:
        pytest.skip(f"no quick settings for {name} (test_every_experiment_has_quick_settings fails)")
    module = importlib.import_module(EXPERIMENTS[name].module)
    result = module.run(**QUICK[name])
    backend = matplotlib.get_backend()
    callers_figure = plt.figure()
    switched = []
    monkeypatch.setattr(matplotlib, "use", lambda *args, **kwargs: switched.append(args))
    try:
        path = tmp_path / f"{name}.png"
        module.plot(result, path)
        assert not switched, f"{name}.plot called matplotlib.use{switched[0]}: draw on a Figure of its own (experiments/figures.py)"
        assert matplotlib.get_backend() == backend, f"{name}.plot changed the backend from {backend} to {matplotlib.get_backend()}"
        assert plt.fignum_exists(callers_figure.number), f"{name}.plot closed the caller's open figure"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{name}.plot did not write a PNG to {path}"
        assert path.stat().st_size > 10_000, f"{name}.plot wrote only {path.stat().st_size} bytes: an empty figure?"
    finally:
        plt.close(callers_figure)
    assert hasattr(result, "summary") and result.summary(), f"{name}.run() must return a result with a non-empty summary()"
