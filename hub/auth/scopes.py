"""The scopes a client can be granted: what each kind of route needs."""

from __future__ import annotations

from enum import StrEnum


class Scope(StrEnum):
    SUBMISSIONS_WRITE = "submissions:write"
    SUBMISSIONS_READ = "submissions:read"
    REPORTS_READ = "reports:read"
    RELEASES_REQUEST = "releases:request"
    RELEASES_APPROVE = "releases:approve"
    ADMIN = "admin"


# In the order a client's scopes are listed (registration, tokens, metadata).
SCOPES: tuple[str, ...] = tuple(scope.value for scope in Scope)
