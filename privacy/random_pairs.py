"""How often two random records of a partner's file agree, field by field: the model's ``u``.

The linkage model needs ``u``, the probability that two records *of two people* show each
comparison level (:mod:`privacy.linkage.model`). Splink and the field estimate it from random
pairs of records, nearly all of them two people. The hub cannot compare two random records: their
features are salted by block (:mod:`privacy.encodings`), so that the hub never learns how common a
name is. The connector can: it compares random pairs of the partner's own file on its own machine,
with the same features and the same levels the hub uses, and sends only the number of pairs at
each level (a few dozen counts per submission).

Privacy claim: what leaves is a count of sampled pairs per comparison level (for example "312
of 20,000 pairs share a given name"): a property of the whole file, about no one in it. Pairs are
drawn with a fixed seed, so the counts are a deterministic function of the file.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from privacy.encodings import feature_label, features_of
from privacy.identity import Identity
from privacy.linkage.agreements import BlockFeatures
from privacy.linkage.model import FIELDS, LEVELS, levels_of

# Pairs drawn per file: enough for the rarest levels (two strangers born on one day: about 1 pair in
# 20,000) to be counted a few times per file; FEBRL4's F1 rose from 0.951 to 0.964 going from 20,000
# to 100,000 (bench/linkage.py). About 2 s of the connector's time per file.
DEFAULT_PAIRS = 100_000
# Identities kept to draw pairs from: 2,000 give two million pairs, twenty times more than drawn.
SAMPLE_SIZE = 2_000
_SEX = {"female": 1, "male": 2}


@dataclass(frozen=True)
class LevelCounts:
    """Sampled pairs per comparison level: ``{field: [count at each level of LEVELS[field]]}``."""

    pairs: int
    levels: dict[str, list[int]]

    def wire(self) -> dict:
        return {"pairs": self.pairs, "levels": self.levels}

    @classmethod
    def from_wire(cls, data: dict) -> LevelCounts:
        """Counts as sent; a field missing is all missing, and a list of the wrong length is refused."""
        levels = {}
        for name in FIELDS:
            counts = list(map(int, data["levels"].get(name, [int(data["pairs"])])))
            counts += [0] * (len(LEVELS[name]) - len(counts)) if len(counts) == 1 else []
            if len(counts) != len(LEVELS[name]) or min(counts) < 0:
                raise ValueError(f"{name} needs {len(LEVELS[name])} counts, one per level")
            levels[name] = counts
        return cls(pairs=int(data["pairs"]), levels=levels)

    def to_json(self) -> str:
        return json.dumps(self.wire(), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> LevelCounts:
        return cls.from_wire(json.loads(text))

    @classmethod
    def pooled(cls, counts: Sequence[LevelCounts]) -> LevelCounts:
        """The counts of several files together."""
        return cls(
            pairs=sum(one.pairs for one in counts),
            levels={name: [sum(column) for column in zip(*(one.levels[name] for one in counts))]
                    or [0] * len(LEVELS[name]) for name in FIELDS},
        )


class IdentitySample:
    """A uniform sample of at most ``size`` of the identities offered (reservoir sampling with a
    fixed seed: the same file gives the same sample). Stays on the partner's machine.

    >>> sample = IdentitySample(size=2)
    >>> for number in range(10):
    ...     sample.offer(number)
    >>> len(sample.identities), sample.offered
    (2, 10)
    """

    def __init__(self, size: int = SAMPLE_SIZE, seed: int = 0):
        self.size = size
        self.offered = 0
        self.identities: list = []
        self._rng = random.Random(seed)

    def offer(self, identity) -> None:
        self.offered += 1
        if len(self.identities) < self.size:
            self.identities.append(identity)
            return
        slot = self._rng.randrange(self.offered)
        if slot < self.size:
            self.identities[slot] = identity

    def level_counts(self) -> LevelCounts:
        return random_pair_levels(self.identities)


def _token(label: str, value: str) -> int:
    """A feature as a number for comparing on this machine: equal for equal (label, value)."""
    return int.from_bytes(hashlib.blake2b(f"{label}\x1f{value}".encode(), digest_size=8).digest(), "big") or 1


def _feature_columns(identities: Sequence[Identity]) -> tuple[BlockFeatures, np.ndarray]:
    """The identities' features as the hub lays them out within a block, and each one's kinds."""
    kinds, tokens, holders = [], [], []
    for index, who in enumerate(identities):
        for kind, value in features_of(who):
            kinds.append(kind)
            tokens.append(_token(feature_label(kind), value))
            holders.append(index)
    kinds, holders = np.array(kinds, dtype=np.uint8), np.array(holders, dtype=np.int64)
    mask = np.zeros(len(identities), dtype=np.uint32)
    np.bitwise_or.at(mask, holders, np.left_shift(np.uint32(1), kinds.astype(np.uint32)))
    return BlockFeatures(len(identities), kinds, np.array(tokens, dtype=np.uint64), holders), mask


def random_pair_levels(identities: Sequence[Identity], pairs: int = DEFAULT_PAIRS, seed: int = 0) -> LevelCounts:
    """Counts of comparison levels over random pairs of distinct records of one file.

    All pairs when the file has fewer than ``pairs`` of them, else ``pairs`` drawn with ``seed``.

    >>> from privacy.identity import normalise_identity
    >>> people = [normalise_identity(full_name=name) for name in ("Ana Silva", "Ana Silva", "Rui Costa")]
    >>> counts = random_pair_levels(people)
    >>> counts.pairs, counts.levels["given_name"]  # missing, different, phonetic, one edit, exact
    (3, [0, 2, 0, 0, 1])
    """
    count = len(identities)
    total = count * (count - 1) // 2
    if total <= pairs:
        chosen = [(a, b) for a in range(count) for b in range(a + 1, count)]
    else:
        rng = random.Random(seed)
        chosen = []
        while len(chosen) < pairs:
            a, b = rng.randrange(count), rng.randrange(count)
            if a != b:
                chosen.append((a, b))
    left, right = (np.array(side, dtype=np.int64) for side in zip(*chosen)) if chosen else (np.zeros(0, np.int64),) * 2
    columns, kinds_mask = _feature_columns(identities)
    agreements = columns.agreements(left, right)
    kinds = (kinds_mask[left], kinds_mask[right])
    sexes = np.array([_SEX.get(who.sex, 0) for who in identities])
    citizenships = {None: 0}
    codes = np.array([citizenships.setdefault(who.citizenship, len(citizenships)) for who in identities])
    sex, citizenship = (sexes[left], sexes[right]), (codes[left], codes[right])
    levels = levels_of(agreements, kinds, sex, citizenship) if chosen else np.zeros((0, len(FIELDS)), np.int8)
    return LevelCounts(
        pairs=len(chosen),
        levels={name: np.bincount(levels[:, column], minlength=len(LEVELS[name])).tolist()
                for column, name in enumerate(FIELDS)},
    )
