"""The connector's errors: each one becomes a single clear line for the data officer."""

from __future__ import annotations


class ConnectorError(Exception):
    """A problem that stops a push; its message is meant for the person running it."""


class FileRejected(ConnectorError):
    """The input file (or its mapping) cannot be used at all; nothing was sent to the hub."""


class ConfigurationError(ConnectorError):
    """The connector is not configured well enough to run (missing secret, hub address...)."""


class HubRequestFailed(ConnectorError):
    """The hub refused a request or could not be reached; ``body`` holds its JSON error, if any."""

    def __init__(self, message: str, *, status: int | None = None, body: dict | None = None):
        super().__init__(message)
        self.status = status
        self.body = body or {}
