"""The log: one structured line per request, and no traceback, SQL or submitted value in it."""

from __future__ import annotations

import io
import json
import logging

import pytest
from fastapi.testclient import TestClient

from hub.config import get_settings
from hub.db import SessionDep
from hub.models import Organisation
from hub.edge.logs import JsonFormatter, configure_logging
from tests.factories.submissions import act_as, make_org

MARKER = "Fatima-Begum-9812345678"


@pytest.fixture
def production_log():
    """Every line logged at any level, formatted as under production settings."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(production=True))
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_each_request_is_one_line_with_its_id_route_status_and_time(app, client, session, production_log):
    act_as(app, make_org(session))
    response = client.get(f"/v1/submissions/{MARKER}", params={"note": MARKER})
    (line,) = [line for line in lines(production_log) if line["logger"] == "hub.request"]
    assert {key: line[key] for key in ("method", "route", "status")} == {
        "method": "GET", "route": "/v1/submissions/{submission_id}", "status": 404}
    assert line["request_id"] == response.headers["x-request-id"]
    assert line["duration_ms"] >= 0
    assert MARKER not in production_log.getvalue()


def test_a_plain_request_id_sent_by_the_caller_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "partner-upload-0001"})
    assert response.headers["x-request-id"] == "partner-upload-0001"
    assert client.get("/healthz", headers={"X-Request-ID": MARKER + " <b>"}).headers["x-request-id"] != MARKER


def test_a_database_error_is_contained_and_logged_without_its_message(app, session, production_log):
    """Starlette re-raises after the 500 (uvicorn would log the traceback); the error's message and
    SQL hold the value that broke the constraint, on SQLite and on PostgreSQL alike."""

    @app.post("/_duplicate")
    def duplicate(session: SessionDep) -> None:
        session.add(Organisation(name=MARKER, type="ngo"))
        session.flush()
        session.add(Organisation(name=MARKER, type="ngo"))
        session.flush()

    with TestClient(app, raise_server_exceptions=True) as client:  # an escaping error would raise here
        response = client.post("/_duplicate")
    assert response.status_code == 500
    assert response.json() == {"error": "InternalError", "detail": "the hub failed; nothing was stored"}
    logged = production_log.getvalue()
    assert "IntegrityError" in logged
    for secret in (MARKER, "Traceback", "INSERT", "organisation.name"):
        assert secret not in logged


def test_the_production_format_drops_tracebacks_and_development_keeps_them():
    try:
        raise ValueError(MARKER)
    except ValueError:
        record = logging.getLogger("x").makeRecord("x", logging.ERROR, __file__, 1, "failed", (), __import__("sys").exc_info())
    production = JsonFormatter(production=True).format(record)
    assert json.loads(production)["exception"] == "ValueError"
    assert MARKER not in production and "Traceback" not in production
    assert MARKER in JsonFormatter(production=False).format(record)


def test_libraries_that_log_sql_or_client_ids_are_held_at_warning(monkeypatch):
    configure_logging(get_settings())
    for name in ("sqlalchemy.engine", "authlib.oauth2", "uvicorn.access"):
        assert not logging.getLogger(name).isEnabledFor(logging.INFO)
