"""Two stewards approving at the same moment cannot overdraw a cohort's budget.

Real commits on a fresh database, two sessions in two threads released together by a barrier.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from sqlmodel import Session, func, select

from hub.auth.dependencies import Caller
from hub.budget.service import BudgetExhausted, accounts
from hub.budget.totals import set_total
from hub.db import make_engine
from hub.models import BudgetEntry, Organisation, Release, ReleaseRequest
from hub.releases import service
from tests.factories.databases import fresh_database

COHORT = "2026-01"
STEWARD = Caller("c_steward", "stewards", frozenset({"releases:approve"}))


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(fresh_database(tmp_path, "race"))
    yield engine
    engine.dispose()


def two_requests(engine) -> list[str]:
    with Session(engine) as session:
        researcher = Organisation(name="University", type="research")
        session.add(researcher)
        session.flush()
        set_total(session, "case-v1", COHORT, "research", Decimal("1"), reason="the default, set explicitly",
                  changed_by="a test")
        caller = Caller("c_researcher", researcher.id, frozenset({"releases:request"}))
        ids = []
        # Each asks for epsilon 0.8 of a budget of 1. Under zCDP two of them compose to about
        # epsilon 1.15 (rho adds up, epsilon does not): one fits, two do not.
        for _ in range(2):
            request = ReleaseRequest(organisation_id=caller.organisation_id, client_id=caller.client_id,
                                     dataset="case-v1", dimensions=["gender"], filters={}, cohorts=[COHORT],
                                     statistic="count", epsilon=Decimal("0.8"), purpose="a race between approvals")
            session.add(request)
            ids.append(request.id)
        session.commit()
        return ids


def test_concurrent_approvals_cannot_overdraw(engine):
    ids = two_requests(engine)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def approve(request_id: str) -> None:
        with Session(engine, expire_on_commit=False) as session:
            barrier.wait()
            try:
                service.approve(session, STEWARD, request_id)
                session.commit()
                outcomes[request_id] = "approved"
            except BudgetExhausted:
                session.rollback()
                outcomes[request_id] = "refused"

    threads = [threading.Thread(target=approve, args=(request_id,)) for request_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["approved", "refused"]
    with Session(engine) as session:
        (account,) = accounts(session)
        assert account.spent_rho <= account.total_rho
        assert session.exec(select(func.count()).select_from(Release)).one() == 1
        assert session.exec(select(func.count()).select_from(BudgetEntry)).one() == 1
