"""Persons from scored pairs: the strongest links first, never joining what cannot be one person.

Pairs whose match probability reaches the threshold are links. They are taken strongest first
(by match weight, ties by record index), and each joins the two records' clusters unless the
joined cluster would hold both sexes, or two records known to disagree outright: two different
documents, or two dates of birth (or ages) far apart; or unless the pairs compared between the two
clusters weigh less, on average, than a link must (average linkage): a weak link to a record that
lacks a family name does not bring in a second person born that day when the person's other
records differ from hers on both names. That is the guard against chaining: a run of links, each
plausible, that would end in joining two different people, is cut at its weakest link (the one
taken last). Two versions of one partner's case are one person whatever their encodings say, and
are joined first.

Most groups of linked records hold no conflict, one sex and no compared pair below a link's
weight: each is one person, whatever the order of its links. Only the others, the contested
groups, are taken link by link.
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


_NONE = (np.array([], int), np.array([], int))


def cluster(
    record_count: int,
    left: np.ndarray,
    right: np.ndarray,
    weight: np.ndarray,
    sex: np.ndarray,
    conflicts: tuple[np.ndarray, np.ndarray],
    same_case: tuple[np.ndarray, np.ndarray] = _NONE,
    weighed: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    link_weight: float = 0.0,
) -> np.ndarray:
    """For each of ``record_count`` records, a cluster label (equal labels: one person).

    ``left``, ``right``, ``weight``: the links and their match weights; ``sex``: 0 unknown, 1
    female, 2 male per record; ``conflicts``: pairs of records that must never share a cluster;
    ``same_case``: pairs joined before any link; ``weighed``: (left, right, weight) of every pair
    compared between records (links included), and ``link_weight`` the weight a link needs: two
    clusters are joined only if the pairs compared between them weigh ``link_weight`` or more on
    average (a link to one record is not enough when its cluster's other records say "another
    person").

    >>> labels = cluster(4, np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([9.0, 3.0, 8.0]),
    ...                  np.array([1, 0, 2, 2]), (np.array([], int), np.array([], int)))
    >>> labels.tolist()  # 1-2 would join a woman's cluster and a man's: the weakest link is cut
    [0, 0, 2, 2]
    """
    group = connected(record_count, np.concatenate([left, same_case[0]]), np.concatenate([right, same_case[1]]))
    apart_one, apart_other = conflicts
    inside = group[apart_one] == group[apart_other]
    apart_one, apart_other = apart_one[inside], apart_other[inside]
    sexes = np.zeros(record_count, dtype=np.uint8)
    np.bitwise_or.at(sexes, group, ((1 << sex.astype(np.int64)) >> 1).astype(np.uint8))
    contested = sexes == 3
    contested[group[apart_one]] = True
    against: dict[int, dict[int, float]] = {}
    if weighed is not None:
        one_of, other_of, weights = weighed
        inside = (group[one_of] == group[other_of]) & (one_of != other_of)
        contested[group[one_of[inside & (weights < link_weight)]]] = True
        # The weights of the compared pairs of contested groups, by record, both ways round.
        kept = inside & contested[group[one_of]]
        for one, other, value in zip(one_of[kept].tolist(), other_of[kept].tolist(), weights[kept].tolist()):
            against.setdefault(one, {})[other] = value
            against.setdefault(other, {})[one] = value
    labels = group.copy()
    # The links and cases of contested groups, taken one by one.
    taken = contested[group[left]]
    taken_case = contested[group[same_case[0]]]
    clusters = _Clusters(record_count, sex)
    cannot: dict[int, list[int]] = {}
    for one, other in zip(apart_one.tolist(), apart_other.tolist()):
        cannot.setdefault(one, []).append(other)
        cannot.setdefault(other, []).append(one)
    for one, other in zip(same_case[0][taken_case].tolist(), same_case[1][taken_case].tolist()):
        first, second = clusters.find(one), clusters.find(other)
        if first != second:
            clusters.join(first, second)
    left, right, weight = left[taken], right[taken], weight[taken]
    order = np.lexsort((right, left, -weight))
    for one, other in zip(left[order].tolist(), right[order].tolist()):
        first, second = clusters.find(one), clusters.find(other)
        if first == second or clusters.sexes[first] | clusters.sexes[second] == 3:
            continue
        smaller, larger = sorted((first, second), key=lambda root: len(clusters.root_members(root)))
        if any(clusters.find(known) == larger for member in clusters.root_members(smaller)
               for known in cannot.get(member, ())):
            continue
        if against and _mean_between(clusters, smaller, larger, against) < link_weight:
            continue
        clusters.join(first, second)
    # A contested group's records are their own person unless a link joined them.
    in_contested = np.flatnonzero(contested[group])
    labels[in_contested] = in_contested
    for members in clusters.members.values():
        labels[members] = min(members)
    return labels


def _mean_between(clusters: _Clusters, smaller: int, larger: int, against: dict[int, dict[int, float]]) -> float:
    """The mean weight of the compared pairs between two clusters (the link being weighed among them)."""
    total, count = 0.0, 0
    for member in clusters.root_members(smaller):
        for known, value in against.get(member, {}).items():
            if clusters.find(known) == larger:
                total += value
                count += 1
    return total / count if count else float("inf")


def connected(record_count: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """For each record, the lowest record joined to it through the edges ``left``-``right``.

    >>> connected(6, np.array([4, 1, 2]), np.array([2, 5, 4])).tolist()
    [0, 1, 2, 3, 2, 1]
    """
    label = np.arange(record_count)
    while len(left):
        one, other = label[left], label[right]
        if np.array_equal(one, other):
            break
        # Hook the higher of two roots to the lower, then point every record at its root.
        np.minimum.at(label, np.maximum(one, other), np.minimum(one, other))
        while not np.array_equal(following := label[label], label):
            label = following
    return label
