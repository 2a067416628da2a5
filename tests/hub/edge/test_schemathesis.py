"""Schemathesis over the hub's own OpenAPI document: every answer is one the document describes.

A bounded number of generated requests per operation, made with an access token that holds every
scope (so that the operations themselves are reached, not only their 401), on the test database.

One check is left out: that every schema-valid request is accepted. Some rules cannot be written
in JSON Schema: a period lies in a window that moves with the calendar, a release's dimensions and
filter values must be ones the hub knows (GET /v1/dimensions). Such a request is answered with
the documented 422, which that check counts as a failure.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from sqlmodel import Session

from hub.auth.scopes import Scope
from hub.main import create_app
from tests.factories.auth import bearer, make_client, make_organisation
from tests.factories.databases import bound_to_session

EXAMPLES_PER_OPERATION = 12
APP = create_app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture
def every_scope(session: Session) -> Iterator[dict]:
    """APP on this test's database (as the ``app`` fixture), and a token holding every scope."""

    bound_to_session(APP, session)
    with TestClient(APP) as client:
        yield bearer(client, make_client(session, make_organisation(session, "Schemathesis"), list(Scope)))
    APP.dependency_overrides.clear()


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_answer_is_documented(case, every_scope):
    case.call_and_validate(headers=every_scope, excluded_checks=[positive_data_acceptance])
