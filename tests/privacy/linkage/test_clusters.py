"""Clustering takes only contested groups link by link: the result is the plain greedy rule's."""

from __future__ import annotations

import numpy as np

from privacy.linkage.clusters import cluster, connected


def _greedy(count, left, right, weight, sex, conflicts, same_case):
    """The rule read literally: cases joined first, then links strongest first (ties by records),
    each unless the joined cluster would hold both sexes or a conflicting pair."""
    cluster_of = list(range(count))

    def members(label):
        return [record for record in range(count) if cluster_of[record] == label]

    def join(one, other):
        low, high = sorted((cluster_of[one], cluster_of[other]))
        for record in members(high):
            cluster_of[record] = low

    for one, other in zip(*same_case):
        join(one, other)
    apart = {frozenset(pair) for pair in zip(*(side.tolist() for side in conflicts))}
    for index in np.lexsort((right, left, -weight)).tolist():
        one, other = cluster_of[left[index]], cluster_of[right[index]]
        if one == other:
            continue
        joined = members(one) + members(other)
        if {int(sex[record]) for record in joined} >= {1, 2}:
            continue
        if any(frozenset((a, b)) in apart for a in members(one) for b in members(other)):
            continue
        join(left[index], right[index])
    return [min(members(cluster_of[record])) for record in range(count)]


def test_clusters_equal_the_greedy_rule_on_random_graphs():
    rng = np.random.default_rng(7)
    for _ in range(200):
        count = int(rng.integers(2, 40))
        left, right = rng.integers(0, count, (2, int(rng.integers(0, 60))))
        keep = left != right
        left, right = np.minimum(left, right)[keep], np.maximum(left, right)[keep]
        weight = rng.choice([1.0, 2.0, 3.0, 5.0], len(left))
        sex = rng.integers(0, 3, count)
        conflicts = tuple(rng.integers(0, count, (2, int(rng.integers(0, 20)))))
        same_case = tuple(rng.integers(0, count, (2, int(rng.integers(0, 4)))))
        found = cluster(count, left, right, weight, sex, conflicts, same_case)
        assert found.tolist() == _greedy(count, left, right, weight, sex, conflicts, same_case)


def test_connected_labels_each_record_with_the_lowest_of_its_group():
    chain = np.arange(999)
    assert connected(1000, chain[::-1] + 1, chain[::-1]).tolist() == [0] * 1000
