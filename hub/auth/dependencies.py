"""Who is calling: the verified access token as a ``Caller``, and scope requirements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request


@dataclass(frozen=True)
class Caller:
    client_id: str
    organisation_id: str
    scopes: frozenset[str]


def current_caller(request: Request) -> Caller:
    raise NotImplementedError("token validation lands with the OAuth work")


CurrentCaller = Annotated[Caller, Depends(current_caller)]


def RequireScope(scope: str):  # noqa: N802 - reads as a type in signatures
    """``caller: RequireScope("submissions:write")`` - the caller, refused with 403 without ``scope``."""
    from hub.errors import Forbidden

    def _check(caller: CurrentCaller) -> Caller:
        if scope not in caller.scopes:
            raise Forbidden(f"this needs the scope {scope}")
        return caller

    return Annotated[Caller, Depends(_check)]
