"""What resolution needs of a record, and the columnar store the resolver keeps them in."""

from __future__ import annotations

from array import array
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np

from privacy.linkage.dice import popcounts

_CLK_BYTES = 128


@dataclass(frozen=True)
class LinkageRecord:
    """One record as the hub holds it: no identifier, only keyed tokens.

    ``key`` names the record (for the hub: submission row or partner + case reference) and must
    be orderable; ``tokens`` maps a match-key label to its (re-keyed) token; ``blocks`` are the
    record's (re-keyed) blocking tokens; ``clk`` its (permuted) 128-byte CLK, if any.
    """

    key: Hashable
    partner: Hashable
    tokens: Mapping[str, bytes] = field(default_factory=dict)
    clk: bytes | None = None
    blocks: Iterable[bytes] = ()


def token_id(token: bytes) -> int:
    """The first 64 bits of a token: the resolver's handle on it (collisions: ~n² / 2⁶⁵)."""
    return int.from_bytes(token[:8], "big")


class RecordStore:
    """Records as compact columns; removal marks a record dead so that indices stay stable."""

    def __init__(self) -> None:
        self.keys: list = []
        self.index_of: dict = {}
        self.partner_ids: dict = {}
        self._partner = array("q")
        self._alive = bytearray()
        # Token rows are most of the store (about 20 per record): a record index fits 32 bits, a
        # label rank 8.
        self._token_record, self._token_rank, self._token_id = array("i"), array("b"), array("Q")
        self._block_record, self._block_id = array("q"), array("Q")
        self._clks = bytearray()
        self._has_clk = bytearray()
        self._arrays: dict | None = None

    def add(self, records: Iterable[LinkageRecord], label_rank: Mapping[str, int]) -> list[int]:
        added = []
        unknown_rank = len(label_rank)
        for record in records:
            if record.key in self.index_of:
                raise ValueError(f"record {record.key!r} is already linked; remove it first")
            index = len(self.keys)
            self.keys.append(record.key)
            self.index_of[record.key] = index
            self._partner.append(self.partner_ids.setdefault(record.partner, len(self.partner_ids)))
            self._alive.append(1)
            tokens = record.tokens
            self._token_record.extend(repeat(index, len(tokens)))
            self._token_rank.extend([label_rank.get(label, unknown_rank) for label in tokens])
            self._token_id.extend(map(token_id, tokens.values()))
            blocks = list(map(token_id, record.blocks))
            self._block_record.extend(repeat(index, len(blocks)))
            self._block_id.extend(blocks)
            usable_clk = record.clk is not None and len(record.clk) == _CLK_BYTES
            self._clks += record.clk if usable_clk else bytes(_CLK_BYTES)
            self._has_clk.append(usable_clk)
            added.append(index)
        self._arrays = None
        return added

    def remove(self, keys: Iterable) -> list[int]:
        removed = []
        for key in keys:
            index = self.index_of.pop(key, None)
            if index is not None:
                self._alive[index] = 0
                removed.append(index)
        self._arrays = None
        return removed

    def arrays(self) -> dict[str, np.ndarray]:
        """Numpy views of the records' columns (cached until the next change)."""
        if self._arrays is None:
            packed = np.frombuffer(self._clks, dtype=">u8").astype(np.uint64).reshape(-1, _CLK_BYTES // 8)
            self._arrays = {
                "alive": np.frombuffer(self._alive, dtype=np.uint8).astype(bool),
                "partner": np.frombuffer(self._partner, dtype=np.int64).copy(),
                "token_record": np.frombuffer(self._token_record, dtype=np.int32).copy(),
                "token_rank": np.frombuffer(self._token_rank, dtype=np.int8).copy(),
                "token_id": np.frombuffer(self._token_id, dtype=np.uint64).copy(),
                "block_record": np.frombuffer(self._block_record, dtype=np.int64).copy(),
                "block_id": np.frombuffer(self._block_id, dtype=np.uint64).copy(),
                "clk": packed,
                "clk_count": popcounts(packed),
                # The halves of a CLK (privacy.clk): salted by year of birth, by citizenship.
                "year_clk": packed[:, :_CLK_BYTES // 16],
                "year_clk_count": popcounts(packed[:, :_CLK_BYTES // 16]),
                "citizenship_clk": packed[:, _CLK_BYTES // 16:],
                "citizenship_clk_count": popcounts(packed[:, _CLK_BYTES // 16:]),
                "has_clk": np.frombuffer(self._has_clk, dtype=np.uint8).astype(bool),
            }
        return self._arrays
