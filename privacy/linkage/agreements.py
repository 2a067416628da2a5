"""What the pairs of one kind of block agree on, from the features their records sent in it.

Features are salted by block (:mod:`privacy.encodings`): within a block, two equal tokens are two
equal values; across blocks they never are. A record has one block of each label, so for the pairs
of one label the features can be laid out as columns, one per kind, and two records compared by
reading their columns: no pair of features is ever enumerated.

Most kinds hold one value per record (a name, its phonetic code, a date, a year, a document, a
phone). The years' pairs and spans hold two to four: all their combinations are compared. The
edit forms of a name (the name with one letter left out, each) and the masked forms of a date (one
digit left out, each) hold up to twenty: comparing them pair by pair would cost most of the work,
and a common name held by hundreds of records would repeat it for every pair. They are compared
once per two *distinct* values of the block instead: the distinct names (dates) sharing a form are
found by grouping forms, and a pair agrees when its two values are one of those.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from privacy.encodings import Feature
from privacy.linkage.records import StoreArrays, entries_of


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

# Kinds a record holds at most once; its columns are read directly.
_SINGLE = (Feature.GIVEN_EXACT, Feature.GIVEN_PHONETIC, Feature.FAMILY_EXACT, Feature.FAMILY_PHONETIC,
           Feature.DOB_EXACT, Feature.DOB_SWAPPED, Feature.YEAR, Feature.DOCUMENT, Feature.PHONE)
# Kinds a record holds a few times (years named by an age hold a pair and up to four spans).
_FEW = (Feature.YEAR_PAIR, Feature.YEAR_SPAN)
_SINGLE_ROW = np.full(256, -1, dtype=np.int64)
_SINGLE_ROW[np.array(_SINGLE, dtype=np.int64)] = np.arange(len(_SINGLE))


def run_starts(ordered: np.ndarray) -> np.ndarray:
    """For values in sorted order, whether each begins a run of equal values.

    >>> run_starts(np.array([3, 3, 5, 7, 7])).tolist()
    [True, False, True, True, False]
    """
    starts = np.ones(len(ordered), dtype=bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    return starts


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: ``np.unique(values)``, by sorting. numpy 2's ``np.unique`` of
    plain values goes through a hash table, which on tens of millions of mostly distinct pair codes
    runs some seventy times slower than a sort (64 s against 0.9 s for 35,000,000 codes here).

    >>> distinct(np.array([7, 3, 7, 9, 3])).tolist()
    [3, 7, 9]
    """
    ordered = np.sort(values)
    return ordered[run_starts(ordered)]


def pairs_in_runs(values: np.ndarray, max_run: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A sort order of ``values`` and every pair of positions (in that order) within a run of
    equal values of at most ``max_run`` members (which of two equal values sorts first is not fixed:
    callers take each pair either way round).

    >>> order, left, right = pairs_in_runs(np.array([7, 3, 7, 7, 3, 9]), max_run=3)
    >>> sorted(tuple(sorted((int(order[a]), int(order[b])))) for a, b in zip(left, right))
    [(0, 2), (0, 3), (1, 4), (2, 3)]
    """
    order = np.argsort(values)  # not stable: a third of the time, and no caller needs it
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
    return order, left, right


class _Related:
    """Which two distinct values (by dense id) share a derived form: a sorted array of pair keys.

    ``value_ids`` and ``forms``: the forms of one holder of each value (every holder of a value
    has the same forms), with the value's id (0: none).
    """

    def __init__(self, value_ids: np.ndarray, forms: np.ndarray, id_count: int):
        keep = value_ids > 0
        value_ids, forms = value_ids[keep].astype(np.int64), forms[keep]
        order, one, other = pairs_in_runs(forms, max_run=len(forms) + 1)
        first, second = value_ids[order[one]], value_ids[order[other]]
        apart = first != second
        first, second = first[apart], second[apart]
        self.id_count = id_count + 1
        self.keys = distinct(np.minimum(first, second) * self.id_count + np.maximum(first, second))
        self.related = np.zeros(self.id_count, dtype=bool)
        self.related[first] = self.related[second] = True

    def holds(self, one: np.ndarray, other: np.ndarray) -> np.ndarray:
        """Whether the values ``one`` and ``other`` (ids, 0 for none) share a form: equal or related."""
        found = (one == other) & (one > 0)
        if len(self.keys):
            maybe = np.flatnonzero(self.related[one] & self.related[other] & ~found)
            keys = np.minimum(one[maybe], other[maybe]) * self.id_count + np.maximum(one[maybe], other[maybe])
            at = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
            found[maybe] = self.keys[at] == keys
        return found


def _dense_ids(*columns: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, int]:
    """Dense ids (1, 2, ...; 0 for a 0 token) of the tokens of ``columns`` taken together; for each
    id, the position (in the columns laid end to end) of its first holder; and the number of ids.

    Only the tokens held are sorted (the columns span every record, most of them without the kind),
    by numpy's fast unstable sort; the first holder of each value is the least position of its run.

    >>> (ids,), first, count = _dense_ids(np.array([9, 0, 4, 9, 4], dtype=np.uint64))
    >>> ids.tolist(), first.tolist(), count
    ([2, 0, 1, 2, 1], [-1, 2, 0], 2)
    """
    joined = np.concatenate(columns)
    held = np.flatnonzero(joined)
    order = held[np.argsort(joined[held])]
    starts = run_starts(joined[order])
    ids = np.zeros(len(joined), dtype=np.int64)
    ids[order] = np.cumsum(starts)
    count = int(starts.sum())
    first_holder = np.full(count + 1, -1, dtype=np.int64)
    if count:
        first_holder[1:] = np.minimum.reduceat(order, np.flatnonzero(starts))
    return np.split(ids, len(columns)), first_holder, count


class BlockFeatures:
    """The features of records within one block (or, on a partner's machine, unsalted), as
    columns by record: ``kind``, ``token`` and ``record`` per feature, grouped by record."""

    @classmethod
    def of_members(cls, arrays: StoreArrays, members: np.ndarray) -> BlockFeatures:
        """The features block memberships ``members`` (of one label) sent."""
        entries, record = entries_of(arrays, members)
        return cls(len(arrays.alive), arrays.entry_kind[entries], arrays.entry_token[entries], record)

    def __init__(self, record_count: int, kind: np.ndarray, token: np.ndarray, record: np.ndarray):
        # One row per kind held at most once, filled in one pass.
        row = _SINGLE_ROW[kind]
        chosen = np.flatnonzero(row >= 0)
        table = np.zeros((len(_SINGLE), record_count), dtype=np.uint64)
        table[row[chosen], record[chosen]] = token[chosen]
        self.single = {wanted: table[at] for at, wanted in enumerate(_SINGLE)}
        self.few = {}
        for wanted in _FEW:
            chosen = np.flatnonzero(kind == wanted)
            holder = record[chosen]
            slot = np.arange(len(chosen)) - np.flatnonzero(run_starts(holder))[np.cumsum(run_starts(holder)) - 1] \
                if len(chosen) else np.zeros(0, dtype=np.int64)
            table = np.zeros((record_count, int(slot.max()) + 1 if len(slot) else 1), dtype=np.uint64)
            table[holder, slot] = token[chosen]
            self.few[wanted] = table
        # Names (given and family together: swapped names compare across) and dates by dense id;
        # the forms derived from each value, as its first holder sent them.
        (self.given_id, self.family_id), first_name_holder, names = _dense_ids(
            self.single[Feature.GIVEN_EXACT], self.single[Feature.FAMILY_EXACT])
        edit = np.flatnonzero((kind == Feature.GIVEN_EDIT) | (kind == Feature.FAMILY_EDIT))
        position = record[edit] + np.where(kind[edit] == Feature.GIVEN_EDIT, 0, record_count)
        name_id = np.concatenate([self.given_id, self.family_id])
        first = first_name_holder[name_id[position]] == position
        self.edits = _Related(name_id[position[first]], token[edit[first]], names)
        (self.date_id,), first_date_holder, dates = _dense_ids(self.single[Feature.DOB_EXACT])
        digit = np.flatnonzero(kind == Feature.DOB_DIGIT)
        first = first_date_holder[self.date_id[record[digit]]] == record[digit]
        self.digits = _Related(self.date_id[record[digit[first]]], token[digit[first]], dates)

    def agreements(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """What each pair of records (``left`` < ``right``) agrees on: bits of :class:`Agreement`."""
        found = np.zeros(len(left), dtype=np.uint32)

        def mark(name: str, agree: np.ndarray) -> None:
            found[agree] |= np.uint32(1 << Agreement[name])

        def same(kind: Feature, other_kind: Feature | None = None) -> np.ndarray:
            one, other = self.single[kind][left], self.single[other_kind or kind][right]
            return (one == other) & (one != 0)

        ids = {"GIVEN": self.given_id, "FAMILY": self.family_id}
        for one_name, one_ids in ids.items():
            for other_name, other_ids in ids.items():
                stem = one_name if one_name == other_name else f"{one_name}_{other_name}"
                mark(f"{stem}_EXACT", (one_ids[left] == other_ids[right]) & (one_ids[left] > 0))
                mark(f"{stem}_EDIT", self.edits.holds(one_ids[left], other_ids[right]))
                mark(f"{stem}_PHONETIC", same(Feature[f"{one_name}_PHONETIC"], Feature[f"{other_name}_PHONETIC"]))
        mark("DOB_EXACT", same(Feature.DOB_EXACT))
        mark("DOB_SWAPPED", same(Feature.DOB_SWAPPED, Feature.DOB_EXACT) | same(Feature.DOB_EXACT, Feature.DOB_SWAPPED))
        mark("DOB_DIGIT", self.digits.holds(self.date_id[left], self.date_id[right]))
        for kind in (Feature.YEAR, Feature.DOCUMENT, Feature.PHONE):
            mark(kind.name, same(kind))
        for kind, table in self.few.items():
            one, other = table[left], table[right]
            agree = np.zeros(len(left), dtype=bool)
            for slot in range(table.shape[1]):
                agree |= np.any((one == other[:, slot:slot + 1]) & (one != 0), axis=1)
            mark(kind.name, agree)
        return found
