"""Dice similarity of CLKs, on packed bits with numpy, and the hub's storage permutation of CLKs.

Privacy claim: none of its own; these functions compute on CLKs the hub already holds. The
permutation is what keeps stored CLKs useless to a partner who holds the linkage secret but not
the hub's secret (it preserves every Dice similarity, so linkage is unchanged).
"""

from __future__ import annotations

import hashlib
import hmac

import numpy as np

_WORDS = 16  # 1024 bits as 64-bit words
_PAIRS_PER_CHUNK = 1 << 17


def pack_clks(clks: list[bytes]) -> np.ndarray:
    """CLKs of 128 bytes as an ``(n, 16)`` array of unsigned 64-bit words."""
    if not clks:
        return np.zeros((0, _WORDS), dtype=np.uint64)
    return np.frombuffer(b"".join(clks), dtype=">u8").astype(np.uint64).reshape(len(clks), _WORDS)


def popcounts(packed: np.ndarray) -> np.ndarray:
    """The number of set bits of each packed CLK."""
    return np.bitwise_count(packed).sum(axis=1, dtype=np.int32)


def dice_of_pairs(packed: np.ndarray, counts: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Dice similarity ``2|a & b| / (|a| + |b|)`` of the rows ``left[i]`` and ``right[i]``.

    >>> packed = pack_clks([b"\\xff" * 64 + bytes(64), b"\\xff" * 128])
    >>> [round(float(score), 3) for score in dice_of_pairs(packed, popcounts(packed), np.array([0]), np.array([1]))]
    [0.667]
    """
    scores = np.empty(len(left), dtype=np.float32)
    for start in range(0, len(left), _PAIRS_PER_CHUNK):
        a, b = left[start:start + _PAIRS_PER_CHUNK], right[start:start + _PAIRS_PER_CHUNK]
        common = np.bitwise_count(packed[a] & packed[b]).sum(axis=1, dtype=np.int32)
        total = counts[a] + counts[b]
        scores[start:start + len(a)] = np.where(total > 0, 2.0 * common / np.maximum(total, 1), 0.0)
    return scores


def containment_of_pairs(packed: np.ndarray, counts: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Overlap ``|a & b| / min(|a|, |b|)``: how much of the sparser CLK the other one holds.

    >>> packed = pack_clks([b"\\xff" * 64 + bytes(64), b"\\xff" * 128])
    >>> containment_of_pairs(packed, popcounts(packed), np.array([0]), np.array([1])).tolist()
    [1.0]
    """
    scores = np.empty(len(left), dtype=np.float32)
    for start in range(0, len(left), _PAIRS_PER_CHUNK):
        a, b = left[start:start + _PAIRS_PER_CHUNK], right[start:start + _PAIRS_PER_CHUNK]
        common = np.bitwise_count(packed[a] & packed[b]).sum(axis=1, dtype=np.int32)
        least = np.minimum(counts[a], counts[b])
        scores[start:start + len(a)] = np.where(least > 0, common / np.maximum(least, 1), 0.0)
    return scores


def dice_of_bytes(first: bytes, second: bytes) -> float:
    """Dice similarity of two CLKs given as bytes (for tests and single comparisons).

    >>> dice_of_bytes(b"\\x0f", b"\\x03")
    0.6666666666666666
    """
    a, b = int.from_bytes(first, "big"), int.from_bytes(second, "big")
    total = a.bit_count() + b.bit_count()
    return 2 * (a & b).bit_count() / total if total else 0.0


def permute_clks(hub_secret: bytes, clks: list[bytes]) -> list[bytes]:
    """The hub's storage form of CLKs: their bits permuted by a permutation keyed by its secret.

    Each half of a CLK (:mod:`privacy.clk`: year-salted, citizenship-salted) is permuted within
    itself, so that the resolver can still compare the halves apart.

    >>> stored = permute_clks(b"hub", [bytes(range(128))])[0]
    >>> stored != bytes(range(128)), dice_of_bytes(stored, stored)
    (True, 1.0)
    >>> a, b = bytes(range(128)), bytes(range(1, 129))
    >>> pa, pb = permute_clks(b"hub", [a, b])
    >>> round(dice_of_bytes(pa, pb), 9) == round(dice_of_bytes(a, b), 9)
    True
    >>> round(dice_of_bytes(pa[64:], pb[64:]), 9) == round(dice_of_bytes(a[64:], b[64:]), 9)
    True
    """
    if not clks:
        return []
    seed = hmac.digest(hub_secret, b"hub-clk-permutation-v2", hashlib.sha256)
    generator = np.random.Generator(np.random.PCG64(int.from_bytes(seed, "big")))
    half = len(clks[0]) * 4
    order = np.concatenate([generator.permutation(half), half + generator.permutation(half)])
    bits = np.unpackbits(np.frombuffer(b"".join(clks), dtype=np.uint8).reshape(len(clks), -1), axis=1)
    return [row.tobytes() for row in np.packbits(bits[:, order], axis=1)]
