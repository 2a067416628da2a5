import math
from decimal import Decimal

import opendp.prelude as dp
import pytest

from privacy.dp.budget import _bun_steinke_rho, epsilon_to_rho, rho_to_epsilon

DELTAS = [Decimal("1e-5"), Decimal("1e-7"), Decimal("1e-10")]
EPSILONS = [Decimal("0.001"), Decimal("0.01"), Decimal("0.1"), Decimal("0.5"), Decimal(1), Decimal(3), Decimal(10)]
DEFAULT_DELTA = Decimal("1e-7")


def opendp_epsilon(rho: float, delta: float) -> float:
    """OpenDP's own answer, from a Gaussian mechanism whose privacy map is ``rho`` at d_in 1."""
    dp.enable_features("contrib")
    gaussian = dp.m.make_gaussian(dp.atom_domain(T=float, nan=False), dp.absolute_distance(T=float),
                                  scale=(1 / (2 * rho)) ** 0.5)
    return dp.c.make_fix_delta(dp.c.make_zCDP_to_approxDP(gaussian), delta).map(1.0)[0]


def bun_steinke_epsilon(rho: Decimal, delta: Decimal) -> float:
    log_inverse = math.log(1 / float(delta))
    return float(rho) + 2 * math.sqrt(float(rho) * log_inverse)


@pytest.mark.parametrize("rho", [Decimal("0.0001"), Decimal("0.0125"), Decimal("0.5"), Decimal(2)])
def test_the_conversion_is_opendps_and_never_below_it(rho):
    converted = rho_to_epsilon(rho, DEFAULT_DELTA)
    expected = opendp_epsilon(float(rho), 1e-7)
    assert converted >= Decimal(expected)
    assert converted == pytest.approx(Decimal(expected), rel=Decimal("1e-12"))


def test_the_default_budget_is_opendps_0856_under_the_old_bound_and_a_third_more_rho():
    old_rho = _bun_steinke_rho(Decimal(1), DEFAULT_DELTA)  # what the hub used to grant for epsilon 1
    assert bun_steinke_epsilon(old_rho, DEFAULT_DELTA) == pytest.approx(1, rel=1e-12)
    assert rho_to_epsilon(old_rho, DEFAULT_DELTA) == pytest.approx(Decimal("0.856027"), abs=Decimal("1e-6"))
    new_rho = epsilon_to_rho(Decimal(1), DEFAULT_DELTA)
    assert new_rho / old_rho == pytest.approx(Decimal("1.3416"), abs=Decimal("1e-4"))
    assert float(rho_to_epsilon(new_rho, DEFAULT_DELTA)) < bun_steinke_epsilon(new_rho, DEFAULT_DELTA)


@pytest.mark.parametrize("delta", DELTAS)
@pytest.mark.parametrize("epsilon", EPSILONS)
def test_epsilon_to_rho_to_epsilon_never_exceeds_the_epsilon_asked(epsilon, delta):
    rho = epsilon_to_rho(epsilon, delta)
    back = rho_to_epsilon(rho, delta)
    assert isinstance(rho, Decimal) and isinstance(back, Decimal)
    assert back <= epsilon
    # OpenDP's own answer agrees, to the ulps by which this test's float scale rounds the rho.
    assert Decimal(opendp_epsilon(float(rho), float(delta))) <= epsilon * (1 + Decimal("1e-15"))
    assert back >= epsilon * (1 - Decimal("1e-12"))  # and little of the budget is left unused


@pytest.mark.parametrize("delta", DELTAS)
def test_rho_round_trips_through_epsilon(delta):
    for rho in [Decimal("0.0001"), Decimal("0.0125"), Decimal("0.5"), Decimal(2)]:
        assert epsilon_to_rho(rho_to_epsilon(rho, delta), delta) == pytest.approx(rho, rel=Decimal("1e-12"))


def test_zero_converts_to_zero():
    assert epsilon_to_rho(Decimal(0), DEFAULT_DELTA) == 0
    assert rho_to_epsilon(Decimal(0), DEFAULT_DELTA) == 0


@pytest.mark.parametrize("value", [Decimal(-1), Decimal("NaN"), Decimal("Infinity")])
def test_bad_amounts_are_refused(value):
    with pytest.raises(ValueError):
        rho_to_epsilon(value, DEFAULT_DELTA)
    with pytest.raises(ValueError):
        epsilon_to_rho(value, DEFAULT_DELTA)


@pytest.mark.parametrize("delta", [Decimal(0), Decimal(1), Decimal("NaN")])
def test_bad_deltas_are_refused(delta):
    with pytest.raises(ValueError):
        epsilon_to_rho(Decimal(1), delta)
    with pytest.raises(ValueError):
        rho_to_epsilon(Decimal("0.01"), delta)
