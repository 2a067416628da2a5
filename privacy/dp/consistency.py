"""Post-processing of noisy margins: one consistent, non-negative, integer table, and honest intervals.

A publication measures a table's cells and some of its margins (sums over the other dimensions)
with independent Gaussian noise of known variance. This module turns those measurements into
published numbers in two steps, as the US Census TopDown algorithm does:

1. **Weighted least squares** (weights 1 / variance, from the mechanism's scales, never from the
   data): the table ``x`` minimising ``sum over measurements (A x - y)^2 / variance``. When every
   measurement is a margin of the full cross table, the normal matrix is diagonal in the
   ANOVA basis (the grand mean, then per set ``T`` of dimensions the part of ``x`` that varies
   along exactly those, centred), with eigenvalue ``lambda_T = sum over measured margins S
   containing T of w_S * prod(n_d for d not in S)``, so the estimate and the exact variance
   of any of its margins come in closed form (Hay, Rastogi, Miklau and Suciu 2010 show the same
   for hierarchies). The estimate is unbiased and its cells add up to its margins.
2. **TopDown**: the total is rounded without bias; then along the chain of prefix margins (first
   dimension, first two, ..., the cells) each parent's children are the non-negative vector
   closest to their least-squares estimates that adds up to the parent (a projection onto a
   simplex: non-negative least squares under the parent's sum), rounded to integers by
   systematic sampling, which keeps the sum and rounds each value up with probability its
   fraction. Totals therefore stay unbiased; a cell is never clamped at zero on its own.

Intervals: the least-squares estimate is a fixed linear combination of independent noises whose
variances are at most the mechanism's sigma^2, so its variance is exact (an upper bound for the
discrete Gaussian); the (1 - alpha) interval is the integers within estimate +/- z * sd (normal
quantile), widened to hold the published integer. As the truth is an integer, it therefore covers
the truth exactly when, or more often than, the least-squares interval does, whatever the
projection and rounding did; the tests check that coverage by simulation.

Privacy: everything here reads only noisy outputs and public parameters (variances, key sets):
it is post-processing of differentially private releases and costs no privacy budget.
Pure: numpy and the standard library only, no data, no database.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np


@dataclass(frozen=True)
class Measurement:
    """One noisy margin of a table: ``values`` sums the cells over every axis not in ``kept``.

    ``kept`` lists axes in increasing order (all of them: the cells; none: the grand total);
    ``variance`` is the noise variance of each value (the mechanism's sigma squared).
    """

    kept: tuple[int, ...]
    values: np.ndarray
    variance: float


@dataclass(frozen=True)
class LeastSquares:
    """The weighted least-squares estimate of a table and the exact variance of its margins.

    >>> truth = np.array([[5.0, 1.0], [0.0, 4.0]])
    >>> cells = Measurement((0, 1), truth + [[0.5, -0.5], [0.5, -0.5]], 1.0)
    >>> total = Measurement((), np.array(truth.sum()), 1.0)
    >>> estimate = least_squares((2, 2), [cells, total])
    >>> float(estimate.cells.sum())  # (4 cells' sum, variance 4) and (total, variance 1): weights 1/4 and 1
    10.0
    >>> estimate.variance(()), estimate.variance((0, 1))
    (0.8, 0.8)
    """

    shape: tuple[int, ...]
    cells: np.ndarray
    eigenvalues: dict[tuple[int, ...], float]  # lambda_T for every T but the grand mean
    total_variance: float  # variance of the estimated grand total

    @property
    def total(self) -> float:
        return float(self.cells.sum())

    def margin(self, kept: tuple[int, ...]) -> np.ndarray:
        """The estimate's margin over the axes ``kept`` (sums over the others)."""
        return self.cells.sum(axis=tuple(a for a in range(len(self.shape)) if a not in kept))

    def variance(self, kept: tuple[int, ...]) -> float:
        """The variance of each value of the margin over ``kept`` (the same for every key)."""
        sizes = self.shape
        dropped = math.prod(sizes[a] for a in range(len(sizes)) if a not in kept)
        result = (dropped / math.prod(sizes)) ** 2 * self.total_variance
        for part in _subsets(kept):
            if part:
                norm = dropped * math.prod((1 - 1 / sizes[a]) if a in part else 1 / sizes[a] for a in kept)
                result += norm / self.eigenvalues[part]
        return result

    def with_total(self, total: float, variance: float) -> LeastSquares:
        """The same estimate with its grand total replaced by an independent estimate of it.

        The grand mean is its own ANOVA component, uncorrelated with the others, so changing it
        shifts every cell by the same amount and leaves the other components' variances alone.
        """
        shift = (total - self.total) / math.prod(self.shape)
        return LeastSquares(self.shape, self.cells + shift, self.eigenvalues, variance)


def _subsets(axes: tuple[int, ...]) -> list[tuple[int, ...]]:
    return [c for size in range(len(axes) + 1) for c in itertools.combinations(axes, size)]


def _mean_over_others(values: np.ndarray, kept: tuple[int, ...]) -> np.ndarray:
    others = tuple(a for a in range(values.ndim) if a not in kept)
    return values.mean(axis=others, keepdims=True) if others else values


def least_squares(shape: tuple[int, ...], measurements: list[Measurement]) -> LeastSquares:
    """The weighted least-squares table from noisy margins (weights 1 / variance).

    Every set of axes must lie inside some measured margin (the cells themselves, usually);
    otherwise the table is not identified and a ValueError says so.
    """
    axes = tuple(range(len(shape)))
    normal_rhs = np.zeros(shape)
    for m in measurements:
        expected = tuple(shape[a] for a in m.kept)
        if np.shape(m.values) != expected or not m.variance > 0:
            raise ValueError("a measurement's shape or variance does not fit the table")
        broadcast = np.reshape(m.values, [shape[a] if a in m.kept else 1 for a in axes])
        normal_rhs = normal_rhs + np.broadcast_to(broadcast, shape) / m.variance
    eigenvalues = {}
    for part in _subsets(axes):
        eigenvalues[part] = sum(
            math.prod(shape[a] for a in axes if a not in m.kept) / m.variance
            for m in measurements if set(part) <= set(m.kept)
        )
        if eigenvalues[part] == 0:
            raise ValueError("the measurements do not identify the table: measure its cells")
    # x = sum over T of P_T(b) / lambda_T, with P_T(b) = sum over U in T of (-1)^|T - U| M_U(b).
    cells = np.zeros(shape)
    for part in _subsets(axes):
        coefficient = sum((-1) ** (len(upper) - len(part)) / eigenvalues[upper]
                          for upper in _subsets(axes) if set(part) <= set(upper))
        cells = cells + coefficient * _mean_over_others(normal_rhs, part)
    total_variance = math.prod(shape) / eigenvalues[()]
    del eigenvalues[()]
    return LeastSquares(tuple(shape), cells, eigenvalues, total_variance)


def combine(estimates: list[tuple[float, float]]) -> tuple[float, float]:
    """The inverse-variance weighted mean of independent unbiased estimates, and its variance.

    >>> combine([(100.0, 4.0), (110.0, 4.0)])
    (105.0, 2.0)
    """
    weights = [1 / variance for _, variance in estimates]
    return sum(w * value for w, (value, _) in zip(weights, estimates)) / sum(weights), 1 / sum(weights)


def project_to_simplex(values: np.ndarray, sums: np.ndarray) -> np.ndarray:
    """Per row, the non-negative vector closest (L2) to ``values`` that adds up to ``sums``.

    The solution is ``max(0, value - tau)`` with one ``tau`` per row (Duchi et al. 2008): every
    value of a row moves by the same amount until the row is non-negative and has its sum, so
    no value is clamped on its own and the row's total is exact.

    >>> project_to_simplex(np.array([[6.0, 2.0, -2.0]]), np.array([6.0])).tolist()
    [[5.0, 1.0, 0.0]]
    """
    values = np.atleast_2d(np.asarray(values, dtype=float))
    sums = np.asarray(sums, dtype=float).reshape(-1)
    if np.any(sums < 0):
        raise ValueError("a non-negative vector cannot add up to a negative sum")
    ordered = -np.sort(-values, axis=1)
    cumulative = np.cumsum(ordered, axis=1) - sums[:, None]
    ranks = np.arange(1, values.shape[1] + 1)
    active = ordered - cumulative / ranks > 0
    count = np.maximum(active.sum(axis=1), 1)
    tau = cumulative[np.arange(len(sums)), count - 1] / count
    return np.maximum(values - tau[:, None], 0)


def systematic_round(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Per row, integers with the same row sum (an integer) that equal each value in expectation.

    Systematic sampling: with one uniform ``u`` per row, a value is rounded up when the running
    sum of fractional parts crosses an integer minus ``u``; each value is rounded up with
    probability exactly its fractional part.

    >>> rounded = systematic_round(np.array([[0.5, 1.5, 2.0]]), np.random.default_rng(1))
    >>> int(rounded.sum()), rounded.tolist() in ([[1, 1, 2]], [[0, 2, 2]])
    (4, True)
    """
    values = np.atleast_2d(np.asarray(values, dtype=float))
    floors = np.floor(values)
    running = np.cumsum(values - floors, axis=1)
    running[:, -1] = np.rint(running[:, -1])  # the row's fractions add up to an integer
    crossed = np.floor(running + rng.random((values.shape[0], 1)))
    ups = np.clip(np.diff(crossed, axis=1, prepend=0.0), 0, 1)
    return (floors + ups).astype(np.int64)


def round_total(value: float, rng: np.random.Generator) -> int:
    """A non-negative integer total, rounded up with probability its fraction (unbiased when >= 0)."""
    value = max(value, 0.0)
    return int(math.floor(value) + (rng.random() < value - math.floor(value)))


def top_down(estimate: LeastSquares, total: int, rng: np.random.Generator) -> np.ndarray:
    """Non-negative integer cells that add up to ``total``, fitted level by level to ``estimate``.

    Level ``j`` is the margin over the first ``j`` axes: each of its values is split among its
    children (the next axis) by :func:`project_to_simplex` on their least-squares margins, then
    :func:`systematic_round`, so every level adds up exactly to the one above it.

    >>> truth = np.array([[30.0, 0.0, 2.0], [10.0, 0.0, 0.0]])
    >>> noisy = truth + np.array([[1.0, -3.0, 2.0], [-1.0, 2.0, -2.0]])
    >>> estimate = least_squares((2, 3), [Measurement((0, 1), noisy, 1.0)])
    >>> cells = top_down(estimate, 42, np.random.default_rng(0))
    >>> int(cells.sum()), bool((cells >= 0).all()), cells.dtype.kind
    (42, True, 'i')
    """
    parents = np.array([total], dtype=np.int64)
    for level in range(1, len(estimate.shape) + 1):
        children = estimate.margin(tuple(range(level))).reshape(len(parents), -1)
        fitted = project_to_simplex(children, parents)
        parents = systematic_round(fitted, rng).reshape(-1)
    return parents.reshape(estimate.shape)


def interval(estimate: float, variance: float, published: int, alpha: float) -> tuple[int, int]:
    """The published (1 - alpha) interval: the integers within estimate +/- z sd, widened to hold
    ``published``, >= 0; a negative estimate's is that of an estimate of 0.

    A count is an integer, so it lies in the real interval [estimate - z sd, estimate + z sd]
    exactly when it lies between the interval's ends rounded inwards to integers: rounding
    inwards loses no coverage (rounding outwards would only add integers the real interval
    excludes).

    A count is never negative, so a negative estimate is noise pushed below zero. Its real interval
    ends below ``z sd``, and when the noise went far enough it holds no integer but 0: published as
    [0, 0], it would say the count is known to be 0, which no noisy measurement can say. It is the
    interval of an estimate of 0 instead, [0, z sd]: that holds every count the real interval holds
    and more, so it covers the truth at least as often, and it is as wide as the noise.

    >>> interval(10.4, 4.0, 9, 0.05)  # 10.4 +/- 3.92: 6.48 to 14.32
    (7, 14)
    >>> interval(10.4, 4.0, 5, 0.05)  # widened to hold the published 5
    (5, 14)
    >>> interval(-6.0, 4.0, 0, 0.05)  # -6 +/- 3.92 holds no count; that of 0 does: 0 to 3.92
    (0, 3)
    """
    lows, highs = intervals(np.array([estimate]), variance, np.array([published]), alpha)
    return int(lows[0]), int(highs[0])


def intervals(estimates: np.ndarray, variance: float, published: np.ndarray,
              alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """:func:`interval` for many values of one variance at once: the lower and the upper ends.

    >>> low, high = intervals(np.array([10.4, 10.4, -3.0]), 4.0, np.array([9, 5, 0]), 0.05)
    >>> low.tolist(), high.tolist()
    ([7, 5, 0], [14, 14, 3])
    """
    half = NormalDist().inv_cdf(1 - alpha / 2) * math.sqrt(variance)
    estimates, published = np.maximum(np.asarray(estimates, dtype=float), 0.0), np.asarray(published, dtype=np.int64)
    low = np.minimum(np.ceil(estimates - half).astype(np.int64), published)
    high = np.maximum(np.floor(estimates + half).astype(np.int64), published)
    return np.maximum(low, 0), np.maximum(high, 0)


def half_width(variance: float, alpha: float) -> float:
    """The half-width z * sd of the least-squares interval, before it is widened and rounded.

    >>> round(half_width(100.0, 0.05), 2)
    19.6
    """
    return NormalDist().inv_cdf(1 - alpha / 2) * math.sqrt(variance)
