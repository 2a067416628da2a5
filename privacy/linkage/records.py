"""What resolution needs of a record, and the columnar store the resolver keeps them in."""

from __future__ import annotations

from array import array
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from privacy.encodings import BLOCK_LABELS, ENTRY_BYTES, IMPLIED, Feature

SEXES = {"Female": 1, "Male": 2}
_LABEL_CODE = {label: code for code, label in enumerate(BLOCK_LABELS)}
# For each block label, the feature kinds its records hold by construction (privacy.encodings).
_IMPLIED_MASK = np.array(
    [sum(1 << kind for kind in IMPLIED[label]) for label in BLOCK_LABELS], dtype=np.uint32
)


@dataclass(frozen=True)
class LinkageRecord:
    """One record as the hub holds it: no identifier, only keyed encodings and coarse attributes.

    ``key`` names the record and must be orderable; ``partner`` the organisation that reported
    it; ``case`` a value equal for two records of one partner's case (its case reference, as the
    hub holds it: two versions of one case are one person, whatever their encodings say);
    ``sex`` (``Female``, ``Male`` or anything else for unknown) and ``citizenship`` are the
    record's attributes; ``blocks`` maps a block label to its (re-keyed) block token and its
    (re-keyed) packed features (:mod:`privacy.encodings`).
    """

    key: Hashable
    partner: Hashable
    blocks: Mapping[str, tuple[bytes, bytes]] = field(default_factory=dict)
    sex: str | None = None
    citizenship: str | None = None
    case: Hashable | None = None


@dataclass(frozen=True)
class StoreArrays:
    """The live records' columns, as numpy arrays; record indices are positions in the store."""

    alive: np.ndarray  # bool per record
    partner: np.ndarray  # int per record
    sex: np.ndarray  # 0 unknown, 1 female, 2 male
    citizenship: np.ndarray  # 0 unknown, else a code per value
    case: np.ndarray  # -1 none, else a code per (partner, case)
    kinds: np.ndarray  # uint32 per record: bit k set when the record has a feature of kind k
    member_record: np.ndarray  # per block membership: the record
    member_block: np.ndarray  # its block token's handle
    member_label: np.ndarray  # its block label's code (privacy.encodings.BLOCK_LABELS)
    entry_offsets: np.ndarray  # per block membership and one more: where its feature entries begin
    entry_kind: np.ndarray
    entry_token: np.ndarray


class RecordStore:
    """Records as compact columns; removal marks a record dead so that indices stay stable."""

    def __init__(self) -> None:
        self.keys: list = []
        self.index_of: dict = {}
        self._codes: dict[str, dict] = {"partner": {}, "citizenship": {None: 0}, "case": {}}
        self._partner, self._sex, self._citizenship, self._case = array("q"), array("b"), array("i"), array("q")
        self._alive = bytearray()
        self._member_record, self._member_block, self._member_label = array("i"), array("Q"), array("b")
        self._entry_counts = array("i")
        # The packed features of each call to add(), kept as they came (never one copy of them all).
        self._features: list[bytes] = []
        self._arrays: StoreArrays | None = None

    def add(self, records: Iterable[LinkageRecord]) -> list[int]:
        """Append records; all or none: a key already present (or twice among them) is refused."""
        first_index = len(self.keys)
        new_keys, index_of = [], {}
        partner_codes, citizenship_codes, case_codes = (self._codes[name] for name in ("partner", "citizenship", "case"))
        partners, sexes, citizenships, cases = [], [], [], []
        member_record, member_label, entry_counts, block_tokens, features_added = [], [], [], [], []
        label_code, sex_code = _LABEL_CODE.get, SEXES.get
        add_member, add_label, add_count = member_record.append, member_label.append, entry_counts.append
        add_token, add_features = block_tokens.append, features_added.append
        for record in records:
            key = record.key
            if key in self.index_of or key in index_of:
                raise ValueError(f"record {key!r} is already linked; remove it first")
            index = first_index + len(new_keys)
            new_keys.append(key)
            index_of[key] = index
            partners.append(partner_codes.setdefault(record.partner, len(partner_codes)))
            sexes.append(sex_code(record.sex, 0))
            citizenships.append(citizenship_codes.setdefault(record.citizenship or None, len(citizenship_codes)))
            cases.append(-1 if record.case is None
                         else case_codes.setdefault((record.partner, record.case), len(case_codes)))
            for label, (token, features) in record.blocks.items():
                code = label_code(label)
                if code is None:
                    continue
                add_member(index)
                add_label(code)
                # The block's handle: its token's first 64 bits (collisions: ~n² / 2⁶⁵), read for all
                # the records at once below.
                add_token(token[:8])
                usable = len(features) // ENTRY_BYTES
                add_count(usable)
                add_features(features if usable * ENTRY_BYTES == len(features) else features[:usable * ENTRY_BYTES])
        self.keys.extend(new_keys)
        self.index_of.update(index_of)
        self._partner.extend(partners)
        self._sex.extend(sexes)
        self._citizenship.extend(citizenships)
        self._case.extend(cases)
        self._alive.extend(bytes([1]) * len(new_keys))
        self._member_record.extend(member_record)
        self._member_label.extend(member_label)
        self._entry_counts.extend(entry_counts)
        handles = b"".join(block_tokens)
        if len(handles) != 8 * len(block_tokens):  # a token shorter than 8 bytes: zeros before it
            handles = b"".join(token.rjust(8, b"\0") for token in block_tokens)
        self._member_block.frombytes(np.frombuffer(handles, dtype=">u8").astype(np.uint64).tobytes())
        self._features.append(b"".join(features_added))
        self._arrays = None
        return list(range(first_index, first_index + len(new_keys)))

    def remove(self, keys: Iterable) -> list[int]:
        removed = []
        for key in keys:
            index = self.index_of.pop(key, None)
            if index is not None:
                self._alive[index] = 0
                removed.append(index)
        self._arrays = None
        return removed

    def _entries(self) -> tuple[np.ndarray, np.ndarray]:
        """Every feature entry's kind (uint8) and token (uint64), filled chunk by chunk."""
        total = sum(len(chunk) for chunk in self._features) // ENTRY_BYTES
        kinds, tokens = np.empty(total, dtype=np.uint8), np.empty(total, dtype=np.uint64)
        at = 0
        for chunk in self._features:
            entries = np.frombuffer(chunk, dtype=[("kind", "u1"), ("token", ">u8")])
            kinds[at:at + len(entries)] = entries["kind"]
            tokens[at:at + len(entries)] = entries["token"]
            at += len(entries)
        return kinds, tokens

    def arrays(self) -> StoreArrays:
        """The columns as numpy arrays (cached until the next change)."""
        if self._arrays is None:
            entry_kind, entry_token = self._entries()
            member_record = np.frombuffer(self._member_record, dtype=np.int32).astype(np.int64)
            member_label = np.frombuffer(self._member_label, dtype=np.int8).astype(np.int64)
            entry_counts = np.frombuffer(self._entry_counts, dtype=np.int32)
            entry_offsets = np.concatenate([[0], np.cumsum(entry_counts, dtype=np.int64)])
            # A record's kinds: those sent in its first block with those that block implies (every
            # block carries the record's other features).
            first = np.flatnonzero(np.diff(member_record, prepend=-1) != 0)
            entries, holders = _entries_of(entry_offsets, member_record, first)
            kinds = np.zeros(len(self.keys), dtype=np.uint32)
            np.bitwise_or.at(kinds, holders, np.left_shift(np.uint32(1), entry_kind[entries].astype(np.uint32)))
            kinds[member_record[first]] |= _IMPLIED_MASK[member_label[first]]
            self._arrays = StoreArrays(
                alive=np.frombuffer(self._alive, dtype=np.uint8).astype(bool),
                partner=np.frombuffer(self._partner, dtype=np.int64).copy(),
                sex=np.frombuffer(self._sex, dtype=np.int8).astype(np.int64),
                citizenship=np.frombuffer(self._citizenship, dtype=np.int32).astype(np.int64),
                case=np.frombuffer(self._case, dtype=np.int64).copy(),
                kinds=kinds,
                member_record=member_record,
                member_block=np.frombuffer(self._member_block, dtype=np.uint64).copy(),
                member_label=member_label,
                entry_offsets=entry_offsets,
                entry_kind=entry_kind,
                entry_token=entry_token,
            )
        return self._arrays


def entries_of(arrays: StoreArrays, members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The feature entries of block memberships ``members`` (positions in the entry columns), and
    the record holding each."""
    return _entries_of(arrays.entry_offsets, arrays.member_record, members)


def _entries_of(offsets: np.ndarray, member_record: np.ndarray, members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    counts = offsets[members + 1] - offsets[members]
    starts = np.repeat(offsets[members] - (np.cumsum(counts) - counts), counts)
    return starts + np.arange(int(counts.sum())), np.repeat(member_record[members], counts)


def has_kind(kinds: np.ndarray, *wanted: Feature) -> np.ndarray:
    """Whether each record (by its kinds mask) has a feature of any of the ``wanted`` kinds."""
    mask = np.uint32(sum(1 << kind for kind in wanted))
    return (kinds & mask) != 0
