"""Connected components of records joined through shared values, vectorised with numpy."""

from __future__ import annotations

import numpy as np


def group_members(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort order, group starts and group sizes of equal ``values``."""
    order = np.argsort(values, kind="stable")
    starts = np.flatnonzero(run_starts(values[order]))
    sizes = np.diff(np.append(starts, len(order)))
    return order, starts, sizes


def run_starts(ordered: np.ndarray) -> np.ndarray:
    """For values in sorted order, whether each begins a run of equal values.

    >>> run_starts(np.array([3, 3, 5, 7, 7])).tolist()
    [True, False, True, True, False]
    """
    starts = np.ones(len(ordered), dtype=bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    return starts


def distinct_rows(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first index of each distinct row of ``columns`` (in the rows' sorted order) and, for
    every row, the number of its distinct row: ``np.unique(..., axis=1)`` at the speed of a
    ``lexsort``.

    >>> first, inverse = distinct_rows(np.array([2, 1, 2, 1]), np.array([5, 6, 5, 7]))
    >>> first.tolist(), inverse.tolist()
    ([1, 3, 0], [2, 0, 2, 1])
    """
    order = np.lexsort(columns[::-1])
    boundary = np.zeros(len(order), dtype=bool)
    for column in columns:
        boundary |= run_starts(column[order])
    inverse = np.empty(len(order), dtype=np.int64)
    inverse[order] = np.cumsum(boundary) - 1
    return order[boundary], inverse


def components(record_count: int, records: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """For each record, the smallest record index of its component.

    Records are joined when they share a group value (``records[i]`` is in group ``groups[i]``).
    Minimum-label propagation through the groups, with pointer jumping between rounds.

    >>> components(5, np.array([0, 1, 1, 3, 4]), np.array([7, 7, 9, 9, 2])).tolist()
    [0, 0, 2, 0, 4]
    """
    labels = np.arange(record_count, dtype=np.int64)
    if len(records) == 0:
        return labels
    order, starts, _ = group_members(groups)
    members = records[order]
    while True:
        group_min = np.minimum.reduceat(labels[members], starts)
        spread = np.repeat(group_min, np.diff(np.append(starts, len(members))))
        updated = labels.copy()
        np.minimum.at(updated, members, spread)
        while True:  # pointer jumping: follow labels to their own labels
            jumped = updated[updated]
            if np.array_equal(jumped, updated):
                break
            updated = jumped
        if np.array_equal(updated, labels):
            return labels
        labels = updated
