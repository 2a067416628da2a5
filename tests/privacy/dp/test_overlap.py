from decimal import Decimal

import polars as pl
import pytest

from privacy.dp.overlap import MAX_PARTNERS, count_overlaps, make_overlap_release, overlap_histories

PERSONS = pl.DataFrame(
    {
        "person_id": [1, 2, 3, 4, 5, 6],
        "partners": [["hotline"], ["hotline", "shelter"], ["police"], ["shelter", "hotline", "police"],
                     ["other-ngo"], ["police", "police"]],
    }
)
PARTNERS = ("hotline", "shelter", "police")


def test_every_non_empty_history_is_a_cell():
    release = make_overlap_release(PERSONS, PARTNERS, Decimal("0.1"), person_id="person_id")
    assert release.dimensions == PARTNERS
    assert [cell.keys for cell in release.cells] == overlap_histories(PARTNERS)
    assert len(release.cells) == 2**3 - 1
    assert ("0", "0", "0") not in [cell.keys for cell in release.cells]


def test_each_person_is_in_exactly_one_history():
    counts = dict(zip(overlap_histories(PARTNERS), count_overlaps(PERSONS, PARTNERS).tolist()))
    assert counts[("1", "0", "0")] == 1
    assert counts[("1", "1", "0")] == 1
    assert counts[("0", "0", "1")] == 2  # a partner named twice counts once
    assert counts[("1", "1", "1")] == 1
    assert sum(counts.values()) == 5  # the person seen only by a partner outside the list: no cell


def test_sensitivity_is_one_and_opendp_accounts_for_it():
    release = make_overlap_release(PERSONS, PARTNERS, Decimal("0.5"))
    assert release.sensitivity == 1.0 and release.sigma == 1.0
    assert release.rho_map <= Decimal("0.5")


def test_partner_sets_are_checked():
    with pytest.raises(ValueError, match="at most"):
        make_overlap_release(PERSONS, tuple(f"p{i}" for i in range(MAX_PARTNERS + 1)), Decimal(1))
    with pytest.raises(ValueError):
        make_overlap_release(PERSONS, (), Decimal(1))
    with pytest.raises(ValueError, match="rho must be positive"):
        make_overlap_release(PERSONS, PARTNERS, Decimal(0))
