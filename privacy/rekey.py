"""The hub's re-keying of what partners send, so that a stolen database is useless.

A partner's linkage token is ``HMAC(linkage secret, ...)``; the hub stores only
``HMAC(hub secret, token)``. Whoever holds the linkage secret but not the hub secret (a partner,
say) cannot recompute stored values from names, and the hub, which never holds the linkage
secret, cannot compute a token from a name at all.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

import numpy as np
from Crypto.Cipher import AES

from privacy.encodings import ENTRY_BYTES

_TOKEN_CONTEXT = b"hub-linkage-token-v1\x1f"
_CASE_REF_CONTEXT = b"hub-case-reference-v1\x1f"
_FEATURE_CONTEXT = b"hub-comparison-feature-v1"



def rekey_token(hub_secret: bytes, token_hex: str) -> bytes:
    """Re-key a partner's linkage token; equal tokens stay equal across partners.

    >>> a = rekey_token(b"hub secret", "ab" * 32)
    >>> a == rekey_token(b"hub secret", "ab" * 32), a == rekey_token(b"other", "ab" * 32), len(a)
    (True, False, 32)
    """
    return hmac.digest(hub_secret, _TOKEN_CONTEXT + bytes.fromhex(token_hex), hashlib.sha256)


def rekey_case_ref(hub_secret: bytes, organisation_id: str, case_ref_hex: str) -> bytes:
    """Re-key a case reference within its organisation: equal references of two partners differ.

    >>> rekey_case_ref(b"k", "org-a", "00" * 32) != rekey_case_ref(b"k", "org-b", "00" * 32)
    True
    """
    message = _CASE_REF_CONTEXT + organisation_id.encode() + b"\x1f" + bytes.fromhex(case_ref_hex)
    return hmac.digest(hub_secret, message, hashlib.sha256)


@lru_cache(maxsize=4)
def _feature_cipher(hub_secret: bytes):
    return AES.new(hmac.digest(hub_secret, _FEATURE_CONTEXT, hashlib.sha256)[:16], AES.MODE_ECB)


def rekey_features(hub_secret: bytes, blocks: list[bytes]) -> list[bytes]:
    """Re-key packed comparison features (:mod:`privacy.encodings`): each 8-byte token becomes the
    first half of its AES encryption under a key of the hub's; kinds stay. Equal tokens stay equal,
    and a partner holding the linkage secret cannot compute a stored token from a name.

    >>> one = bytes([1]) + bytes(8)
    >>> stored = rekey_features(b"hub secret", [one, one + bytes([2]) + bytes(8)])
    >>> stored[0] == stored[1][:9], stored[0][0], stored[0][1:] != bytes(8), len(stored[1])
    (True, 1, True, 18)
    """
    entries = np.frombuffer(b"".join(blocks), dtype=np.uint8).reshape(-1, ENTRY_BYTES).copy()
    padded = np.zeros((len(entries), 16), dtype=np.uint8)
    padded[:, :8] = entries[:, 1:]
    encrypted = np.frombuffer(_feature_cipher(hub_secret).encrypt(padded.tobytes()), dtype=np.uint8).reshape(-1, 16)
    entries[:, 1:] = encrypted[:, :8]
    packed = entries.tobytes()
    stored, at = [], 0
    for block in blocks:
        stored.append(packed[at:at + len(block)])
        at += len(block)
    return stored
