"""Factories for submissions: upload rows as a connector would send them."""

from __future__ import annotations

import hashlib
from datetime import date
from functools import lru_cache

from hub.auth.dependencies import Caller, current_caller
from hub.models import Organisation
from tests.factories.auth import make_organisation as make_org
from privacy.encodings import make_encoding
from tests.privacy.linkage_factories import SECRET, random_levels

__all__ = ["act_as", "hex64", "make_org", "person_identifiers", "random_pairs", "upload_row"]

_GIVEN = ("Asha", "Bina", "Chandra", "Deepa", "Esha", "Fatima", "Gita", "Hira", "Indira", "Jyoti", "Kamala")
_FAMILY = ("Tamang", "Gurung", "Rai", "Limbu", "Magar", "Thapa", "Shrestha", "Karki", "Basnet", "Bhandari")

WRITER_SCOPES = frozenset({"submissions:write", "submissions:read"})


def act_as(app, organisation: Organisation, scopes=WRITER_SCOPES, client_id: str = "c_test") -> Caller:
    """Make ``app`` see every request as coming from ``organisation`` (token checks are tested elsewhere)."""
    caller = Caller(client_id=client_id, organisation_id=organisation.id, scopes=frozenset(scopes))
    app.dependency_overrides[current_caller] = lambda: caller
    return caller


def hex64(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def person_identifiers(person: int) -> dict:
    """The identifiers of synthetic person number ``person`` (distinct for distinct numbers below 110)."""
    return {
        "given_name": _GIVEN[person % len(_GIVEN)], "family_name": _FAMILY[person // len(_GIVEN) % len(_FAMILY)],
        "date_of_birth": date(1980 + person % 25, 1 + person % 12, 2 + person % 26), "sex": "Female",
        "citizenship": "NPL",
    }


@lru_cache(maxsize=1)
def random_pairs() -> dict:
    """What a connector sends at completion of a file of the synthetic persons: random pairs' levels."""
    return random_levels([person_identifiers(person) for person in range(100)]).wire()


def upload_row(row: int, case: str | None = None, person: int | None = None, **fields) -> dict:
    """An upload row of synthetic person ``person`` (by default, ``row``), encoded as a connector would."""
    values = {"registration_month": "2026-10", "gender": "Female", "age_band": "18-20", "citizenship": "NPL"}
    values.update(fields)
    return {
        "row": row,
        "case_ref": hex64(case or f"case-{row}"),
        "fields": values,
        "blocks": make_encoding(SECRET, **person_identifiers(row if person is None else person)).wire(),
    }
