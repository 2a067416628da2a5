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

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from privacy.encodings import feature_digests
from privacy.identity import Identity
from privacy.identity_sample import IdentitySample  # noqa: F401 - imported from here too (bench/encoding_speed.py runs older checkouts)
from privacy.linkage.agreements import BlockFeatures
from privacy.linkage.model import FIELDS, LEVELS, levels_of

# Pairs drawn per file: enough for the rarest levels (two strangers born on one day: about 1 pair in
# 20,000) to be counted a few times per file; FEBRL4's F1 rose from 0.951 to 0.964 going from 20,000
# to 100,000 (bench/linkage.py). About 2 s of the connector's time per file.
DEFAULT_PAIRS = 100_000
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


def _feature_columns(identities: Sequence[Identity]) -> tuple[BlockFeatures, np.ndarray]:
    """The identities' features as the hub lays them out within a block, and each one's kinds.

    A feature's token here is the first 8 bytes of its unsalted digest (equal for equal label and
    value; 0, which means "none", is read as 1): the digests the encoding of the same records
    made and remembered.
    """
    digests, kinds = zip(*map(feature_digests, identities)) if identities else ((), ())
    holders = np.repeat(np.arange(len(identities), dtype=np.int64), [len(one) for one in kinds])
    kinds = np.frombuffer(b"".join(kinds), dtype=np.uint8)
    tokens = np.frombuffer(b"".join(digests), dtype=np.uint64)[::2].copy()
    tokens[tokens == 0] = 1
    mask = np.zeros(len(identities), dtype=np.uint32)
    np.bitwise_or.at(mask, holders, np.left_shift(np.uint32(1), kinds.astype(np.uint32)))
    return BlockFeatures(len(identities), kinds, tokens, holders), mask


def drawn_pairs(count: int, pairs: int, seed: int) -> tuple[list[int], list[int]]:
    """``pairs`` pairs of two distinct positions below ``count``, each position drawn as
    ``random.Random(seed).randrange(count)`` draws it (the fewest random bits that can hold it,
    drawn again while too large), a pair of one position twice drawn again.

    >>> rng = random.Random(3)
    >>> expected = [(a, b) for a, b in ((rng.randrange(50), rng.randrange(50)) for _ in range(400)) if a != b]
    >>> left, right = drawn_pairs(50, len(expected), seed=3)
    >>> list(zip(left, right)) == expected
    True
    """
    draw, bits = random.Random(seed).getrandbits, count.bit_length()
    left, right = [], []
    while len(left) < pairs:
        one = draw(bits)
        while one >= count:
            one = draw(bits)
        other = draw(bits)
        while other >= count:
            other = draw(bits)
        if one != other:
            left.append(one)
            right.append(other)
    return left, right


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
    if count * (count - 1) // 2 <= pairs:
        left, right = np.triu_indices(count, k=1)
    else:
        left, right = (np.array(side, dtype=np.int64) for side in drawn_pairs(count, pairs, seed))
    pair_count = len(left)
    columns, kinds_mask = _feature_columns(identities)
    agreements = columns.agreements(left, right)
    kinds = (kinds_mask[left], kinds_mask[right])
    sexes = np.array([_SEX.get(who.sex, 0) for who in identities])
    citizenships = {None: 0}
    codes = np.array([citizenships.setdefault(who.citizenship, len(citizenships)) for who in identities])
    sex, citizenship = (sexes[left], sexes[right]), (codes[left], codes[right])
    levels = levels_of(agreements, kinds, sex, citizenship) if pair_count else np.zeros((0, len(FIELDS)), np.int8)
    return LevelCounts(
        pairs=pair_count,
        levels={name: np.bincount(levels[:, column], minlength=len(LEVELS[name])).tolist()
                for column, name in enumerate(FIELDS)},
    )
