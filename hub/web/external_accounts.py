"""Accounts of an external issuer: its ID token's claims mapped to a hub organisation and role.

The operator names the claims (``HUB_OIDC_ORGANISATION_CLAIM``, ``HUB_OIDC_ROLE_CLAIM``, dotted
paths for nested ones such as Keycloak's ``realm_access.roles``) and, optionally, how their values
map to the hub's organisations and roles. A person whose claims map to no organisation of the hub,
to no role or to more than one, is not signed in. The account is found again by the issuer and
``sub``; its organisation and role follow the issuer's claims at every sign-in.
"""

from __future__ import annotations

import re

from sqlmodel import Session, select

from hub.config import Settings
from hub.models import Organisation, OrganisationType, UserRole, WebUser
from hub.web.issuers import SignInFailed

NOT_A_USERNAME = re.compile(r"[^a-z0-9._-]+")
MAX_USERNAME = 50


def claim(claims: dict, path: str):
    """The value at a dotted ``path`` of the claims (``realm_access.roles``), or None."""
    value = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _values(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def mapped_role(claims: dict, settings: Settings) -> str:
    """The one hub role the claims give, or SignInFailed (none, or several)."""
    values = _values(claim(claims, settings.oidc_role_claim))
    mapping = settings.oidc_roles or {role.value: role.value for role in UserRole}
    roles = {mapping[value] for value in values if value in mapping}
    if len(roles) != 1 or next(iter(roles)) not in UserRole.__members__:
        raise SignInFailed("role_unmapped" if not roles else "role_ambiguous")
    return roles.pop()


def mapped_organisation(session: Session, claims: dict, settings: Settings) -> Organisation:
    """The hub organisation the claims name, or SignInFailed."""
    values = _values(claim(claims, settings.oidc_organisation_claim))
    names = {settings.oidc_organisations.get(value) if settings.oidc_organisations else value for value in values}
    names.discard(None)
    if len(names) != 1:
        raise SignInFailed("organisation_unmapped" if not names else "organisation_ambiguous")
    organisation = session.exec(select(Organisation).where(Organisation.name == names.pop())).first()
    if organisation is None:
        raise SignInFailed("organisation_unknown")
    return organisation


def _username(claims: dict, settings: Settings) -> str:
    # Names appear in the pages and as "user:NAME" in what a person does, which keeps to codes:
    # an e-mail address becomes "amina-ministry.example".
    raw = claim(claims, settings.oidc_username_claim)
    name = NOT_A_USERNAME.sub("-", raw.strip().lower()).strip("-._")[:MAX_USERNAME] if isinstance(raw, str) else ""
    if len(name) < 3:
        raise SignInFailed("username_missing")
    return name


def external_account(session: Session, issuer: str, claims: dict, settings: Settings) -> WebUser:
    """The account of this issuer's ``sub``, made or brought up to date from the claims.

    :raises SignInFailed: the claims map to no organisation or role of the hub, or a steward's role
        outside a stewards' organisation, or a username another account holds.
    """
    organisation = mapped_organisation(session, claims, settings)
    role = mapped_role(claims, settings)
    if (role == UserRole.steward) != (organisation.type == OrganisationType.steward):
        raise SignInFailed("steward_outside_stewards")
    username = _username(claims, settings)
    user = session.exec(select(WebUser).where(WebUser.issuer == issuer, WebUser.subject == claims["sub"])).first()
    holder = session.exec(select(WebUser.id).where(WebUser.username == username)).first()
    if holder is not None and (user is None or holder != user.id):
        raise SignInFailed("username_taken")
    if user is None:
        user = WebUser(username=username, organisation_id=organisation.id, role=role, issuer=issuer,
                       subject=claims["sub"])
    else:
        user.username, user.organisation_id, user.role = username, organisation.id, role
    session.add(user)
    session.flush()
    return user
