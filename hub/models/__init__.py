"""All table models, imported together so that Alembic sees one metadata."""

from sqlmodel import SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

from hub.models.audit import AuditCheckpoint, AuditEntry, AuditHead  # noqa: E402
from hub.models.authorization_code import AuthorizationCode  # noqa: E402
from hub.models.base import utcnow  # noqa: E402
from hub.models.budget import BudgetAccount, BudgetEntry, BudgetPurpose  # noqa: E402
from hub.models.budget_change import BudgetChange  # noqa: E402
from hub.models.client import ClientAssertion, OAuthClient  # noqa: E402
from hub.models.idempotency import IdempotencyKey  # noqa: E402
from hub.models.linkage_run import LinkageRun  # noqa: E402
from hub.models.organisation import Organisation, OrganisationType  # noqa: E402
from hub.models.person import Person, PersonRecord  # noqa: E402
from hub.models.rate_limit import RateLimitCounter  # noqa: E402
from hub.models.release import Release, ReleaseRequest, RequestStatus  # noqa: E402
from hub.models.record import Record, RecordBlock  # noqa: E402
from hub.models.sealing import DataKey, SealedFeatures  # noqa: E402
from hub.models.submission import Submission, SubmissionChunk, SubmissionError, SubmissionStatus  # noqa: E402
from hub.models.web_user import UserRole, WebSession, WebUser  # noqa: E402

__all__ = [
    "AuditCheckpoint",
    "AuditEntry",
    "AuditHead",
    "AuthorizationCode",
    "BudgetAccount",
    "BudgetChange",
    "BudgetEntry",
    "BudgetPurpose",
    "Release",
    "ReleaseRequest",
    "RequestStatus",
    "ClientAssertion",
    "DataKey",
    "IdempotencyKey",
    "LinkageRun",
    "OAuthClient",
    "Organisation",
    "OrganisationType",
    "Person",
    "PersonRecord",
    "RateLimitCounter",
    "Record",
    "RecordBlock",
    "SQLModel",
    "SealedFeatures",
    "Submission",
    "SubmissionChunk",
    "SubmissionError",
    "SubmissionStatus",
    "UserRole",
    "WebSession",
    "WebUser",
    "utcnow",
]
