"""Stage 5: neural circuits as dynamical systems, and learning without exact backprop.

``rate_network``: fixed points and their stability; ``hopfield``: energy and
memory; ``ring_attractor``: a bump that holds an angle; ``feedback_alignment``
and ``node_perturbation``: credit assignment a brain could implement.
"""
from .feedback_alignment import FeedbackAlignmentRun, train_feedback_alignment, update_angle_degrees
from .hopfield import (continuous_hopfield_energy, discrete_hopfield_recall, hebbian_weights, hopfield_energy)
from .node_perturbation import node_perturbation_estimates
from .rate_network import (ACTIVATIONS, fixed_point_by_integration, fixed_point_newton, is_stable, rate_dynamics,
                           rate_jacobian)
from .ring_attractor import RingAttractor, population_vector_angle

__all__ = ["ACTIVATIONS", "rate_dynamics", "fixed_point_by_integration", "fixed_point_newton", "rate_jacobian",
           "is_stable", "hebbian_weights", "hopfield_energy", "discrete_hopfield_recall", "continuous_hopfield_energy",
           "RingAttractor", "population_vector_angle", "train_feedback_alignment", "update_angle_degrees",
           "FeedbackAlignmentRun", "node_perturbation_estimates"]
