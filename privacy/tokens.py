"""Keyed tokens made on the partner's machine: of a case reference, and of a value in general.

Privacy claim: a token is ``HMAC-SHA256(secret, label ‖ 0x1f ‖ value)``. Without the linkage
secret (held by the partners, never by the hub) a token cannot be recomputed from a guessed
value, so a dictionary attack on the tokens fails; with the secret, equal values give equal
tokens. The linkage material itself (blocks and salted comparison features) is made by
:mod:`privacy.encodings`.
"""

from __future__ import annotations

import hmac
import unicodedata

from privacy.normalise import NORMALISATION_VERSION

__all__ = ["NORMALISATION_VERSION", "linkage_token", "make_case_ref"]

_SEPARATOR = "\x1f"


def linkage_token(secret: bytes, label: str, *components: str) -> str:
    """The hex token of a labelled value: HMAC-SHA256 over the label and the value's components.

    The unit separator (0x1f) cannot occur in a normalised value, so no two different
    (label, components) inputs share a message.

    >>> import hashlib
    >>> token = linkage_token(b"k" * 32, "case_reference", "CASE-7")
    >>> token == hmac.new(b"k" * 32, b"case_reference\\x1fCASE-7", hashlib.sha256).hexdigest()
    True
    >>> token == linkage_token(b"j" * 32, "case_reference", "CASE-7")
    False
    """
    if not secret:
        raise ValueError("the linkage secret must not be empty")
    message = _SEPARATOR.join((label, *components)).encode("utf-8")
    return hmac.digest(secret, message, "sha256").hex()


def make_case_ref(secret: bytes, case_reference: str) -> str:
    """The keyed hash under which the hub knows a partner's own case number.

    The hub can tell the same case apart from another when the partner corrects it, but cannot
    read the case number.

    >>> make_case_ref(b"k" * 32, " CASE-7 ") == make_case_ref(b"k" * 32, "CASE-7")
    True
    """
    reference = unicodedata.normalize("NFKC", case_reference).strip()
    if not reference:
        raise ValueError("a case reference must not be blank")
    return linkage_token(secret, "case_reference", reference)
