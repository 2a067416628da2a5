"""Clustering takes only contested groups link by link: the result is the plain greedy rule's."""

from __future__ import annotations

import numpy as np

from privacy.linkage.clusters import cluster, connected


def _greedy(count, left, right, weight, sex, conflicts, same_case, weighed=None):
    """The rule read literally: cases joined first, then links strongest first (ties by records),
    each unless the joined cluster would hold both sexes or a conflicting pair, or the pairs
    compared between the two clusters weigh less than zero on average."""
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
        if weighed is not None:
            # A pair weighed twice counts once, with its last weight.
            weights = {frozenset((a, b)): value for a, b, value in zip(*(side.tolist() for side in weighed)) if a != b}
            between = [value for pair, value in weights.items()
                       if {cluster_of[record] for record in pair} == {one, other}]
            if between and sum(between) / len(between) < 0:
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
        # With every link weighed and other pairs compared, some against.
        one, other = rng.integers(0, count, (2, int(rng.integers(0, 30))))
        apart = one != other
        weighed = (np.concatenate([left, one[apart]]), np.concatenate([right, other[apart]]),
                   np.concatenate([weight, rng.choice([-9.0, -2.0, -0.5], int(apart.sum()))]))
        found = cluster(count, left, right, weight, sex, conflicts, same_case, weighed=weighed)
        assert found.tolist() == _greedy(count, left, right, weight, sex, conflicts, same_case, weighed)


def test_a_weak_link_to_one_record_does_not_join_a_person_whose_other_records_say_another():
    # 0 and 1 are one person (a strong link); 2 links weakly to 0, which lacks a family name, but
    # 1 holds the family name and 2 differs from it: on average, the pairs say two people.
    left, right, weight = np.array([0, 0]), np.array([1, 2]), np.array([20.0, 0.1])
    sex, none = np.zeros(3, int), (np.array([], int), np.array([], int))
    weighed = (np.array([0, 0, 1]), np.array([1, 2, 2]), np.array([20.0, 0.1, -12.0]))
    assert cluster(3, left, right, weight, sex, none, weighed=weighed).tolist() == [0, 0, 2]
    # A third record that the others agree with joins.
    agreeing = (np.array([0, 0, 1]), np.array([1, 2, 2]), np.array([20.0, 0.1, 3.0]))
    assert cluster(3, left, right, weight, sex, none, weighed=agreeing).tolist() == [0, 0, 0]


def test_connected_labels_each_record_with_the_lowest_of_its_group():
    chain = np.arange(999)
    assert connected(1000, chain[::-1] + 1, chain[::-1]).tolist() == [0] * 1000
