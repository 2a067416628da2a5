import itertools
import math

import numpy as np
import polars as pl
import pytest

from privacy.dp.tables import Dimension, TableQuery, count_cells, l2_bound, table_sensitivity
from schemas import load_schema
from tests.privacy.dp.factories import AGE_BAND, GENDER, exploitation, make_persons


def test_every_declared_cell_is_counted_zeros_included():
    persons = pl.DataFrame({"gender": ["Female", "Female"], "year": ["2020", "2020"]})
    query = TableQuery((GENDER, Dimension("year", ("2019", "2020", "2021"))))
    counts = count_cells(persons, query)
    assert len(counts) == query.n_cells == 4 * 4  # Unknown added to years, already in genders
    assert dict(zip(query.cell_keys(), counts.tolist()))[("Female", "2020")] == 2
    assert counts.sum() == 2


def test_missing_values_count_under_unknown():
    persons = pl.DataFrame({"age_band": ["0-8", None, None], "type_of_exploitation": [["Other"], [], None]})
    query = TableQuery((AGE_BAND, exploitation()))
    cells = dict(zip(query.cell_keys(), count_cells(persons, query).tolist()))
    assert cells[("0-8", "Other")] == 1
    assert cells[("Unknown", "Unknown")] == 2


def test_multi_valued_dimension_keeps_values_of_the_person_only_within_the_bound():
    persons = pl.DataFrame({"type_of_exploitation": [["Other", "ChildLabour", "ForcedLabour", "ForcedLabour"]]})
    query = TableQuery((exploitation(max_values=2),))
    cells = dict(zip(query.cell_keys(), count_cells(persons, query).tolist()))
    assert sum(cells.values()) == 2
    assert {key for key, count in cells.items() if count} <= {("Other",), ("ChildLabour",), ("ForcedLabour",)}


def test_truncation_is_not_in_schema_order():
    # A person with all 16 means of control, bounded at 4, 2,000 times over: each value is kept
    # with probability 1/4 (500 times, standard deviation 19); schema order would keep the first
    # four always and the last never. Seeded, so it cannot flake.
    means = load_schema("case-v1").enumerations["means_of_control"].values
    dimension = Dimension("means_of_control", means, multi=True, max_values=4)
    persons = pl.DataFrame({"means_of_control": [list(means)] * 2_000})
    kept = count_cells(persons, TableQuery((dimension,)), rng=np.random.default_rng(16))
    assert kept.sum() == 4 * 2_000 and kept[-1] == 0  # nobody is Unknown
    assert np.all(np.abs(kept[:-1] - 500) < 100)


@pytest.mark.parametrize("max_values", [1, 2, 3])
def test_no_person_counts_in_more_cells_than_the_sensitivity_allows(max_values):
    persons = make_persons(300)
    query = TableQuery((GENDER, exploitation(max_values)))
    sensitivity = table_sensitivity(query)
    assert sensitivity.cells_per_person == max_values
    assert sensitivity.l2 == l2_bound(max_values) >= math.sqrt(max_values)
    for row in range(0, 300, 17):
        one = count_cells(persons[row : row + 1], query)
        assert one.max() <= 1
        assert one.sum() <= sensitivity.cells_per_person
        # Removing this person moves the vector by at most the L2 sensitivity (every person's
        # values are drawn on their own, so the others' draws are the same with one seed).
        if max_values == 3:  # nobody has more than 3 types: no draw at all
            without = count_cells(persons.filter(pl.col("person_id") != row), query)
            assert math.dist(count_cells(persons, query), without) <= sensitivity.l2


def test_two_multi_valued_dimensions_multiply_the_bound():
    second = Dimension("means_of_control", ("Threats", "DebtBondage", "Other"), multi=True, max_values=3)
    assert table_sensitivity(TableQuery((exploitation(2), second))).cells_per_person == 6


def test_filters_apply_before_counting():
    persons = make_persons(200)
    query = TableQuery((GENDER,), filters={"age_band": ("0-8", "Unknown")})
    expected = persons.filter(pl.col("age_band").is_null() | (pl.col("age_band") == "0-8")).height
    assert count_cells(persons, query).sum() == expected
    by_type = TableQuery((GENDER,), filters={"type_of_exploitation": ("ChildLabour",)})
    expected = persons.filter(pl.col("type_of_exploitation").list.contains("ChildLabour")).height
    assert count_cells(persons, by_type).sum() == expected


def test_a_value_outside_the_key_set_is_refused_without_naming_it():
    persons = pl.DataFrame({"gender": ["Female", "Secret-Value"]})
    with pytest.raises(ValueError, match="outside its declared key set") as refused:
        count_cells(persons, TableQuery((GENDER,)))
    assert "Secret-Value" not in str(refused.value)


def test_empty_key_sets_and_bad_bounds_are_refused():
    with pytest.raises(ValueError, match="empty key set"):
        Dimension("gender", ())
    with pytest.raises(ValueError, match="max_values"):
        Dimension("gender", ("Female",), max_values=2)
    with pytest.raises(ValueError, match="twice"):
        TableQuery((GENDER, GENDER))


def test_person_ids_must_be_unique_and_present():
    persons = pl.DataFrame({"person_id": [1, 1], "gender": ["Female", "Male"]})
    with pytest.raises(ValueError, match="repeats person ids"):
        count_cells(persons, TableQuery((GENDER,)), person_id="person_id")
    persons = pl.DataFrame({"person_id": [1, None], "gender": ["Female", "Male"]})
    with pytest.raises(ValueError, match="null person ids"):
        count_cells(persons, TableQuery((GENDER,)), person_id="person_id")


def test_dimension_from_schema():
    from schemas import load_schema

    dimension = Dimension.from_schema(load_schema("case-v1"), "type_of_exploitation", max_values=2)
    assert dimension.multi and dimension.max_values == 2 and dimension.cell_keys[-1] == "Unknown"
    assert len(Dimension.from_schema(load_schema("case-v1"), "age_band").cell_keys) == 10


def _naive_counts(persons: pl.DataFrame, query: TableQuery) -> list[int]:
    """The same counts, one person at a time in plain Python: the oracle for the vectorised path."""
    counts = dict.fromkeys(query.cell_keys(), 0)
    for person in persons.iter_rows(named=True):
        per_dimension = []
        for dimension in query.dimensions:
            value = person[dimension.name]
            if dimension.multi:
                present = {v for v in (value or []) if v is not None}
                keys = [k for k in dimension.cell_keys if k in present][: dimension.max_values] or ["Unknown"]
            else:
                keys = [value if value is not None else "Unknown"]
            per_dimension.append(keys)
        for cell in itertools.product(*per_dimension):
            counts[cell] += 1
    return list(counts.values())


@pytest.mark.parametrize("max_values", [3, 4])
def test_vectorised_counts_match_a_person_by_person_count(max_values):
    persons = make_persons(500).with_columns(
        pl.when(pl.col("person_id") % 7 == 0).then(pl.lit([], dtype=pl.List(pl.String)))
        .when(pl.col("person_id") % 11 == 0).then(pl.lit(None, dtype=pl.List(pl.String)))
        .when(pl.col("person_id") % 13 == 0).then(pl.lit(["Other", None], dtype=pl.List(pl.String)))
        .when(pl.col("person_id") % 17 == 0).then(pl.lit([None], dtype=pl.List(pl.String)))
        .otherwise(pl.col("type_of_exploitation")).alias("type_of_exploitation"),
        means_of_control=pl.col("type_of_exploitation").list.reverse(),
    )
    second = Dimension("means_of_control", exploitation().keys, multi=True, max_values=3)
    for query in [TableQuery((GENDER, exploitation(max_values), AGE_BAND)),
                  TableQuery((exploitation(max_values), GENDER, second))]:
        assert count_cells(persons, query).tolist() == _naive_counts(persons, query)


def test_a_never_null_dimension_has_no_unknown_cell_and_refuses_nulls():
    year = Dimension("year", ("2025", "2026"), never_null=True)
    query = TableQuery((year,))
    assert count_cells(pl.DataFrame({"year": ["2025", "2026", "2026"]}), query).tolist() == [1, 2]
    with pytest.raises(ValueError, match="never null"):
        count_cells(pl.DataFrame({"year": ["2025", None]}), query)
