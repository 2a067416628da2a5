"""Signatures a reader can check: releases and receipts signed with the hub's key.

The signature is a compact JWS (ES256) over the canonical JSON of what it vouches for, by the
current key of the hub's ring (:mod:`hub.keys.signing`), named in its header by ``kid``; every key
of the ring, retired ones included, is published at ``/.well-known/jwks.json``. Anyone holding a
release or a receipt can check that the hub issued exactly those numbers, without asking the hub,
also after the key was replaced.
"""

from __future__ import annotations

import json

from joserfc import jws
from joserfc.errors import JoseError

from hub.auth.keys import SIGNING_ALGORITHM, signing_ring
from hub.keys.signing import SigningRing


def canonical(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()


def sign(content: dict, kind: str, ring: SigningRing | None = None) -> str:
    """A compact JWS over ``content`` by the ring's current key (the only one that signs); ``kind``
    (its ``typ``) says what was signed."""
    ring = ring or signing_ring()
    key = ring.current_key
    header = {"alg": SIGNING_ALGORITHM, "kid": key.kid, "typ": kind}
    return jws.serialize_compact(header, canonical(content), key)


def signed_by(signature: str, kind: str, ring: SigningRing | None = None) -> tuple[dict, str, str | None] | None:
    """What ``signature`` vouches for, the kid that signed it and, if that key is retired, when it
    was retired; None if it is not a ``kind`` signed by a key of the ring (forged, changed, a key
    this hub does not know, or another kind of document)."""
    ring = ring or signing_ring()
    try:
        header = jws.extract_compact(signature.encode()).headers()
    except (JoseError, ValueError):
        return None
    entry = ring.get(str(header.get("kid", "")))
    if entry is None or header.get("typ") != kind:
        return None
    try:
        token = jws.deserialize_compact(signature, entry.public(), algorithms=[SIGNING_ALGORITHM])
        content = json.loads(token.payload)
    except (JoseError, ValueError):
        return None
    return (content, entry.kid, entry.retired_at) if isinstance(content, dict) else None
