import math
from decimal import Decimal

import opendp.prelude as dp
import pytest

from privacy.dp.gaussian import half_widths, make_gaussian_counts

RHOS = [Decimal("0.0001"), Decimal("0.001234567"), Decimal("0.0125"), Decimal("0.3"), Decimal(1), Decimal(7)]


@pytest.mark.parametrize("rho", RHOS)
@pytest.mark.parametrize("cells_per_person", [1, 2, 3, 5, 11])
def test_opendp_reports_at_most_the_rho_asked_and_sigma_is_the_formula(rho, cells_per_person):
    sensitivity = math.sqrt(cells_per_person)
    gaussian = make_gaussian_counts(10, sensitivity, rho)
    assert gaussian.rho_map <= rho
    assert Decimal(gaussian.measurement.map(sensitivity)) <= rho
    assert gaussian.sigma == pytest.approx(sensitivity / math.sqrt(2 * float(rho)), rel=1e-12)


def test_opendps_own_counting_gives_the_same_loss_for_one_row_per_person():
    # A single-valued table: OpenDP's count_by_categories, fed one category per person, takes
    # the person-level symmetric distance 1 to the L2 distance 1 that our sensitivity states.
    gaussian = make_gaussian_counts(3, 1.0, Decimal("0.0125"))
    chain = dp.t.make_count_by_categories(
        dp.vector_domain(dp.atom_domain(T=str)), dp.symmetric_distance(), categories=["a", "b"],
        null_category=True, MO="L2Distance<f64>", TOA=float,
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
