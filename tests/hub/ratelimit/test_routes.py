"""The token endpoint and the write routes answer 429 with Retry-After past a limit."""

from __future__ import annotations

import pytest

import hub.auth.clients
from hub.config import get_settings
from hub.ratelimit.limiter import RateLimiter
from hub.ratelimit.stores import MemoryStore
from tests.factories.auth import bearer, make_client, make_organisation

GRANT = {"grant_type": "client_credentials"}
NEW = {"dataset": "case-v1", "period": "2026-10", "linkage_secret_version": 1}


@pytest.fixture(autouse=True)
def one_window(app):
    """Counters whose clock stands still, so that no test's requests straddle two windows."""
    app.state.rate_limiter = RateLimiter(MemoryStore(clock=lambda: 1_000_000.0))


@pytest.fixture
def scrypt_checks(monkeypatch) -> list:
    """Every scrypt computation the hub makes, recorded."""
    calls = []
    real = hub.auth.clients._scrypt

    def counted(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(hub.auth.clients, "_scrypt", counted)
    return calls


def test_wrong_secrets_past_the_clients_limit_are_429_without_an_scrypt_check(
    client, session, monkeypatch, scrypt_checks
):
    monkeypatch.setattr(get_settings(), "token_requests_per_client", 3)
    credentials = make_client(session, make_organisation(session), ["reports:read"])
    wrong = (credentials["client_id"], "not-the-secret")
    assert [client.post("/oauth/token", data=GRANT, auth=wrong).status_code for _ in range(3)] == [401] * 3
    checks_before = len(scrypt_checks)
    refused = client.post("/oauth/token", data=GRANT, auth=(credentials["client_id"], credentials["client_secret"]))
    assert refused.status_code == 429
    assert refused.json()["error"] == "too_many_requests"
    assert 1 <= int(refused.headers["retry-after"]) <= get_settings().rate_limit_window_s
    assert len(scrypt_checks) == checks_before


def test_one_address_trying_many_client_ids_is_limited(client, monkeypatch):
    monkeypatch.setattr(get_settings(), "token_requests_per_address", 5)
    answers = [client.post("/oauth/token", data=GRANT, auth=(f"c_guess{n}", "x")).status_code for n in range(6)]
    assert answers == [401] * 5 + [429]


def test_writes_past_the_clients_limit_are_429(client, session, monkeypatch):
    headers = bearer(client, make_client(session, make_organisation(session), ["submissions:write"]))
    monkeypatch.setattr(get_settings(), "write_requests_per_client", 2)
    answers = [client.post("/v1/submissions", json={**NEW, "period": p}, headers=headers).status_code
               for p in ("2026-08", "2026-09", "2026-10")]
    assert answers == [201, 201, 429]
    refused = client.post("/v1/submissions", json=NEW, headers=headers)
    assert refused.json()["error"] == "TooManyRequests"
    assert int(refused.headers["retry-after"]) >= 1


def test_refused_writes_count_too(client, session, monkeypatch):
    headers = bearer(client, make_client(session, make_organisation(session), ["submissions:write"]))
    monkeypatch.setattr(get_settings(), "write_requests_per_address", 2)
    answers = [client.post("/v1/submissions", json={}, headers=headers).status_code for _ in range(3)]
    assert answers == [422, 422, 429]


def test_reads_are_not_counted_as_writes(client, session, monkeypatch):
    headers = bearer(client, make_client(session, make_organisation(session), ["submissions:read"]))
    monkeypatch.setattr(get_settings(), "write_requests_per_client", 1)
    assert {client.get("/v1/submissions", headers=headers).status_code for _ in range(3)} == {200}
