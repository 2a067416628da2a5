"""``Idempotency-Key`` support: a retried request gets the first answer, never a second effect.

The same key with the same body answers what the first request answered; the same key with
another body is refused with 422, since it is almost certainly a client bug.
"""

from __future__ import annotations

import hashlib
import json

from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from hub.errors import Conflict, InvalidRequest
from hub.models import IdempotencyKey


def request_hash(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def replay(session: Session, organisation_id: str, key: str, fingerprint: str) -> JSONResponse | None:
    """The remembered answer for ``key``, or None when the key is new."""
    if not 1 <= len(key) <= 200:
        raise InvalidRequest("an Idempotency-Key must be 1 to 200 characters long")
    remembered = session.get(IdempotencyKey, (organisation_id, key))
    if remembered is None:
        return None
    if remembered.request_hash != fingerprint:
        raise InvalidRequest("this Idempotency-Key was already used with a different request")
    return JSONResponse(json.loads(remembered.response_body), status_code=remembered.response_status)


def remember(session: Session, organisation_id: str, key: str, fingerprint: str, status: int, body: dict) -> None:
    session.add(
        IdempotencyKey(
            organisation_id=organisation_id, key=key, request_hash=fingerprint,
            response_status=status, response_body=json.dumps(body, default=str),
        )
    )
    try:
        session.flush()
    except IntegrityError as error:
        raise Conflict("a request with this Idempotency-Key is being processed; retry in a moment") from error
