"""The steward's view of the audit log: its entries and a check of the whole chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hub.audit import service
from hub.audit.events import AuditEvent
from hub.audit.schemas import AuditPage, ChainCheckPublic
from hub.audit.verify import verify_chain
from hub.auth.dependencies import RequireScope
from hub.auth.scopes import Scope
from hub.db import SessionDep

router = APIRouter(prefix="/audit", tags=["audit"])
Steward = RequireScope(Scope.ADMIN)
MAX_SEQ = 2**31 - 1  # the entries' seq is a 32-bit integer column


@router.get("", response_model=AuditPage)
def read_audit(
    session: SessionDep,
    caller: Steward,
    after: Annotated[int, Query(ge=0, le=MAX_SEQ, description="Entries after this seq.")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    kind: AuditEvent | None = None,
):
    """Audit entries, oldest first: who did what to which id, when; each with its chain hashes."""
    return service.read_entries(session, after=after, limit=limit, kind=kind)


@router.get("/verification", response_model=ChainCheckPublic)
def verify_audit(session: SessionDep, caller: Steward):
    """Check the whole chain now and name the first broken entry, if any."""
    check = verify_chain(session)
    return ChainCheckPublic(ok=check.ok, entries=check.entries, checkpoints=check.checkpoints,
                            anchored_through=check.anchored_through, first_broken=check.first_broken,
                            problem=check.problem)
