"""The one OpenDP mechanism of the hub: Gaussian noise on a vector of counts, under zCDP.

This is the only module that imports OpenDP, and the one place where its features are enabled:
``"contrib"`` (OpenDP's flag for constructors not yet formally vetted; ``make_gaussian`` is among
them). No ``"floating-point"`` flag is needed: OpenDP's Gaussian on floats samples exactly on a
fine lattice and its privacy map accounts for the rounding.

The scale is computed from the budget, sigma = sensitivity / sqrt(2 rho), then raised by the
last float ulps if needed until the rho that OpenDP's own privacy map reports for that
sensitivity is at most the rho asked. OpenDP's samplers read the operating system's randomness
and cannot be seeded.
"""

from __future__ import annotations

import math
from decimal import Decimal
from importlib.metadata import version
from statistics import NormalDist
from typing import NamedTuple

import opendp.prelude as dp

dp.enable_features("contrib")
OPENDP_VERSION = version("opendp")

ALPHAS = (0.10, 0.05, 0.01)


class GaussianCounts(NamedTuple):
    """An OpenDP measurement of a count vector, with its scale and its own account of the loss."""

    measurement: dp.Measurement
    sigma: float
    rho_map: Decimal  # what the measurement's privacy map reports for d_in = sensitivity


def make_gaussian_counts(n_cells: int, sensitivity: float, rho: Decimal) -> GaussianCounts:
    """The Gaussian measurement on ``n_cells`` counts whose L2 sensitivity is ``sensitivity``.

    Privacy: rho-zCDP with respect to any change of L2 norm at most ``sensitivity`` in the count
    vector (OpenDP's ``make_gaussian`` over ``l2_distance``), asserted through its privacy map.

    >>> gaussian = make_gaussian_counts(3, 1.0, Decimal("0.5"))
    >>> gaussian.sigma, gaussian.rho_map <= Decimal("0.5")
    (1.0, True)
    >>> len(gaussian.measurement([0.0, 5.0, 7.0]))
    3
    """
    rho = Decimal(rho)
    if not rho > 0:
        raise ValueError("rho must be positive")
    if n_cells < 1:
        raise ValueError("a release needs at least one cell")
    if not (sensitivity > 0 and math.isfinite(sensitivity)):
        raise ValueError("sensitivity must be positive and finite")
    domain = dp.vector_domain(dp.atom_domain(T=float, nan=False), size=n_cells)
    sigma = sensitivity / math.sqrt(2 * float(rho))
    for _ in range(64):
        measurement = dp.m.make_gaussian(domain, dp.l2_distance(T=float), scale=sigma)
        rho_map = Decimal(measurement.map(sensitivity))
        if rho_map <= rho:
            break
        sigma = math.nextafter(sigma * (1 + 1e-15), math.inf)
    assert rho_map <= rho, "OpenDP's privacy map exceeds the rho asked"
    return GaussianCounts(measurement, sigma, rho_map)


def half_widths(sigma: float, alphas: tuple[float, ...] = ALPHAS) -> dict[float, int]:
    """Half-width of the (1 - alpha) interval around a published count, for each alpha.

    The noisy value lies within z * sigma of the truth with probability 1 - alpha
    (z = the normal quantile at 1 - alpha / 2). Rounding to the nearest integer moves it by at
    most 0.5 and clamping at zero only moves it towards a true count, so the published integer
    lies within floor(z * sigma + 0.5) of the truth with at least that probability.

    >>> half_widths(10.0)
    {0.1: 16, 0.05: 20, 0.01: 26}
    """
    widths = {}
    for alpha in alphas:
        if not 0 < alpha < 1:
            raise ValueError("alpha must lie strictly between 0 and 1")
        z = NormalDist().inv_cdf(1 - alpha / 2)
        widths[alpha] = math.floor(z * sigma + 0.5)
    return widths
