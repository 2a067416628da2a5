"""Count tables over persons, released: measured with OpenDP, then made consistent and integer.

A table is measured as a chain of margins: the margin over its first dimension, over its first
two, ..., and the cells (a table without dimensions is one total). Each level gets its own share
of the table's rho and its own OpenDP discrete Gaussian measurement. The noisy levels are then
combined by weighted least squares and turned into non-negative integers that add up (TopDown),
see :mod:`privacy.dp.consistency`; a publication can also replace a table's grand total by the
publication's own estimate of it (:func:`finish_table` with ``total``), so that all its tables
of persons agree on one total.

A table can also take **reused** measurements: noisy margins of the same table that earlier
releases already measured and paid for (an annual table reuses the twelve monthly measurements
of its months). They enter the weighted least squares like the table's own levels, each
weighted by the inverse of its known variance, so the estimate and the exact variance of every
number account for them; they cost nothing more, being outputs of releases already accounted
for. The caller vouches that they measure this table's margins (same persons, same counting)
with noise independent of this table's own.

Privacy claim: the unit is one person, one row of the person frame (the hub's linkage makes one
row per linked person). In a level keeping the dimensions ``S``, a person counts 1 in at most
``prod(max_values of multi-valued dimensions in S)`` cells and ``prod(max_values of the others)``
times in each: L2 sensitivity ``sqrt(first) * second``, which OpenDP's discrete Gaussian with
sigma = sensitivity / sqrt(2 rho_level) turns into rho_level-zCDP (its privacy map, checked).
The levels compose: the table spends the sum of their rho, at most the rho it was given.
Everything after the noise is post-processing and costs nothing.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Context, Decimal

import numpy as np
import polars as pl

from privacy.dp.consistency import (
    LeastSquares, Measurement, half_width, intervals, least_squares, round_total, top_down,
)
from privacy.dp.gaussian import ALPHAS, MECHANISM, OPENDP_VERSION, make_gaussian_counts
from privacy.dp.tables import Dimension, TableQuery, count_cells, l2_bound  # noqa: F401 (doctests)

# Share of a table's rho that its margins (the levels above the cells) take together, unless the
# caller says otherwise: the reader's first questions are about margins, and a margin measured
# directly is far more precise than the sum of its noisy cells, at little cost to the cells.
MARGIN_SHARE = Decimal("0.3")
_RHO_CONTEXT = Context(prec=28, rounding=ROUND_FLOOR)  # a level's rho is never more than its share

INTERVALS = (
    "interval: the weighted least-squares estimate +/- z * its standard deviation (z the normal "
    "quantile; the variance is exact for the linear step, derived from the mechanism's sigmas, and "
    "accounts for any earlier measurement combined), its ends rounded inwards to integers (a count is an integer, "
    "so this keeps the coverage) and widened to hold the published integer; coverage derived for the linear "
    "step and checked by simulation after the projection and rounding; too_noisy when the 95 % "
    "interval holds zero"
)
POST_PROCESSING = (
    "weighted least squares over the measured levels (weights 1 / sigma^2); total rounded without "
    "bias; then level by level each value is split among its children by the non-negative least-squares "
    "projection that keeps its sum and by systematic (unbiased, sum-keeping) rounding (TopDown), so "
    "cells add up to margins and totals and no cell is clamped on its own; " + INTERVALS
)


@dataclass(frozen=True)
class Cell:
    """One published number: its keys, the published integer, the estimate behind it, its intervals."""

    keys: tuple[str, ...]
    value: int  # published: non-negative, adds up with the others of its table
    estimate: float  # the least-squares estimate: unbiased, may be negative or fractional
    variance: float  # the exact variance of ``estimate``
    intervals: dict[float, tuple[int, int]]  # alpha -> published (1 - alpha) interval

    @property
    def too_noisy(self) -> bool:
        """The 95 % interval holds zero: the value cannot be told apart from nobody."""
        return self.intervals[0.05][0] == 0

    def interval(self, alpha: float = 0.05) -> tuple[int, int]:
        return self.intervals[alpha]


@dataclass(frozen=True)
class Level:
    """One noisy measurement of a table: a margin (or the cells), its sensitivity, scale and rho."""

    dimensions: tuple[str, ...]
    sensitivity: float
    sigma: float
    rho: Decimal
    rho_map: Decimal


@dataclass(frozen=True)
class MeasuredTable:
    """A table's noisy levels and their least-squares combination, before rounding."""

    query: TableQuery
    levels: tuple[Level, ...]
    estimate: LeastSquares
    rho: Decimal
    contributions: str
    counts_persons_once: bool  # its total is the number of persons (no multi-valued dimension, no filter)
    measurements: tuple[Measurement, ...] = ()  # the table's own noisy levels, as measured (for later reuse)
    reused: tuple[Measurement, ...] = ()  # earlier releases' measurements combined into ``estimate``


@dataclass(frozen=True)
class PublishedTotal:
    """A publication's total of persons: the integer every table of persons adds up to, and its estimate."""

    value: int
    estimate: float
    variance: float


@dataclass(frozen=True)
class CountRelease:
    """A released table: its cells, its published margins and total, and how they were made.

    ``margins`` maps the dimensions a margin keeps to its cells; margins are published only
    where they count persons (they keep every multi-valued dimension).
    """

    dimensions: tuple[str, ...]
    cells: tuple[Cell, ...]
    margins: dict[tuple[str, ...], tuple[Cell, ...]]
    total: Cell
    rho: Decimal
    rho_map: Decimal
    sigma: float  # the cells' measurement
    sensitivity: float
    levels: tuple[Level, ...]
    contributions: str
    mechanism: str
    post_processing: str = POST_PROCESSING
    measurements: tuple[Measurement, ...] = ()  # the noisy levels behind it (outputs of the mechanism)

    def to_polars(self) -> pl.DataFrame:
        """The cells as a frame: keys, value, estimate, 95 % interval, too_noisy."""
        columns = {name: [cell.keys[i] for cell in self.cells] for i, name in enumerate(self.dimensions)}
        columns["value"] = [cell.value for cell in self.cells]
        columns["estimate"] = [cell.estimate for cell in self.cells]
        columns["lower_95"] = [cell.interval(0.05)[0] for cell in self.cells]
        columns["upper_95"] = [cell.interval(0.05)[1] for cell in self.cells]
        columns["too_noisy"] = [cell.too_noisy for cell in self.cells]
        return pl.DataFrame(columns)


def level_sensitivity(query: TableQuery, kept: tuple[int, ...]) -> float:
    """The L2 sensitivity of the margin keeping the dimensions at positions ``kept`` (see module docstring).

    >>> from privacy.dp.tables import Dimension
    >>> toe = Dimension("type_of_exploitation", ("ForcedLabour", "Other"), multi=True, max_values=2)
    >>> query = TableQuery((toe, Dimension("gender", ("Female", "Male"))))
    >>> level_sensitivity(query, (0,)) ** 2, level_sensitivity(query, (1,))
    (2.0000000000000004, 2.0)
    """
    inside = math.prod(d.max_values for i, d in enumerate(query.dimensions) if i in kept)
    outside = math.prod(d.max_values for i, d in enumerate(query.dimensions) if i not in kept)
    return l2_bound(inside) * outside


def level_rhos(rho: Decimal, n_levels: int, margin_share: Decimal = MARGIN_SHARE) -> list[Decimal]:
    """Each level's rho: the cells ``1 - margin_share``, the margins share the rest equally; rounded down.

    >>> level_rhos(Decimal("0.01"), 3)
    [Decimal('0.0015'), Decimal('0.0015'), Decimal('0.0070')]
    >>> level_rhos(Decimal("0.01"), 1)
    [Decimal('0.01')]
    """
    rho = Decimal(rho)
    if n_levels == 1:
        return [rho]
    margin = _RHO_CONTEXT.divide(rho * margin_share, n_levels - 1)
    return [margin] * (n_levels - 1) + [_RHO_CONTEXT.subtract(rho, margin * (n_levels - 1))]


def _levels(query: TableQuery) -> list[tuple[int, ...]]:
    """The measured margins: each prefix of the dimensions, down to the cells (or just the total)."""
    return [tuple(range(j)) for j in range(1, len(query.dimensions) + 1)] or [()]


def measure_table(
    persons: pl.DataFrame | pl.LazyFrame,
    query: TableQuery,
    rho: Decimal,
    *,
    person_id: str | None = None,
    margin_share: Decimal = MARGIN_SHARE,
    rng: np.random.Generator | None = None,
    reused: tuple[Measurement, ...] = (),
) -> MeasuredTable:
    """Count ``query`` over ``persons`` (one row per person) and measure its levels under rho-zCDP in all.

    ``reused``: earlier releases' noisy margins of this table, combined with its own levels (see
    the module docstring). Privacy: see the module docstring; the levels' rho add up to at most
    ``rho``; reused measurements were paid for by their own releases.
    """
    if not Decimal(rho) > 0:
        raise ValueError("rho must be positive")
    return measure_counts(count_cells(persons, query, person_id, rng=rng), query, rho, margin_share=margin_share,
                          reused=reused)


def measure_counts(counts: np.ndarray, query: TableQuery, rho: Decimal, *,
                   margin_share: Decimal = MARGIN_SHARE, reused: tuple[Measurement, ...] = ()) -> MeasuredTable:
    """Measure the levels of exact ``counts`` (in the order of ``query.cell_keys()``) under rho-zCDP in all.

    The caller vouches that ``counts`` are persons counted within ``query``'s bounds.

    >>> from privacy.dp.tables import Dimension
    >>> query = TableQuery((Dimension("border", ("Domestic", "CrossBorder")),))
    >>> earlier = Measurement((0,), np.array([40.0, 9.0, 2.0]), 3.0**2)  # paid for by an earlier release
    >>> alone = measure_counts(np.array([41, 10, 0]), query, Decimal("0.5"))
    >>> both = measure_counts(np.array([41, 10, 0]), query, Decimal("0.5"), reused=(earlier,))
    >>> alone.estimate.variance((0,)), round(both.estimate.variance((0,)), 4)  # 1 / (1/1 + 1/9)
    (1.0, 0.9)
    """
    if not Decimal(rho) > 0:
        raise ValueError("rho must be positive")
    counts = np.asarray(counts).reshape([len(d.cell_keys) for d in query.dimensions])
    kept_levels = _levels(query)
    levels, measurements = [], []
    for kept, level_rho in zip(kept_levels, level_rhos(rho, len(kept_levels), margin_share)):
        exact = counts.sum(axis=tuple(a for a in range(counts.ndim) if a not in kept))
        sensitivity = level_sensitivity(query, kept)
        gaussian = make_gaussian_counts(max(exact.size, 1), sensitivity, level_rho)
        noisy = np.asarray(gaussian.measurement(np.ravel(exact).astype(np.int64).tolist()), dtype=float)
        measurements.append(Measurement(kept, noisy.reshape(np.shape(exact)), gaussian.sigma**2))
        names = tuple(query.dimensions[a].name for a in kept)
        levels.append(Level(names, sensitivity, gaussian.sigma, level_rho, gaussian.rho_map))
    multi = [f"{d.name} (at most {d.max_values} values, chosen at random beyond that)" for d in query.dimensions if d.multi]
    contributions = (
        "one person is one row; in a margin it counts in at most one cell per single-valued dimension"
        + (f" and per value of {', '.join(multi)}" if multi else "")
        + "; L2 sensitivity of each level: " + ", ".join(f"{level.sensitivity:.4g}" for level in levels)
    )
    return MeasuredTable(
        query=query,
        levels=tuple(levels),
        estimate=least_squares(counts.shape, [*measurements, *reused]),
        rho=Decimal(rho),
        contributions=contributions,
        counts_persons_once=not multi and not query.filters,
        measurements=tuple(measurements),
        reused=tuple(reused),
    )


def _published(keys, values, estimates, variance: float, alphas) -> tuple[Cell, ...]:
    values, estimates = np.ravel(values), np.ravel(estimates)
    ends = {alpha: [end.tolist() for end in intervals(estimates, variance, values, alpha)] for alpha in alphas}
    return tuple(
        Cell(key, value, estimate, variance, {alpha: (low[i], high[i]) for alpha, (low, high) in ends.items()})
        for i, (key, value, estimate) in enumerate(zip(keys, values.tolist(), estimates.tolist()))
    )


def _margin_keys(query: TableQuery, kept: tuple[int, ...]) -> list[tuple[str, ...]]:
    return TableQuery(tuple(query.dimensions[a] for a in kept)).cell_keys()


def finish_table(
    measured: MeasuredTable,
    total: PublishedTotal | None = None,
    *,
    rng: np.random.Generator | None = None,
    alphas: tuple[float, ...] = ALPHAS,
) -> CountRelease:
    """Post-process a measured table: consistent, non-negative, integer, with intervals. Costs nothing.

    ``total``, for a table of persons, is the publication's total: the table adds up to it and
    its least-squares total is replaced by that (better) estimate.

    >>> persons = pl.DataFrame({"gender": ["Female", "Male", None, "Female"]})
    >>> query = TableQuery((Dimension("gender", ("Female", "Male")),))
    >>> release = finish_table(measure_table(persons, query, Decimal("0.5")))
    >>> [cell.keys for cell in release.cells], release.sigma
    ([('Female',), ('Male',), ('Unknown',)], 1.0)
    >>> sum(cell.value for cell in release.cells) == release.total.value
    True
    """
    rng = rng if rng is not None else np.random.default_rng()
    alphas = tuple(dict.fromkeys((*alphas, 0.05)))
    query, estimate = measured.query, measured.estimate
    if total is not None:
        if not measured.counts_persons_once:
            raise ValueError("only a table that counts each person once adds up to the persons' total")
        estimate = estimate.with_total(total.estimate, total.variance)
        integer_total = total.value
    else:
        integer_total = round_total(estimate.total, rng)
    cells = top_down(estimate, integer_total, rng)
    axes = tuple(range(len(query.dimensions)))
    margins = {}
    multi = {a for a in axes if query.dimensions[a].multi}
    for size in range(1, len(axes)):
        for kept in _subsets_of_size(axes, size):
            if multi <= set(kept):
                summed = cells.sum(axis=tuple(a for a in axes if a not in kept))
                names = tuple(query.dimensions[a].name for a in kept)
                margins[names] = _published(_margin_keys(query, kept), summed, estimate.margin(kept),
                                            estimate.variance(kept), alphas)
    total_cell = _published([()], [integer_total], [estimate.total], estimate.variance(()), alphas)[0]
    cells_level = measured.levels[-1]
    return CountRelease(
        dimensions=tuple(d.name for d in query.dimensions),
        cells=_published(query.cell_keys() if axes else [()], cells, estimate.cells, estimate.variance(axes), alphas),
        margins=margins,
        total=total_cell,
        rho=measured.rho,
        rho_map=sum((level.rho_map for level in measured.levels), Decimal(0)),
        sigma=cells_level.sigma,
        sensitivity=cells_level.sensitivity,
        levels=measured.levels,
        contributions=measured.contributions,
        mechanism=_mechanism_text(measured),
        post_processing=POST_PROCESSING + ("; total: the publication's estimate of the persons" if total else ""),
        measurements=measured.measurements,
    )


def _subsets_of_size(axes: tuple[int, ...], size: int) -> list[tuple[int, ...]]:
    return list(itertools.combinations(axes, size))


def _mechanism_text(measured: MeasuredTable) -> str:
    levels = "; ".join(
        f"{' x '.join(level.dimensions) or 'total'}: sigma {level.sigma:.4g}, rho {level.rho}" for level in measured.levels
    )
    reused = "".join(
        f"; combined with an earlier release's measurement of {_kept_text(measured.query, m.kept)} (variance {m.variance:.4g})"
        for m in measured.reused
    )
    return (f"OpenDP {OPENDP_VERSION} make_gaussian, {MECHANISM}, over l2_distance, one measurement per level "
            f"(sigma = sensitivity / sqrt(2 rho), zCDP): {levels}{reused}")


def _kept_text(query: TableQuery, kept: tuple[int, ...]) -> str:
    return " x ".join(query.dimensions[a].name for a in kept) or "the total"


def make_count_release(
    persons: pl.DataFrame | pl.LazyFrame,
    query: TableQuery,
    rho: Decimal,
    *,
    person_id: str | None = None,
    margin_share: Decimal = MARGIN_SHARE,
    rng: np.random.Generator | None = None,
    alphas: tuple[float, ...] = ALPHAS,
) -> CountRelease:
    """Release one table of ``query`` over ``persons`` under rho-zCDP: :func:`measure_table`, then :func:`finish_table`.

    >>> from privacy.dp.tables import Dimension
    >>> persons = pl.DataFrame({"gender": ["Female", "Male", None, "Female"]})
    >>> release = make_count_release(persons, TableQuery((Dimension("gender", ("Female", "Male")),)),
    ...                              Decimal("0.5"))
    >>> release.rho_map <= release.rho, all(cell.value >= 0 for cell in release.cells)
    (True, True)
    """
    measured = measure_table(persons, query, rho, person_id=person_id, margin_share=margin_share, rng=rng)
    return finish_table(measured, rng=rng, alphas=alphas)


def expected_variances(query: TableQuery, rho: Decimal, margin_share: Decimal = MARGIN_SHARE,
                       total_variance: float | None = None,
                       reused: tuple[tuple[tuple[int, ...], float], ...] = ()) -> dict[tuple[str, ...], float]:
    """The variance of the estimate of every published kind of number of ``query``, before any data.

    Keys: the dimensions a number keeps (all: a cell; none: the total). It depends only on the
    query's bounds, rho and the split between levels, so a steward can see it before publishing.
    ``total_variance`` is the publication's total's, for a table that adds up to it; ``reused``
    the (kept axes, variance) of earlier measurements the table will combine.
    """
    kept_levels = _levels(query)
    shape = tuple(len(d.cell_keys) for d in query.dimensions)
    measurements = []
    for kept, level_rho in zip(kept_levels, level_rhos(rho, len(kept_levels), margin_share)):
        sigma = make_gaussian_counts(1, level_sensitivity(query, kept), level_rho).sigma
        measurements.append(Measurement(kept, np.zeros([shape[a] for a in kept]), sigma**2))
    measurements += [Measurement(kept, np.zeros([shape[a] for a in kept]), variance) for kept, variance in reused]
    estimate = least_squares(shape, measurements)
    if total_variance is not None:
        estimate = estimate.with_total(0.0, total_variance)
    axes = tuple(range(len(shape)))
    kinds = [axes, *(k for size in range(1, len(axes)) for k in _subsets_of_size(axes, size)), ()]
    return {tuple(query.dimensions[a].name for a in kept): estimate.variance(kept) for kept in dict.fromkeys(kinds)}


def accuracy(query: TableQuery, rho: Decimal, alphas: tuple[float, ...] = ALPHAS,
             margin_share: Decimal = MARGIN_SHARE) -> dict[float, float]:
    """The expected ± half-width of a cell's (1 - alpha) interval, before touching any data.

    >>> from privacy.dp.tables import Dimension
    >>> accuracy(TableQuery((Dimension("gender", ("Female", "Male")),)), Decimal("0.0125"))
    {0.1: 10.4, 0.05: 12.4, 0.01: 16.3}
    """
    variance = expected_variances(query, rho, margin_share)[tuple(d.name for d in query.dimensions)]
    return {alpha: round(half_width(variance, alpha), 1) for alpha in alphas}
