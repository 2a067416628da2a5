"""Researchers' requests for custom tables, and the steward's decisions on them.

A request shows its expected error and its cost at once (both independent of the data). Approval
computes the release once, in the same transaction as the debit of each cohort's research budget;
approving the same request twice answers the same release and spends nothing more; two approvals
of different requests against one cohort are serialised by the budget's row locks.
"""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, select

from hub.audit import AuditEvent, record
from hub.auth.dependencies import Caller
from hub.auth.scopes import Scope
from hub.budget.service import accounts, default_total_rho, rho_of_epsilon
from hub.config import get_settings
from hub.errors import Conflict, InvalidRequest, NotFound
from hub.models import BudgetPurpose, Release, ReleaseRequest, RequestStatus, utcnow
from hub.releases.compute import DATASET, make_release
from hub.releases.schemas import CohortCost, ReleaseRequestCreate, ReleaseRequestPublic
from hub.reports.dimensions import DimensionInfo, catalogue, dp_dimension, time_dimension
from privacy.dp.budget import rho_to_epsilon
from privacy.dp.release import accuracy
from privacy.dp.tables import TableQuery

MAX_CELLS = 50_000
STEWARD_SCOPE = Scope.RELEASES_APPROVE


def _dimensions(names: list[str], cohorts: list[str]) -> list[DimensionInfo]:
    known = catalogue()
    found = []
    for name in names:
        if name in ("year", "month"):
            found.append(time_dimension(name, cohorts))
        elif name in known:
            found.append(known[name])
        else:
            raise InvalidRequest(f"a dimension is unknown; choose from {', '.join([*known, 'year', 'month'])}")
    if len(set(names)) != len(names):
        raise InvalidRequest("a dimension is named twice")
    return found


def _query(request: ReleaseRequest) -> tuple[list[DimensionInfo], TableQuery]:
    infos = _dimensions(request.dimensions, request.cohorts)
    known = {**catalogue(), "year": time_dimension("year", request.cohorts), "month": time_dimension("month", request.cohorts)}
    for name, values in request.filters.items():
        if name not in known:
            raise InvalidRequest("a filter names an unknown dimension; see GET /v1/dimensions")
        unknown = [v for v in values if v not in (*known[name].keys, "Unknown")]
        if unknown or not values:
            raise InvalidRequest(f"filter {name}: every value must be one of the dimension's keys")
    query = TableQuery(tuple(dp_dimension(d) for d in infos), {k: tuple(v) for k, v in request.filters.items()})
    if query.n_cells > MAX_CELLS:
        raise InvalidRequest(f"the table would have {query.n_cells:,} cells; at most {MAX_CELLS:,} are allowed")
    return infos, query


def _rho(request: ReleaseRequest) -> Decimal:
    return rho_of_epsilon(Decimal(request.epsilon))


def to_public(session: Session, request: ReleaseRequest) -> ReleaseRequestPublic:
    _, query = _query(request)
    rho = _rho(request)
    delta = get_settings().privacy_delta
    remaining = {a.cohort: a.remaining_rho for a in accounts(session, DATASET) if a.purpose == BudgetPurpose.research}
    cost = []
    for cohort in sorted(request.cohorts):
        left = remaining.get(cohort, default_total_rho(BudgetPurpose.research))
        cost.append(CohortCost(cohort=cohort, remaining_epsilon=f"{rho_to_epsilon(left, delta) if left > 0 else 0:.4f}",
                               affordable=left >= rho))
    errors = accuracy(query, rho)
    return ReleaseRequestPublic(
        id=request.id, status=request.status, dimensions=request.dimensions, filters=request.filters,
        cohorts=request.cohorts, statistic=request.statistic, epsilon=str(request.epsilon), delta=str(delta),
        purpose=request.purpose, cells=query.n_cells,
        expected_error={"90": float(errors[0.10]), "95": float(errors[0.05]), "99": float(errors[0.01])},
        cost=cost, reason=request.reason, release_id=request.release_id, created_at=request.created_at,
        decided_at=request.decided_at,
    )


def create_request(session: Session, caller: Caller, body: ReleaseRequestCreate) -> ReleaseRequest:
    if rho_of_epsilon(body.epsilon) <= 0:
        raise InvalidRequest("epsilon is too small to release anything; ask for at least 0.001")
    current = utcnow().strftime("%Y-%m")
    if max(body.cohorts) >= current:
        raise InvalidRequest(f"month {max(body.cohorts)} has not ended yet; only past months can be released")
    request = ReleaseRequest(
        organisation_id=caller.organisation_id, client_id=caller.client_id, dataset=DATASET,
        dimensions=body.dimensions, filters=body.filters, cohorts=sorted(set(body.cohorts)),
        statistic=body.statistic, epsilon=body.epsilon, purpose=body.purpose,
    )
    _query(request)  # refuses a malformed request before it is stored
    session.add(request)
    session.flush()
    record(session, AuditEvent.release_requested, actor=caller.client_id, organisation_id=caller.organisation_id,
           subject=request.id, dataset=request.dataset, cohorts=request.cohorts, epsilon=str(request.epsilon))
    return request


def _visible(caller: Caller):
    query = select(ReleaseRequest)
    if STEWARD_SCOPE not in caller.scopes:
        query = query.where(ReleaseRequest.organisation_id == caller.organisation_id)
    return query


def get_request(session: Session, caller: Caller, request_id: str, *, lock: bool = False) -> ReleaseRequest:
    query = _visible(caller).where(ReleaseRequest.id == request_id)
    found = session.exec(query.with_for_update() if lock else query).first()
    if found is None:
        raise NotFound("no such release request that you can see")
    return found


def list_requests(session: Session, caller: Caller, status: str | None = None) -> list[ReleaseRequest]:
    query = _visible(caller)
    if status:
        query = query.where(ReleaseRequest.status == status)
    return list(session.exec(query.order_by(ReleaseRequest.created_at.desc())))


def approve(session: Session, caller: Caller, request_id: str) -> ReleaseRequest:
    """Compute and store the release, debiting each cohort's research budget; once only."""
    request = get_request(session, caller, request_id, lock=True)
    if request.status == RequestStatus.approved:
        return request
    if request.status == RequestStatus.rejected:
        raise Conflict("this request was rejected; the researcher can file a new one")
    infos, _ = _query(request)
    release = make_release(
        session, kind="custom", report="custom", title="Custom table: " + " × ".join(d.label for d in infos),
        period=None, cohorts=request.cohorts, dimensions=infos, filters=request.filters, rho=_rho(request),
        purpose=BudgetPurpose.research,
    )
    request.status = RequestStatus.approved
    request.release_id = release.id
    request.decided_by = caller.client_id
    request.decided_at = utcnow()
    session.add(request)
    session.flush()
    record(session, AuditEvent.release_approved, actor=caller.client_id, organisation_id=caller.organisation_id,
           subject=request.id, release=release.id, epsilon=str(request.epsilon))
    return request


def reject(session: Session, caller: Caller, request_id: str, reason: str) -> ReleaseRequest:
    request = get_request(session, caller, request_id, lock=True)
    if request.status != RequestStatus.pending:
        raise Conflict(f"this request is already {request.status}")
    request.status = RequestStatus.rejected
    request.reason = reason
    request.decided_by = caller.client_id
    request.decided_at = utcnow()
    session.add(request)
    session.flush()
    # The steward's reason is their own words: kept with the request, never in the log.
    record(session, AuditEvent.release_rejected, actor=caller.client_id, organisation_id=caller.organisation_id,
           subject=request.id)
    return request


def get_release(session: Session, caller: Caller, release_id: str) -> Release:
    """A custom release, for the organisation that asked for it and for stewards."""
    release = session.get(Release, release_id)
    if release is not None and release.kind == "custom":
        owner = session.exec(select(ReleaseRequest.organisation_id).where(ReleaseRequest.release_id == release_id)).first()
        if owner == caller.organisation_id or STEWARD_SCOPE in caller.scopes:
            return release
    raise NotFound("no such release that you can see")
