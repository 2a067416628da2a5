"""``RequireScope(*any_of)``: one dependency for every scope check, over the ``Scope`` enumeration."""

from __future__ import annotations

import pytest

from hub.auth.dependencies import RequireScope
from hub.auth.scopes import SCOPES, Scope
from tests.factories.auth import bearer, make_client, make_organisation


@pytest.fixture(autouse=True)
def probe(app):
    @app.get("/_either")
    def _either(caller: RequireScope(Scope.REPORTS_READ, Scope.RELEASES_REQUEST)) -> dict:
        return {"client_id": caller.client_id}


def test_any_one_of_the_scopes_is_enough(client, session):
    headers = bearer(client, make_client(session, make_organisation(session), ["releases:request"]))
    assert client.get("/_either", headers=headers).status_code == 200


def test_none_of_them_is_403_naming_them_all(client, session):
    headers = bearer(client, make_client(session, make_organisation(session), ["submissions:write"]))
    response = client.get("/_either", headers=headers)
    assert response.status_code == 403
    assert response.json()["detail"] == "this needs one of the scopes reports:read, releases:request"


def test_a_requirement_names_known_scopes_and_at_least_one():
    with pytest.raises(ValueError):
        RequireScope()
    with pytest.raises(ValueError):
        RequireScope("reports:write")


def test_the_scopes_clients_are_granted_are_the_enumeration():
    assert SCOPES == ("submissions:write", "submissions:read", "reports:read", "releases:request",
                      "releases:approve", "admin")
