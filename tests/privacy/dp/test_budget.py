from decimal import Decimal

import opendp.prelude as dp
import pytest

from privacy.dp.budget import epsilon_to_rho, rho_to_epsilon

DELTAS = [Decimal("1e-5"), Decimal("1e-7"), Decimal("1e-10")]
EPSILONS = [Decimal("0.01"), Decimal("0.1"), Decimal("0.5"), Decimal(1), Decimal(3), Decimal(10)]


@pytest.mark.parametrize("delta", DELTAS)
@pytest.mark.parametrize("epsilon", EPSILONS)
def test_epsilon_round_trips_through_rho(epsilon, delta):
    rho = epsilon_to_rho(epsilon, delta)
    back = rho_to_epsilon(rho, delta)
    assert abs(back - epsilon) <= epsilon * Decimal("1e-25")
    assert isinstance(rho, Decimal) and isinstance(back, Decimal)


@pytest.mark.parametrize("delta", DELTAS)
def test_rho_round_trips_through_epsilon(delta):
    for rho in [Decimal("0.0001"), Decimal("0.0125"), Decimal("0.5"), Decimal(2)]:
        assert abs(epsilon_to_rho(rho_to_epsilon(rho, delta), delta) - rho) <= rho * Decimal("1e-25")


def test_rounding_is_in_the_safe_direction():
    delta = Decimal("1e-7")
    rho = epsilon_to_rho(Decimal(1), delta)
    # The rho granted never buys more than the epsilon asked, as computed at higher precision.
    assert rho_to_epsilon(rho, delta) <= Decimal(1) + Decimal("1e-27")
    assert epsilon_to_rho(Decimal(0), delta) == 0


def test_the_stated_epsilon_is_at_least_opendps_own_conversion():
    dp.enable_features("contrib")
    for rho in [0.001, 0.0125, 0.5]:
        gaussian = dp.m.make_gaussian(dp.atom_domain(T=float, nan=False), dp.absolute_distance(T=float),
                                      scale=(1 / (2 * rho)) ** 0.5)
        profile = dp.c.make_zCDP_to_approxDP(gaussian).map(1.0)
        assert rho_to_epsilon(Decimal(rho), Decimal("1e-7")) >= Decimal(profile.epsilon(1e-7))


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError):
        rho_to_epsilon(Decimal(-1), Decimal("1e-7"))
    with pytest.raises(ValueError):
        epsilon_to_rho(Decimal(1), Decimal(0))
    with pytest.raises(ValueError):
        epsilon_to_rho(Decimal(1), Decimal(1))
