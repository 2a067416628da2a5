"""Releases: every cell, the stated noise, cells that add up, totals without bias, honest intervals.

OpenDP's samplers read the operating system's randomness and cannot be seeded, so the statistical
tests use many draws and tolerances many standard errors wide (failure odds below 1e-9).
"""

import math
from decimal import Decimal

import numpy as np
import polars as pl
import pytest

from privacy.dp.release import accuracy, expected_variances, make_count_release
from privacy.dp.tables import Dimension, TableQuery, count_cells
from tests.privacy.dp.factories import AGE_BAND, GENDER, exploitation, make_persons

QUERY = TableQuery((exploitation(max_values=2), GENDER, AGE_BAND))  # 6 x 4 x 10 = 240 cells
RHO = Decimal("0.05")
PERSONS = make_persons(2_000)


def test_every_declared_cell_is_released_zeros_included():
    release = make_count_release(PERSONS, QUERY, RHO, person_id="person_id")
    assert [cell.keys for cell in release.cells] == QUERY.cell_keys()
    assert len(release.cells) == 240
    assert 0 in count_cells(PERSONS, QUERY)  # the table does have empty cells, released all the same
    assert all(isinstance(cell.value, int) and cell.value >= 0 for cell in release.cells)
    frame = release.to_polars()
    assert frame.height == 240 and frame.columns[:3] == ["type_of_exploitation", "gender", "age_band"]


@pytest.mark.parametrize("query", [QUERY, TableQuery((GENDER, AGE_BAND)), TableQuery((AGE_BAND,))])
def test_cells_add_up_to_every_published_margin_and_to_the_total(query):
    release = make_count_release(PERSONS, query, RHO)
    names = release.dimensions
    assert sum(cell.value for cell in release.cells) == release.total.value
    for kept, margin in release.margins.items():
        positions = [names.index(name) for name in kept]
        for cell in margin:
            covered = [c.value for c in release.cells if tuple(c.keys[i] for i in positions) == cell.keys]
            assert cell.value == sum(covered)
        assert sum(cell.value for cell in margin) == release.total.value


def test_a_multi_valued_table_publishes_only_margins_of_persons():
    release = make_count_release(PERSONS, QUERY, RHO)
    assert set(release.margins) == {("type_of_exploitation",), ("type_of_exploitation", "gender"),
                                    ("type_of_exploitation", "age_band")}


def test_levels_follow_the_contribution_bound_and_spend_at_most_rho():
    release = make_count_release(PERSONS, QUERY, RHO)
    assert [level.dimensions for level in release.levels] == [
        ("type_of_exploitation",), ("type_of_exploitation", "gender"), ("type_of_exploitation", "gender", "age_band")]
    assert all(level.sensitivity == pytest.approx(math.sqrt(2)) for level in release.levels)
    assert sum(level.rho for level in release.levels) <= RHO
    assert release.rho_map <= RHO
    by_gender = make_count_release(PERSONS, TableQuery((GENDER, exploitation(max_values=2))), RHO)
    assert by_gender.levels[0].sensitivity == 2.0  # the gender margin counts a person once per type


def test_totals_and_margins_are_unbiased_and_intervals_cover_after_post_processing():
    query = TableQuery((GENDER, AGE_BAND))
    truth = count_cells(PERSONS, query).reshape(4, 10)
    variances = expected_variances(query, RHO)
    releases = 300
    totals, margins = [], []
    covered = {"cells": [], "margins": [], "totals": []}
    for _ in range(releases):
        release = make_count_release(PERSONS, query, RHO)
        totals.append(release.total.value)
        margins.append([cell.value for cell in release.margins[("gender",)]])
        covered["totals"].append(release.total.interval()[0] <= truth.sum() <= release.total.interval()[1])
        covered["margins"] += [low <= true <= high for (low, high), true in
                               zip((c.interval() for c in release.margins[("gender",)]), truth.sum(axis=1))]
        covered["cells"] += [c.interval()[0] <= true <= c.interval()[1] for c, true in zip(release.cells, truth.ravel())]
    # Standard error of a mean of 300 totals: sqrt((variance + 1/4 of rounding) / 300); allowed 6.
    total_error = np.mean(totals) - truth.sum()
    assert abs(total_error) < 6 * math.sqrt((variances[()] + 0.25) / releases)
    # Margins are projected, so only nearly unbiased: within 6 standard errors plus half a person,
    # where the true count is clear of zero. A margin of no one cannot be published below zero: its
    # mean is about that of a normal's positive part, sigma / sqrt(2 pi) (2.1 persons here); it is
    # allowed that and 6 of its standard errors (sigma * 0.58 / sqrt(releases)), and never below 0.
    margin_error = np.mean(margins, axis=0) - truth.sum(axis=1)
    sigma = math.sqrt(variances[("gender",)])
    clear = truth.sum(axis=1) >= 3 * sigma
    assert clear.sum() >= 2 and (~clear).any()
    assert np.all(np.abs(margin_error[clear]) < 6 * math.sqrt((sigma**2 + 2.5) / releases) + 0.5)
    empty = truth.sum(axis=1) == 0
    assert np.all(margin_error[empty] >= 0)
    assert np.all(margin_error[empty] < sigma / math.sqrt(2 * math.pi) + 6 * sigma * 0.58 / math.sqrt(releases))
    # Each interval covers at least as often as the least-squares one (95 %); with 300 draws
    # (12,000 for cells) the observed share is allowed 4 standard errors below 95 %.
    for kind, hits in covered.items():
        assert np.mean(hits) >= 0.95 - 4 * math.sqrt(0.05 * 0.95 / len(hits)), kind


def test_accuracy_is_known_before_the_data_and_matches_the_published_intervals():
    expected = accuracy(QUERY, RHO)
    release = make_count_release(PERSONS, QUERY, RHO)
    for cell in release.cells:
        low, high = cell.interval(0.05)
        assert cell.estimate - expected[0.05] - 1 <= max(low, cell.estimate - expected[0.05] - 1)
        assert high >= cell.value and low <= cell.value
    assert cell.variance == pytest.approx(expected_variances(QUERY, RHO)[release.dimensions])


def test_too_noisy_means_the_interval_holds_zero():
    release = make_count_release(PERSONS, QUERY, RHO)
    assert all(cell.too_noisy == (cell.interval()[0] == 0) for cell in release.cells)
    assert any(cell.too_noisy for cell in release.cells) and not all(cell.too_noisy for cell in release.cells)


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


def test_a_query_without_dimensions_releases_the_total():
    release = make_count_release(PERSONS, TableQuery(()), Decimal(1000))
    assert len(release.cells) == 1 and release.cells[0].keys == ()
    assert abs(release.cells[0].value - PERSONS.height) <= 1 and release.total.value == release.cells[0].value


def test_a_multi_valued_frame_needs_a_multi_valued_dimension():
    with pytest.raises(ValueError, match="single-valued but its column is a list"):
        make_count_release(PERSONS, TableQuery((Dimension("type_of_exploitation", ("Other",)),)), RHO)
