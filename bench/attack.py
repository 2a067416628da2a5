"""Frequency attack on the stored linkage encodings: what the hub, or whoever steals its database, can
recover of given names, family names and years of birth from them.

Run ``.venv/bin/python bench/attack.py``; the last line printed is one JSON object with the figures.

The attacker holds exactly what the hub's database holds (every record's blocks: re-keyed block token
and re-keyed salted features, kind by kind) and the strongest realistic outside knowledge: the exact
frequency table of given names, family names and years of birth of the very records the hub holds,
and the encoding algorithm (so it knows which shape each name gives: how many one-letter-left-out
forms, whether it has a phonetic code). It makes one guess per record and field; a record counts as
recovered only when that guess is right. Attacks:

- ``naive``: count each stored token of a kind (say every GIVEN_EXACT token of the database), rank
  tokens by count and names by frequency, map rank to rank; a record's guess is the name mapped to its
  most frequent token. Salting by block is meant to defeat this.
- ``chain_*``: equal tokens within a block say that two records share a value, and a record sits in
  several blocks, so union-find over every equality the stored data shows (a shared GIVEN_EXACT token
  in any block; for the year, a shared YEAR token and a shared block that implies the year, see
  ``IMPLIED``) gives classes of records known to share a value. Classes are aligned with the frequency
  table: ``chain_rank`` largest class to most frequent value; ``chain_shape`` the same within each
  shape; ``chain_fill`` within each shape, each class (largest first) to the value with the most
  records still unaccounted for, so that the fragments of one frequent name all land on it;
  ``chain_fill_top`` the same, but a small class (``CLAIM_BELOW``) guesses the value with the most
  records still unexplained by the larger classes (the likeliest single guess) without claiming it.
- ``unsalted``: the reference design that stores one keyed token per value (HMAC of the value), under
  the naive attack: what the salting buys.
- ``shape_only``: no chaining, each record guesses the most frequent value of its shape: what the
  number of edit forms (the length of a name) gives away by itself.
- ``baseline``: the most frequent value guessed for everyone; any attack is worth only its lead over it.

The headline share of a field is the best attack on what this design stores (any but ``unsalted``
and ``baseline``), named by ``attack_<field>_strongest``. Shares are over the records that have the
field (the joint shares, over all records); a record without blocks stores nothing and is never
recovered. Only shares and counts are
printed, never a name.
"""

from __future__ import annotations

import heapq
import hmac
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from privacy.encodings import IMPLIED, Feature, decode_features, features_of, make_encoding_of
from privacy.identity import Identity, normalise_identity
from privacy.rekey import rekey_features, rekey_token

SECRET = b"attack benchmark linkage secret."
HUB_SECRET = b"attack benchmark hub secret, 32b"
IDENTIFIERS = ("given_name", "family_name", "date_of_birth", "sex", "citizenship", "age", "registration_date")
# Records per value at or above each bound: where the recovered records sit in the frequency table.
FREQUENCY_BANDS = (100, 20, 5, 2, 1)
# Chained classes smaller than this claim no records in ``chain_fill_top``: a few records chained
# together are often one person's duplicates, which says little of how frequent the name is. A fixed
# choice; from 3 to 50 the shares move by at most 0.02 on either population.
CLAIM_BELOW = 10
# The attacks on what this design stores besides chaining ("unsalted" is another design's, "baseline" none).
STORED_DATA_ATTACKS = ("naive", "shape_only")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class StoredBlock:
    """One block of one record as the hub's database holds it."""

    label: str
    token: bytes
    kinds: np.ndarray
    tokens: np.ndarray


@dataclass(frozen=True)
class Field:
    """A value the attacker tries to recover, and the stored features that show it."""

    name: str
    exact: Feature
    edit: Feature | None = None
    phonetic: Feature | None = None

    def value_of(self, who: Identity) -> str | None:
        """The value as the connector encodes it (a family name without its spaces)."""
        if self.exact is Feature.GIVEN_EXACT:
            return who.given
        if self.exact is Feature.FAMILY_EXACT:
            return who.family.replace(" ", "") if who.family else None
        return who.birth_year

    def implied_by(self) -> frozenset[str]:
        """The blocks whose records all share this value, so that the value is not sent in them."""
        return frozenset(label for label, kinds in IMPLIED.items() if self.exact in kinds)

    def shape(self, kinds: np.ndarray | list) -> tuple[int, bool] | None:
        """What a value's features show of it whatever the salt: its number of edit forms (one per
        run of letters) and whether it has a phonetic code."""
        if self.edit is None:
            return None
        kinds = np.asarray(kinds)
        return int(np.count_nonzero(kinds == self.edit)), bool(np.any(kinds == self.phonetic))


FIELDS = (
    Field("given_name", Feature.GIVEN_EXACT, Feature.GIVEN_EDIT, Feature.GIVEN_PHONETIC),
    Field("family_name", Feature.FAMILY_EXACT, Feature.FAMILY_EDIT, Feature.FAMILY_PHONETIC),
    Field("birth_year", Feature.YEAR),
)


def store(records: list[dict]) -> tuple[list[list[StoredBlock]], list[Identity]]:
    """Each record encoded as the connector does and re-keyed as the hub does, and its identity."""
    identities = [
        normalise_identity(**{name: record.get(name) for name in IDENTIFIERS}) for record in records
    ]
    encodings = [make_encoding_of(SECRET, who).blocks for who in identities]
    features = iter(
        rekey_features(HUB_SECRET, [features for blocks in encodings for _, features in blocks.values()])
    )
    stored = [
        [
            StoredBlock(label, rekey_token(HUB_SECRET, token), *decode_features(next(features)))
            for label, (token, _) in blocks.items()
        ]
        for blocks in encodings
    ]
    return stored, identities


@dataclass(frozen=True)
class FrequencyTable:
    """The attacker's knowledge of one field: records per value, and each value's shape."""

    frequency: Counter
    shape_of: dict

    @classmethod
    def of(cls, field: Field, identities: list[Identity]) -> FrequencyTable:
        frequency, shape_of = Counter(), {}
        for who in identities:
            value = field.value_of(who)
            if value is not None:
                frequency[value] += 1
                shape_of.setdefault(value, field.shape([kind for kind, _ in features_of(who)]))
        return cls(frequency, shape_of)


@dataclass(frozen=True)
class Group:
    """Records the attacker knows to share one value (``key`` names the group)."""

    key: object
    size: int
    shape: object = None


def align_by_rank(groups: list[Group], table: FrequencyTable, by_shape: bool = False) -> dict:
    """Largest group to most frequent value, and so on (within each shape when ``by_shape``).

    >>> table = FrequencyTable(Counter({"ana": 3, "eva": 2}), {"ana": None, "eva": None})
    >>> align_by_rank([Group("x", 1), Group("y", 4), Group("z", 1)], table)
    {'y': 'ana', 'x': 'eva'}
    """
    groups_of, values_of = {}, {}
    for group in sorted(groups, key=lambda group: (-group.size, str(group.key))):
        groups_of.setdefault(group.shape if by_shape else None, []).append(group.key)
    for value in sorted(table.frequency, key=lambda value: (-table.frequency[value], value)):
        values_of.setdefault(table.shape_of[value] if by_shape else None, []).append(value)
    return {
        key: value for shape, keys in groups_of.items() for key, value in zip(keys, values_of.get(shape, []))
    }


def align_by_filling(groups: list[Group], table: FrequencyTable, claim_below: int = 1) -> dict:
    """Within each shape, each group (largest first) to the value with the most records left unclaimed.

    A group smaller than ``claim_below`` claims nothing: when nothing chained a record to others,
    the best single guess for it is the value with the most records unexplained by larger groups,
    and spreading such records over the values (as claiming would) is right less often.

    >>> table = FrequencyTable(Counter({"ana": 10, "eva": 6}), {"ana": None, "eva": None})
    >>> align_by_filling([Group("x", 7), Group("y", 5), Group("z", 3)], table)
    {'x': 'ana', 'y': 'eva', 'z': 'ana'}
    >>> align_by_filling([Group("x", 7), Group("y", 1), Group("z", 1)], table, claim_below=2)
    {'x': 'ana', 'y': 'eva', 'z': 'eva'}
    """
    left: dict = {}
    for value, count in table.frequency.items():
        left.setdefault(table.shape_of[value], []).append((-count, -count, value))
    for heap in left.values():
        heapq.heapify(heap)
    guesses = {}
    for group in sorted(groups, key=lambda group: (-group.size, str(group.key))):
        heap = left.get(group.shape)
        if not heap:
            continue
        unclaimed, frequency, value = heapq.heappop(heap)
        guesses[group.key] = value
        claimed = group.size if group.size >= claim_below else 0
        heapq.heappush(heap, (unclaimed + claimed, frequency, value))
    return guesses


class DisjointSet:
    """Union-find over record numbers."""

    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, left: int, right: int) -> None:
        self.parent[self.find(left)] = self.find(right)


def chained_classes(stored: list[list[StoredBlock]], field: Field) -> list[int | None]:
    """Per record, its class of records the stored data shows share its value of ``field`` (None when
    the data shows no value): a shared token of the field in any block, and a shared block that
    implies the value, join two classes."""
    classes, first_with, shown = DisjointSet(len(stored)), {}, set()
    implied = field.implied_by()
    for record, blocks in enumerate(stored):
        for block in blocks:
            if block.label in implied:
                keys = [(block.label, block.token)]
            else:
                keys = block.tokens[block.kinds == field.exact].tolist()
            for key in keys:
                shown.add(record)
                classes.union(first_with.setdefault(key, record), record)
    return [classes.find(record) if record in shown else None for record in range(len(stored))]


def chaining_guesses(stored, field: Field, table: FrequencyTable) -> dict[str, list[str | None]]:
    """Each record's guess under each way of aligning the chained classes with the table."""
    class_of = chained_classes(stored, field)
    sizes = Counter(root for root in class_of if root is not None)
    # Every record of a class has the one value, hence the one shape: that of its root.
    groups = [Group(root, size, _shape_of_record(stored[root], field)) for root, size in sizes.items()]
    log(
        f"  {field.name}: {len(groups)} chained classes for {len(table.frequency)} values; largest "
        f"{max((group.size for group in groups), default=0)} records, most frequent value "
        f"{max(table.frequency.values(), default=0)}"
    )
    alignments = {
        "chain_rank": align_by_rank(groups, table),
        "chain_shape": align_by_rank(groups, table, by_shape=True),
        "chain_fill": align_by_filling(groups, table),
        "chain_fill_top": align_by_filling(groups, table, claim_below=CLAIM_BELOW),
    }
    return {
        name: [None if root is None else guesses.get(root) for root in class_of]
        for name, guesses in alignments.items()
    }


def _shape_of_record(blocks: list[StoredBlock], field: Field):
    for block in blocks:
        if np.any(block.kinds == field.exact):
            return field.shape(block.kinds)
    return None


def shape_guesses(stored, field: Field, table: FrequencyTable) -> list[str | None]:
    """No chaining at all: each record guesses the most frequent value of its shape (the length of a
    name, in runs of letters, shows through every salt)."""
    top_of_shape = {}
    for value in sorted(table.frequency, key=lambda value: (-table.frequency[value], value)):
        top_of_shape.setdefault(table.shape_of[value], value)
    return [
        top_of_shape.get(_shape_of_record(blocks, field))
        if any(np.any(block.kinds == field.exact) for block in blocks)
        else None
        for blocks in stored
    ]


def naive_guesses(stored, field: Field, table: FrequencyTable) -> list[str | None]:
    """Tokens of the field ranked by count across the database, mapped rank to rank onto the table;
    a record's guess is the value mapped to its most frequent token."""
    counts = Counter(
        token
        for blocks in stored
        for block in blocks
        for token in block.tokens[block.kinds == field.exact].tolist()
    )
    guesses = align_by_rank([Group(token, count) for token, count in counts.items()], table)
    rank = {
        token: at for at, token in enumerate(sorted(counts, key=lambda token: (-counts[token], str(token))))
    }
    best = []
    for blocks in stored:
        tokens = [token for block in blocks for token in block.tokens[block.kinds == field.exact].tolist()]
        best.append(guesses.get(min(tokens, key=rank.__getitem__)) if tokens else None)
    return best


def unsalted_guesses(identities: list[Identity], field: Field, table: FrequencyTable) -> list[str | None]:
    """The naive attack on a design storing one keyed token per value, the same in every record."""
    tokens = []
    for who in identities:
        value = field.value_of(who)
        token = hmac.digest(SECRET, f"{field.name}\x1f{value}".encode(), "sha256").hex() if value else None
        tokens.append(rekey_token(HUB_SECRET, token) if token else None)
    counts = Counter(token for token in tokens if token is not None)
    guesses = align_by_rank([Group(token, count) for token, count in counts.items()], table)
    return [guesses.get(token) for token in tokens]


def recovered_share(truth: list[str | None], guesses: list[str | None]) -> float:
    """Share of the records having a value whose single guess is that value.

    >>> recovered_share(["ana", "eva", None, "ana"], ["ana", "ana", "ana", None])
    0.3333333333333333
    """
    having = [(value, guess) for value, guess in zip(truth, guesses) if value is not None]
    return sum(value == guess for value, guess in having) / len(having) if having else 0.0


def by_frequency_band(truth, guesses, table: FrequencyTable) -> dict[str, tuple[int, float]]:
    """Records and recovered share per band of the table (values with at least N records)."""
    bands: dict[str, list] = {}
    for value, guess in zip(truth, guesses):
        if value is not None:
            bound = next(bound for bound in FREQUENCY_BANDS if table.frequency[value] >= bound)
            bands.setdefault(f">={bound}", []).append(value == guess)
    return {
        band: (len(hits), round(sum(hits) / len(hits), 4))
        for band, hits in sorted(bands.items(), key=lambda item: -int(item[0][2:]))
    }


def attack(name: str, records: list[dict]) -> dict:
    """Every attack on one population; figures keyed ``attack_<field>_<figure>``."""
    started = time.perf_counter()
    stored, identities = store(records)
    log(
        f"{name}: {len(records)} records, {sum(map(bool, stored))} with blocks, "
        f"encoded and re-keyed in {time.perf_counter() - started:.1f} s"
    )
    figures, right = {}, {}
    for field in FIELDS:
        table = FrequencyTable.of(field, identities)
        truth = [field.value_of(who) for who in identities]
        variants = chaining_guesses(stored, field, table)
        variants["naive"] = naive_guesses(stored, field, table)
        if field.edit is not None:
            variants["shape_only"] = shape_guesses(stored, field, table)
        variants["unsalted"] = unsalted_guesses(identities, field, table)
        top = min(table.frequency, key=lambda value: (-table.frequency[value], value))
        variants["baseline"] = [top] * len(truth)
        shares = {variant: round(recovered_share(truth, guesses), 4) for variant, guesses in variants.items()}
        strongest = max(
            (variant for variant in shares if variant in STORED_DATA_ATTACKS or variant.startswith("chain_")),
            key=shares.__getitem__,
        )
        log(
            f"  {field.name}: {sum(value is not None for value in truth)} records with a value; shares {shares}"
        )
        log(
            f"  {field.name}, {strongest} by frequency band (records, share): "
            f"{by_frequency_band(truth, variants[strongest], table)}"
        )
        log(
            f"  {field.name}, unsalted by frequency band: {by_frequency_band(truth, variants['unsalted'], table)}"
        )
        figures |= {
            f"attack_{field.name}_recovered_share": shares[strongest],
            f"attack_{field.name}_strongest": strongest,
            f"attack_{field.name}_naive_salted_share": shares["naive"],
            f"attack_{field.name}_unsalted_share": shares["unsalted"],
            f"attack_{field.name}_baseline_share": shares["baseline"],
            f"attack_{field.name}_shape_only_share": shares.get("shape_only"),
            f"attack_{field.name}_chain_shares": {
                variant: share for variant, share in shares.items() if variant.startswith("chain_")
            },
        }
        right[field.name] = [
            value is not None and value == guess for value, guess in zip(truth, variants[strongest])
        ]
    # Both names right, and both names and the year: how often the strongest attacks, together,
    # give a record's identity away (over all records).
    both = [given and family for given, family in zip(right["given_name"], right["family_name"])]
    figures["attack_both_names_recovered_share"] = round(sum(both) / len(both), 4)
    figures["attack_both_names_and_year_recovered_share"] = round(
        sum(names and year for names, year in zip(both, right["birth_year"])) / len(both), 4
    )
    log(
        f"  both names right: {figures['attack_both_names_recovered_share']}, with the year: "
        f"{figures['attack_both_names_and_year_recovered_share']}"
    )
    log(f"{name}: attacked in {time.perf_counter() - started:.1f} s")
    return figures


def main() -> dict:
    from bench.febrl import febrl3_partners
    from bench.linkage import demo_case

    figures = attack("demo", demo_case().records)
    figures |= {
        f"febrl3_{key}": value for key, value in attack("febrl3_partners", febrl3_partners().records).items()
    }
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
