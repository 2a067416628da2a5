"""What resolution needs of a record, and the columnar store the resolver keeps them in."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from privacy.linkage.dice import pack_clks, popcounts

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
    """Records as columns; removal marks a record dead so that indices stay stable."""

    def __init__(self) -> None:
        self.keys: list = []
        self.index_of: dict = {}
        self.partner_ids: dict = {}
        self._partner: list[int] = []
        self._alive: list[bool] = []
        self._token_rows: list[tuple[int, int, int]] = []  # (record, label rank, token id)
        self._block_rows: list[tuple[int, int]] = []  # (record, block id)
        self._clks: list[bytes] = []
        self._has_clk: list[bool] = []
        self._arrays: dict | None = None

    def add(self, records: Iterable[LinkageRecord], label_rank: Mapping[str, int]) -> list[int]:
        added = []
        for record in records:
            if record.key in self.index_of:
                raise ValueError(f"record {record.key!r} is already linked; remove it first")
            index = len(self.keys)
            self.keys.append(record.key)
            self.index_of[record.key] = index
            self._partner.append(self.partner_ids.setdefault(record.partner, len(self.partner_ids)))
            self._alive.append(True)
            unknown_rank = len(label_rank)
            for label, token in record.tokens.items():
                self._token_rows.append((index, label_rank.get(label, unknown_rank), token_id(token)))
            self._block_rows.extend((index, token_id(block)) for block in record.blocks)
            usable_clk = record.clk is not None and len(record.clk) == _CLK_BYTES
            self._clks.append(record.clk if usable_clk else bytes(_CLK_BYTES))
            self._has_clk.append(usable_clk)
            added.append(index)
        self._arrays = None
        return added

    def remove(self, keys: Iterable) -> list[int]:
        removed = []
        for key in keys:
            index = self.index_of.pop(key, None)
            if index is not None:
                self._alive[index] = False
                removed.append(index)
        self._arrays = None
        return removed

    def arrays(self) -> dict[str, np.ndarray]:
        """Numpy views of the live records' columns (cached until the next change)."""
        if self._arrays is None:
            tokens = np.array(self._token_rows, dtype=np.uint64).reshape(-1, 3)
            blocks = np.array(self._block_rows, dtype=np.uint64).reshape(-1, 2)
            alive = np.array(self._alive, dtype=bool)
            packed = pack_clks(self._clks)
            self._arrays = {
                "alive": alive,
                "partner": np.array(self._partner, dtype=np.int64),
                "token_record": tokens[:, 0].astype(np.int64),
                "token_rank": tokens[:, 1].astype(np.int64),
                "token_id": tokens[:, 2],
                "block_record": blocks[:, 0].astype(np.int64),
                "block_id": blocks[:, 1],
                "clk": packed,
                "clk_count": popcounts(packed),
                "has_clk": np.array(self._has_clk, dtype=bool),
            }
        return self._arrays
