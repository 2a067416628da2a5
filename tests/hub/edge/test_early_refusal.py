"""Hostile bodies are refused before the hub reads them: no token, no body; past the limit, 413."""

from __future__ import annotations

import pytest

from tests.factories.submissions import act_as, make_org
from tests.hub.edge.streaming import MIB, stream_body

WRITE_ROUTES = ["/v1/submissions", "/v1/release-requests"]
NEW = {"dataset": "case-v1", "period": "2026-10", "linkage_secret_version": 1}


@pytest.mark.parametrize("path", WRITE_ROUTES)
def test_without_a_token_not_one_piece_of_a_200_mib_body_is_read(app, path):
    exchange = stream_body(app, "POST", path, pieces=200)
    assert exchange.status == 401
    assert exchange.pieces_read == 0


@pytest.mark.parametrize("path", WRITE_ROUTES)
def test_a_declared_200_mib_body_is_413_at_once_without_a_token(app, path):
    exchange = stream_body(app, "POST", path, pieces=200, headers={"content-length": str(200 * MIB)})
    assert exchange.status == 413
    assert exchange.pieces_read == 0


def test_an_authenticated_body_is_refused_at_the_first_piece_past_the_limit(app, session):
    act_as(app, make_org(session))
    exchange = stream_body(app, "POST", "/v1/submissions", pieces=200)
    assert exchange.status == 413
    assert exchange.pieces_read == 1


def test_a_chunk_upload_is_counted_while_it_streams(app, client, session):
    act_as(app, make_org(session))
    submission_id = client.post("/v1/submissions", json=NEW).json()["id"]
    exchange = stream_body(app, "PUT", f"/v1/submissions/{submission_id}/chunks/1", pieces=40)
    assert exchange.status == 413
    assert exchange.pieces_read == 17  # 16 MiB allowed; the 17th piece goes past it


def test_a_too_large_body_has_the_hub_error_body(app, client, session):
    act_as(app, make_org(session))
    response = client.post("/v1/submissions", content=b" " * (65 * 1024), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"] == "PayloadTooLarge"
