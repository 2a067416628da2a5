"""Report tables over persons: dimensions with public key sets, filters, exact cell counts.

A table is the cross product of its dimensions' key sets. Every key set is public (a schema
enumeration, or a public range such as the years of a report), so every cell is released, zeros
included, and no cell's presence says anything about the data.

Missing values: a null (or, for a multi-valued dimension, an empty list) is counted under the key
``"Unknown"``, which is appended to the key set when the enumeration does not already hold it.
A value outside the key set is a schema violation and is refused without naming it.

Nothing here adds noise: :func:`count_cells` gives the exact counts that only the mechanism in
:mod:`privacy.dp.release` may see.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import NamedTuple

import numpy as np
import polars as pl

UNKNOWN = "Unknown"
MAX_CELLS = 2_000_000  # a table larger than this is a mistake in the template, not a report
MAX_MULTI_KEYS = 62  # a multi-valued dimension's keys are bits of a 64-bit mask per person


@dataclass(frozen=True)
class Dimension:
    """A report dimension: a column of the person frame and its public key set.

    ``multi`` marks a column of ``list[str]``: a person then counts once in each of its distinct
    values, at most ``max_values`` of them, which bounds each person's contribution. A person with
    more values has ``max_values`` of them chosen uniformly at random, independently of the key
    (schema) order, so no value is systematically the one dropped.

    >>> Dimension("gender", ("Female", "Male")).cell_keys
    ('Female', 'Male', 'Unknown')
    >>> Dimension("gender", ("Female", "Unknown")).cell_keys
    ('Female', 'Unknown')
    >>> Dimension("year", ("2025", "2026"), never_null=True).cell_keys
    ('2025', '2026')
    """

    name: str
    keys: tuple[str, ...]
    multi: bool = False
    max_values: int = 1
    # A column that always holds a value (the time dimensions, from the person's cohort): no
    # "Unknown" cell, and a null is refused rather than counted.
    never_null: bool = False

    def __post_init__(self) -> None:
        if not self.keys:
            raise ValueError(f"dimension {self.name!r}: empty key set")
        if len(set(self.keys)) != len(self.keys):
            raise ValueError(f"dimension {self.name!r}: duplicate keys")
        if self.never_null and self.multi:
            raise ValueError(f"dimension {self.name!r}: never_null is for single-valued dimensions")
        if self.max_values < 1 or (not self.multi and self.max_values != 1):
            raise ValueError(f"dimension {self.name!r}: max_values must be 1, or >= 1 when multi")
        if self.multi and self.max_values > len(self.cell_keys):
            raise ValueError(f"dimension {self.name!r}: max_values exceeds the number of keys")
        if self.multi and len(self.cell_keys) > MAX_MULTI_KEYS:
            raise ValueError(f"dimension {self.name!r}: a multi-valued dimension has at most {MAX_MULTI_KEYS} keys")

    @property
    def cell_keys(self) -> tuple[str, ...]:
        """The released keys: the declared ones, then ``"Unknown"`` unless already declared."""
        return self.keys if UNKNOWN in self.keys or self.never_null else (*self.keys, UNKNOWN)

    @classmethod
    def from_schema(cls, schema, field_name: str, max_values: int = 1) -> Dimension:
        """The dimension of an uploaded schema field, keyed by its enumeration."""
        upload_field = next(f for f in schema.upload_fields if f.name == field_name)
        if upload_field.enumeration is None:
            raise ValueError(f"field {field_name!r} has no enumeration, so no public key set")
        keys = schema.enumerations[upload_field.enumeration].values
        return cls(field_name, keys, multi=upload_field.multiple, max_values=max_values)


@dataclass(frozen=True)
class TableQuery:
    """A table: dimensions (possibly none: the total) and public filters applied before counting.

    A filter keeps the persons whose column value is one of the allowed values (for a multi-valued
    column: any of its values); ``"Unknown"`` among the allowed values also keeps nulls.
    """

    dimensions: tuple[Dimension, ...]
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = [d.name for d in self.dimensions]
        if len(set(names)) != len(names):
            raise ValueError("a dimension appears twice")
        if self.n_cells > MAX_CELLS:
            raise ValueError(f"table of {self.n_cells} cells exceeds {MAX_CELLS}")

    @property
    def n_cells(self) -> int:
        return math.prod(len(d.cell_keys) for d in self.dimensions)

    def cell_keys(self) -> list[tuple[str, ...]]:
        """Every cell's keys, in the order of the count vector (last dimension fastest)."""
        return list(itertools.product(*(d.cell_keys for d in self.dimensions)))


class Sensitivity(NamedTuple):
    """How much one person can move a table's count vector."""

    l2: float  # an upper bound of sqrt(cells_per_person), exact as a float
    cells_per_person: int
    explanation: str


def l2_bound(cells_per_person: int) -> float:
    """The smallest float not below ``sqrt(cells_per_person)``.

    >>> l2_bound(4), l2_bound(1)
    (2.0, 1.0)
    >>> l2_bound(2) ** 2 >= 2
    True
    """
    bound = math.sqrt(cells_per_person)
    while Fraction(bound) ** 2 < cells_per_person:
        bound = math.nextafter(bound, math.inf)
    return bound


def table_sensitivity(query: TableQuery) -> Sensitivity:
    """The L2 sensitivity of the count vector when one person is added or removed.

    A person counts 1 in each cell it falls into: one cell per single-valued dimension, at most
    ``max_values`` distinct ones per multi-valued dimension, so at most the product of the
    ``max_values`` cells, each changing by 1: L2 sensitivity sqrt(that product).

    >>> toe = Dimension("type_of_exploitation", ("ForcedLabour", "SexualExploitation", "Other"),
    ...                 multi=True, max_values=2)
    >>> table_sensitivity(TableQuery((toe, Dimension("gender", ("Female", "Male")))))[:2]
    (1.4142135623730951, 2)
    """
    cells = math.prod(d.max_values for d in query.dimensions)
    multi = [f"{d.name} (at most {d.max_values} values)" for d in query.dimensions if d.multi]
    explanation = (
        "one person is one row and counts 1 in at most "
        f"{cells} cell{'s' if cells > 1 else ''}"
        + (f", bounded by {', '.join(multi)}" if multi else "")
        + f"; L2 sensitivity sqrt({cells})"
    )
    return Sensitivity(l2_bound(cells), cells, explanation)


def check_person_ids(persons: pl.LazyFrame, person_id: str) -> None:
    """Refuse null or repeated person ids: the unit of privacy is one row per person."""
    nulls, distinct, rows = (
        persons.select(
            pl.col(person_id).null_count().alias("nulls"),
            pl.col(person_id).n_unique().alias("distinct"),
            pl.len().alias("rows"),
        )
        .collect()
        .row(0)
    )
    if nulls:
        raise ValueError(f"column {person_id!r} holds null person ids")
    if distinct != rows:
        raise ValueError(f"column {person_id!r} repeats person ids: not one row per person")


def _single_codes(dimension: Dimension) -> pl.Expr:
    """The key index of a single-valued column; null is ``"Unknown"``."""
    codes = pl.col(dimension.name).cast(pl.String).cast(pl.Enum(dimension.cell_keys)).to_physical()
    if dimension.never_null:
        return codes.cast(pl.Int64)
    return codes.cast(pl.Int64).fill_null(dimension.cell_keys.index(UNKNOWN))


def _multi_codes(dimension: Dimension) -> pl.Expr:
    """The key indices of a multi-valued column, as a list (a null inside stays null)."""
    as_enum = pl.List(pl.Enum(dimension.cell_keys))
    return pl.col(dimension.name).cast(pl.List(pl.String)).cast(as_enum).cast(pl.List(pl.Int64))


def _bounded_masks(codes: pl.Series, dimension: Dimension, rng: np.random.Generator) -> np.ndarray:
    """Per person, a bitmask of its distinct keys, at most ``max_values`` of them chosen at random.

    A list that is empty, null or holds only nulls is ``"Unknown"``. Bit ``k`` stands for
    ``cell_keys[k]``. A person with more than ``max_values`` keys keeps those of lowest uniform
    random priority: a uniformly random subset of ``max_values`` of its keys, drawn independently
    for each person (so the bound still depends on that person's row alone).
    """
    lengths = np.maximum(codes.list.len().fill_null(0).to_numpy(), 1)  # explode keeps empties as null
    flat = codes.explode()
    bits = np.where(
        flat.is_null().to_numpy(), 0, np.left_shift(np.int64(1), flat.fill_null(0).to_numpy().astype(np.int64))
    )
    starts = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    masks = np.bitwise_or.reduceat(bits, starts) if len(bits) else np.zeros(0, dtype=np.int64)
    masks[masks == 0] = 1 << dimension.cell_keys.index(UNKNOWN)
    over = np.bitwise_count(masks) > dimension.max_values
    if over.any():
        present = (masks[over, None] >> np.arange(len(dimension.cell_keys))) & 1
        priority = np.where(present == 1, rng.random(present.shape), 2.0)
        chosen = np.argsort(priority, axis=1)[:, : dimension.max_values]
        masks[over] = np.bitwise_or.reduce(np.left_shift(np.int64(1), chosen), axis=1)
    return masks


def _multi_cells(base: np.ndarray, masks: dict[int, np.ndarray], query: TableQuery, strides: list[int]) -> np.ndarray:
    """Counts per cell when some dimensions are multi-valued (a bitmask per person and dimension)."""
    grouped = (
        pl.DataFrame({"base": base, **{f"m{i}": m for i, m in masks.items()}})
        .group_by(pl.all()).len()
    )
    base = grouped.get_column("base").to_numpy()
    persons = grouped.get_column("len").to_numpy().astype(np.int64)
    group_masks = {i: grouped.get_column(f"m{i}").to_numpy() for i in masks}
    cells, weights = [], []
    # Every combination of one key per multi-valued dimension that a group's masks hold.
    for combination in itertools.product(*(range(len(query.dimensions[i].cell_keys)) for i in masks)):
        selected = np.ones(len(base), dtype=bool)
        offset = 0
        for (i, mask), key in zip(group_masks.items(), combination):
            selected &= (mask >> key) & 1 == 1
            offset += key * strides[i]
        if selected.any():
            cells.append(base[selected] + offset)
            weights.append(persons[selected])
    if not cells:
        return np.zeros(query.n_cells, dtype=np.int64)
    counts = np.bincount(np.concatenate(cells), weights=np.concatenate(weights), minlength=query.n_cells)
    return np.rint(counts).astype(np.int64)


def _filter(column: str, allowed: tuple[str, ...], is_list: bool) -> pl.Expr:
    allowed_values = pl.lit(list(allowed), dtype=pl.List(pl.String)).first()
    keep_null = UNKNOWN in allowed
    if is_list:
        hits = pl.col(column).list.eval(pl.element().cast(pl.String).is_in(allowed_values)).list.any()
        missing = pl.col(column).is_null() | (pl.col(column).list.len() == 0)
    else:
        hits = pl.col(column).cast(pl.String).is_in(allowed_values)
        missing = pl.col(column).is_null()
    return (hits.fill_null(False) | missing) if keep_null else hits.fill_null(False)


def count_cells(
    persons: pl.DataFrame | pl.LazyFrame,
    query: TableQuery,
    person_id: str | None = None,
    *,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """The exact count of persons in every cell, in the order of ``query.cell_keys()``.

    Not private: only a mechanism may read it. ``rng`` draws the values kept of a person with
    more than a multi-valued dimension's ``max_values`` (fresh operating-system entropy if None).

    >>> persons = pl.DataFrame({"gender": ["Female", None, "Female"], "year": [2020, 2021, 2020]})
    >>> query = TableQuery((Dimension("gender", ("Female", "Male")), Dimension("year", ("2020", "2021"))))
    >>> count_cells(persons, query).tolist()
    [2, 0, 0, 0, 0, 0, 0, 1, 0]
    """
    lazy = persons.lazy()
    schema = lazy.collect_schema()
    if person_id is not None:
        check_person_ids(lazy, person_id)
    for name in [*(d.name for d in query.dimensions), *query.filters]:
        if name not in schema:
            raise ValueError(f"person frame has no column {name!r}")
    is_list = {name: isinstance(dtype, pl.List) for name, dtype in schema.items()}
    for column, allowed in query.filters.items():
        lazy = lazy.filter(_filter(column, allowed, is_list[column]))
    if not query.dimensions:
        return np.array([lazy.select(pl.len()).collect().item()], dtype=np.int64)
    strides = [math.prod(len(d.cell_keys) for d in query.dimensions[i + 1 :]) for i in range(len(query.dimensions))]
    for dimension in query.dimensions:
        if dimension.multi != is_list[dimension.name]:
            kind = "multi-valued" if dimension.multi else "single-valued"
            raise ValueError(f"dimension {dimension.name!r} is {kind} but its column is{'' if is_list[dimension.name] else ' not'} a list")
    never_null = [d.name for d in query.dimensions if d.never_null]
    if never_null and any(lazy.select(pl.col(never_null).null_count()).collect().row(0)):
        raise ValueError("a dimension declared never null holds nulls")
    base = pl.lit(0, dtype=pl.Int64)
    for dimension, stride in zip(query.dimensions, strides):
        if not dimension.multi:
            base = base + _single_codes(dimension) * stride
    multi = [i for i, d in enumerate(query.dimensions) if d.multi]
    try:
        frame = lazy.select(base.alias("base"), *(_multi_codes(query.dimensions[i]).alias(f"m{i}") for i in multi)).collect()
    except pl.exceptions.InvalidOperationError:
        # Polars names the offending values in its message; a release path must not.
        raise ValueError("a dimension column holds values outside its declared key set") from None
    base_cells = frame.get_column("base").to_numpy()
    if not multi:
        return np.bincount(base_cells, minlength=query.n_cells).astype(np.int64)
    rng = rng if rng is not None else np.random.default_rng()
    masks = {i: _bounded_masks(frame.get_column(f"m{i}"), query.dimensions[i], rng) for i in multi}
    return _multi_cells(base_cells, masks, query, strides)
