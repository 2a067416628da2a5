"""A partner's data officer's pages: the organisation's submissions by month, and each receipt.

Everything is read through :mod:`hub.submissions.service` as a caller of the person's own
organisation, so another organisation's submission is answered like a missing one (404).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from hub.db import SessionDep
from hub.errors import NotFound
from hub.submissions import service
from hub.web.errors import PageError
from hub.web.session import signed_in
from hub.web.templating import page

router = APIRouter(prefix="/partner", include_in_schema=False)
DataOfficer = signed_in("ngo")
LISTED = 500  # versions listed; the API pages through more


@router.get("/submissions", response_class=HTMLResponse)
def submissions(request: Request, session: SessionDep, web: DataOfficer):
    by_month: dict[str, list] = {}
    for submission in service.list_submissions(session, web.caller, limit=LISTED):
        by_month.setdefault(submission.period, []).append(submission)
    return page(request, "partner/submissions.html", by_month=by_month)


@router.get("/submissions/{submission_id}", response_class=HTMLResponse)
def receipt(submission_id: str, request: Request, session: SessionDep, web: DataOfficer):
    try:
        found = service.get_submission(session, web.caller, submission_id)
        shown = service.receipt(session, web.caller, submission_id)
    except NotFound as error:
        raise PageError(404, error.detail) from None
    return page(request, "partner/receipt.html", submission=found, receipt=shown)
