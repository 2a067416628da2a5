"""AES-128 in ECB mode for the linkage encodings (:mod:`privacy.encodings`): one call per record.

On a partner's computer the cipher is ``cryptography``'s. In the browser (Pyodide, where
``cryptography`` is not available) it is the page's own: the hub's upload page loads
``@noble/ciphers`` (an audited pure JavaScript AES) beside Pyodide and sets
``globalThis.hubConnectorAes``, whose ``ecb(key)`` gives an object with ``encrypt(bytes)``. Both
are AES: the same key and bytes give the same output, so a record tokenised in the browser links
with the same record tokenised by the command-line connector (tests/browser checks it).
"""

from __future__ import annotations

import sys
from collections.abc import Callable


def ecb_encryptor(key: bytes) -> Callable[[bytes], bytes]:
    """A function encrypting whole 16-byte blocks with ``key`` (no padding, no state between calls).

    >>> encrypt = ecb_encryptor(bytes(16))
    >>> encrypt(bytes(16)).hex()  # FIPS-197's AES-128 of the zero block under the zero key
    '66e94bd4ef8a2c3b884cfa59ca342b2e'
    """
    if sys.platform == "emscripten":
        return _page_encryptor(key)
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    return Cipher(algorithms.AES(key), modes.ECB()).encryptor().update


def _page_encryptor(key: bytes) -> Callable[[bytes], bytes]:
    """The page's AES, through Pyodide's bridge to JavaScript (``js``, ``pyodide.ffi``)."""
    from js import hubConnectorAes
    from pyodide.ffi import to_js

    cipher = hubConnectorAes.ecb(to_js(key))

    def encrypt(data: bytes) -> bytes:
        return cipher.encrypt(to_js(data)).to_bytes()

    return encrypt
