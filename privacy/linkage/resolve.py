"""Resolution of linkage records into persons: the hub's entry point.

Records sharing a block are compared field by field (:mod:`privacy.linkage.pairs`), each pair's
comparison levels are weighed by a Fellegi-Sunter model fitted to the candidate pairs without
labels (:mod:`privacy.linkage.model`), pairs whose match probability reaches the threshold are
links, and links make persons, strongest first, never joining two sexes, two documents or two
dates of birth (or ages) far apart, nor two groups of records whose pairs, on average, say two
people (:mod:`privacy.linkage.clusters`).

Threshold rule: a pair is a link when it is more likely a match than not (probability 0.5, the
decision that minimises the expected number of wrongly judged pairs when a false link and a
missed link cost the same). Fixed a priori, never tuned on the data the hub reports.

Privacy claim: resolution sees only re-keyed block tokens, salted feature tokens and coarse
attributes (sex, citizenship), never an identifier; its output is which records are one person.
That output, the scores and the model's quality estimate are counts and memberships internal to
the hub: what leaves is a differentially private aggregate over the persons. A person the linkage
failed to join is counted (and protected) as two.

Incremental use: the result depends only on the set of records and the model, never on the order
they came in (ties are broken by record key). :meth:`Resolver.resolve` with ``focus`` clusters
only the focus records, and names the records outside the focus that a link reaches: once the
focus holds every record its links reach, its persons are exactly those of a full resolution.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass

import numpy as np

from privacy.encodings import Feature
from privacy.linkage.agreements import pairs_in_runs, run_starts
from privacy.linkage.clusters import cluster, connected
from privacy.linkage.model import (
    DIFFERENT,
    FIELDS,
    MatchModel,
    comparison_levels,
    fit_model,
    match_probability,
)
from privacy.linkage.pairs import DEFAULT_MAX_BLOCK_SIZE, candidate_pairs, compare_pairs
from privacy.linkage.records import LinkageRecord, RecordStore, has_kind
from privacy.random_pairs import LevelCounts

DEFAULT_THRESHOLD = 0.5
# A group of records joined by links is compared pair by pair for conflicts up to this size (a
# larger one, a chain through common names, keeps the conflicts of its candidate pairs only).
GROUP_COMPARED_AT_MOST = 2_000
_SEX, _DOCUMENT, _DATE = FIELDS.index("sex"), FIELDS.index("document"), FIELDS.index("date_of_birth")


@dataclass(frozen=True)
class LinkageSettings:
    """The knobs of resolution: the match probability a link needs, and the largest block compared."""

    threshold: float = DEFAULT_THRESHOLD
    max_block_size: int = DEFAULT_MAX_BLOCK_SIZE

    @property
    def link_weight(self) -> float:
        """The match weight (bits) at which a pair's probability reaches the threshold."""
        return float(np.log2(self.threshold / (1 - self.threshold)))

    def links_and_conflicts(self, levels: np.ndarray, probability: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which compared pairs are links, and which may never share a cluster. Never one person:
        two sexes, two documents. Never in one cluster unless their own pair is a link: two dates
        of birth (or ages) far apart, more than one mistyped digit apart."""
        forbidden = (levels[:, _SEX] == DIFFERENT) | (levels[:, _DOCUMENT] == DIFFERENT)
        link = (probability >= self.threshold) & ~forbidden
        return link, forbidden | ((levels[:, _DATE] == DIFFERENT) & ~link)


@dataclass(frozen=True)
class Quality:
    """The model's own estimate of its errors, from the match probabilities of the candidate pairs
    (no ground truth): counts of pairs and persons only.

    ``expected_precision``: the mean match probability of the compared pairs joined in one person;
    ``expected_split_share``: for every two persons with compared pairs between them, the
    probability of the likeliest, summed, per person: the expected share of persons that are one
    person with another (split); ``expected_merge_share``: for every person, one minus the
    probability of its least likely pair, summed, per person: the expected share of persons that
    hold two people (merged); ``expected_recall``: the expected true pairs joined over those and the
    expected missed joins. True pairs that share no block are not counted: recall is an upper bound.
    """

    pairs: int
    links: int
    expected_precision: float
    expected_recall: float
    expected_split_share: float
    expected_merge_share: float

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class Resolution:
    """Persons (frozensets of record keys) of the records resolved, and what the run learned."""

    persons: list[frozenset]
    model: MatchModel
    quality: Quality
    reached: frozenset  # keys outside the focus that a link of a focus record reaches


class Resolver:
    """Records in, persons out; records can be added and removed between resolutions.

    ``model``: a model fitted on the whole population (as the hub stores it), used as it is; without
    one, each resolution fits a model on its own candidate pairs, with ``u`` from ``random_levels``
    (the partners' random pairs, :mod:`privacy.random_pairs`).
    """

    def __init__(self, model: MatchModel | None = None, settings: LinkageSettings | None = None,
                 random_levels: LevelCounts | None = None):
        self.model = model
        self.random_levels = random_levels
        self.settings = settings or LinkageSettings()
        self._store = RecordStore()
        self._persons: list[frozenset] | None = None

    def __len__(self) -> int:
        return len(self._store.index_of)

    def add(self, records: Iterable[LinkageRecord]) -> None:
        """Add records (a new submission); a key already present is refused."""
        self._store.add(records)
        self._persons = None

    def remove(self, keys: Iterable[Hashable]) -> None:
        """Remove records by key (a withdrawn or replaced submission); unknown keys are ignored."""
        self._store.remove(keys)
        self._persons = None

    def resolve(self, focus: Collection[Hashable] | None = None) -> Resolution:
        """The persons of the ``focus`` records (all live records by default)."""
        arrays = self._store.arrays()
        keys = self._store.keys
        pairs = candidate_pairs(arrays, self.settings.max_block_size)
        levels = comparison_levels(arrays, pairs)
        model = self.model or self._fit(arrays, levels, pairs, self.random_levels)
        weight = model.match_weight(levels, pairs.namesakes, int(arrays.alive.sum()), pairs.unseen_namesakes)
        probability = match_probability(weight)
        in_focus = arrays.alive.copy()
        if focus is not None:
            in_focus[:] = False
            in_focus[[self._store.index_of[key] for key in focus]] = True
        touches = in_focus[pairs.left] | in_focus[pairs.right]
        within = in_focus[pairs.left] & in_focus[pairs.right]
        link, conflict = self.settings.links_and_conflicts(levels, probability)
        reached = np.concatenate([pairs.right[link & touches & ~in_focus[pairs.right]],
                                  pairs.left[link & touches & ~in_focus[pairs.left]]])
        # Links in order of record keys, so that ties fall the same whatever the arrival order.
        rank = np.empty(len(keys), dtype=np.int64)
        live = np.flatnonzero(arrays.alive)
        rank[sorted(live.tolist(), key=keys.__getitem__)] = np.arange(len(live))  # a third of numpy's object sort
        chosen = link & within
        same_case = self._same_case(arrays, in_focus)
        # Only records that some link or case joins can end in a cluster with another: the
        # conflicts of the others can never be tested (most candidate pairs are two people).
        joinable = np.zeros(len(keys), dtype=bool)
        joinable[np.concatenate([pairs.left[chosen], pairs.right[chosen], *same_case])] = True
        weighed = within & joinable[pairs.left] & joinable[pairs.right]
        kept = conflict & weighed
        grouped_left, grouped_right, grouped_weight, grouped_conflict = self._pairs_within_groups(
            arrays, model, pairs, chosen, same_case)
        apart_left = np.concatenate([pairs.left[kept], grouped_left[grouped_conflict]])
        apart_right = np.concatenate([pairs.right[kept], grouped_right[grouped_conflict]])
        weighed_left = rank[np.concatenate([pairs.left[weighed], grouped_left])]
        weighed_right = rank[np.concatenate([pairs.right[weighed], grouped_right])]
        weighed_weight = np.concatenate([weight[weighed], grouped_weight])
        labels = cluster(
            len(keys), rank[pairs.left[chosen]], rank[pairs.right[chosen]], weight[chosen],
            sex=_by_rank(arrays.sex, rank, live),
            conflicts=(rank[apart_left], rank[apart_right]),
            same_case=(rank[same_case[0]], rank[same_case[1]]),
            weighed=(weighed_left, weighed_right, weighed_weight),
            link_weight=self.settings.link_weight,
        )
        members = np.flatnonzero(in_focus)
        grouped: dict[int, list] = {}
        for index, label in zip(members.tolist(), labels[rank[members]].tolist()):
            grouped.setdefault(label, []).append(keys[index])
        persons = [frozenset(group) for group in grouped.values()]
        quality = _quality(probability[within], labels[rank[pairs.left[within]]], labels[rank[pairs.right[within]]],
                           len(persons))
        return Resolution(persons, model, quality, frozenset(keys[i] for i in np.unique(reached).tolist()))

    def persons(self) -> list[frozenset]:
        """The persons of all live records, each the frozenset of its records' keys."""
        if self._persons is None:
            self._persons = self.resolve().persons
        return self._persons

    def _pairs_within_groups(self, arrays, model: MatchModel, pairs, chosen, same_case) -> tuple[np.ndarray, ...]:
        """Every pair of records that links (or cases) put in one group, compared: left, right,
        match weight and whether it is a conflict. A large block compares only some of its pairs
        (privacy.linkage.pairs), and two namesakes born decades apart must still never end in one
        person through others."""
        group = connected(len(arrays.alive), np.concatenate([pairs.left[chosen], same_case[0]]),
                          np.concatenate([pairs.right[chosen], same_case[1]]))
        grouped = np.flatnonzero(np.bincount(group, minlength=len(group))[group] > 1)
        order, one, other = pairs_in_runs(group[grouped], GROUP_COMPARED_AT_MOST)
        left, right = grouped[order[one]], grouped[order[other]]
        compared = compare_pairs(arrays, np.minimum(left, right), np.maximum(left, right), self.settings.max_block_size,
                                 pairs.holders)
        levels = comparison_levels(arrays, compared)
        weight = model.match_weight(levels, compared.namesakes, int(arrays.alive.sum()), compared.unseen_namesakes)
        _, conflict = self.settings.links_and_conflicts(levels, match_probability(weight))
        return compared.left.astype(np.int64), compared.right.astype(np.int64), weight, conflict

    @staticmethod
    def _fit(arrays, levels, pairs, random_levels: LevelCounts | None) -> MatchModel:
        if random_levels is None:
            raise ValueError("fitting a model needs the partners' random-pair level counts")
        live = arrays.alive
        dated = has_kind(arrays.kinds[live], Feature.DOB_EXACT)
        return fit_model(levels, pairs.blocks, random_levels.levels, int(live.sum()),
                         float(dated.mean()) if len(dated) else 0.0, date_sample=pairs.date_sample,
                         date_sample_share=pairs.date_sample_share)

    @staticmethod
    def _same_case(arrays, in_focus) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (first record, other) of focus records that are versions of one partner's case."""
        records = np.flatnonzero(in_focus & (arrays.case >= 0))
        order = records[np.argsort(arrays.case[records], kind="stable")]
        cases = arrays.case[order]
        follows = np.flatnonzero(cases[1:] == cases[:-1]) + 1
        return order[follows - 1], order[follows]


def _by_rank(column: np.ndarray, rank: np.ndarray, live: np.ndarray) -> np.ndarray:
    ranked = np.zeros(len(column), dtype=column.dtype)
    ranked[rank[live]] = column[live]
    return ranked


def _quality(probability: np.ndarray, left_label: np.ndarray, right_label: np.ndarray, persons: int) -> Quality:
    """The model's estimate of its errors over the pairs compared (``probability``, with the
    persons of their two records as labels)."""
    joined = left_label == right_label
    links = int(joined.sum())
    joined_true = float(probability[joined].sum())
    # A missed join of two persons: the likeliest pair between them (one pair per two persons).
    apart = ~joined
    missed = _reduced(np.minimum(left_label, right_label)[apart] * (len(probability) + persons + 1)
                      + np.maximum(left_label, right_label)[apart], probability[apart], np.maximum)
    # A wrong join within a person: its least likely pair.
    wrong = 1 - _reduced(left_label[joined], probability[joined], np.minimum)
    return Quality(
        pairs=len(probability), links=links,
        expected_precision=round(joined_true / links, 4) if links else 1.0,
        expected_recall=round(joined_true / (joined_true + float(missed.sum())), 4) if joined_true else 1.0,
        expected_split_share=round(float(missed.sum()) / persons, 4) if persons else 0.0,
        expected_merge_share=round(float(wrong.sum()) / persons, 4) if persons else 0.0,
    )


def _reduced(groups: np.ndarray, values: np.ndarray, reduce) -> np.ndarray:
    """``reduce`` (np.maximum or np.minimum) of ``values`` within each of the distinct ``groups``."""
    if len(groups) == 0:
        return np.zeros(0)
    order = np.argsort(groups)
    starts = np.flatnonzero(run_starts(groups[order]))
    return reduce.reduceat(values[order], starts)


def resolve(records: Iterable[LinkageRecord], random_levels: LevelCounts | None = None,
            settings: LinkageSettings | None = None, model: MatchModel | None = None) -> list[frozenset]:
    """Batch resolution: the persons of ``records`` (see :class:`Resolver`)."""
    resolver = Resolver(model, settings, random_levels)
    resolver.add(records)
    return resolver.persons()
