"""Gradient descent as a dynamical system: the update map, its spectrum, momentum, symmetry.

Import by name: ``from learndyn.dynamics import critical_learning_rate``.
"""
from .flat_parameters import loss_of_parameter_vector
from .momentum import momentum_matrix, momentum_spectral_radius, momentum_stability_edge, optimal_momentum
from .regimes import (
    REGIMES,
    classify_regime,
    convergence_rate,
    critical_learning_rate,
    optimal_convergence_rate,
    optimal_learning_rate,
)
from .symmetry import antisymmetric_directions, count_distinct_units, symmetry_breaking_growth_rate, unit_tuple_indices
from .update_map import gradient_descent_map, loss_gradient, loss_hessian, quadratic_update_jacobian, update_map_jacobian

__all__ = [
    "loss_of_parameter_vector",
    "loss_gradient", "gradient_descent_map", "update_map_jacobian", "loss_hessian", "quadratic_update_jacobian",
    "REGIMES", "classify_regime", "critical_learning_rate", "convergence_rate", "optimal_learning_rate",
    "optimal_convergence_rate",
    "momentum_matrix", "momentum_spectral_radius", "momentum_stability_edge", "optimal_momentum",
    "unit_tuple_indices", "count_distinct_units", "antisymmetric_directions", "symmetry_breaking_growth_rate",
]
