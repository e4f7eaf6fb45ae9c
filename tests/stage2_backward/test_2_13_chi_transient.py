"""Task 2.13: over a finite depth the gradient grows by the product of chi_l along the start-up transient, not chi(q*)**L."""
import numpy as np
import pytest

from learndyn.credit.mean_field import gradient_factor, variance_map
from oracle import assert_close
from oracle.stage2_credit import mean_field_recursion

pytestmark = pytest.mark.task("2.13")


def test_tanh_gain_five_thirds_grows_credit_21x_over_nineteen_layers_not_chi_star_to_the_19th():
    weight_variance = (5 / 3) ** 2
    q, chis = weight_variance, []  # unit-variance inputs: q_1 = sigma_w**2 = 2.78, above the fixed point q* = 1.178
    for _ in range(19):  # the factors between layer 1 and layer 20
        chis.append(gradient_factor(q, "tanh", weight_variance))
        q = variance_map(q, "tanh", weight_variance)
    product = float(np.prod(chis))
    _, oracle_chi = mean_field_recursion(weight_variance, 20, "tanh", weight_variance)
    chi_star = oracle_chi[-1]  # 1.2098, converged by layer 20
    # Gauss-Hermite (200 nodes, the learner's) against the oracle's trapezoid rule: they agree to 3e-8 over the 19
    # factors (tanh'**2 is not a polynomial, so Gauss-Hermite is not exact); 1e-6 leaves room, 37 / 21 does not.
    assert_close(product, float(np.prod(oracle_chi[:-1])), rtol=1e-6, atol=0,
                 what="prod(chi_l), l = 1..19, for tanh at gain 5/3 from unit-variance inputs (20.96 = 2**4.39)",
                 alternatives={"chi(q*)**19, as if every layer sat at the fixed point": chi_star**19})
    # The first layers saturate (q_1 = 2.78 > q*): chi_1 = 0.84 < 1, then chi_l climbs to 1.21 within ~8 layers.
    # So 19 layers multiply the credit by 21, not by 1.21**19 = 37.
    assert chis[0] < 0.85 < 1.2 < chis[-1], f"chi_1 = {chis[0]:.4f} (predicted 0.840), chi_19 = {chis[-1]:.4f} (predicted 1.2098)"
    assert abs(np.log2(product) - 4.39) < 0.01 and product < 0.6 * chi_star**19, (
        f"log2 prod(chi_l) = {np.log2(product):.3f}, predicted 4.39 (chi(q*)**19 would be 2**{np.log2(chi_star**19):.2f})")
