"""A release's data snapshot: a keyed commitment to exactly the persons it was computed on.

    snapshot = HMAC-SHA256(snapshot secret, LABEL || nonce || SHA-256 digest of the persons)

A plain hash of the data would be a fact about it: an empty cohort would always show the hash of
nothing, and an unchanged hash would tell that nobody joined a cohort between two releases. Under
the key, and with a fresh random nonce per release, the published value looks random to whoever
lacks the key, whatever the data. The nonce is stored with the release and never served; the hub,
or an auditor given the key (``HUB_SNAPSHOT_SECRET``, distinct from every other secret), can later
recompute the commitment from the data and check a release against it with :func:`snapshot_matches`.
Binding rests on SHA-256 and HMAC-SHA256 being collision resistant.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import polars as pl

from hub.reports.persons import snapshot_hash

LABEL = b"ct-hub release snapshot v1\x00"
NONCE_BYTES = 32


def new_nonce() -> str:
    """A fresh nonce, as the hex text the release stores."""
    return secrets.token_hex(NONCE_BYTES)


def commit_snapshot(persons: pl.DataFrame, nonce: str, key: str) -> str:
    """The commitment (hex) to ``persons`` under ``key`` and ``nonce``."""
    message = LABEL + bytes.fromhex(nonce) + bytes.fromhex(snapshot_hash(persons))
    return hmac.digest(key.encode(), message, hashlib.sha256).hex()


def snapshot_matches(snapshot: str, nonce: str, persons: pl.DataFrame, key: str) -> bool:
    """Whether ``persons`` are the data a release with this snapshot and nonce was computed on."""
    return hmac.compare_digest(snapshot, commit_snapshot(persons, nonce, key))
