"""The steward's pages: the queue of release requests, and the decision on each.

The decision goes through :mod:`hub.releases.service` (``approve`` computes the release and
debits each cohort's research budget in one transaction; ``reject`` records the reason): this
module (and request_cards, which shows what a request costs and what would be left) never debits anything.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from hub.budget.service import accounts
from hub.db import SessionDep
from hub.errors import HubError
from hub.models import RequestStatus
from hub.releases import service
from hub.web.errors import PageError
from hub.web.request_cards import request_cards
from hub.web.session import check_csrf, signed_in
from hub.web.templating import page
from privacy.dp.budget import epsilon_text

router = APIRouter(prefix="/steward", include_in_schema=False)
Steward = signed_in("steward")
DONE = {"approved": "The request was approved: its table was computed once and the budget debited.",
        "rejected": "The request was rejected; the researcher sees your reason."}


@router.get("/requests", response_class=HTMLResponse)
def queue(request: Request, session: SessionDep, web: Steward,
          status: Annotated[str, Query(pattern="^(pending|approved|rejected|all)$")] = "pending",
          done: Annotated[str | None, Query(max_length=20)] = None):
    found = request_cards(session, web.caller, None if status == "all" else status)
    return page(request, "steward/queue.html", cards=found, status=status, done=DONE.get(done or ""),
                pending=RequestStatus.pending)


def _decide(decision) -> None:
    try:
        decision()
    except HubError as error:  # raised again as a page: the session still rolls back, nothing is spent
        raise PageError(error.status_code, error.detail) from None


@router.post("/requests/{request_id}/approve")
def approve(request_id: str, session: SessionDep, web: Steward,
            csrf_token: Annotated[str, Form(max_length=100)] = ""):
    check_csrf(web.csrf_token, csrf_token)
    _decide(lambda: service.approve(session, web.caller, request_id))
    return RedirectResponse("/steward/requests?done=approved", status_code=303)


@router.post("/requests/{request_id}/reject")
def reject(request_id: str, session: SessionDep, web: Steward,
           csrf_token: Annotated[str, Form(max_length=100)] = "",
           reason: Annotated[str, Form(max_length=2000)] = ""):
    check_csrf(web.csrf_token, csrf_token)
    if len(reason.strip()) < 3:
        raise PageError(422, "a rejection needs a reason of at least 3 characters, for the researcher")
    _decide(lambda: service.reject(session, web.caller, request_id, reason.strip()))
    return RedirectResponse("/steward/requests?done=rejected", status_code=303)


@router.get("/budget", response_class=HTMLResponse)
def budget(request: Request, session: SessionDep, web: Steward):
    """Every month's two budgets: the share spent (in rho, which adds up) and epsilon total, spent and left."""
    lines = [{"dataset": a.dataset, "cohort": a.cohort, "purpose": a.purpose, "used": float(a.used),
              "total": epsilon_text(a.as_epsilon(a.total_rho)), "spent": epsilon_text(a.as_epsilon(a.spent_rho)),
              "left": epsilon_text(a.as_epsilon(a.remaining_rho), down=True)}
             for a in sorted(accounts(session), key=lambda a: (a.dataset, a.cohort, a.purpose))]
    return page(request, "steward/budget.html", lines=lines)
