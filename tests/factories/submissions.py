"""Factories for submissions: upload rows as a connector would send them."""

from __future__ import annotations

import hashlib

from hub.auth.dependencies import Caller, current_caller
from hub.models import Organisation
from tests.factories.auth import make_organisation as make_org

__all__ = ["act_as", "hex64", "make_org", "upload_row"]

WRITER_SCOPES = frozenset({"submissions:write", "submissions:read"})


def act_as(app, organisation: Organisation, scopes=WRITER_SCOPES, client_id: str = "c_test") -> Caller:
    """Make ``app`` see every request as coming from ``organisation`` (token checks are tested elsewhere)."""
    caller = Caller(client_id=client_id, organisation_id=organisation.id, scopes=frozenset(scopes))
    app.dependency_overrides[current_caller] = lambda: caller
    return caller


def hex64(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def upload_row(row: int, case: str | None = None, **fields) -> dict:
    values = {"registration_month": "2026-10", "gender": "Female", "age_band": "18-20", "citizenship": "NPL"}
    values.update(fields)
    return {
        "row": row,
        "case_ref": hex64(case or f"case-{row}"),
        "fields": values,
        "tokens": {"name_dob": hex64(f"person-{row}")},
        "blocks": {"dob": hex64(f"born-{row}")},
    }
