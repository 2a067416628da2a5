"""Privacy-loss currency: zCDP's rho (what the ledger keeps) and (epsilon, delta) (what people read).

The conversion is the standard bound of Bun and Steinke (2016, Proposition 1.3): a mechanism that
satisfies rho-zCDP satisfies (epsilon, delta)-DP for every delta > 0 with

    epsilon = rho + 2 * sqrt(rho * ln(1 / delta)).

Its inverse, for a given epsilon and delta, is rho = (sqrt(ln(1/delta) + epsilon) - sqrt(ln(1/delta)))**2.
Everything is Decimal, computed with 50 digits and rounded in the safe direction to 28 significant
digits: epsilon up (never understated to a reader), rho down (never more spent than the epsilon
that was granted). OpenDP's own conversion is slightly tighter; this one is simpler to state and is
an upper bound of it.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal

_WORK = Context(prec=50)
_SIGNIFICANT = 28


def _round(value: Decimal, rounding: str) -> Decimal:
    return Context(prec=_SIGNIFICANT, rounding=rounding).plus(value)


def _log_inverse(delta: Decimal) -> Decimal:
    delta = Decimal(delta)
    if not 0 < delta < 1:
        raise ValueError("delta must lie strictly between 0 and 1")
    return _WORK.ln(_WORK.divide(1, delta))


def rho_to_epsilon(rho: Decimal, delta: Decimal) -> Decimal:
    """The epsilon at ``delta`` that rho-zCDP implies, rounded up.

    >>> rho_to_epsilon(Decimal("0.0125"), Decimal("1e-7"))
    Decimal('0.9102219962482349632350305095')
    >>> rho_to_epsilon(Decimal(0), Decimal("1e-7")) == 0
    True
    """
    rho = Decimal(rho)
    if rho < 0:
        raise ValueError("rho must not be negative")
    root = _WORK.sqrt(_WORK.multiply(rho, _log_inverse(delta)))
    return _round(_WORK.add(rho, _WORK.multiply(2, root)), ROUND_CEILING)


def epsilon_to_rho(epsilon: Decimal, delta: Decimal) -> Decimal:
    """The largest rho whose zCDP guarantee implies (epsilon, delta)-DP, rounded down.

    >>> rho = epsilon_to_rho(Decimal(1), Decimal("1e-7"))
    >>> rho
    Decimal('0.01504724790189393255885122211')
    >>> abs(rho_to_epsilon(rho, Decimal("1e-7")) - 1) < Decimal("1e-26")
    True
    """
    epsilon = Decimal(epsilon)
    if epsilon < 0:
        raise ValueError("epsilon must not be negative")
    log_inverse = _log_inverse(delta)
    # sqrt(rho) = sqrt(L + eps) - sqrt(L), written without the cancellation of a difference.
    root = _WORK.divide(epsilon, _WORK.add(_WORK.sqrt(_WORK.add(log_inverse, epsilon)), _WORK.sqrt(log_inverse)))
    return _round(_WORK.multiply(root, root), ROUND_FLOOR)


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
