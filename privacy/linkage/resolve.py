"""Resolution of linkage records into persons: the hub's entry point.

Privacy claim: resolution sees only keyed tokens, blocking tokens and CLKs (all re-keyed or
permuted by the hub), never an identifier; its output is which records are one person. That
output, the tokens and the similarity scores are internal to the hub: what leaves is a
differentially private aggregate over the persons. The persons are only as good as the linkage:
a person the linkage failed to join is counted (and protected) as two.

Incremental use: a :class:`Resolver` holds the records it was given, indexed by token, block and
CLK; :meth:`Resolver.add` and :meth:`Resolver.remove` change that state and
:meth:`Resolver.persons` resolves it. The result depends only on the set of live records, never on
the order or batches they came in (ties are broken by record key), so adding a submission, or
replacing one (remove its records, add the new ones), gives exactly the persons a batch run over
the same records gives. Tokenisation and the index of earlier records are not redone; the
clustering passes are vectorised and re-run over the index (seconds per million records).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass

import numpy as np

from privacy.linkage.namesakes import (
    DEFAULT_MIN_PRECISION,
    ClassCount,
    class_code,
    count_classes,
    describe,
    pair_ratio,
    relations,
)
from privacy.linkage.records import LinkageRecord, RecordStore
from privacy.linkage.stage_one import link_by_tokens, name_counts
from privacy.linkage.stage_two import link_by_clks
from privacy.tokens import EDIT_KEY_LABEL, EDIT_SLOT_LABELS, MATCH_KEY_LABELS, RARE_NAME_LABELS, YEAR_PAIR_LABELS

# The 99.5th percentile of Dice among strangers sharing a block in FEBRL3, rounded up: the rule of
# bench/linkage.py, which recomputes it and reports FEBRL4 at it.
DEFAULT_DICE_THRESHOLD = 0.66
# The same rule over the citizenship halves of strangers born in different years (the situation
# in which stage two consults that half).
DEFAULT_CITIZENSHIP_DICE_THRESHOLD = 0.60
# Year halves of different years are unrelated filters: the 99.5th percentile of their Dice in
# FEBRL3's blocks, rounded up. Above it, the two records were born in one year.
DEFAULT_YEARS_AGREE_DICE = 0.42
DEFAULT_CONTAINMENT_THRESHOLD = 0.85
DEFAULT_MAX_RECORDS_PER_TOKEN = 20
DEFAULT_MAX_BLOCK_SIZE = 1000
# A name is rare when only the two records a rare-name key would link hold it: fixed a priori as
# the strictest setting that lets such a key link at all.
DEFAULT_RARE_NAME_MAX_RECORDS = 2
# The label rank under which the second tier of CLK comparison is counted as a class of evidence.
SECOND_TIER = 1_000
# A person reported with an age by two partners and with a date by a third (the date perhaps by
# several partners, already one unit): fixed a priori.
DEFAULT_YEAR_PAIR_MAX_UNITS = 3


@dataclass(frozen=True)
class LinkageSettings:
    """The knobs of resolution.

    ``max_records_per_token``: a token shared by more live records is a placeholder and links
    nothing. ``dice_threshold``: the least Dice similarity of the year-salted halves of two CLKs
    to be a candidate match; ``citizenship_dice_threshold``: the same for the citizenship-salted
    halves, for pairs whose year halves fall short (a year mistyped or missing) and differ so
    much that the years differ (below ``years_agree_dice``), or one of which is undated, and
    whose names are both rare (see ``rare_name_max_records``).
    ``max_block_size``: a block with more records is not compared within (a coarse value so
    common that comparing all its pairs would cost more than it finds). ``rare_labels``,
    ``name_label`` (full name and citizenship) and ``name_only_labels`` (its phonetic form): weak
    evidence, keys that namesakes share (no date, a partial date, no family name). Such a token
    links only the two records of two partners that hold it, and only when its class (label, how
    the two years of birth relate, whether the full name is rare: held by at most
    ``rare_name_max_records`` records) is one in which at most one pair in ten is expected to be
    namesakes (``min_namesake_precision``), as measured on the partners' own records
    (:mod:`privacy.linkage.namesakes`); the second tier of CLK comparison is judged the same way.
    ``year_label``: the name-and-year-of-birth key, which tells a dated record from an age.
    ``year_pair_labels``: a full name, citizenship and two adjacent years (for an age at
    registration meeting a date of birth, :mod:`privacy.tokens`); such a token links only when
    its records fall into at most ``year_pair_max_units`` units of the stronger keys, no two of
    them of one partner, and at most one unit has a year of birth (fixed a priori: an age, a
    date, and one more age or partner).
    """

    dice_threshold: float = DEFAULT_DICE_THRESHOLD
    citizenship_dice_threshold: float = DEFAULT_CITIZENSHIP_DICE_THRESHOLD
    years_agree_dice: float = DEFAULT_YEARS_AGREE_DICE
    containment_threshold: float = DEFAULT_CONTAINMENT_THRESHOLD
    max_records_per_token: int = DEFAULT_MAX_RECORDS_PER_TOKEN
    max_block_size: int = DEFAULT_MAX_BLOCK_SIZE
    label_order: tuple[str, ...] = MATCH_KEY_LABELS
    rare_labels: tuple[str, ...] = RARE_NAME_LABELS
    name_label: str = "sorted_name_citizenship"
    year_label: str = "sorted_name_year_citizenship"
    name_only_labels: tuple[str, ...] = ("phonetic_name_citizenship",)
    rare_name_max_records: int = DEFAULT_RARE_NAME_MAX_RECORDS
    year_pair_labels: tuple[str, ...] = YEAR_PAIR_LABELS
    year_pair_max_units: int = DEFAULT_YEAR_PAIR_MAX_UNITS
    min_namesake_precision: float = DEFAULT_MIN_PRECISION


class Resolver:
    """Records in, persons out; records can be added and removed between resolutions.

    >>> one, two = b"\\x01" * 32, b"\\x02" * 32
    >>> resolver = Resolver()
    >>> resolver.add([LinkageRecord("a-1", "A", {"name_dob": one}), LinkageRecord("b-7", "B", {"name_dob": one}),
    ...               LinkageRecord("c-3", "C", {"name_dob": two})])
    >>> sorted(sorted(person) for person in resolver.persons())
    [['a-1', 'b-7'], ['c-3']]
    >>> resolver.remove(["b-7"])
    >>> sorted(sorted(person) for person in resolver.persons())
    [['a-1'], ['c-3']]
    """

    def __init__(self, settings: LinkageSettings | None = None, trusted_classes: Collection[tuple] | None = None):
        self.settings = settings or LinkageSettings()
        # Without trusted classes, the resolver measures which classes of weak evidence to trust
        # on its own records (privacy.linkage.namesakes); with them (a calibration measured on a
        # whole population), it trusts those, as when resolving one neighbourhood of the hub.
        self.trusted_classes = None if trusted_classes is None else frozenset(map(tuple, trusted_classes))
        self._label_rank = {label: rank for rank, label in enumerate(self.settings.label_order)}
        # Upload labels: the slots of the edit key (privacy.tokens.key_label) rank as the key.
        self._upload_rank = self._label_rank | {
            slot: self._label_rank[EDIT_KEY_LABEL] for slot in EDIT_SLOT_LABELS if EDIT_KEY_LABEL in self._label_rank
        }
        self._store = RecordStore()
        self._persons: list[frozenset] | None = None
        self.evidence: dict[tuple[str, str, str], ClassCount] = {}

    def __len__(self) -> int:
        return len(self._store.index_of)

    def add(self, records: Iterable[LinkageRecord]) -> None:
        """Add records (a new submission); a key already present is refused."""
        self._store.add(records, self._upload_rank)
        self._persons = None

    def remove(self, keys: Iterable[Hashable]) -> None:
        """Remove records by key (a withdrawn or replaced submission); unknown keys are ignored."""
        self._store.remove(keys)
        self._persons = None

    def labels(self) -> tuple[list, np.ndarray]:
        """The live records' keys and, for each, a person label (equal labels: one person)."""
        arrays = self._store.arrays()
        live = np.flatnonzero(arrays["alive"])
        keys = self._store.keys
        rank_of_record = np.zeros(len(keys), dtype=np.int64)
        rank_of_record[live[np.argsort(np.array([keys[i] for i in live.tolist()], dtype=object))]] = np.arange(len(live))
        settings = self.settings
        weak_ranks = self._ranks((*settings.rare_labels, settings.name_label, *settings.name_only_labels))
        name_rank = self._label_rank.get(settings.name_label, -1)
        self.evidence = {}
        rare_name = name_counts(arrays, name_rank) <= settings.rare_name_max_records
        units, weak_pairs = link_by_tokens(
            arrays, rank_of_record,
            max_records_per_token=settings.max_records_per_token,
            weak_ranks=weak_ranks,
            trust_weak=lambda rank, left, right, same: self._trusted(
                arrays, rank, left, right, same, rare_name[left] & rare_name[right]
            ),
            year_rank=self._label_rank.get(settings.year_label, -1),
            year_pair_ranks=self._ranks(settings.year_pair_labels),
            year_pair_max_units=settings.year_pair_max_units,
        )
        persons = link_by_clks(
            arrays, units, rank_of_record, weak_pairs=weak_pairs,
            trust_second_tier=lambda left, right, same: self._trusted(
                arrays, SECOND_TIER, left, right, same, np.ones(len(left), bool)
            ),
            threshold=settings.dice_threshold,
            max_block_size=settings.max_block_size,
            citizenship_threshold=settings.citizenship_dice_threshold,
            years_agree=settings.years_agree_dice,
            rare_name=name_counts(arrays, name_rank, units) <= settings.rare_name_max_records,
            containment_threshold=settings.containment_threshold,
        )
        return [keys[i] for i in live.tolist()], persons[live]

    def trusted(self) -> frozenset[tuple[str, str, str]]:
        """The classes of weak evidence that linked in the last resolution."""
        if self.trusted_classes is not None:
            return self.trusted_classes
        return frozenset(name for name, count in self.evidence.items() if count.accepted)

    def _ranks(self, labels) -> list[int]:
        return sorted({self._label_rank[label] for label in labels if label in self._label_rank})

    def _trusted(self, arrays, rank, left, right, same_partner, rare) -> np.ndarray:
        """Which pairs of weak evidence belong to a class whose measured namesake share is small;
        the classes' counts are kept in ``evidence`` (for the benchmark and the operator)."""
        relation = relations(arrays, left, right, self.settings.years_agree_dice)
        codes = class_code(np.broadcast_to(rank, len(left)), relation, rare)
        counts = count_classes(codes, same_partner, pair_ratio(arrays), self.settings.min_namesake_precision)
        names = {label_rank: label for label, label_rank in self._label_rank.items()} | {SECOND_TIER: "bloom filter"}
        described = {code: describe(code, names) for code in counts}
        self.evidence.update({described[code]: count for code, count in counts.items()})
        accepted = np.array([
            code for code, count in counts.items()
            if (count.accepted if self.trusted_classes is None else described[code] in self.trusted_classes)
        ], dtype=np.int64)
        return np.isin(codes, accepted)

    def persons(self) -> list[frozenset]:
        """The persons, each the frozenset of its records' keys."""
        if self._persons is None:
            keys, labels = self.labels()
            grouped: dict[int, list] = {}
            for key, label in zip(keys, labels.tolist()):
                grouped.setdefault(label, []).append(key)
            self._persons = [frozenset(members) for members in grouped.values()]
        return self._persons


def resolve(
    records: Iterable[LinkageRecord], settings: LinkageSettings | None = None, trusted_classes=None
) -> list[frozenset]:
    """Batch resolution: the persons of ``records`` (see :class:`Resolver`)."""
    resolver = Resolver(settings, trusted_classes)
    resolver.add(records)
    return resolver.persons()
