"""Stage 4: loss landscapes, curvature, and the paths optimizers take through them."""
from .critical_points import KINDS, PrincipalCurvatures, classify_critical_point, find_critical_points, principal_curvatures
from .directions import filter_normalized_direction
from .gradients import (
    function_gradient,
    model_gradient,
    model_loss,
    parameters_set_to,
    parameters_to_vector,
    vector_to_parameters,
)
from .hessian import finite_difference_hessian, hessian_vector_product
from .sharpness import power_iteration, sharpness
from .slices import linear_slice, planar_slice
from .surfaces import SURFACES, Surface, beale, himmelblau, ill_conditioned_quadratic, monkey_saddle, rosenbrock, saddle
from .trajectories import optimizer_trajectory

__all__ = [
    "SURFACES", "Surface", "ill_conditioned_quadratic", "rosenbrock", "beale", "himmelblau", "saddle", "monkey_saddle",
    "function_gradient", "model_gradient", "model_loss", "parameters_set_to", "parameters_to_vector", "vector_to_parameters",
    "finite_difference_hessian", "hessian_vector_product", "power_iteration", "sharpness",
    "KINDS", "classify_critical_point", "principal_curvatures", "PrincipalCurvatures", "find_critical_points",
    "linear_slice", "planar_slice", "filter_normalized_direction", "optimizer_trajectory",
]
