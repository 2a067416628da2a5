"""The connector waits as long as a 429's Retry-After asks before it tries again."""

from __future__ import annotations

import httpx

from connectors.hub_client import MAX_RETRY_AFTER_S, HubClient


def client_answering(*answers: httpx.Response) -> tuple[HubClient, list[float]]:
    waits: list[float] = []
    queue = list(answers)
    http = httpx.Client(base_url="http://hub.invalid", transport=httpx.MockTransport(lambda request: queue.pop(0)))
    return HubClient(http, None, first_backoff_s=0.5, sleep=waits.append), waits


def test_a_429_is_retried_after_the_seconds_it_names():
    hub, waits = client_answering(httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, json={}))
    assert hub.read_submission("s1") == {}
    assert waits == [7.0]


def test_an_absurd_retry_after_is_capped_and_a_missing_one_backs_off():
    hub, waits = client_answering(httpx.Response(429, headers={"Retry-After": "999999"}), httpx.Response(429),
                                  httpx.Response(200, json={}))
    hub.read_submission("s1")
    assert waits == [MAX_RETRY_AFTER_S, 1.0]
