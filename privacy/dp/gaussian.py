"""The one OpenDP mechanism of the hub: discrete Gaussian noise on a vector of counts, under zCDP.

This module and :mod:`privacy.dp.budget` (OpenDP's rho-to-epsilon conversion) are the ones that
import OpenDP; each enables only ``"contrib"`` (OpenDP's flag for constructors not yet formally
vetted; ``make_gaussian`` is among them).

Counts are integers, so the noise is OpenDP's discrete Gaussian (``make_gaussian`` over a vector of
``i64``; Canonne, Kamath and Steinke 2020): integer noise with P(x) proportional to
exp(-x^2 / (2 sigma^2)), sampled exactly, about four times faster than OpenDP's float Gaussian.
The input metric is ``l2_distance(T=float)``, so the sensitivity need not be an integer: OpenDP
converts it exactly to a rational and its privacy map is rho = (sensitivity / sigma)^2 / 2, rounded
up, which is the discrete Gaussian's exact zCDP bound for an integer vector whose L2 distance is at
most that sensitivity (CKS 2020, Theorem 14). No noise is added beyond what sqrt(cells per person)
requires.

The scale is computed from the budget, sigma = sensitivity / sqrt(2 rho), then raised by the
last float ulps if needed until the rho that OpenDP's own privacy map reports for that
sensitivity is at most the rho asked. OpenDP's samplers read the operating system's randomness
and cannot be seeded. Building a measurement takes well under a millisecond, against about 12
microseconds of sampling per cell, so measurements are not cached.
"""

from __future__ import annotations

import math
from decimal import Decimal
from functools import lru_cache
from importlib.metadata import version
from statistics import NormalDist
from typing import NamedTuple

import opendp.prelude as dp

dp.enable_features("contrib")
OPENDP_VERSION = version("opendp")

ALPHAS = (0.10, 0.05, 0.01)
MECHANISM = "discrete Gaussian (integer noise, Canonne-Kamath-Steinke 2020)"


class GaussianCounts(NamedTuple):
    """An OpenDP measurement of a count vector, with its scale and its own account of the loss."""

    measurement: dp.Measurement  # list[int] -> list[int]: each count plus discrete Gaussian noise
    sigma: float
    rho_map: Decimal  # what the measurement's privacy map reports for d_in = sensitivity


def make_gaussian_counts(n_cells: int, sensitivity: float, rho: Decimal) -> GaussianCounts:
    """The discrete Gaussian measurement on ``n_cells`` counts whose L2 sensitivity is ``sensitivity``.

    Privacy: rho-zCDP with respect to any change of L2 norm at most ``sensitivity`` in the count
    vector (OpenDP's ``make_gaussian`` over ``vector_domain(atom_domain(T="i64"))`` and
    ``l2_distance(T=float)``), asserted through its privacy map.

    >>> gaussian = make_gaussian_counts(3, 1.0, Decimal("0.5"))
    >>> gaussian.sigma, gaussian.rho_map <= Decimal("0.5")
    (1.0, True)
    >>> noisy = gaussian.measurement([0, 5, 7])
    >>> len(noisy), all(isinstance(value, int) for value in noisy)
    (3, True)
    """
    rho = Decimal(rho)
    if not rho > 0:
        raise ValueError("rho must be positive")
    if n_cells < 1:
        raise ValueError("a release needs at least one cell")
    if not (sensitivity > 0 and math.isfinite(sensitivity)):
        raise ValueError("sensitivity must be positive and finite")
    domain = dp.vector_domain(dp.atom_domain(T="i64"), size=n_cells)
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

    The noise X is discrete Gaussian with scale ``sigma``; let Y be normal with sd ``sigma`` and
    z its quantile at 1 - alpha / 2. The half-width is h = floor(z * sigma + 0.5), so
    h + 0.5 >= z * sigma. Where the normal density is convex (|x| >= sigma) its value at an
    integer is at most its integral over the unit interval around it, and X's probabilities are
    the density at the integers divided by a normaliser that is at least 1 (Poisson summation), so
    P(|X| > h) <= P(|Y| >= h + 0.5) <= alpha whenever h + 0.5 >= sigma; h is raised to meet that
    when z < 1. Clamping at zero only moves a value towards a true count, so the published integer
    lies within h of the truth with probability at least 1 - alpha.

    >>> half_widths(10.0)
    {0.1: 16, 0.05: 20, 0.01: 26}
    """
    return {alpha: _half_width(sigma, _checked(alpha)) for alpha in alphas}


def sum_half_widths(sigma: float, n_summed: int, alphas: tuple[float, ...] = ALPHAS) -> dict[float, int]:
    """Half-width of the (1 - alpha) interval of a sum of ``n_summed`` independent noises of scale ``sigma``.

    A discrete Gaussian of scale sigma is sigma-subgaussian, E[exp(tX)] <= exp(t^2 sigma^2 / 2)
    (by Poisson summation, the normaliser shifted by t sigma^2 is at most the unshifted one), so a
    sum S of n of them has P(|S| >= u) <= 2 exp(-u^2 / (2 n sigma^2)), which is alpha at
    u = sigma sqrt(n) sqrt(2 ln(2 / alpha)); h = floor(u) gives P(|S| > h) <= alpha. This is
    wider than a normal quantile (about 1.4 times at 95 %): a sum of discrete Gaussians is not
    one, and this bound holds for every n. It holds as well for sums of noises that are each
    sigma-subgaussian, such as sums of such sums. A single discrete Gaussian has the narrower
    :func:`half_widths`.

    >>> sum_half_widths(10.0, 4)
    {0.1: 48, 0.05: 54, 0.01: 65}
    """
    if n_summed < 1:
        raise ValueError("a sum needs at least one noise")
    return {
        alpha: math.floor(sigma * math.sqrt(n_summed) * math.sqrt(2 * math.log(2 / _checked(alpha))))
        for alpha in alphas
    }


def _checked(alpha: float) -> float:
    if not 0 < alpha < 1:
        raise ValueError("alpha must lie strictly between 0 and 1")
    return alpha


@lru_cache(maxsize=4096)  # a release asks the same (sigma, alpha) for each of its thousands of cells
def _half_width(sigma: float, alpha: float) -> int:
    z = NormalDist().inv_cdf(1 - alpha / 2)
    return max(math.floor(z * sigma + 0.5), math.ceil(sigma - 0.5))
