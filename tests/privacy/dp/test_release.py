"""Releases: every cell, the stated noise, honest intervals.

OpenDP's samplers read the operating system's randomness and cannot be seeded, so the statistical
tests use many draws and tolerances many standard errors wide (failure odds below 1e-9).
"""

import math
from decimal import Decimal

import numpy as np
import polars as pl
import pytest

from privacy.dp.gaussian import sum_half_widths
from privacy.dp.release import accuracy, make_count_release, make_margins_consistent
from privacy.dp.tables import Dimension, TableQuery, count_cells
from tests.privacy.dp.factories import AGE_BAND, GENDER, exploitation, make_persons

QUERY = TableQuery((exploitation(max_values=2), GENDER, AGE_BAND))  # 6 x 4 x 10 = 240 cells
RHO = Decimal("0.05")  # sigma = sqrt(2) / sqrt(0.1) = 4.47
PERSONS = make_persons(2_000)


def _errors_and_coverage(releases: int) -> tuple[np.ndarray, float, float]:
    truth = count_cells(PERSONS, QUERY)
    errors, covered, cells = [], 0, 0
    for _ in range(releases):
        release = make_count_release(PERSONS, QUERY, RHO)
        errors.append(np.array([cell.noisy for cell in release.cells]) - truth)
        for cell, true_value in zip(release.cells, truth.tolist()):
            low, high = cell.interval(0.05)
            covered += low <= true_value <= high
            cells += 1
    return np.concatenate(errors), covered / cells, release.sigma


def test_every_declared_cell_is_released_zeros_included():
    release = make_count_release(PERSONS, QUERY, RHO, person_id="person_id")
    assert [cell.keys for cell in release.cells] == QUERY.cell_keys()
    assert len(release.cells) == 240
    assert 0 in count_cells(PERSONS, QUERY)  # the table does have empty cells, released all the same
    assert all(isinstance(cell.value, int) and cell.value >= 0 for cell in release.cells)
    frame = release.to_polars()
    assert frame.height == 240 and frame.columns[:3] == ["type_of_exploitation", "gender", "age_band"]


def test_sensitivity_and_sigma_follow_the_contribution_bound():
    release = make_count_release(PERSONS, QUERY, RHO)
    assert release.sensitivity == pytest.approx(math.sqrt(2))
    assert release.sigma == pytest.approx(math.sqrt(2) / math.sqrt(2 * float(RHO)))
    assert release.rho_map <= release.rho == RHO
    assert "at most 2 cells" in release.contributions


def test_the_noise_has_the_stated_scale_and_the_intervals_cover_the_truth():
    errors, coverage, sigma = _errors_and_coverage(releases=100)  # 24,000 draws
    # Mean: standard error sigma / 155; allowed 8 of them.
    assert abs(errors.mean()) < 8 * sigma / math.sqrt(len(errors))
    # Standard deviation: relative standard error 1 / sqrt(2n) = 0.46 %; allowed 3.5 %.
    assert errors.std() == pytest.approx(sigma, rel=0.035)
    # Discrete Gaussian: integer errors; the share within 8 is sum over |x| <= 8 of
    # exp(-x^2 / (2 sigma^2)), normalised, = 94.3 % (standard error 0.15 %); allowed 1.2 points.
    assert np.array_equal(errors, np.rint(errors))
    support = np.arange(-200, 201)
    pmf = np.exp(-(support**2) / (2 * sigma**2))
    pmf /= pmf.sum()
    assert np.mean(np.abs(errors) <= 8) == pytest.approx(pmf[np.abs(support) <= 8].sum(), abs=0.012)
    # The published 95 % intervals (around clamped values) cover at least 95 % of cells: the
    # half-width is 9 for 1.96 sigma = 8.77, and P(|X| <= 9) = 96.6 %, standard error 0.12 %.
    assert coverage >= 0.95


def test_accuracy_is_known_before_the_data_and_is_what_is_published():
    expected = accuracy(QUERY, RHO)
    release = make_count_release(PERSONS, QUERY, RHO)
    assert all(cell.half_widths == expected for cell in release.cells)
    assert all(cell.too_noisy == (expected[0.05] > cell.value) for cell in release.cells)


@pytest.mark.parametrize("rho", [Decimal(0), Decimal(-1)])
def test_refuses_a_rho_that_is_not_positive(rho):
    with pytest.raises(ValueError, match="rho must be positive"):
        make_count_release(PERSONS, QUERY, rho)


def test_a_frame_with_repeated_persons_is_refused():
    with pytest.raises(ValueError, match="repeats person ids"):
        make_count_release(pl.concat([PERSONS, PERSONS[:1]]), QUERY, RHO, person_id="person_id")


def test_a_lazy_frame_is_released_like_an_eager_one():
    release = make_count_release(PERSONS.lazy(), TableQuery((GENDER,)), Decimal(1000))
    assert [cell.value for cell in release.cells] == count_cells(PERSONS, TableQuery((GENDER,))).tolist()


def test_margins_are_sums_of_the_noisy_cells_and_spend_nothing():
    table = make_count_release(PERSONS, TableQuery((GENDER, AGE_BAND)), RHO)
    by_gender = make_margins_consistent(table, keep=("gender",))
    total = make_margins_consistent(table)
    for margin in by_gender.cells:
        covered = [cell.noisy for cell in table.cells if cell.keys[0] == margin.keys[0]]
        assert margin.noisy == pytest.approx(sum(covered))
    assert total.cells[0].noisy == pytest.approx(sum(cell.noisy for cell in table.cells))
    assert by_gender.sigma == pytest.approx(table.sigma * math.sqrt(10))
    assert by_gender.rho == table.rho and "no additional privacy loss" in by_gender.post_processing
    assert by_gender.cells[0].half_widths == sum_half_widths(table.sigma, 10)


def test_margin_intervals_cover_the_truth():
    # Each gender margin sums 10 discrete Gaussians: the subgaussian half-width (38 for sigma
    # 4.47 at 95 %) is 2.69 standard deviations of the sum, so coverage is about 99.3 %.
    query = TableQuery((GENDER, AGE_BAND))
    truth = dict(zip([(k,) for k in GENDER.cell_keys], count_cells(PERSONS, TableQuery((GENDER,))).tolist()))
    covered, cells = 0, 0
    for _ in range(100):
        by_gender = make_margins_consistent(make_count_release(PERSONS, query, RHO), keep=("gender",))
        for cell in by_gender.cells:
            low, high = cell.interval(0.05)
            covered += low <= truth[cell.keys] <= high
            cells += 1
    assert covered / cells >= 0.95


def test_a_query_without_dimensions_releases_the_total():
    release = make_count_release(PERSONS, TableQuery(()), Decimal(1000))
    assert len(release.cells) == 1 and release.cells[0].keys == ()
    assert abs(release.cells[0].value - PERSONS.height) <= 1


def test_a_multi_valued_frame_needs_a_multi_valued_dimension():
    with pytest.raises(ValueError, match="single-valued but its column is a list"):
        make_count_release(PERSONS, TableQuery((Dimension("type_of_exploitation", ("Other",)),)), RHO)
