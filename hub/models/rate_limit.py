"""Request counters of the rate limits, one row per key and time window (see hub.ratelimit)."""

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel


class RateLimitCounter(SQLModel, table=True):
    """How many requests ``key`` (a client or a source address, per kind of route) made in one window."""

    __tablename__ = "rate_limit_counter"

    key: str = Field(primary_key=True, max_length=200)
    # The window's number: seconds since the epoch divided by the window's length.
    window: int = Field(primary_key=True, index=True, sa_type=BigInteger)
    hits: int = 0
