"""What the audit log records: a fixed list of events, and details checked against a fixed list of keys.

An entry says who (a client id, or ``cli``, ``linker``, ``hub``), which organisation, about what (an
id) and a few details. Details are never free text and never a number: a value is a short code (an
id, a period, a status, an epsilon written as text), a flag, or a list of codes. So no name, no
reason typed by a person and no count of records can reach the log, whatever a caller passes.
"""

from __future__ import annotations

import re
from enum import StrEnum


class AuditEvent(StrEnum):
    token_issued = "token.issued"
    sign_in_failed = "sign-in.failed"
    client_created = "client.created"
    client_revoked = "client.revoked"
    submission_created = "submission.created"
    submission_completed = "submission.completed"
    submission_replaced = "submission.replaced"
    submission_abandoned = "submission.abandoned"
    release_requested = "release.requested"
    release_approved = "release.approved"
    release_rejected = "release.rejected"
    release_computed = "release.computed"
    budget_changed = "budget.changed"
    report_published = "report.published"
    linkage_run = "linkage.run"
    keys_rotated = "keys.rotated"
    signing_key_added = "signing-key.added"
    signing_key_made_current = "signing-key.current"
    signing_key_retired = "signing-key.retired"
    backup_made = "backup.made"
    database_restored = "database.restored"


# The only detail keys an entry may hold; what each means is in docs/security.md.
DETAIL_KEYS = frozenset({
    "auth_method", "cohorts", "dataset", "delta", "epsilon", "forced", "full", "key_id", "kind", "new_epsilon",
    "old_epsilon", "old_key_ids", "period", "purpose", "reason", "release", "releases", "replaced_by", "report",
    "scopes", "status", "version",
})
# A code: no spaces, so no sentence or full name; short, so no document. Ids, periods, epsilons, scopes.
_CODE = re.compile(r"^[A-Za-z0-9_.:+\-]{1,80}$")
MAX_LIST = 400


def is_code(value: object) -> bool:
    """Whether ``value`` may stand in an entry as a code."""
    return isinstance(value, str) and bool(_CODE.match(value))


def checked_code(value: object, what: str) -> str:
    if not isinstance(value, str) or not _CODE.match(value):
        raise ValueError(f"audit {what} must be a short code (letters, digits, _.:+-), not free text")
    return value


def checked_details(details: dict) -> dict:
    """``details`` as stored, or ValueError if a key is not on the list or a value is not a code, a
    flag or a list of codes (numbers are refused: a count must never reach the log)."""
    unknown = sorted(set(details) - DETAIL_KEYS)
    if unknown:
        raise ValueError(f"audit details may not hold {', '.join(unknown)}")
    checked = {}
    for key, value in details.items():
        if value is None:
            continue
        if isinstance(value, bool):
            checked[key] = value
        elif isinstance(value, (list, tuple)):
            if len(value) > MAX_LIST:
                raise ValueError(f"audit detail {key} lists more than {MAX_LIST} values")
            checked[key] = [checked_code(item, f"detail {key}") for item in value]
        else:
            checked[key] = checked_code(value, f"detail {key}")
    return checked
