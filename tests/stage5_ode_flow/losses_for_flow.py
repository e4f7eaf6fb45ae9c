"""Losses shared by the stage-5 flow tests, with their gradients and Hessians written out by hand."""
import numpy as np


def quadratic(H, b):
    """L = 0.5 theta^T H theta - b^T theta; minimiser theta* = H^-1 b."""
    return lambda theta: 0.5 * (theta @ (H @ theta)) - b @ theta


def coupled_valley(theta):
    """L(a, b) = 0.5 a^2 + 2.5 b^2 + 0.5 a^2 b^2: curved, minimum at 0, Hessian eigenvalues 1 and 5 there."""
    a, b = theta[0], theta[1]
    return 0.5 * a**2 + 2.5 * b**2 + 0.5 * a**2 * b**2


def coupled_valley_gradient(theta):
    a, b = theta
    return np.array([a + a * b**2, 5 * b + a**2 * b])


def coupled_valley_hessian(theta):
    a, b = theta
    return np.array([[1 + b**2, 2 * a * b], [2 * a * b, 5 + a**2]])
