"""Task 2.1: sum a broadcast gradient back to its input's shape."""
import numpy as np
import pytest

from learndyn.autograd import sum_to_shape
from oracle import assert_close, reduce_to_shape
from oracle.op_table import BROADCAST_PAIRS, normal

pytestmark = pytest.mark.task("2.1")

SHAPES = sorted({s for pair in BROADCAST_PAIRS for s in pair} | {(1,), (1, 1), (2, 1, 3)}, key=str)


def broadcasts_to(shape, out_shape):
    return len(shape) <= len(out_shape) and all(s in (1, o) for s, o in zip(shape[::-1], out_shape[::-1]))


CASES = [(shape, out) for shape in SHAPES for out in [(2, 3, 4), (3, 4), (4, 5), (2, 4, 3), (2, 3), (4, 1, 5)]
         if broadcasts_to(shape, out)]


@pytest.mark.parametrize("shape,out_shape", CASES, ids=[f"{s}->{o}" for s, o in CASES])
def test_matches_the_adjoint_of_broadcasting(shape, out_shape):
    grad = normal(out_shape, f"grad{shape}")
    result = sum_to_shape(grad, shape)
    assert np.shape(result) == shape, (
        f"sum_to_shape(grad of shape {out_shape}, {shape}) has shape {np.shape(result)}: "
        "sum the prepended axes away, and keep (keepdims=True) the axes that were size 1"
    )
    # Summation in a different order: rounding only, ~1e-15; 1e-12 is generous.
    assert_close(result, reduce_to_shape(grad, shape), rtol=1e-12, atol=1e-12, what=f"sum_to_shape to {shape} from {out_shape}")


# Edge of the range: axes of length 0. NumPy broadcasts a size-1 axis to length 0 too, so its gradient sums
# no entries (zeros of the input's shape); an axis that is 0 in both stays 0 (it was not stretched).
EMPTY_CASES = [((1,), (0,)), ((0, 1), (0, 3)), ((1, 3), (2, 0, 3)), ((2, 1), (2, 0))]


@pytest.mark.parametrize("shape,out_shape", EMPTY_CASES, ids=[f"{s}->{o}" for s, o in EMPTY_CASES])
def test_broadcasting_to_an_empty_axis(shape, out_shape):
    result = sum_to_shape(np.ones(out_shape), shape)
    assert np.shape(result) == shape, (
        f"sum_to_shape(grad of shape {out_shape}, {shape}) has shape {np.shape(result)}: a size-1 axis stretched to "
        "length 0 was broadcast too (sum it, keepdims; test the size-1 axes of shape, not grad's length > 1), and an "
        "axis of length 0 in shape was not")
    assert_close(result, np.zeros(shape), rtol=0, atol=0, what=f"sum_to_shape to {shape} from {out_shape} (sums of no entries)")


@pytest.mark.parametrize("shape,out_shape", [((3,), (4,)), ((2, 3), (3,)), ((5, 1), (4, 3)), ((1, 3), (3,)), ((1, 1), (1,))])
def test_a_shape_that_does_not_broadcast_raises_value_error(shape, out_shape):
    with pytest.raises(ValueError) as info:
        sum_to_shape(np.ones(out_shape), shape)
    assert str(shape) in str(info.value) and str(out_shape) in str(info.value), f"name both shapes, got: {info.value}"
