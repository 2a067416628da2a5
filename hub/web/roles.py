"""What each role may do: the scopes its pages act with, and the pages it is shown."""

from __future__ import annotations

from dataclasses import dataclass

from hub.auth.dependencies import Caller
from hub.models import UserRole

# The pages act through the same services as the API, as a caller with these scopes: the
# services' own rules (organisation scoping, the steward's scope) then hold for people too.
ROLE_SCOPES: dict[str, frozenset[str]] = {
    UserRole.ngo: frozenset({"submissions:read"}),
    UserRole.analyst: frozenset({"reports:read"}),
    UserRole.researcher: frozenset({"reports:read", "releases:request"}),
    UserRole.steward: frozenset({"reports:read", "releases:approve"}),
}


@dataclass(frozen=True)
class PageLink:
    href: str
    text: str


ROLE_PAGES: dict[str, tuple[PageLink, ...]] = {
    UserRole.ngo: (PageLink("/partner/submissions", "Our submissions"), PageLink("/partner/upload", "Send a file")),
    UserRole.analyst: (),
    UserRole.researcher: (PageLink("/researcher/requests", "My requests"),),
    UserRole.steward: (PageLink("/steward/requests", "Requests to decide"), PageLink("/steward/budget", "Budget"),
                       PageLink("/steward/partners", "Partners"), PageLink("/steward/publish", "Publish")),
}


def home_of(role: str) -> str:
    """Where a person lands after signing in: their role's first page, or the reports."""
    pages = ROLE_PAGES.get(role, ())
    return pages[0].href if pages else "/reports"


def caller_for(username: str, organisation_id: str, role: str) -> Caller:
    """The caller a person's page acts as; its ``client_id`` names the person in what it records."""
    return Caller(client_id=f"user:{username}", organisation_id=organisation_id, scopes=ROLE_SCOPES[role])
