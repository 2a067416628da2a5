"""Registering organisations and listing them with their clients (the clients themselves: hub.auth.clients)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from hub.errors import InvalidRequest
from hub.models import OAuthClient, Organisation, OrganisationType

MAX_NAME = 200  # the column's length


class OrganisationNameTaken(InvalidRequest, ValueError):
    """Another organisation has this name."""


def create_organisation(session: Session, name: str, organisation_type: str) -> Organisation:
    """A new organisation of ``organisation_type`` (ngo, government, research, tech, steward).

    :raises InvalidRequest: an empty or overlong name, an unknown type, or a name already taken.
    """
    name = " ".join(name.split())
    if not 0 < len(name) <= MAX_NAME:
        raise InvalidRequest(f"an organisation's name is 1 to {MAX_NAME} characters")
    if organisation_type not in OrganisationType.__members__:
        raise InvalidRequest(f"an organisation's type is one of {', '.join(OrganisationType)}")
    if session.exec(select(Organisation.id).where(Organisation.name == name)).first():
        raise OrganisationNameTaken("another organisation has this name")
    organisation = Organisation(name=name, type=organisation_type)
    session.add(organisation)
    session.flush()
    return organisation


@dataclass(frozen=True)
class Partner:
    organisation: Organisation
    clients: list[OAuthClient]  # newest first, revoked ones included


def partners(session: Session) -> list[Partner]:
    """Every organisation, by name, with its clients."""
    organisations = session.exec(select(Organisation).order_by(Organisation.name)).all()
    by_organisation: dict[str, list[OAuthClient]] = {}
    for client in session.exec(select(OAuthClient).order_by(OAuthClient.created_at.desc())):
        by_organisation.setdefault(client.organisation_id, []).append(client)
    return [Partner(organisation, by_organisation.get(organisation.id, [])) for organisation in organisations]
