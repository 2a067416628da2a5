"""The connector's settings, read from the environment (the only module that reads it)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from connectors.errors import ConfigurationError

# Shorter secrets could be guessed, and with them every token recomputed from guessed names.
MIN_SECRET_BYTES = 16
_HEX = re.compile(r"^(?:[0-9a-fA-F]{2}){16,}$")


def parse_linkage_secret(text: str) -> bytes:
    """The secret's bytes: hex when it is written in hex (32 digits or more), else its UTF-8 text.

    >>> parse_linkage_secret("00" * 16) == bytes(16)
    True
    >>> parse_linkage_secret("correct horse battery staple")
    b'correct horse battery staple'
    """
    secret = bytes.fromhex(text) if _HEX.match(text) else text.encode("utf-8")
    if len(secret) < MIN_SECRET_BYTES:
        raise ConfigurationError(
            f"HUB_LINKAGE_SECRET is too short; it needs at least {MIN_SECRET_BYTES} bytes "
            "(32 hex digits); ask your key custodian for the partners' secret"
        )
    return secret


@dataclass(frozen=True)
class ConnectorConfig:
    """Where the hub is, who we are to it, and the linkage secret."""

    hub_url: str | None
    client_id: str | None
    client_secret: str | None
    client_key_file: str | None
    linkage_secret: bytes
    linkage_secret_version: int


def read_config(environ: Mapping[str, str] | None = None, *, need_hub: bool = True) -> ConnectorConfig:
    """Read and check ``HUB_*`` variables; a dry run needs only the linkage secret."""
    env = os.environ if environ is None else environ
    secret_text = env.get("HUB_LINKAGE_SECRET", "")
    if not secret_text:
        raise ConfigurationError("HUB_LINKAGE_SECRET is not set; it is needed to make linkage tokens")
    version_text = env.get("HUB_LINKAGE_SECRET_VERSION", "1")
    if not version_text.isdigit() or int(version_text) < 1:
        raise ConfigurationError("HUB_LINKAGE_SECRET_VERSION must be a whole number, 1 or more")
    config = ConnectorConfig(
        hub_url=env.get("HUB_URL") or None,
        client_id=env.get("HUB_CLIENT_ID") or None,
        client_secret=env.get("HUB_CLIENT_SECRET") or None,
        client_key_file=env.get("HUB_CLIENT_KEY") or None,
        linkage_secret=parse_linkage_secret(secret_text),
        linkage_secret_version=int(version_text),
    )
    if need_hub:
        if not config.hub_url:
            raise ConfigurationError("HUB_URL is not set (for example https://hub.example.org)")
        if not config.client_id:
            raise ConfigurationError("HUB_CLIENT_ID is not set")
        if bool(config.client_secret) == bool(config.client_key_file):
            raise ConfigurationError("set exactly one of HUB_CLIENT_SECRET and HUB_CLIENT_KEY (a private JWK file)")
    return config
