"""Differentially private count tables over persons: the release and its post-processing.

Privacy claim of :func:`make_count_release`: the unit is one person, i.e. one row of the person
frame (the hub's linkage makes one row per linked person); adding or removing a person changes
at most ``cells_per_person`` cells by 1 each (1 without multi-valued dimensions, else the product
of their ``max_values``), so the count vector has L2 sensitivity sqrt(cells_per_person). OpenDP's
discrete Gaussian mechanism adds integer noise of scale sigma = sensitivity / sqrt(2 rho) to every
cell, which is rho-zCDP (OpenDP's privacy map, checked to be at most rho). Everything after the
noise (clamping at zero, intervals, flags, margins) is post-processing and costs nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import polars as pl

from privacy.dp.gaussian import ALPHAS, MECHANISM, OPENDP_VERSION, half_widths, make_gaussian_counts, sum_half_widths
from privacy.dp.tables import Sensitivity, TableQuery, count_cells, table_sensitivity


@dataclass(frozen=True)
class Cell:
    """One released cell: its keys, the noisy value and what is published from it."""

    keys: tuple[str, ...]
    noisy: float  # the mechanism's output (an integer), unbiased, may be negative
    value: int  # published: the noisy value, at least 0
    half_widths: dict[float, int]  # alpha -> half-width of the (1 - alpha) interval around value
    too_noisy: bool  # the 95 % half-width exceeds the published value

    def interval(self, alpha: float = 0.05) -> tuple[int, int]:
        """The published (1 - alpha) confidence interval, clipped at zero."""
        width = self.half_widths[alpha]
        return max(0, self.value - width), self.value + width


@dataclass(frozen=True)
class CountRelease:
    """A released table: every declared cell, and how it was made.

    ``rho`` is what the release spent; ``rho_map`` is what OpenDP's privacy map reported for the
    person-level sensitivity (at most ``rho``). A table derived by post-processing spent nothing
    more and says so in ``post_processing``.
    """

    dimensions: tuple[str, ...]
    cells: tuple[Cell, ...]
    rho: Decimal
    rho_map: Decimal
    sigma: float
    sensitivity: float
    contributions: str
    mechanism: str
    post_processing: str

    def to_polars(self) -> pl.DataFrame:
        """The cells as a frame: keys, noisy, value, 95 % interval, half-widths, too_noisy."""
        columns = {name: [cell.keys[i] for cell in self.cells] for i, name in enumerate(self.dimensions)}
        columns["noisy"] = [cell.noisy for cell in self.cells]
        columns["value"] = [cell.value for cell in self.cells]
        columns["lower_95"] = [cell.interval(0.05)[0] for cell in self.cells]
        columns["upper_95"] = [cell.interval(0.05)[1] for cell in self.cells]
        for alpha in self.cells[0].half_widths:
            columns[f"half_width_{round(100 * (1 - alpha))}"] = [c.half_widths[alpha] for c in self.cells]
        columns["too_noisy"] = [cell.too_noisy for cell in self.cells]
        return pl.DataFrame(columns)


POST_PROCESSING = (
    "published value = max(0, noisy); interval = value +/- floor(z * sigma + 0.5) (z the normal "
    "quantile, which covers the discrete Gaussian at least as often as the normal), clipped at 0; "
    "too_noisy when the 95 % half-width exceeds the value"
)


def _cells(keys: list[tuple[str, ...]], noisy: np.ndarray, widths: list[dict[float, int]], alphas) -> tuple[Cell, ...]:
    """The published cells; ``widths`` holds each cell's half-widths, for ``alphas`` and 0.05."""
    published = np.maximum(0, np.rint(noisy)).astype(np.int64)
    cells = []
    for cell_keys, noisy_value, value, cell_widths in zip(keys, noisy.tolist(), published.tolist(), widths):
        too_noisy = cell_widths[0.05] > value
        cells.append(Cell(cell_keys, noisy_value, value, {a: cell_widths[a] for a in alphas}, too_noisy))
    return tuple(cells)


def _with_95(alphas: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(dict.fromkeys((*alphas, 0.05)))


def release_counts(
    counts: np.ndarray,
    keys: list[tuple[str, ...]],
    dimensions: tuple[str, ...],
    sensitivity: Sensitivity,
    rho: Decimal,
    alphas: tuple[float, ...] = ALPHAS,
) -> CountRelease:
    """Noise an exact count vector whose person-level sensitivity is ``sensitivity``; post-process."""
    gaussian = make_gaussian_counts(len(counts), sensitivity.l2, rho)
    noisy = np.asarray(gaussian.measurement(counts.astype(np.int64).tolist()), dtype=np.float64)
    mechanism = (
        f"OpenDP {OPENDP_VERSION} make_gaussian, {MECHANISM}, over l2_distance on the vector of "
        f"{len(counts)} integer counts, sigma = {gaussian.sigma!r} = sensitivity / sqrt(2 rho), zCDP"
    )
    widths = half_widths(gaussian.sigma, _with_95(alphas))
    return CountRelease(
        dimensions=dimensions,
        cells=_cells(keys, noisy, [widths] * len(counts), alphas),
        rho=Decimal(rho),
        rho_map=gaussian.rho_map,
        sigma=gaussian.sigma,
        sensitivity=sensitivity.l2,
        contributions=sensitivity.explanation,
        mechanism=mechanism,
        post_processing=POST_PROCESSING,
    )


def make_count_release(
    persons: pl.DataFrame | pl.LazyFrame,
    query: TableQuery,
    rho: Decimal,
    *,
    person_id: str | None = None,
    alphas: tuple[float, ...] = ALPHAS,
) -> CountRelease:
    """Release every cell of ``query`` over ``persons`` (one row per person) under rho-zCDP.

    Privacy: unit one person (one row; ``person_id``, if named, is checked to be unique and not
    null); each person counts in at most ``cells_per_person`` cells (see :func:`table_sensitivity`);
    discrete Gaussian noise through OpenDP with sigma = sqrt(cells_per_person) / sqrt(2 rho); rho-zCDP.

    >>> from privacy.dp.tables import Dimension
    >>> persons = pl.DataFrame({"gender": ["Female", "Male", None, "Female"]})
    >>> release = make_count_release(persons, TableQuery((Dimension("gender", ("Female", "Male")),)),
    ...                              Decimal("0.5"))
    >>> [cell.keys for cell in release.cells], release.sigma, release.rho_map <= release.rho
    ([('Female',), ('Male',), ('Unknown',)], 1.0, True)
    >>> release.cells[0].half_widths
    {0.1: 2, 0.05: 2, 0.01: 3}
    """
    if not Decimal(rho) > 0:
        raise ValueError("rho must be positive")
    counts = count_cells(persons, query, person_id)
    dimensions = tuple(d.name for d in query.dimensions)
    return release_counts(counts, query.cell_keys(), dimensions, table_sensitivity(query), rho, alphas)


def accuracy(query: TableQuery, rho: Decimal, alphas: tuple[float, ...] = ALPHAS) -> dict[float, int]:
    """The ± half-width of every cell's (1 - alpha) interval, before touching any data.

    It depends only on the query's contribution bound and rho, so a steward can see it before
    approving; the release publishes exactly these half-widths.

    >>> from privacy.dp.tables import Dimension
    >>> accuracy(TableQuery((Dimension("gender", ("Female", "Male")),)), Decimal("0.0125"))
    {0.1: 10, 0.05: 12, 0.01: 16}
    """
    return half_widths(make_gaussian_counts(1, table_sensitivity(query).l2, rho).sigma, alphas)


def make_margins_consistent(release: CountRelease, keep: tuple[str, ...] = ()) -> CountRelease:
    """The margin of ``release`` over the dimensions ``keep`` (none: the grand total), by summation.

    Each margin cell's noisy value is the exact sum of the noisy values of the cells it covers, so
    noisy margins and noisy cells agree exactly, and no margin is released separately: this is
    post-processing of ``release`` and spends nothing more. Its noise is the sum of ``n`` cells'
    independent noise, so its sigma is ``sigma * sqrt(n)`` (an upper bound of its standard
    deviation). A sum of discrete Gaussians is not one, so its intervals come from the
    subgaussian bound of :func:`~privacy.dp.gaussian.sum_half_widths`, wider than the table's.
    Published integers are clamped per table, so the published cells of a margin may differ from
    its published value by the clamping of each cell; the noisy values add up.

    >>> from privacy.dp.tables import Dimension
    >>> persons = pl.DataFrame({"gender": ["Female", "Male"], "year": ["2020", "2021"]})
    >>> query = TableQuery((Dimension("gender", ("Female", "Male")), Dimension("year", ("2020", "2021"))))
    >>> table = make_count_release(persons, query, Decimal(1))
    >>> by_gender = make_margins_consistent(table, keep=("gender",))
    >>> [cell.keys for cell in by_gender.cells]
    [('Female',), ('Male',), ('Unknown',)]
    >>> math.isclose(by_gender.cells[0].noisy, sum(c.noisy for c in table.cells if c.keys[0] == "Female"))
    True
    """
    positions = [release.dimensions.index(name) for name in keep]
    sums: dict[tuple[str, ...], float] = {}
    covered: dict[tuple[str, ...], int] = {}
    for cell in release.cells:
        margin_keys = tuple(cell.keys[i] for i in positions)
        sums[margin_keys] = sums.get(margin_keys, 0.0) + cell.noisy
        covered[margin_keys] = covered.get(margin_keys, 0) + 1
    keys = list(sums)
    sigmas = [release.sigma * math.sqrt(covered[k]) for k in keys]
    alphas = tuple(release.cells[0].half_widths)
    # A table's cell is one discrete Gaussian of scale sigma; a margin's is a sum of them, which is
    # sigma-subgaussian (release.sigma bounds it), and so is any sum of such sums.
    one_noise = release.post_processing == POST_PROCESSING
    widths = [
        half_widths(release.sigma, _with_95(alphas)) if one_noise and covered[k] == 1
        else sum_half_widths(release.sigma, covered[k], _with_95(alphas))
        for k in keys
    ]
    return CountRelease(
        dimensions=tuple(keep),
        cells=_cells(keys, np.array([sums[k] for k in keys]), widths, alphas),
        rho=release.rho,
        rho_map=release.rho_map,
        sigma=max(sigmas),
        sensitivity=release.sensitivity,
        contributions=release.contributions,
        mechanism=release.mechanism,
        post_processing=(
            f"margin over {list(keep) or 'nothing (grand total)'} by summing the noisy cells of the "
            f"table over {list(release.dimensions)}; no additional privacy loss; sigma per margin cell "
            f"= table sigma * sqrt(cells summed); published value = max(0, noisy); interval = value "
            f"+/- floor(sigma * sqrt(2 ln(2 / alpha))) (subgaussian bound on a sum of discrete "
            f"Gaussians), clipped at 0; too_noisy when the 95 % half-width exceeds the value"
        ),
    )
