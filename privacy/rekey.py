"""The hub's re-keying of what partners send, so that a stolen database is useless.

A partner's linkage token is ``HMAC(linkage secret, ...)``; the hub stores only
``HMAC(hub secret, token)``. Whoever holds the linkage secret but not the hub secret (a partner,
say) cannot recompute stored values from names, and the hub, which never holds the linkage
secret, cannot compute a token from a name at all.
"""

from __future__ import annotations

import hashlib
import hmac

_TOKEN_CONTEXT = b"hub-linkage-token-v1\x1f"
_CASE_REF_CONTEXT = b"hub-case-reference-v1\x1f"


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
