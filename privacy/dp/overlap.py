"""Overlap of partners' lists: persons counted by the exact set of partners that reported them.

This is the contingency table that multiple systems estimation (log-linear capture-recapture)
needs to estimate the victims no partner has found. Each cell is a capture history, one ``"1"``
(reported) or ``"0"`` (not reported) per partner, in the order given; the all-``"0"`` cell is
unobservable and left out, so ``k`` partners make ``2**k - 1`` cells.

``k`` is capped at :data:`MAX_PARTNERS` = 8 (255 cells): every cell carries noise of the same
sigma, so the table's total error grows as 2**k while the persons are spread ever thinner, and
beyond about eight lists most histories are pure noise that no log-linear model can fit; the
estimation literature works with three to six lists. Group partners (e.g. by type) for more.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import numpy as np
import polars as pl

from privacy.dp.release import CountRelease, finish_table, measure_counts
from privacy.dp.tables import Dimension, TableQuery, check_person_ids

MAX_PARTNERS = 8


def overlap_histories(partners: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Every non-empty capture history, in the order of the released cells.

    Cell ``i`` holds the persons whose set of reporting partners has bitmask ``i + 1`` (bit ``j``
    for ``partners[j]``).

    >>> overlap_histories(("A", "B"))
    [('1', '0'), ('0', '1'), ('1', '1')]
    """
    return [
        tuple("1" if mask >> j & 1 else "0" for j in range(len(partners)))
        for mask in range(1, 2 ** len(partners))
    ]


def count_overlaps(
    persons: pl.DataFrame | pl.LazyFrame,
    partners: tuple[str, ...],
    column: str = "partners",
    person_id: str | None = None,
) -> np.ndarray:
    """Exact counts per capture history. Not private: only a mechanism may read it.

    Partners outside ``partners`` are ignored; a person reported by none of them is in no cell.

    >>> persons = pl.DataFrame({"partners": [["A"], ["A", "B"], ["C"], ["B", "A", "A"]]})
    >>> count_overlaps(persons, ("A", "B")).tolist()
    [1, 0, 2]
    """
    _check_partners(partners)
    lazy = persons.lazy()
    if person_id is not None:
        check_person_ids(lazy, person_id)
    bits = pl.element().cast(pl.String).replace_strict(
        list(partners), [1 << j for j in range(len(partners))], default=0, return_dtype=pl.Int64
    )
    masks = (
        lazy.select(pl.col(column).list.drop_nulls().list.eval(bits).list.unique().list.sum().alias("mask"))
        .collect()
        .get_column("mask")
        .fill_null(0)
        .to_numpy()
    )
    return np.bincount(masks, minlength=2 ** len(partners))[1:].astype(np.int64)


def _check_partners(partners: tuple[str, ...]) -> None:
    if not partners:
        raise ValueError("an overlap release needs at least one partner")
    if len(set(partners)) != len(partners):
        raise ValueError("a partner appears twice")
    if len(partners) > MAX_PARTNERS:
        raise ValueError(f"at most {MAX_PARTNERS} partners per overlap release (2**k - 1 cells)")


def make_overlap_release(
    persons: pl.DataFrame | pl.LazyFrame,
    partners: tuple[str, ...],
    rho: Decimal,
    *,
    column: str = "partners",
    person_id: str | None = None,
) -> CountRelease:
    """Release the count of persons per capture history over ``partners`` under rho-zCDP.

    Privacy: unit one person (one row, its ``column`` the list of partners that reported it);
    a person is in exactly one history, so adding or removing one changes one cell by 1:
    L2 sensitivity 1; Gaussian noise through OpenDP with sigma = 1 / sqrt(2 rho); rho-zCDP.
    Post-processing as every table's (:mod:`privacy.dp.consistency`): non-negative integers
    adding up to the table's own rounded total.

    >>> persons = pl.DataFrame({"partners": [["A"], ["A", "B"], ["B"]]})
    >>> release = make_overlap_release(persons, ("A", "B"), Decimal("0.5"))
    >>> release.dimensions, [cell.keys for cell in release.cells], release.sigma
    (('A', 'B'), [('1', '0'), ('0', '1'), ('1', '1')], 1.0)
    """
    if not Decimal(rho) > 0:
        raise ValueError("rho must be positive")
    counts = count_overlaps(persons, partners, column, person_id)
    histories = overlap_histories(partners)
    query = TableQuery((Dimension("capture_history", tuple("".join(h) for h in histories), never_null=True),))
    measured = measure_counts(counts, query, rho)
    measured = replace(measured, contributions="one person is one row and has exactly one capture history; "
                                               "L2 sensitivity 1")
    release = finish_table(measured)
    cells = tuple(replace(cell, keys=history) for cell, history in zip(release.cells, histories))
    return replace(release, dimensions=tuple(partners), cells=cells)
