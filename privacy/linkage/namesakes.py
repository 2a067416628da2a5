"""How many of the pairs a kind of weak evidence would join are namesakes: measured, not assumed.

Weak evidence is agreement that two different people can share: a full name with a year of
birth that differs, or no date at all; a partial date; a name in phonetic code. Whether such
agreement means "one person" depends on the population: among 5,000 people with names drawn
from a whole country's registers two records that share a name are one person, among the
clients of a shelter where half the women are called Fatima Begum they are namesakes. No fixed
rule is right for both, so the resolver measures it on the records it holds.

The measurement rests on one fact: a partner's two records (two case references) are two
people. So the pairs of records *of one partner* that show a kind of weak evidence are all
namesakes, and if names are spread over partners independently of who reported them, namesakes
fall on pairs of records of one partner and of two partners in proportion to the number of such
pairs. The expected number of namesakes among the cross-partner pairs of a class is therefore

    within_pairs × (cross-partner record pairs / same-partner record pairs)

and the class's expected precision is one minus that over its cross-partner pairs. A class
links only when that estimate, with one namesake pair added to every class (no class is trusted
on no evidence), reaches ``min_precision``. Where names cluster by partner (a partner serving
one community), namesakes are more frequent within partners than across them and the estimate
errs on the side of not linking. A partner that registered one person twice under two case
references counts as a namesake too, again on the side of caution.

A class is a label of match key (or a tier of CLK comparison), how the two records' years of
birth relate (same year, different years, one undated, both undated; a CLK's year half salted
by the year tells which without revealing the year), and whether the full name is rare (held by
at most two records) or common. Only the counts per class are computed; nothing here sees a
name or a date.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from privacy.linkage.dice import dice_of_pairs

SAME_YEAR, YEARS_DIFFER, ONE_UNDATED, UNDATED = 0, 1, 2, 3
RELATIONS = ("same year", "years differ", "one undated", "undated")
# The least expected precision of a class of weak evidence: at most one namesake in ten links.
DEFAULT_MIN_PRECISION = 0.9


@dataclass(frozen=True)
class ClassCount:
    """The pairs of one class: of one partner (namesakes), of two partners (what would link)."""

    within: int
    across: int
    expected_precision: float
    accepted: bool


def relations(arrays: dict, left: np.ndarray, right: np.ndarray, years_agree: float) -> np.ndarray:
    """For each pair, how the years of birth relate (``SAME_YEAR`` ... ``UNDATED``).

    Year halves of CLKs salted by different years are unrelated filters, so their Dice stays
    below ``years_agree`` (calibrated on strangers) unless the two years are one.
    """
    dated = arrays["year_clk_count"] > 0
    both = dated[left] & dated[right]
    relation = np.where(dated[left] | dated[right], ONE_UNDATED, UNDATED).astype(np.int8)
    if both.any():
        year = dice_of_pairs(arrays["year_clk"], arrays["year_clk_count"], left[both], right[both])
        relation[both] = np.where(year >= years_agree, SAME_YEAR, YEARS_DIFFER)
    return relation


def pair_ratio(arrays: dict) -> float:
    """Cross-partner record pairs per same-partner record pair among live records (inf if none)."""
    sizes = np.bincount(arrays["partner"][arrays["alive"]]).astype(np.float64)
    within = float((sizes * (sizes - 1) / 2).sum())
    across = float((sizes.sum() ** 2 - (sizes ** 2).sum()) / 2)
    return across / within if within else float("inf")


def count_classes(
    classes: np.ndarray, same_partner: np.ndarray, ratio: float, min_precision: float = DEFAULT_MIN_PRECISION
) -> dict[int, ClassCount]:
    """The counts and verdict of every class code seen in ``classes``.

    >>> counts = count_classes(np.array([5, 5, 5, 5, 7, 7]), np.array([0, 0, 0, 1, 0, 1], dtype=bool), ratio=1.0)
    >>> counts[5].within, counts[5].across, round(counts[5].expected_precision, 3), counts[5].accepted
    (1, 3, 0.333, False)
    >>> counts = count_classes(np.array([2] * 40), np.zeros(40, dtype=bool), ratio=2.0)
    >>> counts[2].expected_precision, counts[2].accepted
    (0.95, True)
    """
    found = {}
    for code in np.unique(classes).tolist():
        mine = classes == code
        within = int((mine & same_partner).sum())
        across = int((mine & ~same_partner).sum())
        namesakes = (within + 1) * ratio
        precision = max(0.0, 1.0 - namesakes / across) if across and np.isfinite(namesakes) else 0.0
        found[code] = ClassCount(within, across, precision, precision >= min_precision)
    return found


def class_code(label_rank: np.ndarray, relation: np.ndarray, rare: np.ndarray) -> np.ndarray:
    """One integer per (label rank, relation, rare name) class."""
    return (label_rank.astype(np.int64) * 4 + relation) * 2 + rare.astype(np.int64)


def describe(code: int, label_names: dict[int, str]) -> tuple[str, str, str]:
    """The (label, relation, name frequency) a class code stands for.

    >>> describe(int(class_code(np.array([3]), np.array([YEARS_DIFFER]), np.array([True]))[0]), {3: "name"})
    ('name', 'years differ', 'rare name')
    """
    rank, rest = divmod(code, 8)
    relation, rare = divmod(rest, 2)
    return label_names.get(rank, f"label {rank}"), RELATIONS[relation], "rare name" if rare else "common name"
