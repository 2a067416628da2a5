"""Persons from scored pairs: the strongest links first, never joining what cannot be one person.

Pairs whose match probability reaches the threshold are links. They are taken strongest first
(by match weight, ties by record index), and each joins the two records' clusters unless the
joined cluster would hold both sexes, or two records known to disagree outright: two different
documents, or two dates of birth (or ages) far apart. That is the guard against
chaining: a run of links, each plausible, that would end in joining two different people, is cut
at its weakest link (the one taken last). Two versions of one partner's case are one person
whatever their encodings say, and are joined first.
"""

from __future__ import annotations

import numpy as np


class _Clusters:
    """Union-find over record indices (lists, not dicts: a million finds a run), with the members
    and the sexes of each cluster that was ever joined."""

    def __init__(self, record_count: int, sex: np.ndarray):
        self.parent = list(range(record_count))
        # A bit per sex (1 female, 2 male), so that a cluster with both holds 3.
        self.sexes = ((1 << sex.astype(np.int64)) >> 1).tolist()
        self.members: dict[int, list[int]] = {}

    def find(self, record: int) -> int:
        parent = self.parent
        while parent[record] != record:
            parent[record] = parent[parent[record]]  # path halving
            record = parent[record]
        return record

    def root_members(self, root: int) -> list[int]:
        return self.members.get(root) or [root]

    def join(self, one: int, other: int) -> None:
        if len(self.root_members(one)) < len(self.root_members(other)):
            one, other = other, one
        self.parent[other] = one
        self.members.setdefault(one, [one]).extend(self.members.pop(other, [other]))
        self.sexes[one] |= self.sexes[other]


def cluster(
    record_count: int,
    left: np.ndarray,
    right: np.ndarray,
    weight: np.ndarray,
    sex: np.ndarray,
    conflicts: tuple[np.ndarray, np.ndarray],
    same_case: tuple[np.ndarray, np.ndarray] = (np.array([], int), np.array([], int)),
) -> np.ndarray:
    """For each of ``record_count`` records, a cluster label (equal labels: one person).

    ``left``, ``right``, ``weight``: the links and their match weights; ``sex``: 0 unknown, 1
    female, 2 male per record; ``conflicts``: pairs of records that must never share a cluster;
    ``same_case``: pairs joined before any link.

    >>> labels = cluster(4, np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([9.0, 3.0, 8.0]),
    ...                  np.array([1, 0, 2, 2]), (np.array([], int), np.array([], int)))
    >>> labels.tolist()  # 1-2 would join a woman's cluster and a man's: the weakest link is cut
    [0, 0, 2, 2]
    """
    clusters = _Clusters(record_count, sex)
    cannot: dict[int, list[int]] = {}
    for one, other in zip(*(side.tolist() for side in conflicts)):
        cannot.setdefault(one, []).append(other)
        cannot.setdefault(other, []).append(one)
    for one, other in zip(*(side.tolist() for side in same_case)):
        first, second = clusters.find(one), clusters.find(other)
        if first != second:
            clusters.join(first, second)
    order = np.lexsort((right, left, -weight))
    for one, other in zip(left[order].tolist(), right[order].tolist()):
        first, second = clusters.find(one), clusters.find(other)
        if first == second or clusters.sexes[first] | clusters.sexes[second] == 3:
            continue
        smaller, larger = sorted((first, second), key=lambda root: len(clusters.root_members(root)))
        if any(clusters.find(known) == larger for member in clusters.root_members(smaller)
               for known in cannot.get(member, ())):
            continue
        clusters.join(first, second)
    labels = np.arange(record_count)
    for root, members in clusters.members.items():
        labels[members] = min(members)
    return labels
