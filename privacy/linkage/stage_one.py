"""Stage one: records that share a match-key token are one person, with two guards.

- A token value held by more than ``max_records_per_token`` live records is a placeholder
  ("unknown" names, a default date, a shelter's phone) and links nothing.
- Keys that namesakes share (``RARE_NAME_LABELS``: no date, a partial date, no family name, a
  phonetic code, a name one typing error away) link only two records of two partners, and only
  in a class of such evidence whose share of namesakes, measured on the partners' own records,
  is small (:mod:`privacy.linkage.namesakes`). Stage one does not apply them: it hands the
  trusted pairs to stage two, which weighs them after the strong evidence of the CLKs, so that a
  namesake sharing a weak key never takes the place of the record that matches in full.
- No chaining across a partner: a partner's two records (two case references) may be one person
  only if they share a token *directly*; if they would be joined only through other partners'
  records, the weakest links are dropped. Such a component is re-joined token by token, strongest
  label first (the order of ``MATCH_KEY_LABELS``), refusing any union that would put together two
  records of one partner with no token in common. The outcome depends only on the component's
  records, never on the order they arrived in, which keeps incremental and batch runs equal.
"""

from __future__ import annotations

import numpy as np

from privacy.linkage.components import components, distinct_rows, group_members, run_starts


def usable_tokens(
    arrays: dict,
    max_records_per_token: int,
    weak_ranks=(),
    trust_weak=None,
    year_rank: int = -1,
    year_pair_ranks=(),
) -> dict:
    """Token rows of live records whose token is shared by 2 to ``max_records_per_token`` records
    (``record``, ``rank``, ``token``), and the pairs of weak evidence to weigh in stage two
    (``weak_pairs``: left and right record indices).

    A token of a label in ``weak_ranks`` (evidence namesakes share) is no row: its pair is a
    weak pair if two records of two partners hold it and ``trust_weak(rank, left, right,
    same_partner)``, asked about every weak token held by two records, trusts that pair
    (:mod:`privacy.linkage.namesakes`); without ``trust_weak`` there is none. A token of a label in
    ``year_pair_ranks`` (a name with two adjacent years of birth) is no row either: its rows
    (``year_pair_rows``) are judged once the other tokens have made their units
    (:func:`_year_pair_pairs`), and ``dated`` tells which records have a year of birth (a
    ``year_rank`` token).
    """
    record, rank, token, count = _token_rows(arrays)
    keep = (count >= 2) & (count <= max_records_per_token)
    weak = np.isin(rank, np.asarray(weak_ranks, dtype=np.int64))
    held_by_two = weak & (count == 2)
    weak_pairs = _trusted_weak_pairs(arrays, record[held_by_two], rank[held_by_two], token[held_by_two], trust_weak)
    keep &= ~weak
    year_pair = np.isin(rank, np.asarray(year_pair_ranks, dtype=np.int64)) & keep
    dated = np.zeros(len(arrays["alive"]), dtype=bool)
    dated[record[rank == year_rank]] = True
    keep &= ~year_pair
    return {
        "record": record[keep], "rank": rank[keep], "token": token[keep], "weak_pairs": weak_pairs,
        "year_pair_rows": (record[year_pair], token[year_pair]), "dated": dated,
    }


def _token_rows(arrays: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Live token rows, one per (record, token), ordered by token, with how many live records
    hold each token."""
    alive = arrays["alive"][arrays["token_record"]]
    record, rank, token = arrays["token_record"][alive], arrays["token_rank"][alive], arrays["token_id"][alive]
    order = np.lexsort((record, token))
    record, rank, token = record[order], rank[order], token[order]
    # One row per (record, token): a token repeated under two labels of one record counts once
    # (the first label given is kept: the sort is stable).
    first = np.ones(len(token), dtype=bool)
    first[1:] = (token[1:] != token[:-1]) | (record[1:] != record[:-1])
    record, rank, token = record[first], rank[first], token[first]
    sizes = np.diff(np.append(np.flatnonzero(run_starts(token)), len(token)))
    return record, rank, token, np.repeat(sizes, sizes)


def _trusted_weak_pairs(arrays: dict, record, rank, token, trust_weak) -> tuple[np.ndarray, np.ndarray]:
    """Of weak tokens held by two records (two rows each, in :func:`_token_rows`' order), the
    pairs of records that two partners hold and ``trust_weak`` trusts, each pair once."""
    if trust_weak is None or len(token) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    # A pair is judged (and counted) once per label, however many tokens of it the two share.
    first, _ = distinct_rows(rank[0::2], record[0::2], record[1::2])
    rank, left, right = rank[0::2][first], record[0::2][first], record[1::2][first]
    same_partner = arrays["partner"][left] == arrays["partner"][right]
    trusted = trust_weak(rank, left, right, same_partner) & ~same_partner
    pairs, _ = distinct_rows(left[trusted], right[trusted])
    return left[trusted][pairs].astype(np.int64), right[trusted][pairs].astype(np.int64)


def _shared_within_a_partner(token: np.ndarray, partner: np.ndarray) -> np.ndarray:
    """For each row, whether another row of its token belongs to a record of the same partner."""
    _, inverse = distinct_rows(token, partner)
    repeated = np.unique(token[np.bincount(inverse)[inverse] > 1])
    return np.isin(token, repeated)


def _year_pair_pairs(record, token, labels, partner, dated, max_units: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of records to join through year-pair tokens (an age meeting a date of birth), from
    rows in :func:`_token_rows`' order (by token, then record): every two records of a token
    that fall into two units. Stage two accepts them one-to-one in an order of record keys, so
    the outcome does not depend on the order the records arrived in (an anchor record per token,
    as this once took, did).

    A token joins its records when they fall into at most ``max_units`` units of the other
    tokens, no two of its records belong to one partner (a partner's two records sharing it are
    namesakes, so the name and years are not rare enough to be evidence), and at most one of
    those units has a year of birth: two dated units are judged on their dates, and an age
    between two dated namesakes is ambiguous. Counting units, not records, lets the age meet a
    person whom two partners reported with the same date.
    """
    unit = labels[record]
    dated_unit = np.zeros(len(labels), dtype=bool)
    dated_unit[labels[np.flatnonzero(dated)]] = True
    first, _ = distinct_rows(token, unit)
    values, units_per_token = np.unique(token[first], return_counts=True)
    dated_per_token = np.bincount(np.searchsorted(values, token[first]), weights=dated_unit[unit[first]],
                                  minlength=len(values))
    good = values[(units_per_token >= 2) & (units_per_token <= max_units) & (dated_per_token <= 1)]
    joins = np.isin(token, good) & ~_shared_within_a_partner(token, partner[record])
    record, token = record[joins], token[joins]
    # Every two records of a token in two units: a token's rows are contiguous, so rows `offset`
    # apart share it until no run is longer than `offset` (runs hold at most max_records_per_token).
    left, right = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for offset in range(1, len(token)):
        same = token[offset:] == token[:-offset]
        if not same.any():
            break
        first, second = record[:-offset][same], record[offset:][same]
        apart = labels[first] != labels[second]
        left.append(first[apart].astype(np.int64))
        right.append(second[apart].astype(np.int64))
    return np.concatenate(left), np.concatenate(right)


def name_counts(arrays: dict, name_rank: int, units: np.ndarray | None = None) -> np.ndarray:
    """For each record, how many live records hold its name token (label rank ``name_rank``),
    or, given ``units``, how many units (persons so far); the largest int64 for a record
    without a name token (its rarity is unknown)."""
    alive = arrays["alive"][arrays["token_record"]] & (arrays["token_rank"] == name_rank)
    record, token = arrays["token_record"][alive], arrays["token_id"][alive]
    counts = np.full(len(arrays["alive"]), np.iinfo(np.int64).max)
    if len(token):
        holder = record if units is None else units[record]
        first, _ = distinct_rows(token, holder)
        values, sizes = np.unique(token[first], return_counts=True)
        counts[record] = sizes[np.searchsorted(values, token)]
    return counts


def _conflicted(labels: np.ndarray, partner: np.ndarray, linked: np.ndarray) -> np.ndarray:
    """Component labels that hold two records of one partner."""
    first, inverse = distinct_rows(labels[linked], partner[linked])
    return np.unique(labels[linked][first][np.bincount(inverse) > 1])


class _Groups:
    """Union–find over a few records, each group knowing its members."""

    def __init__(self, members):
        self.parent = {record: record for record in members}
        self.members = {record: [record] for record in members}

    def find(self, record):
        while self.parent[record] != record:
            self.parent[record] = self.parent[self.parent[record]]
            record = self.parent[record]
        return record

    def union(self, first, second):
        first, second = self.find(first), self.find(second)
        if len(self.members[first]) < len(self.members[second]):
            first, second = second, first
        self.parent[second] = first
        self.members[first].extend(self.members.pop(second))


def _rejoin(record, rank, token, partner: np.ndarray, rank_of_record: np.ndarray) -> dict:
    """Guarded re-join of one conflicted component's token rows; returns ``{record: label}``."""
    tokens_of = {r: set() for r in record.tolist()}
    for r, t in zip(record.tolist(), token.tolist()):
        tokens_of[r].add(t)
    groups = _Groups(tokens_of)
    # Strongest label first, then token value, then record order: all order-free of arrival.
    order = np.lexsort((rank_of_record[record], token, rank))
    by_token: dict[int, list[int]] = {}
    sequence = []
    for r, t in zip(record[order].tolist(), token[order].tolist()):
        if t not in by_token:
            by_token[t] = []
            sequence.append(t)
        by_token[t].append(r)
    for t in sequence:
        holders = by_token[t]
        for other in holders[1:]:
            first, second = groups.find(holders[0]), groups.find(other)
            if first != second and _may_join(groups.members[first], groups.members[second], partner, tokens_of):
                groups.union(first, second)
    return {r: min(groups.members[groups.find(r)]) for r in tokens_of}


def _may_join(first: list[int], second: list[int], partner: np.ndarray, tokens_of: dict) -> bool:
    for a in first:
        for b in second:
            if partner[a] == partner[b] and not tokens_of[a] & tokens_of[b]:
                return False
    return True


def link_by_tokens(
    arrays: dict, rank_of_record: np.ndarray, year_pair_max_units: int = 0, **rules
) -> tuple[np.ndarray, tuple]:
    """Stage-one label of every record (the smallest record index of its unit), linking through
    the tokens :func:`usable_tokens` keeps under ``rules`` (its keyword arguments), and the
    pairs it leaves to stage two: trusted weak evidence, and ages meeting dates of birth
    (:func:`_year_pair_pairs`, at most ``year_pair_max_units`` units per token)."""
    rows = usable_tokens(arrays, **rules)
    labels = components(len(arrays["alive"]), rows["record"], rows["token"])
    linked = np.flatnonzero(np.bincount(labels, minlength=len(labels))[labels] > 1)
    conflicted = _conflicted(labels, arrays["partner"], linked)
    row_label = labels[rows["record"]]
    picked = np.flatnonzero(np.isin(row_label, conflicted))
    order, starts, sizes = group_members(row_label[picked])
    for start, size in zip(starts.tolist(), sizes.tolist()):
        at = picked[order[start:start + size]]
        rejoined = _rejoin(rows["record"][at], rows["rank"][at], rows["token"][at], arrays["partner"], rank_of_record)
        for record, new_label in rejoined.items():
            labels[record] = new_label
    ages = _year_pair_pairs(*rows["year_pair_rows"], labels, arrays["partner"], rows["dated"], year_pair_max_units)
    weak = rows["weak_pairs"]
    return labels, (np.concatenate([weak[0], ages[0]]), np.concatenate([weak[1], ages[1]]))
