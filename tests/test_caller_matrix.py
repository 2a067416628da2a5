"""Every route of the application, once per kind of caller, generated from the app's own routes.

A new route is in this matrix as soon as it exists: it must either be listed as public here, or
need an access token through ``RequireScope``, or be a person's page (it reads the sign-in session,
``hub.web.session``: its roles are tested in tests/hub/web); a route that checks the token without
a scope, or that is public without being listed, fails
:func:`test_every_route_is_public_or_needs_a_scope`.
"""

from __future__ import annotations

import re
import time

import pytest
from fastapi.routing import iter_route_contexts

from hub.auth.dependencies import current_caller
from hub.auth.scopes import Scope
from hub.main import create_app
from hub.web.session import web_context
from tests.factories.auth import bearer, make_client, make_organisation
from tests.hub.auth.helpers import resign

# Routes anyone may call: how a client gets in, what the hub and its schema are, published pages.
PUBLIC = {
    ("POST", "/oauth/token"), ("GET", "/.well-known/jwks.json"), ("GET", "/.well-known/oauth-authorization-server"),
    ("GET", "/v1/schemas/{schema_id}"), ("GET", "/v1/dimensions"), ("GET", "/privacy"), ("GET", "/"),
    ("GET", "/reports"), ("GET", "/reports/{release_id}"), ("GET", "/healthz"),
    ("GET", "/openapi.json"), ("GET", "/docs"), ("GET", "/docs/oauth2-redirect"), ("GET", "/redoc"),
    # How a person gets in: discovery, the authorisation endpoint's sign-in form, and userinfo (which
    # answers only an access token of a person's sign-in, checked by itself: no client's scope opens it).
    ("GET", "/.well-known/openid-configuration"), ("GET", "/oauth/authorize"), ("POST", "/oauth/authorize"),
    ("GET", "/oauth/userinfo"),
}
# Scopes whose holders act across organisations (a steward decides on every organisation's requests).
ACROSS_ORGANISATIONS = {Scope.RELEASES_APPROVE, Scope.ADMIN}
# Path parameters naming something an organisation owns: another organisation gets a 404 for it.
OWNED = {"submission_id", "request_id"}
# A valid body where a route reads one, so that a refusal is about the caller and not the form.
BODIES = {
    ("POST", "/v1/submissions/{submission_id}/complete"): {"expected_chunks": 0},
    ("PUT", "/v1/submissions/{submission_id}/chunks/{seq}"): {"rows": []},
    ("POST", "/v1/release-requests/{request_id}/reject"): {"reason": "not this one"},
}


def _walk(dependant):
    yield dependant
    for child in dependant.dependencies:
        yield from _walk(child)


def requirement(route) -> tuple[bool, list[frozenset], bool]:
    """Whether the route checks the access token, the scope sets its RequireScope checks ask for,
    and whether it is a person's page (it reads the sign-in session)."""
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return False, [], False
    calls = [d.call for d in _walk(dependant)]
    return (current_caller in calls, [c.required_scopes for c in calls if hasattr(c, "required_scopes")],
            web_context in calls)


# Static files (Mounts) have no methods; the pages' own files are tested in tests/hub/web.
ROUTES = [(method, route.path, *requirement(route))
          for route in iter_route_contexts(create_app().routes) for method in sorted((route.methods or set()) - {"HEAD"})]
PROTECTED = [(method, path, scopes[0]) for method, path, _, scopes, _ in ROUTES if scopes]


def test_every_route_is_public_or_needs_a_scope():
    for method, path, checks_token, scopes, page in ROUTES:
        if page:
            assert not checks_token, f"{method} {path} is a page and reads an access token"
        elif (method, path) in PUBLIC:
            assert not checks_token, f"{method} {path} is listed as public but checks a token"
        else:
            assert checks_token and len(scopes) == 1, f"{method} {path} is neither public nor behind one RequireScope"


def _fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{([^}]+)\}", lambda match: values.get(match.group(1), "no-such-thing"), path)


@pytest.fixture
def owner(client, session):
    """An organisation with a submission and a release request of its own, and its path values."""
    headers = bearer(client, make_client(session, make_organisation(session, "Owner"), list(Scope)))
    submission = client.post("/v1/submissions", headers=headers,
                             json={"dataset": "case-v1", "period": "2026-10", "linkage_secret_version": 1})
    request = client.post("/v1/release-requests", headers=headers, json={
        "dimensions": ["gender"], "cohorts": ["2026-10"], "epsilon": "0.5", "purpose": "a table of the matrix test"})
    assert submission.status_code == request.status_code == 201, (submission.text, request.text)
    return {"submission_id": submission.json()["id"], "request_id": request.json()["id"], "seq": "1"}


def _token_of(client, session, scopes) -> dict:
    return bearer(client, make_client(session, make_organisation(session), [str(s) for s in scopes]))


KINDS = {"anonymous": 401, "forged": 401, "expired": 401, "wrong scope": 403}


@pytest.mark.parametrize("kind", [*KINDS, "right scope"])
@pytest.mark.parametrize(("method", "path", "scopes"), PROTECTED, ids=[f"{m} {p}" for m, p, _ in PROTECTED])
def test_each_kind_of_caller(client, session, method, path, scopes, kind):
    first_scope = min(scopes)
    if kind == "anonymous":
        headers = {}
    elif kind == "forged":
        headers = {"Authorization": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."}
    elif kind == "expired":
        token = _token_of(client, session, [first_scope])["Authorization"].removeprefix("Bearer ")
        headers = {"Authorization": f"Bearer {resign(token, exp=int(time.time()) - 120)}"}
    elif kind == "wrong scope":
        headers = _token_of(client, session, [s for s in Scope if s not in scopes])
    else:
        headers = _token_of(client, session, [first_scope])
    response = client.request(method, _fill(path, {"seq": "1"}), headers=headers, json={})
    if kind in KINDS:
        assert response.status_code == KINDS[kind], response.text
        assert set(response.json()) == {"error", "detail"}
    else:
        assert response.status_code not in (401, 403), response.text


OWNED_ROUTES = [(m, p, s) for m, p, s in PROTECTED
                if OWNED & set(re.findall(r"\{([^}]+)\}", p)) and not set(s) & ACROSS_ORGANISATIONS]


@pytest.mark.parametrize(("method", "path", "scopes"), OWNED_ROUTES, ids=[f"{m} {p}" for m, p, _ in OWNED_ROUTES])
def test_another_organisation_gets_a_404_that_names_nothing(client, session, owner, method, path, scopes):
    headers = _token_of(client, session, [min(scopes)])
    response = client.request(method, _fill(path, owner), headers=headers, json=BODIES.get((method, path), {}))
    assert response.status_code == 404, response.text
    assert not [value for value in owner.values() if len(value) > 1 and value in response.text]
