"""Candidate pairs (records sharing a block) and what each pair agrees on, from salted features.

Every record has at most one block of each label (:data:`privacy.encodings.BLOCK_LABELS`). The
pairs of each label's blocks are enumerated in turn, each pair once: under the first label whose
block it shares. What a pair agrees on is read from the features both records sent in that block
(:mod:`privacy.linkage.agreements`), with what the blocks it shares imply (a date's block: the
date; a name and year's block: the year).

A large block (more than ``LARGE_BLOCK`` records: a common name in one year, a common birthday
in a large hub) holds mostly strangers, and its pairs grow with the square of its size: there,
only the pairs that also share a feature of what the block is *not* made from are compared (in
a block of a family name and year, some form of the given name, of the date, the document or
the phone). A pair that agrees on nothing but the block's own value is two people to any model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from privacy.encodings import BLOCK_LABELS, Feature
from privacy.linkage.agreements import Agreement, BlockFeatures, distinct, pairs_in_runs, run_starts
from privacy.linkage.records import StoreArrays, entries_of

# A block holding more records is not compared within: a value so common (a placeholder, the
# most frequent name and year) that its pairs would cost more than they find. Fixed a priori.
DEFAULT_MAX_BLOCK_SIZE = 500
# A block of at most this many records is small: its value is rare (the model learns from the pairs
# of small blocks how a person's records vary, without the namesakes of common names). Fixed a priori.
SMALL_BLOCK = 4
# A block of more than this many records is large (see above). Fixed a priori: at most 496 pairs
# per block compared in full, and a hub of a million records has a few such blocks per name.
LARGE_BLOCK = 32
# The model learns from the pairs of date blocks: of about this many at most; beyond, from a
# random subset of the blocks (all their pairs), the others compared as any large block.
DATE_SAMPLE_PAIRS = 2_000_000
# For each label, the kinds of feature that make a pair of a large block worth comparing: those
# the block's value is not made from.
_NAME_KINDS = {"GIVEN": (Feature.GIVEN_EXACT, Feature.GIVEN_PHONETIC, Feature.GIVEN_EDIT),
               "FAMILY": (Feature.FAMILY_EXACT, Feature.FAMILY_PHONETIC, Feature.FAMILY_EDIT)}
_DATE_KINDS = (Feature.DOB_EXACT, Feature.DOB_SWAPPED, Feature.DOB_DIGIT)
_CONTACT_KINDS = (Feature.DOCUMENT, Feature.PHONE)
_SEEDS = {
    "dob": (*_NAME_KINDS["GIVEN"], *_NAME_KINDS["FAMILY"], *_CONTACT_KINDS),
    "family_year": (*_NAME_KINDS["GIVEN"], *_DATE_KINDS, *_CONTACT_KINDS),
    "given_year": (*_NAME_KINDS["FAMILY"], *_DATE_KINDS, *_CONTACT_KINDS),
    "names": (*_DATE_KINDS, Feature.YEAR, Feature.YEAR_PAIR, *_CONTACT_KINDS),
}
# Bits of a pair's code that hold the label it was compared under (candidate_pairs).
_LABEL_BITS = 2
assert len(BLOCK_LABELS) <= 1 << _LABEL_BITS
# Pairs compared at once: bounds the memory of the temporary columns (about 100 bytes a pair).
_PAIRS_AT_ONCE = 2_000_000


def _bits(*agreements: Agreement) -> int:
    return sum(1 << agreement for agreement in agreements)


# What every pair of a block agrees on by construction (its features there are not sent).
_YEAR_BITS = _bits(Agreement.YEAR, Agreement.YEAR_PAIR, Agreement.YEAR_SPAN)
_DATE_BITS = _bits(Agreement.DOB_EXACT, Agreement.DOB_DIGIT) | _YEAR_BITS
_IMPLIED_BITS = np.array(
    [{"dob": _DATE_BITS, "family_year": _YEAR_BITS, "given_year": _YEAR_BITS}.get(label, 0) for label in BLOCK_LABELS],
    dtype=np.uint32,
)
_FULL_NAME = _bits(Agreement.GIVEN_EXACT, Agreement.FAMILY_EXACT)
_FULL_NAME_SWAPPED = _bits(Agreement.GIVEN_FAMILY_EXACT, Agreement.FAMILY_GIVEN_EXACT)
_NAMES = BLOCK_LABELS.index("names")


@dataclass(frozen=True)
class NameHolders:
    """Per record, about how many people hold its full name (0: it has none; see _name_holders),
    and how many other holders a name held by one person has (see _unseen_namesakes)."""

    per_record: np.ndarray
    unseen: float


@dataclass(frozen=True)
class Pairs:
    """Candidate pairs of records (``left`` < ``right``, record indices), each once."""

    left: np.ndarray
    right: np.ndarray
    agreements: np.ndarray  # uint32: bit a set when the pair agrees on Agreement a
    blocks: np.ndarray  # uint8: bit b set when the pair shares a block of label BLOCK_LABELS[b], b + 4 a small one
    # Whether the pair shares a date block of the model's sample (see ``date_sample_share``).
    date_sample: np.ndarray
    # For a pair of one block of names, both with a full name: about how many people besides the
    # pair's person hold the full name, with the left record's citizenship and sex: the pair's
    # full name when equal (in either order), else the more common of the two. -1 for any other
    # pair. The model's term-frequency adjustment.
    namesakes: np.ndarray
    # Of the records in compared date blocks, the share in the blocks of the model's sample: blocks
    # chosen at random (by their keyed token), whatever their size, all of whose pairs are compared.
    date_sample_share: float = 1.0
    # How many other holders a full name held by one person has, estimated (see _unseen_namesakes):
    # the model's term frequency for a pair whose ``namesakes`` is 0.
    unseen_namesakes: float = 0.0
    # The holders of full names that ``namesakes`` was read from, for comparing further pairs of
    # the same records (compare_pairs).
    holders: NameHolders | None = None

    def __len__(self) -> int:
        return len(self.left)


class _Blocks:
    """Each live record's block of every label, and that block's number of live records."""

    def __init__(self, arrays: StoreArrays, max_block_size: int):
        record_count = len(arrays.alive)
        self.arrays, self.max_block_size = arrays, max_block_size
        self.members, self.block, self.size = [], [], []
        for code in range(len(BLOCK_LABELS)):
            members = np.flatnonzero((arrays.member_label == code) & arrays.alive[arrays.member_record])
            _, inverse, counts = np.unique(arrays.member_block[members], return_inverse=True, return_counts=True)
            sizes = counts[inverse.ravel()]
            records = arrays.member_record[members]
            block, size = np.zeros(record_count, dtype=np.uint64), np.zeros(record_count, dtype=np.int32)
            block[records], size[records] = arrays.member_block[members], sizes
            compared = (sizes >= 2) & (sizes <= max_block_size)
            self.members.append(members[compared])
            self.block.append(block)
            self.size.append(size)
        # The date blocks of the model's sample: block tokens are keyed hashes, so a residue picks
        # blocks at random, whatever they hold.
        dob = BLOCK_LABELS.index("dob")
        sizes = self.size[dob][(self.size[dob] >= 2) & (self.size[dob] <= max_block_size)].astype(np.int64)
        every = max(1, -(-int((sizes - 1).sum() // 2) // DATE_SAMPLE_PAIRS))  # pairs: each record's (size - 1) / 2
        self.in_date_sample = (self.block[dob] % np.uint64(every) == 0) & (self.block[dob] != 0)

    def shared(self, code: int, left: np.ndarray, right: np.ndarray, at_most: int | None = None) -> np.ndarray:
        """Whether each pair shares a compared block of label ``code`` (of at most ``at_most`` records)."""
        block, size = self.block[code], self.size[code]
        return (block[left] == block[right]) & (block[left] != 0) & (size[left] <= (at_most or self.max_block_size))

    def pairs(self, code: int) -> tuple[np.ndarray, np.ndarray]:
        """The pairs of records compared in blocks of label ``code``: all pairs of a block that is
        not large, and the pairs of a large block that share one of the label's seed features."""
        arrays, members = self.arrays, self.members[code]
        large = self.size[code][arrays.member_record[members]] > LARGE_BLOCK
        if BLOCK_LABELS[code] == "dob":
            large &= ~self.in_date_sample[arrays.member_record[members]]
        order, one, other = pairs_in_runs(arrays.member_block[members[~large]], self.max_block_size)
        first = arrays.member_record[members[~large][order[one]]]
        second = arrays.member_record[members[~large][order[other]]]
        if large.any():
            seeded_first, seeded_second = self._seeded(code, members[large])
            first, second = np.concatenate([first, seeded_first]), np.concatenate([second, seeded_second])
        return np.minimum(first, second), np.maximum(first, second)

    def _seeded(self, code: int, members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pairs of the records of ``members`` (of large blocks) sharing a seed feature, and of a
        record holding no name or date seed with every other record of its block; each once."""
        arrays, record_count = self.arrays, len(self.arrays.alive)
        entries, holders = entries_of(arrays, members)
        kinds = arrays.entry_kind[entries]
        seeds = np.isin(kinds, np.array(_SEEDS[BLOCK_LABELS[code]], dtype=np.uint8))
        # Features are salted by block: equal tokens are of one block.
        order, one, other = pairs_in_runs(arrays.entry_token[entries[seeds]], 2 * self.max_block_size)
        first, second = holders[seeds][order[one]], holders[seeds][order[other]]
        # A record with nothing to seed on (no date in a block of names) is compared with all.
        seeded = np.zeros(record_count, dtype=bool)
        seeded[holders[seeds & ~np.isin(kinds, np.array(_CONTACT_KINDS, dtype=np.uint8))]] = True
        bare_first, bare_second = _with_all_of_block(arrays, members, ~seeded[arrays.member_record[members]])
        first, second = np.concatenate([first, bare_first]), np.concatenate([second, bare_second])
        apart = first != second
        codes = distinct(np.minimum(first, second)[apart].astype(np.int64) * record_count
                          + np.maximum(first, second)[apart])
        return np.divmod(codes, record_count)

    def label_bits(self, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each pair, the labels of the blocks it shares (and which are small), and whether it
        shares a date block of the model's sample."""
        bits = np.zeros(len(left), dtype=np.uint8)
        for code in range(len(BLOCK_LABELS)):
            shared = self.shared(code, left, right)
            small = shared & (self.size[code][left] <= SMALL_BLOCK)
            bits |= (shared.astype(np.uint8) << code) | (small.astype(np.uint8) << (code + 4))
        dob = BLOCK_LABELS.index("dob")
        return bits, ((bits >> dob) & 1 == 1) & self.in_date_sample[left]

    def date_sample_share(self) -> float:
        dob = BLOCK_LABELS.index("dob")
        compared = (self.size[dob] > 0) & (self.size[dob] <= self.max_block_size)
        return float(self.in_date_sample[compared].mean()) if compared.any() else 1.0


def _with_all_of_block(arrays: StoreArrays, members: np.ndarray, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each ``chosen`` membership's record paired with the record of every membership of its block
    (itself included) among ``members``."""
    order = np.argsort(arrays.member_block[members])
    ordered = members[order]
    starts = np.flatnonzero(run_starts(arrays.member_block[ordered]))
    sizes = np.diff(np.append(starts, len(ordered)))
    run = np.repeat(np.arange(len(starts)), sizes)
    picked = np.flatnonzero(chosen[order])
    partners = sizes[run[picked]]
    at = np.repeat(starts[run[picked]], partners) + np.arange(int(partners.sum())) - np.repeat(
        np.cumsum(partners) - partners, partners)
    return np.repeat(arrays.member_record[ordered[picked]], partners), arrays.member_record[ordered[at]]


def candidate_pairs(arrays: StoreArrays, max_block_size: int = DEFAULT_MAX_BLOCK_SIZE) -> Pairs:
    """Every pair of live records compared in a block of at most ``max_block_size`` live records,
    with what it agrees on."""
    blocks = _Blocks(arrays, max_block_size)
    record_count = len(arrays.alive)
    # Each pair once, under the first label that compared it: the label in the code's lowest bits,
    # so that one sort puts every pair's first label first.
    found = [blocks.pairs(code) for code in range(len(BLOCK_LABELS))]
    codes = np.concatenate([(left.astype(np.int64) * record_count + right) << _LABEL_BITS | code
                            for code, (left, right) in enumerate(found)])
    del found
    codes.sort()
    codes = codes[run_starts(codes >> _LABEL_BITS)]
    return _compared(arrays, blocks, codes >> _LABEL_BITS, (codes & ((1 << _LABEL_BITS) - 1)).astype(np.int8))


def compare_pairs(arrays: StoreArrays, left: np.ndarray, right: np.ndarray,
                  max_block_size: int = DEFAULT_MAX_BLOCK_SIZE, holders: NameHolders | None = None) -> Pairs:
    """What the given pairs of records (``left`` < ``right``) agree on, read in the first compared
    block each shares; a pair that shares none is left out (nothing of it can be compared).
    ``holders``: those of the candidate pairs of the same records (:attr:`Pairs.holders`), if known."""
    blocks = _Blocks(arrays, max_block_size)
    record_count = len(arrays.alive)
    codes = distinct(left.astype(np.int64) * record_count + right)
    left, right = np.divmod(codes, record_count)
    labels = np.full(len(codes), -1, dtype=np.int8)
    for code in reversed(range(len(BLOCK_LABELS))):
        labels[blocks.shared(code, left, right)] = code
    involved = np.zeros(record_count, dtype=bool)
    involved[left] = involved[right] = True
    return _compared(arrays, blocks, codes[labels >= 0], labels[labels >= 0], involved, holders)


def _compared(arrays: StoreArrays, blocks: _Blocks, codes: np.ndarray, labels: np.ndarray,
              involved: np.ndarray | None = None, holders: NameHolders | None = None) -> Pairs:
    """The pairs ``codes`` (left * record count + right), each compared in its block of label
    ``labels``; ``involved``, when given, marks every record of the pairs (the features of no other
    record are read, but for counting the holders of names)."""
    record_count = len(arrays.alive)
    parts = []
    holders = holders or _name_holders(arrays, blocks.members[_NAMES])
    for code in range(len(BLOCK_LABELS)):
        left, right = np.divmod(codes[labels == code], record_count)
        members = blocks.members[code]
        if involved is not None:
            members = members[involved[arrays.member_record[members]]]
        features = BlockFeatures.of_members(arrays, members)
        for at in range(0, len(left), _PAIRS_AT_ONCE):
            part_left, part_right = left[at:at + _PAIRS_AT_ONCE], right[at:at + _PAIRS_AT_ONCE]
            label_bits, date_sample = blocks.label_bits(part_left, part_right)
            agreements = features.agreements(part_left, part_right)
            for implied in range(len(BLOCK_LABELS)):
                agreements[(label_bits >> implied) & 1 == 1] |= _IMPLIED_BITS[implied]
            parts.append((part_left.astype(np.int32), part_right.astype(np.int32), agreements, label_bits, date_sample))
        del features
    if not parts:
        empty = np.zeros(0, dtype=np.int32)
        return Pairs(empty, empty, empty.astype(np.uint32), empty.astype(np.uint8), empty.astype(bool), empty,
                     unseen_namesakes=holders.unseen, holders=holders)
    left, right, agreements, label_bits, date_sample = (np.concatenate(column) for column in zip(*parts, strict=True))
    full_name = ((agreements & _FULL_NAME) == _FULL_NAME) | ((agreements & _FULL_NAME_SWAPPED) == _FULL_NAME_SWAPPED)
    held = holders.per_record
    namesakes = np.where(full_name, held[left], np.maximum(held[left], held[right])) - 1
    in_names = ((label_bits >> _NAMES) & 1 == 1) & (held[left] > 0) & (held[right] > 0)
    return Pairs(left=left, right=right, agreements=agreements, blocks=label_bits, date_sample=date_sample,
                 namesakes=np.where(in_names, namesakes, -1).astype(np.int32),
                 date_sample_share=blocks.date_sample_share(), unseen_namesakes=holders.unseen, holders=holders)


def _name_holders(arrays: StoreArrays, members: np.ndarray) -> NameHolders:
    """For each record with a full name, about how many people of its block of names (``members``:
    the memberships of blocks of names) hold that full name (given and family name, in either
    order) with its citizenship and sex (one it does not give: any, as its namesakes may have); 0
    for a record without a full name. People are counted as 1 (the record's own person) and the
    others, see :func:`_people_of_values`. And how many other holders a name held by one person
    has, estimated over the names of records giving both (see :func:`_unseen_namesakes`)."""
    entries, record = entries_of(arrays, members)
    kind = arrays.entry_kind[entries]
    read = np.isin(kind, np.array([Feature.GIVEN_EXACT, Feature.FAMILY_EXACT, Feature.YEAR], dtype=np.uint8))
    names = BlockFeatures(len(arrays.alive), kind[read], arrays.entry_token[entries[read]], record[read])
    given, family, year = (names.single[kind] for kind in (Feature.GIVEN_EXACT, Feature.FAMILY_EXACT, Feature.YEAR))
    holders = np.zeros(len(arrays.alive), dtype=np.int32)
    whole = np.flatnonzero((given != 0) & (family != 0))
    if not len(whole):
        return NameHolders(holders, 0.0)
    citizenship, sex = arrays.citizenship[whole].astype(np.uint64), arrays.sex[whole].astype(np.uint64)
    full_name = [np.minimum(given, family)[whole], np.maximum(given, family)[whole]]
    unseen = 0.0
    for has_citizenship in (True, False):
        for has_sex in (True, False):
            chosen = ((citizenship != 0) == has_citizenship) & ((sex != 0) == has_sex)
            if chosen.any():
                # Everyone's attributes, as far as the chosen records give theirs.
                key = np.stack([*full_name, citizenship * has_citizenship, sex * has_sex], axis=1)
                group, people = _people_of_values(key, year[whole])
                holders[whole[chosen]] = people[group][chosen]
                if has_citizenship and has_sex:
                    unseen = _unseen_namesakes(people)
    return NameHolders(holders, unseen)


def _people_of_values(key: np.ndarray, year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The value of each row of ``key`` (a number), and about how many people each value's rows
    hold: 1 (a row's own person) and the others, the fewer of the rows beyond two and the people
    beyond one.

    People are counted by years of birth (a person's records mostly share a year; namesakes seldom
    do). A row without a year is another person as often as, over all values, a dated row beyond a
    value's first is of another year than those before it."""
    _, group = np.unique(key, axis=0, return_inverse=True)
    group = group.ravel()
    dated = year != 0
    records = np.bincount(group)
    years = np.unique(np.stack([group[dated].astype(np.uint64), year[dated]], axis=1), axis=0)[:, 0]
    dated_people = np.bincount(years.astype(np.int64), minlength=len(records))
    values = int((dated_people > 0).sum())
    beyond_first = int(dated.sum()) - values
    another = (len(years) - values) / beyond_first if beyond_first else 0.0
    undated = np.bincount(group[~dated], minlength=len(records))
    people = np.where(dated_people > 0, dated_people + undated * another, 1 + (undated - 1).clip(min=0) * another)
    return group, np.rint(1 + np.minimum(records - 2, people - 1).clip(min=0)).astype(np.int32)


def _unseen_namesakes(people: np.ndarray) -> float:
    """How many other holders a full name held by one person has, on average, by Good and Turing's
    estimate from the full names held by one and by two people (``people``, per name): 2 n2 / n1.
    A name seen once is mostly rarer than one person in the hub; 0 when no name is seen once or
    twice (nothing to estimate from)."""
    once, twice = int((people == 1).sum()), int((people == 2).sum())
    return 2 * twice / once if once and twice else 0.0
