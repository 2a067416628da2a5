"""Candidate pairs (records sharing a block) and what each pair agrees on, from salted features.

Features are salted by block (:mod:`privacy.encodings`): two records' features are equal only
when both records are in that block and the feature's value is the same, so every agreement is
found by grouping equal tokens, never by comparing the records of a pair one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from privacy.encodings import BLOCK_LABELS, Feature
from privacy.linkage.records import StoreArrays

# A block holding more records is not compared within: a value so common (a placeholder, the
# most frequent name and year) that its pairs would cost more than they find. Fixed a priori.
DEFAULT_MAX_BLOCK_SIZE = 500
# A block of at most this many records is small: its value is rare (the model learns from the pairs
# of small blocks how a person's records vary, without the namesakes of common names). Fixed a priori.
SMALL_BLOCK = 4


class Agreement(IntEnum):
    """What a pair (left, right: by record index) agrees on; one bit each."""

    GIVEN_EXACT = 0
    GIVEN_EDIT = 1
    GIVEN_PHONETIC = 2
    FAMILY_EXACT = 3
    FAMILY_EDIT = 4
    FAMILY_PHONETIC = 5
    # Names swapped: the left record's given name against the right's family name, and back.
    GIVEN_FAMILY_EXACT = 6
    GIVEN_FAMILY_EDIT = 7
    GIVEN_FAMILY_PHONETIC = 8
    FAMILY_GIVEN_EXACT = 9
    FAMILY_GIVEN_EDIT = 10
    FAMILY_GIVEN_PHONETIC = 11
    DOB_EXACT = 12
    DOB_SWAPPED = 13
    DOB_DIGIT = 14
    YEAR = 15
    YEAR_PAIR = 16
    DOCUMENT = 17
    PHONE = 18
    YEAR_SPAN = 19


def _agreement_table() -> np.ndarray:
    """``table[left kind, right kind]``: the agreement two equal tokens of those kinds mean, or -1."""
    table = np.full((max(Feature) + 1, max(Feature) + 1), -1, dtype=np.int64)
    for left in ("GIVEN", "FAMILY"):
        for right in ("GIVEN", "FAMILY"):
            stem = left if left == right else f"{left}_{right}"
            for form in ("EXACT", "EDIT", "PHONETIC"):
                table[Feature[f"{left}_{form}"], Feature[f"{right}_{form}"]] = Agreement[f"{stem}_{form}"]
    for kind in ("DOB_EXACT", "DOB_DIGIT", "YEAR", "YEAR_PAIR", "YEAR_SPAN", "DOCUMENT", "PHONE"):
        table[Feature[kind], Feature[kind]] = Agreement[kind]
    table[Feature.DOB_SWAPPED, Feature.DOB_EXACT] = table[Feature.DOB_EXACT, Feature.DOB_SWAPPED] = Agreement.DOB_SWAPPED
    return table


_AGREEMENT = _agreement_table()


def agreement_of_kinds(left: Feature, right: Feature) -> Agreement | None:
    """What two equal features of kinds ``left`` and ``right`` (of the left and right record) mean.

    >>> agreement_of_kinds(Feature.GIVEN_EXACT, Feature.FAMILY_EXACT).name, agreement_of_kinds(Feature.YEAR, Feature.PHONE)
    ('GIVEN_FAMILY_EXACT', None)
    """
    agreement = int(_AGREEMENT[left, right])
    return None if agreement < 0 else Agreement(agreement)


def _bits(*agreements: Agreement) -> int:
    return sum(1 << agreement for agreement in agreements)


# What every pair of a block agrees on by construction (its features there are not sent).
_YEAR_BITS = _bits(Agreement.YEAR, Agreement.YEAR_PAIR, Agreement.YEAR_SPAN)
_DATE_BITS = _bits(Agreement.DOB_EXACT, Agreement.DOB_DIGIT) | _YEAR_BITS
_IMPLIED_BITS = np.array(
    [{"dob": _DATE_BITS, "family_year": _YEAR_BITS, "given_year": _YEAR_BITS}.get(label, 0) for label in BLOCK_LABELS],
    dtype=np.uint32,
)


@dataclass(frozen=True)
class Pairs:
    """Candidate pairs, ordered by ``left * record_count + right`` (left < right, record indices)."""

    left: np.ndarray
    right: np.ndarray
    agreements: np.ndarray  # uint32: bit a set when the pair agrees on Agreement a
    blocks: np.ndarray  # uint8: bit b set when the pair shares a block of label BLOCK_LABELS[b], b + 4 a small one
    # For a pair whose given and family names are both equal (in either order): how many records of
    # their block of names hold that full name with the left record's citizenship and sex, else 0.
    # The model's term-frequency adjustment.
    full_name_records: np.ndarray

    def __len__(self) -> int:
        return len(self.left)


def run_starts(ordered: np.ndarray) -> np.ndarray:
    """For values in sorted order, whether each begins a run of equal values.

    >>> run_starts(np.array([3, 3, 5, 7, 7])).tolist()
    [True, False, True, True, False]
    """
    starts = np.ones(len(ordered), dtype=bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    return starts


def pairs_in_runs(values: np.ndarray, max_run: int, with_sizes: bool = False) -> tuple[np.ndarray, ...]:
    """The sort order of ``values`` and every pair of positions (in that order) within a run of
    equal values of at most ``max_run`` members (and, ``with_sizes``, the size of each pair's run).

    >>> order, left, right = pairs_in_runs(np.array([7, 3, 7, 7, 3, 9]), max_run=3)
    >>> [(int(order[a]), int(order[b])) for a, b in zip(left, right)]
    [(1, 4), (0, 2), (0, 3), (2, 3)]
    >>> pairs_in_runs(np.array([7, 3, 7, 7, 3, 9]), max_run=3, with_sizes=True)[3].tolist()
    [2, 3, 3, 3]
    """
    order = np.argsort(values, kind="stable")
    starts = np.flatnonzero(run_starts(values[order]))
    sizes = np.diff(np.append(starts, len(order)))
    usable = (sizes >= 2) & (sizes <= max_run)
    starts, sizes = starts[usable], sizes[usable]
    first_of = np.repeat(np.cumsum(sizes) - sizes, sizes)
    local = np.arange(int(sizes.sum())) - first_of
    position = np.repeat(starts, sizes) + local
    later = np.repeat(sizes, sizes) - 1 - local
    left = np.repeat(position, later)
    right = left + 1 + np.arange(int(later.sum())) - np.repeat(np.cumsum(later) - later, later)
    if with_sizes:
        return order, left, right, np.repeat(np.repeat(sizes, sizes), later)
    return order, left, right


def candidate_pairs(arrays: StoreArrays, max_block_size: int = DEFAULT_MAX_BLOCK_SIZE) -> Pairs:
    """Every pair of live records sharing a block of at most ``max_block_size`` live records, with
    what it agrees on."""
    record_count = len(arrays.alive)
    live_member = arrays.alive[arrays.member_record]
    members = np.flatnonzero(live_member)
    order, first, second, run_size = pairs_in_runs(arrays.member_block[members], max_block_size, with_sizes=True)
    first, second = members[order[first]], members[order[second]]
    a, b = arrays.member_record[first], arrays.member_record[second]
    codes = np.minimum(a, b) * record_count + np.maximum(a, b)
    label_bits = (1 << arrays.member_label[first]).astype(np.uint8)
    # A label's bit again, four places up, when the block is small: few records share its value.
    label_bits |= np.where(run_size <= SMALL_BLOCK, label_bits << 4, 0).astype(np.uint8)
    codes, label_bits = _or_by_code(codes, label_bits)
    left, right = np.divmod(codes, record_count)
    agreements = np.zeros(len(codes), dtype=np.uint32)
    for label in range(len(BLOCK_LABELS)):
        agreements[(label_bits >> label) & 1 == 1] |= _IMPLIED_BITS[label]

    # Features of live records in blocks that were compared: equal tokens are agreements. Tokens
    # are salted by block, so each label's blocks are grouped on their own (a quarter of the memory).
    compared = np.zeros(len(arrays.member_record), dtype=bool)
    compared[np.concatenate([first, second])] = True
    entry_label = arrays.member_label[arrays.entry_member]
    def entries_of(label: str) -> np.ndarray:
        return np.flatnonzero(compared[arrays.entry_member] & (entry_label == BLOCK_LABELS.index(label)))

    for label in BLOCK_LABELS:  # one label's entries at a time: the others' index arrays are not held
        _agree_within(arrays, entries_of(label), codes, agreements, record_count, max_block_size)
    holders = _full_name_holders(arrays, entries_of("names"), record_count)
    straight = _bits(Agreement.GIVEN_EXACT, Agreement.FAMILY_EXACT)
    swapped = _bits(Agreement.GIVEN_FAMILY_EXACT, Agreement.FAMILY_GIVEN_EXACT)
    names = 1 << BLOCK_LABELS.index("names")
    full_name = (((agreements & straight) == straight) | ((agreements & swapped) == swapped)) & ((label_bits & names) != 0)
    return Pairs(left=left, right=right, agreements=agreements, blocks=label_bits,
                 full_name_records=np.where(full_name, holders[left], 0))


# Room for every Agreement in a pair's code (code * _KEY_SPACE + agreement).
_KEY_SPACE = 32


def _agree_within(arrays: StoreArrays, entries: np.ndarray, codes: np.ndarray, agreements: np.ndarray,
                  record_count: int, max_block_size: int) -> None:
    """Set, in ``agreements`` (of the pairs ``codes``), what the pairs agree on among ``entries``."""
    order, one, other = pairs_in_runs(arrays.entry_token[entries], max_block_size)
    one, other = entries[order[one]], entries[order[other]]
    one_record = arrays.member_record[arrays.entry_member[one]]
    other_record = arrays.member_record[arrays.entry_member[other]]
    swap = one_record > other_record
    one, other = np.where(swap, other, one), np.where(swap, one, other)
    one_record, other_record = np.minimum(one_record, other_record), np.maximum(one_record, other_record)
    agreement = _AGREEMENT[arrays.entry_kind[one], arrays.entry_kind[other]]
    meaningful = (agreement >= 0) & (one_record != other_record)
    # Each (pair, agreement) once, in order: records with one name share all its edit forms, and a
    # look-up of sorted codes runs through the pairs' codes once instead of jumping about them.
    keyed = np.sort((one_record[meaningful] * record_count + other_record[meaningful]) * _KEY_SPACE
                    + agreement[meaningful])
    keyed = keyed[run_starts(keyed)]
    pair_codes, bits = keyed // _KEY_SPACE, np.left_shift(np.uint32(1), (keyed % _KEY_SPACE).astype(np.uint32))
    if len(pair_codes) == 0:
        return
    starts = np.flatnonzero(run_starts(pair_codes))
    pair_codes, bits = pair_codes[starts], np.bitwise_or.reduceat(bits, starts)
    at = np.searchsorted(codes, pair_codes)
    found = (at < len(codes)) & (codes[np.minimum(at, len(codes) - 1)] == pair_codes)
    agreements[at[found]] |= bits[found]


def _full_name_holders(arrays: StoreArrays, in_names: np.ndarray, record_count: int) -> np.ndarray:
    """For each record, about how many people of its block of names hold its full name (given and
    family name, in either order) with its citizenship and sex: 1 and the others, counted as the
    fewer of the records beyond two and the distinct years of birth beyond one; 0 without a full
    name."""
    values = []
    for kind in (Feature.GIVEN_EXACT, Feature.FAMILY_EXACT, Feature.YEAR):
        chosen = in_names[arrays.entry_kind[in_names] == kind]
        value = np.zeros(record_count, dtype=np.uint64)
        value[arrays.member_record[arrays.entry_member[chosen]]] = arrays.entry_token[chosen]
        values.append(value)
    given, family, year = values
    holders = np.zeros(record_count, dtype=np.int64)
    whole = np.flatnonzero((given != 0) & (family != 0))
    if len(whole):
        attributes = (arrays.citizenship[whole] * 3 + arrays.sex[whole]).astype(np.uint64)
        name = np.stack([np.minimum(given, family)[whole], np.maximum(given, family)[whole], attributes], axis=1)
        _, group = np.unique(name, axis=0, return_inverse=True)
        group = group.ravel()
        dated = year[whole] != 0
        records = np.bincount(group)
        years = np.unique(np.stack([group[dated].astype(np.uint64), year[whole][dated]], axis=1), axis=0)[:, 0]
        people = np.maximum(np.bincount(years.astype(np.int64), minlength=len(records)), 1)
        # Other holders than the pair's person: not more than the records beyond the pair, nor than
        # the years beyond one (a person's records mostly share a year; namesakes seldom do).
        holders[whole] = 1 + np.minimum(records - 2, people - 1).clip(min=0)[group]
    return holders


def _or_by_code(codes: np.ndarray, bits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct ``codes`` in order, each with the OR of its ``bits``."""
    if len(codes) == 0:
        return codes.astype(np.int64), bits
    order = np.argsort(codes, kind="stable")
    codes, bits = codes[order], bits[order]
    starts = np.flatnonzero(run_starts(codes))
    return codes[starts], np.bitwise_or.reduceat(bits, starts)
