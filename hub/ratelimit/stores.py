"""Where the rate limits' counters live: the database by default, Redis when configured.

Both are shared by every worker of the hub, so a limit holds however many workers there are.
A counter is a fixed window: ``hit`` adds one request to ``key`` in the current window and says
how many the window now holds and how many seconds are left of it.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Engine, delete
from sqlalchemy.dialects import postgresql, sqlite

from hub.models import RateLimitCounter

_COUNTERS = RateLimitCounter.__table__


@dataclass(frozen=True)
class Hit:
    hits: int  # requests of the key in the current window, this one included
    seconds_left: int  # until the window ends (what Retry-After says)


class CounterStore(Protocol):
    def hit(self, key: str, window_s: int) -> Hit: ...


def _window(now: float, window_s: int) -> tuple[int, int]:
    """The current window's number and the whole seconds left of it (at least 1)."""
    number = int(now // window_s)
    return number, max(1, math.ceil((number + 1) * window_s - now))


class DatabaseStore:
    """Counters in ``rate_limit_counter``, each hit its own short transaction (committed at once,
    whatever becomes of the request that made it)."""

    def __init__(self, engine: Engine, clock: Callable[[], float] = time.time):
        self.engine = engine
        self.clock = clock
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        self._insert = dialect.insert

    def hit(self, key: str, window_s: int) -> Hit:
        number, seconds_left = _window(self.clock(), window_s)
        statement = (
            self._insert(_COUNTERS)
            .values(key=key, window=number, hits=1)
            .on_conflict_do_update(index_elements=["key", "window"], set_={"hits": _COUNTERS.c.hits + 1})
            .returning(_COUNTERS.c.hits)
        )
        with self.engine.begin() as connection:
            hits = connection.execute(statement).scalar_one()
            if hits == 1:
                # A key's first request of a window clears every window that has ended.
                connection.execute(delete(_COUNTERS).where(_COUNTERS.c.window < number))
        return Hit(hits, seconds_left)


class RedisStore:
    """Counters in Redis (``INCR`` with an expiry of one window)."""

    def __init__(self, url: str, clock: Callable[[], float] = time.time, prefix: str = "hub:rate:"):
        import redis  # the optional ``redis`` extra; imported only when configured

        self.redis = redis.Redis.from_url(url)
        self.clock = clock
        self.prefix = prefix

    def hit(self, key: str, window_s: int) -> Hit:
        number, seconds_left = _window(self.clock(), window_s)
        name = f"{self.prefix}{key}:{number}"
        pipeline = self.redis.pipeline()
        pipeline.incr(name)
        pipeline.expire(name, window_s + 1, nx=True)
        hits, _ = pipeline.execute()
        return Hit(int(hits), seconds_left)


class MemoryStore:
    """Counters in this process only: for tests and a single-process hub, never for several workers."""

    def __init__(self, clock: Callable[[], float] = time.time):
        self.clock = clock
        self.counts: Counter[tuple[str, int]] = Counter()

    def hit(self, key: str, window_s: int) -> Hit:
        number, seconds_left = _window(self.clock(), window_s)
        self.counts[key, number] += 1
        return Hit(self.counts[key, number], seconds_left)
