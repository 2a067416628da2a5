"""The rate limits themselves: which requests count against which limit, and the 429.

Two kinds of route are limited: the token endpoint (where each request costs an scrypt check or a
signature check, and a guessed secret is tried) and the write routes. Each request counts against
its client (when the hub knows which one it claims to be) and against its source address; either
past its limit answers 429 with ``Retry-After``. Behind a proxy, the source address is the one the
proxy forwards (uvicorn's ``--proxy-headers`` with ``--forwarded-allow-ips``).

A client counts on the token endpoint under the id it claims, verified or not: someone sending
wrong secrets in another client's name can slow that client's token requests for a window, but
never get a token, and the source-address limit bounds what they can send.
"""

from __future__ import annotations

import functools
from typing import Literal

from fastapi import Request

from hub.config import Settings, get_settings
from hub.errors import HubError
from hub.ratelimit.stores import CounterStore, DatabaseStore, RedisStore

RouteKind = Literal["token", "write"]


class TooManyRequests(HubError):
    status_code = 429

    def __init__(self, seconds_left: int):
        super().__init__(f"too many requests; try again in {seconds_left} s",
                         headers={"Retry-After": str(seconds_left)})
        self.seconds_left = seconds_left


def _limits(settings: Settings, kind: RouteKind) -> tuple[int, int]:
    """(per client, per source address) requests per window for ``kind``."""
    if kind == "token":
        return settings.token_requests_per_client, settings.token_requests_per_address
    return settings.write_requests_per_client, settings.write_requests_per_address


class RateLimiter:
    def __init__(self, store: CounterStore):
        self.store = store

    def check(self, kind: RouteKind, *, client_id: str | None, address: str | None) -> None:
        """Count one request; :class:`TooManyRequests` if its client or its address is past its limit.

        Blocking (the store may be the database): call it from a worker thread.
        """
        settings = get_settings()
        per_client, per_address = _limits(settings, kind)
        waits = []
        for who, value, limit in (("client", client_id, per_client), ("address", address, per_address)):
            if value is None:
                continue
            # Bounded, so that any claimed id fits the key column; the prefix keeps kinds apart.
            hit = self.store.hit(f"{kind}:{who}:{value[:150]}", settings.rate_limit_window_s)
            if hit.hits > limit:
                waits.append(hit.seconds_left)
        if waits:
            raise TooManyRequests(max(waits))


def source_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def rate_limiter(request: Request) -> RateLimiter:
    """The application's limiter (``create_app`` puts one on ``app.state``)."""
    return request.app.state.rate_limiter


@functools.cache
def configured_store() -> CounterStore:
    """The store the settings name: Redis when ``HUB_RATE_LIMIT_REDIS_URL`` is set, else the database."""
    from hub.db import get_engine

    url = get_settings().rate_limit_redis_url
    return RedisStore(url) if url else DatabaseStore(get_engine())
