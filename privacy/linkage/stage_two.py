"""Stage two: records stage one left alone are compared by CLK within blocks.

A record that stage one left as a unit of its own (a singleton) is compared with every record of
another partner and another unit that shares one of its blocking tokens; a pair whose Dice
similarity reaches the threshold is a candidate. Candidates are accepted greedily, best score
first, and an accepted pair merges the two units only if they hold no partner in common: each
record is thus matched to at most one record of each other partner (one-to-one per pair of
partners), and fuzzy evidence never merges two records of one partner. Ties are broken by the
records' keys, so the outcome does not depend on arrival order.
"""

from __future__ import annotations

import numpy as np

from privacy.linkage.components import group_members
from privacy.linkage.dice import dice_of_pairs


def scored_candidates(
    arrays: dict, units: np.ndarray, threshold: float, max_block_size: int, chunk_pairs: int = 1 << 21
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs ``(left, right, score)`` at or above the threshold: a singleton unit and a record of
    another partner and another unit sharing a block. Enumerated block by block in chunks, so
    memory stays bounded by ``chunk_pairs`` whatever the blocks hold."""
    alive, has_clk = arrays["alive"], arrays["has_clk"]
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
        keep = (arrays["partner"][left] != arrays["partner"][right]) & (units[left] != units[right])
        left, right = left[keep], right[keep]
        scores = dice_of_pairs(arrays["clk"], arrays["clk_count"], left, right)
        above = scores >= threshold
        found.append((np.minimum(left, right)[above], np.maximum(left, right)[above], scores[above]))
        first = last
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    low, high, scores = (np.concatenate(parts) for parts in zip(*found))
    _, unique = np.unique(low * np.int64(len(units)) + high, return_index=True)
    return low[unique], high[unique], scores[unique]


def link_by_clks(
    arrays: dict, units: np.ndarray, rank_of_record: np.ndarray, threshold: float, max_block_size: int
) -> np.ndarray:
    """Person label of every record after stage two (a stage-one unit label)."""
    left, right, scores = scored_candidates(arrays, units, threshold, max_block_size)
    if len(left) == 0:
        return units
    low_rank = np.minimum(rank_of_record[left], rank_of_record[right])
    high_rank = np.maximum(rank_of_record[left], rank_of_record[right])
    order = np.lexsort((high_rank, low_rank, -scores))
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
