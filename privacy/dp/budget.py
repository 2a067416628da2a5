"""Privacy-loss currency: zCDP's rho (what the ledger keeps) and (epsilon, delta) (what people read).

The conversion is OpenDP's own: ``make_zCDP_to_approxDP`` turns a rho-zCDP measurement into its
privacy profile, whose ``epsilon(delta)`` is the tight bound of Canonne, Kamath and Steinke (2020,
Corollary 13), computed by OpenDP with conservative float rounding. It is tighter than the simple
bound of Bun and Steinke (2016, Proposition 1.3), epsilon = rho + 2 sqrt(rho ln(1/delta)), which
the hub used before: the rho that bound allows for epsilon 1 at delta 1e-7 is worth epsilon 0.856
under the tight one, so the same stated guarantee now buys about a third more rho.

OpenDP answers through a measurement's privacy map, so :func:`rho_to_epsilon` asks a probe: a
Gaussian mechanism of scale 1, whose map at d_in is d_in^2 / 2 rounded up, at a d_in whose map is
at least the rho asked. The conversion only depends on rho, so the probe's profile is that of every
rho-zCDP release. Rounding is always in the safe direction: the probe's rho is at least the one
asked, the float delta at most the one asked, the epsilon is checked against OpenDP's forward map
``delta(epsilon)`` and rounded up to a Decimal. The inverse, :func:`epsilon_to_rho`, is a bisection
over that forward map that keeps only rhos whose epsilon, as :func:`rho_to_epsilon` states it, is
at most the one asked. Both are cached: each call to OpenDP takes a few milliseconds.
"""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal
from functools import lru_cache

import opendp.prelude as dp

dp.enable_features("contrib")  # make_gaussian and make_zCDP_to_approxDP are among OpenDP's "contrib"

_EPSILON_DIGITS = 17  # a float's precision: more digits of OpenDP's answer would be noise
_RHO_DIGITS = 16
_RHO_TOLERANCE = Decimal("1e-15")  # relative width at which the bisection stops
# The probe: its privacy map is rho = (d_in / scale)^2 / 2, rounded up by OpenDP; it is never run.
_GAUSSIAN = dp.m.make_gaussian(dp.atom_domain(T=float, nan=False), dp.absolute_distance(T=float), scale=1.0)
_PROBE = dp.c.make_zCDP_to_approxDP(_GAUSSIAN)


def _round(value: Decimal, digits: int, rounding: str) -> Decimal:
    return Context(prec=digits, rounding=rounding).plus(value)


def _checked_delta(delta: Decimal) -> float:
    """``delta`` as the largest float that does not exceed it."""
    delta = Decimal(delta)
    if not (delta.is_finite() and 0 < delta < 1):
        raise ValueError("delta must lie strictly between 0 and 1")
    as_float = float(delta)
    return math.nextafter(as_float, 0) if Decimal(as_float) > delta else as_float


def _probe_d_in(rho: Decimal) -> float:
    """A d_in at which the probe's privacy map reports at least ``rho``."""
    d_in = math.sqrt(2 * float(rho))
    for _ in range(64):
        if Decimal(_GAUSSIAN.map(d_in)) >= rho:
            return d_in
        d_in = math.nextafter(d_in, math.inf)
    raise ArithmeticError("OpenDP's privacy map stays below the rho asked")


@lru_cache(maxsize=4096)
def rho_to_epsilon(rho: Decimal, delta: Decimal) -> Decimal:
    """The epsilon at ``delta`` that rho-zCDP implies, by OpenDP's tight conversion, rounded up.

    >>> rho_to_epsilon(Decimal("0.01504724790189393255885122211"), Decimal("1e-7"))
    Decimal('0.85602708909696413')
    >>> rho_to_epsilon(Decimal(0), Decimal("1e-7")) == 0
    True
    """
    rho = Decimal(rho)
    if not rho.is_finite() or rho < 0:
        raise ValueError("rho must be a finite number, not negative")
    delta_float = _checked_delta(delta)
    if rho == 0:
        return Decimal(0)
    profile = _PROBE.map(_probe_d_in(rho))
    epsilon = profile.epsilon(delta_float)
    for _ in range(64):  # OpenDP's inverse may sit an ulp off its forward map: step up until it holds
        if profile.delta(epsilon) <= delta_float:
            return _round(Decimal(epsilon), _EPSILON_DIGITS, ROUND_CEILING)
        epsilon = math.nextafter(epsilon, math.inf)
    raise ArithmeticError("OpenDP's privacy profile does not reach the delta asked")


@lru_cache(maxsize=1024)
def epsilon_to_rho(epsilon: Decimal, delta: Decimal) -> Decimal:
    """The largest rho (to 16 digits, rounded down) whose :func:`rho_to_epsilon` is at most ``epsilon``.

    A bisection over the tight forward map. It starts from the rho of the Bun-Steinke bound,
    (sqrt(ln(1/delta) + epsilon) - sqrt(ln(1/delta)))^2, which the tight epsilon never exceeds
    (checked all the same), and every rho it keeps has been checked against the forward map.

    >>> rho = epsilon_to_rho(Decimal(1), Decimal("1e-7"))
    >>> rho
    Decimal('0.02018713244182493')
    >>> rho_to_epsilon(rho, Decimal("1e-7")) <= 1
    True
    """
    epsilon = Decimal(epsilon)
    if not epsilon.is_finite() or epsilon < 0:
        raise ValueError("epsilon must be a finite number, not negative")
    _checked_delta(delta)
    if epsilon == 0:
        return Decimal(0)

    def fits(rho: Decimal) -> bool:
        return rho_to_epsilon(rho, delta) <= epsilon

    low = _round(_bun_steinke_rho(epsilon, delta), _RHO_DIGITS, ROUND_FLOOR)
    if not fits(low):
        low = Decimal(0)
    high = max(2 * low, epsilon)
    while fits(high):
        low, high = high, 2 * high
    while high - low > low * _RHO_TOLERANCE:
        middle = _round((low + high) / 2, _RHO_DIGITS, ROUND_FLOOR)
        if middle in (low, high):
            break
        if fits(middle):
            low = middle
        else:
            high = middle
    return low


def _bun_steinke_rho(epsilon: Decimal, delta: Decimal) -> Decimal:
    work = Context(prec=50)
    log_inverse = work.ln(work.divide(1, Decimal(delta)))
    # sqrt(rho) = sqrt(L + eps) - sqrt(L), written without the cancellation of a difference.
    root = work.divide(epsilon, work.add(work.sqrt(work.add(log_inverse, epsilon)), work.sqrt(log_inverse)))
    return work.multiply(root, root)


def epsilon_text(epsilon: Decimal, places: int = 4, *, down: bool = False) -> str:
    """An epsilon for a reader, to ``places`` decimals: rounded up, so that a spent or granted
    epsilon is never understated, or with ``down`` rounded down, so that what remains is never
    overstated.

    >>> epsilon_text(Decimal("0.91022199"), 4), epsilon_text(Decimal("0.91022199"), 4, down=True)
    ('0.9103', '0.9102')
    >>> epsilon_text(Decimal(0))
    '0.0000'
    """
    return str(Decimal(epsilon).quantize(Decimal(1).scaleb(-places), rounding=ROUND_FLOOR if down else ROUND_CEILING))
