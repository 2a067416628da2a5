"""Two versions of one period completed at the same moment: one supersedes the other, no error.

Real commits on a fresh database, two sessions in two threads released together by a barrier.
"""

from __future__ import annotations

import threading

from sqlmodel import Session, select

from hub.auth.dependencies import Caller
from hub.db import make_engine
from hub.models import Organisation, Submission
from hub.submissions.chunks import store_chunk
from hub.submissions.schemas import SubmissionCreate
from hub.submissions.service import complete_submission, create_submission
from tests.factories.databases import fresh_database
from tests.factories.submissions import upload_row


def test_concurrent_completion_of_two_versions(tmp_path):
    import json

    engine = make_engine(fresh_database(tmp_path, "versions"))
    with Session(engine) as session:
        organisation = Organisation(name="Shelter A", type="ngo")
        session.add(organisation)
        session.flush()
        caller = Caller("c_shelter", organisation.id, frozenset({"submissions:write"}))
        ids = []
        for _ in range(2):
            submission = create_submission(session, caller, SubmissionCreate(period="2026-10", linkage_secret_version=1))
            store_chunk(session, caller, submission.id, 1, json.dumps({"rows": [upload_row(1)]}).encode())
            ids.append(submission.id)
        session.commit()

    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def complete(submission_id: str) -> None:
        with Session(engine, expire_on_commit=False) as session:
            barrier.wait()
            try:
                complete_submission(session, caller, submission_id, 1)
                session.commit()
            except BaseException as error:  # noqa: BLE001 - collected and asserted below
                failures.append(error)

    threads = [threading.Thread(target=complete, args=(submission_id,)) for submission_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    with Session(engine) as session:
        statuses = sorted(s for s in session.exec(select(Submission.status)).all())
    assert statuses == ["accepted", "superseded"]
    engine.dispose()
