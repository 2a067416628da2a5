"""Helpers of the ``hub`` commands: a database session, JSON output, a clean failure."""

from __future__ import annotations

import json
import sys

import click
from sqlmodel import Session


def open_session() -> Session:
    from hub.db import get_engine

    return Session(get_engine(), expire_on_commit=False)


def as_jsonable(value):
    from dataclasses import asdict, is_dataclass

    data = asdict(value) if is_dataclass(value) else value
    return json.loads(json.dumps(data, default=str))


def fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)
