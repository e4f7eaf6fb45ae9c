"""Task 1.5: exp, log, tanh, a sigmoid that never overflows, relu."""
import warnings

import numpy as np
import pytest

from learndyn import Tensor
from oracle.op_checks import check_forward, check_records_graph
from oracle.op_table import cases_for

pytestmark = pytest.mark.task("1.5")


@pytest.mark.parametrize("case", cases_for("1.5", "forward"), ids=lambda c: c.id)
def test_forward_matches_numpy(case):
    check_forward(case, Tensor)


# op name -> (the op applied to a and b, how many inputs it records); recording itself is task 1.2.
RECORDS = {
    "exp": (lambda a, b: a.exp(), 1),
    "log": (lambda a, b: a.log(), 1),
    "tanh": (lambda a, b: a.tanh(), 1),
    "sigmoid": (lambda a, b: a.sigmoid(), 1),
    "relu": (lambda a, b: a.relu(), 1),
}


@pytest.mark.parametrize("op", RECORDS)
def test_each_op_records_its_name_and_inputs(op):
    apply, inputs = RECORDS[op]
    check_records_graph(op, apply, Tensor, inputs)


def test_sigmoid_is_stable_for_large_inputs():
    x = np.array([-1000.0, -50.0, -1.0, 0.0, 1.0, 50.0, 1000.0])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        try:
            out = Tensor(x).sigmoid().data
        except FloatingPointError as error:
            pytest.fail(f"sigmoid overflowed ({error}): never compute exp of a large positive number")
    assert np.all(np.isfinite(out)), f"sigmoid gave non-finite values {out}"
    # exp(-50) / (1 + exp(-50)) = 1.9287e-22: a formula like 1 - 1/(1+e^-x) cancels to 0 here.
    expected = np.array([0.0, np.exp(-50.0) / (1 + np.exp(-50.0)), 1 / (1 + np.e), 0.5, 1 / (1 + np.exp(-1.0)), 1.0, 1.0])
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=0, err_msg="sigmoid at large |x| lost relative accuracy")


def test_relu_zeroes_negatives_only():
    np.testing.assert_array_equal(Tensor([-2.0, -0.1, 0.3, 5.0]).relu().data, [0.0, 0.0, 0.3, 5.0])
