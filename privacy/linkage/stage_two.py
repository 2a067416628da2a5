"""Stage two: records stage one left alone are compared by CLK within blocks.

A record that stage one left as a unit of its own (a singleton) is compared with every record of
another partner and another unit that shares one of its blocking tokens. Each half of the two
CLKs is compared (:mod:`privacy.clk`): a pair whose year-salted halves reach ``threshold`` is a
candidate of the first tier (same year of birth, names and day agree); otherwise a pair whose
citizenship-salted halves reach ``citizenship_threshold`` is a candidate of the second tier
(same citizenship, names agree, the date agrees in part or is missing on one side), provided
the years differ (year halves below ``years_agree``: halves of different salts are unrelated)
or exactly one of the two is dated, and both names are rare (each record's full-name-and-
citizenship token held by few records: a common name agreeing is a namesake, not evidence).
Namesakes born in one year are thus judged on the year half alone, and two undated records are
never joined by names alone. Halves of different salts are unrelated, so the second tier holds
only pairs of one citizenship. The second tier is weak evidence: its pairs link only where pairs
of the same kind within one partner (namesakes) are few (:mod:`privacy.linkage.namesakes`).
Candidates are accepted greedily: the first tier, then the pairs stage one leaves to stage two
(:mod:`privacy.linkage.stage_one`: trusted weak evidence, such as a name whose date differs or is
missing, and ages meeting dates of birth), then the second tier; best score first within a
tier. An accepted pair
merges the two units only if they hold no partner in common: each
record is thus matched to at most one record of each other partner (one-to-one per pair of
partners), and fuzzy evidence never merges two records of one partner. Ties are broken by the
records' keys, so the outcome does not depend on arrival order.
"""

from __future__ import annotations

import numpy as np

from privacy.linkage.components import group_members
from privacy.linkage.dice import containment_of_pairs, dice_of_pairs


def scored_candidates(
    arrays: dict,
    units: np.ndarray,
    threshold: float,
    max_block_size: int,
    citizenship_threshold: float = 1.01,
    years_agree: float = 0.0,
    rare_name: np.ndarray | None = None,
    containment_threshold: float = 1.01,
    chunk_pairs: int = 1 << 21,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pairs ``(left, right, score, tier, same_partner)`` of candidates: a singleton unit and a
    record of another unit sharing a block (of another partner, except in the second tier),
    whose year halves reach ``threshold`` (tier 0) or else whose citizenship halves reach
    ``citizenship_threshold`` (tier 1), if one of them is undated or their year halves stay
    below ``years_agree`` (years differ), and ``rare_name`` holds for both (without it, there
    is no second tier).
    Enumerated block by block in chunks, so memory stays bounded by ``chunk_pairs`` whatever
    the blocks hold."""
    alive, has_clk = arrays["alive"], arrays["has_clk"]
    if rare_name is None:
        rare_name = np.zeros(len(alive), dtype=bool)
    usable = alive[arrays["block_record"]] & has_clk[arrays["block_record"]]
    record, block = arrays["block_record"][usable], arrays["block_id"][usable]
    unit_size = np.bincount(units[alive], minlength=len(units))
    order, starts, sizes = group_members(block)
    members = record[order]
    group = np.repeat(np.arange(len(starts)), sizes)
    anchor = np.flatnonzero((unit_size[units[members]] == 1) & (sizes[group] > 1) & (sizes[group] <= max_block_size))
    count = sizes[group[anchor]]
    ends = np.cumsum(count)
    found = []
    first = 0
    while first < len(anchor):
        last = max(int(np.searchsorted(ends, ends[first] - count[first] + chunk_pairs, side="right")), first + 1)
        these, these_count = anchor[first:last], count[first:last]
        left = np.repeat(members[these], these_count)
        offsets = np.arange(these_count.sum()) - np.repeat(np.cumsum(these_count) - these_count, these_count)
        right = members[np.repeat(starts[group[these]], these_count) + offsets]
        same_partner = arrays["partner"][left] == arrays["partner"][right]
        keep = units[left] != units[right]
        left, right, same_partner = left[keep], right[keep], same_partner[keep]
        year = dice_of_pairs(arrays["year_clk"], arrays["year_clk_count"], left, right)
        citizenship = dice_of_pairs(arrays["citizenship_clk"], arrays["citizenship_clk_count"], left, right)
        first_tier = year >= threshold
        dated = arrays["year_clk_count"][left] > 0, arrays["year_clk_count"][right] > 0
        # The second tier is for a year that is mistyped or missing on one side: when both
        # records are dated and their year halves look alike, the years agree and the first
        # tier has decided. Two undated records never meet here (names alone, no date).
        rare = rare_name[left] & rare_name[right]
        years_apart = dated[0] & dated[1] & (year < years_agree) & (citizenship >= citizenship_threshold)
        # One record undated: its filter (names, perhaps a year) should lie within the other's.
        one_dated = dated[0] != dated[1]
        held = np.zeros(len(left), dtype=np.float32)
        held[one_dated] = containment_of_pairs(
            arrays["citizenship_clk"], arrays["citizenship_clk_count"], left[one_dated], right[one_dated]
        )
        one_undated = one_dated & (held >= containment_threshold)
        second_tier = rare & ~first_tier & (years_apart | one_undated)
        # Pairs of one partner are kept for the second tier only: they are its namesakes, which
        # measure whether its evidence can be trusted (privacy.linkage.namesakes).
        above = (first_tier & ~same_partner) | second_tier
        scores = np.where(first_tier, year, np.where(one_dated, held, citizenship))[above]
        tiers = (~first_tier[above]).astype(np.int8)
        found.append((
            np.minimum(left, right)[above], np.maximum(left, right)[above], scores, tiers, same_partner[above],
        ))
        first = last
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int8), np.zeros(0, dtype=bool)
    low, high, scores, tiers, same = (np.concatenate(parts) for parts in zip(*found))
    _, unique = np.unique(low * np.int64(len(units)) + high, return_index=True)
    return low[unique], high[unique], scores[unique], tiers[unique], same[unique]


def link_by_clks(
    arrays: dict, units: np.ndarray, rank_of_record: np.ndarray, trust_second_tier=None, weak_pairs=None,
    **candidates,
) -> np.ndarray:
    """Person label of every record after stage two (a stage-one unit label), among the pairs
    :func:`scored_candidates` finds under ``candidates`` (its keyword arguments) and the
    ``weak_pairs`` (left and right records) stage one leaves to it.

    ``trust_second_tier(left, right, same_partner)`` gives, for the second tier's pairs, which
    may link (:mod:`privacy.linkage.namesakes`); without it, none does.
    """
    left, right, scores, tiers, same_partner = scored_candidates(arrays, units, **candidates)
    second = tiers == 1
    trusted = np.zeros(len(left), dtype=bool)
    if trust_second_tier is not None and second.any():
        trusted[second] = trust_second_tier(left[second], right[second], same_partner[second])
    keep = ~same_partner & (~second | trusted)
    # Tiers in the order of acceptance: CLK first tier 0, weak pairs 1, CLK second tier 2.
    left, right, scores, tiers = left[keep], right[keep], scores[keep], tiers[keep] * 2
    if weak_pairs is not None and len(weak_pairs[0]):
        left, right = np.concatenate([left, weak_pairs[0]]), np.concatenate([right, weak_pairs[1]])
        scores = np.concatenate([scores, np.ones(len(weak_pairs[0]), dtype=scores.dtype)])
        tiers = np.concatenate([tiers, np.ones(len(weak_pairs[0]), dtype=tiers.dtype)])
    if len(left) == 0:
        return units
    low_rank = np.minimum(rank_of_record[left], rank_of_record[right])
    high_rank = np.maximum(rank_of_record[left], rank_of_record[right])
    order = np.lexsort((high_rank, low_rank, -scores, tiers))
    touched = np.unique(np.concatenate([units[left], units[right]]))
    in_touched = np.flatnonzero(np.isin(units, touched) & arrays["alive"])
    partners_of: dict[int, int] = {}
    for unit, partner in zip(units[in_touched].tolist(), arrays["partner"][in_touched].tolist()):
        partners_of[unit] = partners_of.get(unit, 0) | (1 << partner)
    parent = {unit: unit for unit in partners_of}

    def find(unit: int) -> int:
        while parent[unit] != unit:
            parent[unit] = parent[parent[unit]]
            unit = parent[unit]
        return unit

    for a, b in zip(units[left[order]].tolist(), units[right[order]].tolist()):
        root_a, root_b = find(a), find(b)
        if root_a != root_b and not partners_of[root_a] & partners_of[root_b]:
            root, child = min(root_a, root_b), max(root_a, root_b)
            parent[child] = root
            partners_of[root] |= partners_of.pop(child)
    persons = units.copy()
    roots = np.array([find(unit) for unit in units[in_touched].tolist()], dtype=np.int64)
    persons[in_touched] = roots
    return persons
