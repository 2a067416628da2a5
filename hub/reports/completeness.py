"""Whether a period's expected partners have all submitted, before its reports are published for good.

The rule, for a month M: the partners expected for M are the organisations that have an accepted
submission for any of the ``publish_lookback_months`` months before M (3 by default); M is
complete once each of them has an accepted submission for M itself. A partner that has just
joined is expected from its second month on; one that stopped submitting is no longer expected
after that many months. A year is complete when each of its twelve months is. Organisation names
are the register of partners, not facts about anyone, so they are shown and recorded as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from hub.config import get_settings
from hub.models import Organisation, Submission, SubmissionStatus
from hub.releases.compute import DATASET
from hub.reports.definitions import cohorts_of


@dataclass(frozen=True)
class Completeness:
    """The expected partners missing from each month of a period (months with none missing are left out)."""

    period: str
    lookback_months: int
    missing: dict[str, tuple[str, ...]]  # month -> names of the expected partners without an accepted submission

    @property
    def complete(self) -> bool:
        return not self.missing

    def describe(self) -> str:
        """The missing partners, month by month, for the steward."""
        return "; ".join(f"{month}: {', '.join(names)}" for month, names in sorted(self.missing.items()))

    def as_parameters(self, forced_reason: str | None) -> dict:
        """What a release records of it: the rule, what was missing, and the steward's reason if forced."""
        return {
            "rule": f"every partner with an accepted submission for any of the {self.lookback_months} months "
                    "before a month has one for that month",
            "missing_partners": {month: list(names) for month, names in sorted(self.missing.items())},
            "forced_reason": forced_reason if not self.complete else None,
        }


def months_before(month: str, count: int) -> list[str]:
    """The ``count`` months before ``month`` (YYYY-MM), oldest first.

    >>> months_before("2026-02", 3)
    ['2025-11', '2025-12', '2026-01']
    """
    index = int(month[:4]) * 12 + int(month[5:]) - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count, index)]


def completeness(session: Session, period: str) -> Completeness:
    """Which expected partners have no accepted submission for the months of ``period`` (see module docstring)."""
    lookback = get_settings().publish_lookback_months
    months = cohorts_of(period)
    window = sorted({*months, *(m for month in months for m in months_before(month, lookback))})
    rows = session.exec(
        select(Submission.period, Organisation.name)
        .join(Organisation, Organisation.id == Submission.organisation_id)
        .where(Submission.dataset == DATASET, Submission.period.in_(window),
               Submission.status == SubmissionStatus.accepted)
    ).all()
    submitted: dict[str, set[str]] = {}
    for month, name in rows:
        submitted.setdefault(month, set()).add(name)
    missing = {}
    for month in months:
        expected = set().union(*(submitted.get(m, set()) for m in months_before(month, lookback)))
        absent = expected - submitted.get(month, set())
        if absent:
            missing[month] = tuple(sorted(absent))
    return Completeness(period, lookback, missing)
