import math
from decimal import Decimal

import numpy as np
import opendp.prelude as dp
import pytest

from privacy.dp.gaussian import half_widths, make_gaussian_counts, sum_half_widths
from privacy.dp.tables import l2_bound

RHOS = [Decimal("0.0001"), Decimal("0.001234567"), Decimal("0.0125"), Decimal("0.3"), Decimal(1), Decimal(7)]


def discrete_gaussian_pmf(sigma: float) -> tuple[np.ndarray, np.ndarray]:
    """The discrete Gaussian's probabilities on every integer within 40 sigma (the rest is < 1e-300)."""
    support = np.arange(-math.ceil(40 * sigma) - 2, math.ceil(40 * sigma) + 3)
    weights = np.exp(-(support.astype(float) ** 2) / (2 * sigma**2))
    return support, weights / weights.sum()


@pytest.mark.parametrize("rho", RHOS)
@pytest.mark.parametrize("cells_per_person", [1, 2, 3, 4, 5, 11, 12])
def test_opendp_reports_at_most_the_rho_asked_and_sigma_is_the_formula(rho, cells_per_person):
    # Non-square cells_per_person need no rounding of the sensitivity up to an integer: the
    # discrete Gaussian takes the real L2 bound, so sigma is the formula, not more.
    sensitivity = l2_bound(cells_per_person)
    gaussian = make_gaussian_counts(10, sensitivity, rho)
    assert gaussian.rho_map <= rho
    assert Decimal(gaussian.measurement.map(sensitivity)) <= rho
    assert gaussian.sigma == pytest.approx(math.sqrt(cells_per_person) / math.sqrt(2 * float(rho)), rel=1e-12)


def test_the_noise_is_integer_and_the_map_is_the_discrete_gaussians():
    gaussian = make_gaussian_counts(3, l2_bound(3), Decimal("0.05"))
    assert str(gaussian.measurement.input_domain) == "VectorDomain(AtomDomain(T=i64), size=3)"
    assert all(isinstance(value, int) for value in gaussian.measurement([0, 1_000_000, 7]))
    # CKS 2020, Theorem 14: rho = (L2 sensitivity / sigma)^2 / 2, here 3 / (2 sigma^2).
    assert float(gaussian.rho_map) == pytest.approx(3 / (2 * gaussian.sigma**2), rel=1e-12)


def test_opendps_own_counting_gives_the_same_loss_for_one_row_per_person():
    # A single-valued table: OpenDP's count_by_categories, fed one category per person, takes
    # the person-level symmetric distance 1 to the L2 distance 1 that our sensitivity states.
    gaussian = make_gaussian_counts(3, 1.0, Decimal("0.0125"))
    chain = dp.t.make_count_by_categories(
        dp.vector_domain(dp.atom_domain(T=str)), dp.symmetric_distance(), categories=["a", "b"],
        null_category=True, MO="L2Distance<f64>", TOA="i64",
    ) >> dp.m.then_gaussian(scale=gaussian.sigma)
    assert chain.map(1) == gaussian.measurement.map(1.0)


@pytest.mark.parametrize("rho", [Decimal(0), Decimal("-0.1")])
def test_refuses_a_rho_that_is_not_positive(rho):
    with pytest.raises(ValueError, match="rho must be positive"):
        make_gaussian_counts(3, 1.0, rho)


def test_refuses_no_cells():
    with pytest.raises(ValueError):
        make_gaussian_counts(0, 1.0, Decimal(1))


def test_half_widths_are_the_normal_quantiles_rounded_for_integers():
    assert half_widths(1.0) == {0.1: 2, 0.05: 2, 0.01: 3}  # 1.64, 1.96, 2.58 (+0.5, floored)
    assert half_widths(100.0) == {0.1: 164, 0.05: 196, 0.01: 258}


@pytest.mark.parametrize("sigma", [0.2, 0.5, 0.9, 1.0, 1.3, 2.0, 3.7, 4.47, 10.0, 28.28, 57.0])
def test_half_widths_cover_the_discrete_gaussian(sigma):
    # Exact probabilities, not draws: P(|X| <= h) >= 1 - alpha, also where z < 1 (alpha 0.5, 0.9).
    support, pmf = discrete_gaussian_pmf(sigma)
    alphas = (0.9, 0.5, 0.2, 0.1, 0.05, 0.01, 0.001)
    for alpha, width in half_widths(sigma, alphas).items():
        assert pmf[np.abs(support) <= width].sum() >= 1 - alpha


@pytest.mark.parametrize("sigma", [0.5, 1.0, 4.47, 12.0])
@pytest.mark.parametrize("n_summed", [1, 2, 3, 10, 40])
def test_sum_half_widths_cover_sums_of_discrete_gaussians(sigma, n_summed):
    support, pmf = discrete_gaussian_pmf(sigma)
    total = np.array([1.0])
    for _ in range(n_summed):
        total = np.convolve(total, pmf)
    values = np.arange(len(total)) + n_summed * support[0]
    for alpha, width in sum_half_widths(sigma, n_summed).items():
        assert total[np.abs(values) <= width].sum() >= 1 - alpha
        assert width >= half_widths(sigma * math.sqrt(n_summed))[alpha]
