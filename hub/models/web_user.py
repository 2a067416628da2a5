"""People who sign in to the hub's pages: local accounts and their browser sessions."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from hub.models.base import new_id, utcnow


class UserRole(StrEnum):
    ngo = "ngo"  # a partner's data officer: the organisation's submissions and receipts
    analyst = "analyst"  # a government analyst: the published reports
    researcher = "researcher"  # asks for custom tables, downloads approved ones
    steward = "steward"  # the hub's operator: decides on requests


class WebUser(SQLModel, table=True):
    """A person's account: a local one, created by a steward (the hub keeps an Argon2id hash of the
    password), or one of an external OpenID Connect issuer (no password; ``issuer`` and ``subject``
    name it there, and its organisation and role follow the issuer's claims at every sign-in)."""

    __tablename__ = "web_user"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_web_user_issuer_subject"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    username: str = Field(unique=True, max_length=50)
    organisation_id: str = Field(foreign_key="organisation.id", index=True, max_length=32)
    role: str = Field(max_length=20)
    password_hash: str | None = Field(
        default=None, max_length=200, description="Argon2id, as argon2-cffi encodes it; none for an external account."
    )
    issuer: str | None = Field(default=None, max_length=500, description="The external issuer of the account.")
    subject: str | None = Field(default=None, max_length=255, description="The account's ``sub`` at that issuer.")
    totp_sealed: bytes | None = Field(
        default=None, description="The base32 secret of the one-time codes, sealed (AES-GCM) under a master key."
    )
    totp_key_id: str | None = Field(default=None, max_length=40, description="The master key that sealed it.")
    totp_last_step: int | None = Field(default=None, description="Time step of the last code accepted (no replay).")
    created_at: datetime = Field(default_factory=utcnow)
    password_changed_at: datetime = Field(default_factory=utcnow)


class WebSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds a random token, the hub only its SHA-256."""

    __tablename__ = "web_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: str = Field(foreign_key="web_user.id", index=True, max_length=32)
    csrf_token: str = Field(max_length=64, description="Every form of this session carries it back.")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime = Field(index=True)

