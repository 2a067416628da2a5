"""The counter stores that several workers share: the database and Redis."""

from __future__ import annotations

import secrets

import pytest
from sqlmodel import Session, delete, select

from hub.db import make_engine
from hub.models import RateLimitCounter
from hub.ratelimit.stores import DatabaseStore, RedisStore
from tests.factories.databases import fresh_database

REDIS_URL = "redis://127.0.0.1:6379/0"


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def database_engine(tmp_path):
    engine = make_engine(fresh_database(tmp_path, "rate_limits"))
    with engine.begin() as connection:  # on SQLite the same file serves each test of a worker
        connection.execute(delete(RateLimitCounter))
    yield engine
    engine.dispose()


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means there is no Redis to test against
        return False


@pytest.fixture(params=["database", "redis"])
def two_workers(request, database_engine):
    """Two stores as two workers of the hub would hold them, with one clock."""
    clock = Clock(1_000_000.0)
    if request.param == "database":
        return DatabaseStore(database_engine, clock), DatabaseStore(database_engine, clock), clock
    if not redis_available():
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"hub-test:{secrets.token_hex(8)}:"  # the Redis is shared: keys of this test only
    return RedisStore(REDIS_URL, clock, prefix), RedisStore(REDIS_URL, clock, prefix), clock


def test_two_workers_count_against_one_counter(two_workers):
    first, second, _ = two_workers
    assert [first.hit("token:client:c1", 60).hits, second.hit("token:client:c1", 60).hits] == [1, 2]
    assert second.hit("token:client:c2", 60).hits == 1


def test_a_new_window_starts_from_zero_and_says_how_long_is_left(two_workers):
    first, second, clock = two_workers
    clock.now = 60 * 1000 + 15.5  # 44.5 s left of the window
    first.hit("write:address:192.0.2.1", 60)
    assert second.hit("write:address:192.0.2.1", 60).seconds_left == 45
    clock.now += 60
    assert first.hit("write:address:192.0.2.1", 60).hits == 1


def test_ended_windows_are_deleted_from_the_database(database_engine):
    clock = Clock(600.0)
    store = DatabaseStore(database_engine, clock)
    store.hit("token:client:c1", 60)
    clock.now += 120
    store.hit("token:client:c2", 60)
    with Session(database_engine) as session:
        assert session.exec(select(RateLimitCounter.key)).all() == ["token:client:c2"]
