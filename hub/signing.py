"""Signatures a reader can check: releases and receipts signed with the hub's key.

The signature is a compact JWS (ES256) over the canonical JSON of what it vouches for; the key is
the one published at ``/.well-known/jwks.json``. Anyone holding a release or a receipt can check
that the hub issued exactly those numbers, without asking the hub.
"""

from __future__ import annotations

import json

from joserfc import jws

from hub.auth.keys import SIGNING_ALGORITHM, signing_key


def canonical(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()


def sign(content: dict, kind: str) -> str:
    """A compact JWS over ``content``; ``kind`` (its ``typ``) says what was signed."""
    key = signing_key()
    header = {"alg": SIGNING_ALGORITHM, "kid": key.kid, "typ": kind}
    return jws.serialize_compact(header, canonical(content), key)
