"""Post-processing: the least-squares step is exact, TopDown keeps sums without bias, intervals cover.

Noise here is numpy's, seeded, so these simulations are the same at every run.
"""

import itertools
import math

import numpy as np
import pytest

from privacy.dp.consistency import (
    Measurement, combine, interval, intervals, least_squares, project_to_simplex, round_total, systematic_round,
    top_down,
)

SHAPE = (4, 3, 5)
LEVELS = [((0,), 2.0), ((0, 1), 3.0), ((0, 1, 2), 4.0)]  # kept axes, noise variance
TRUTH = np.random.default_rng(3).poisson([[[40, 3, 0, 1, 9]] * 3] * 4).astype(float)
TRUTH[2] = 0  # a whole slice without anybody


def _margin_matrix(kept):
    keys = list(itertools.product(*(range(SHAPE[a]) for a in kept)))
    matrix = np.zeros((len(keys), math.prod(SHAPE)))
    for column, cell in enumerate(itertools.product(*(range(n) for n in SHAPE))):
        matrix[keys.index(tuple(cell[a] for a in kept)), column] = 1
    return matrix


def _measure(rng):
    return [Measurement(kept, TRUTH.sum(axis=tuple(a for a in range(3) if a not in kept))
                        + rng.normal(0, math.sqrt(variance), [SHAPE[a] for a in kept]), variance)
            for kept, variance in LEVELS]


def test_least_squares_and_its_variances_match_the_dense_solution():
    measurements = _measure(np.random.default_rng(0))
    estimate = least_squares(SHAPE, measurements)
    matrices = [_margin_matrix(m.kept) for m in measurements]
    normal = sum(a.T @ a / m.variance for a, m in zip(matrices, measurements))
    right = sum(a.T @ np.ravel(m.values) / m.variance for a, m in zip(matrices, measurements))
    assert np.allclose(np.linalg.solve(normal, right), estimate.cells.ravel())
    covariance = np.linalg.inv(normal)
    for kept in [(), (0,), (1,), (2,), (0, 2), (0, 1, 2)]:
        row = _margin_matrix(kept)[0]
        assert estimate.variance(kept) == pytest.approx(row @ covariance @ row)


def test_a_table_without_its_cells_measured_is_refused():
    with pytest.raises(ValueError, match="do not identify"):
        least_squares(SHAPE, [Measurement((0,), np.zeros(4), 1.0)])


def test_a_replaced_total_moves_only_the_grand_mean():
    estimate = least_squares(SHAPE, _measure(np.random.default_rng(1)))
    moved = estimate.with_total(estimate.total + 60, 1.0)
    assert moved.total == pytest.approx(estimate.total + 60)
    assert np.allclose(moved.cells - estimate.cells, 1.0)
    assert moved.variance((0, 1, 2)) < estimate.variance((0, 1, 2))
    assert combine([(moved.total, 1.0), (estimate.total, estimate.total_variance)])[1] < 1.0


def test_projection_keeps_each_row_sum_and_is_non_negative():
    rng = np.random.default_rng(2)
    values = rng.normal(2, 5, (50, 7))
    sums = rng.integers(0, 30, 50).astype(float)
    projected = project_to_simplex(values, sums)
    assert np.all(projected >= 0) and np.allclose(projected.sum(axis=1), sums)


def test_systematic_rounding_keeps_sums_and_is_unbiased():
    rng = np.random.default_rng(4)
    values = np.array([[0.25, 1.5, 3.25, 0.0, 2.0]] * 20_000)
    rounded = systematic_round(values, rng)
    assert np.all(rounded.sum(axis=1) == 7) and np.all(np.abs(rounded - values) < 1)
    # Standard error of each mean at most 0.5 / sqrt(20,000) = 0.0035; allowed 0.02.
    assert np.allclose(rounded.mean(axis=0), values[0], atol=0.02)


def test_top_down_cells_add_up_and_totals_are_unbiased_over_many_seeds():
    rng = np.random.default_rng(5)
    totals, first_margins = [], []
    for _ in range(2_000):
        estimate = least_squares(SHAPE, _measure(rng))
        total = round_total(estimate.total, rng)
        cells = top_down(estimate, total, rng)
        assert cells.sum() == total and np.all(cells >= 0) and cells.dtype.kind == "i"
        totals.append(total)
        first_margins.append(cells.sum(axis=(1, 2)))
    variance = least_squares(SHAPE, _measure(rng)).variance(())
    # Standard error of the mean total sqrt((variance + 1/4) / 2,000) = 0.02; allowed 6 of them.
    assert abs(np.mean(totals) - TRUTH.sum()) < 6 * math.sqrt((variance + 0.25) / 2_000)
    # The first margin is projected once: far above zero it is unbiased (within 0.3 persons);
    # the empty slice cannot be (nothing is below zero), it is lifted by less than its sd (1.2).
    bias = np.mean(first_margins, axis=0) - TRUTH.sum(axis=(1, 2))
    assert np.all(np.abs(bias[[0, 1, 3]]) < 0.3) and 0 < bias[2] < 1.2


def test_intervals_cover_the_truth_after_projection_and_rounding():
    rng = np.random.default_rng(6)
    hits = {(): [], (0,): [], (0, 1, 2): []}
    for _ in range(2_000):
        estimate = least_squares(SHAPE, _measure(rng))
        total = round_total(estimate.total, rng)
        cells = top_down(estimate, total, rng)
        for kept in hits:
            dropped = tuple(a for a in range(3) if a not in kept)
            published, truth = cells.sum(axis=dropped), TRUTH.sum(axis=dropped)
            for value, estimated, true in zip(np.ravel(published), np.ravel(estimate.margin(kept)), np.ravel(truth)):
                low, high = interval(float(estimated), estimate.variance(kept), int(value), 0.05)
                hits[kept].append(low <= true <= high and low <= value <= high)
    # 2,000 totals (standard error of a share near 0.95: 0.005), 8,000 margins, 120,000 cells.
    for kept, covered in hits.items():
        assert np.mean(covered) >= 0.95 - 4 * math.sqrt(0.05 * 0.95 / len(covered)), kept


def test_an_interval_holds_exactly_the_whole_numbers_within_the_real_one_and_the_published_value():
    rng = np.random.default_rng(8)
    z = 1.959963984540054
    for estimate, variance, published in zip(rng.normal(5, 20, 2_000), rng.uniform(0.5, 400, 2_000),
                                             rng.integers(0, 40, 2_000)):
        half = z * math.sqrt(variance)
        centre = max(estimate, 0)  # a count is never below zero: a negative estimate is noise
        inside = [n for n in range(-300, 300) if centre - half <= n <= centre + half or n == published]
        low, high = interval(float(estimate), float(variance), int(published), 0.05)
        # No whole number of the interval lost, none added; a count is never below zero.
        assert (low, high) == (max(min(inside), 0), max(inside))
        lows, highs = intervals(np.array([estimate]), float(variance), np.array([published]), 0.05)
        assert (int(lows[0]), int(highs[0])) == (low, high)


def test_a_count_whose_noise_fell_far_below_zero_is_not_published_as_known():
    """An estimate of -12 with a standard deviation of 5: the real interval (-21.8 to -2.2) holds
    no count, and [0, 0] would say the count is known to be nobody. It is that of an estimate of
    0, as wide as the noise, and it holds every count the real interval and the published 0 hold."""
    variance, z = 25.0, 1.959963984540054
    low, high = interval(-12.0, variance, 0, 0.05)
    assert (low, high) == (0, math.floor(z * 5))
    lows, highs = intervals(np.array([-12.0, -0.5, 3.0]), variance, np.array([0, 0, 3]), 0.05)
    assert lows.tolist() == [0, 0, 0] and highs.tolist() == [9, 9, 12]
