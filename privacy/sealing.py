"""Authenticated encryption of what the hub keeps at rest: AES-256-GCM, one fresh nonce per seal.

A sealed value is ``nonce (12 bytes) || ciphertext || tag (16 bytes)``. The ``context`` is
authenticated, not stored: it binds a sealed value to its place (a submission, a chunk, a key id),
so a value copied to another place no longer opens. Keys are wrapped the same way, under a master
key. Random 96-bit nonces are safe for far more seals per key than the hub makes (under 2**32).

>>> key = new_key()
>>> sealed = seal(key, b"features", b"submission 1")
>>> open_sealed(key, sealed, b"submission 1")
b'features'
>>> open_sealed(key, sealed, b"submission 2")
Traceback (most recent call last):
...
privacy.sealing.SealBroken: the sealed value does not open with this key and context
"""

from __future__ import annotations

import secrets

from Crypto.Cipher import AES

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
OVERHEAD = NONCE_BYTES + TAG_BYTES


class SealBroken(ValueError):
    """Wrong key, wrong context, or a sealed value that was changed."""


def new_key() -> bytes:
    """A fresh random AES-256 key."""
    return secrets.token_bytes(KEY_BYTES)


def seal(key: bytes, plaintext: bytes, context: bytes) -> bytes:
    """``plaintext`` encrypted and authenticated under ``key``, bound to ``context``."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    cipher = AES.new(key, AES.MODE_GCM, nonce=nonce, mac_len=TAG_BYTES)
    cipher.update(context)
    ciphertext, tag = cipher.encrypt_and_digest(plaintext)
    return nonce + ciphertext + tag


def open_sealed(key: bytes, sealed: bytes, context: bytes) -> bytes:
    """The plaintext of ``sealed``, after checking its tag.

    :raises SealBroken: the key or context is not the one it was sealed with, or it was changed.
    """
    if len(sealed) < OVERHEAD:
        raise SealBroken("the sealed value does not open with this key and context")
    nonce, ciphertext, tag = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:-TAG_BYTES], sealed[-TAG_BYTES:]
    cipher = AES.new(key, AES.MODE_GCM, nonce=nonce, mac_len=TAG_BYTES)
    cipher.update(context)
    try:
        return cipher.decrypt_and_verify(ciphertext, tag)
    except ValueError:
        raise SealBroken("the sealed value does not open with this key and context") from None
