"""OAuth clients of organisations, and the client assertions already used (replay guard)."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from hub.models.base import utcnow


class OAuthClient(SQLModel, table=True):
    __tablename__ = "oauth_client"

    client_id: str = Field(primary_key=True, max_length=64)
    organisation_id: str = Field(foreign_key="organisation.id", index=True, max_length=32)
    # scrypt hash of the client secret, or None for a client that signs assertions with a key.
    secret_hash: str | None = Field(default=None, max_length=300)
    # Public JWK (JSON) for private_key_jwt clients.
    public_jwk: str | None = None
    scopes: str = Field(max_length=500, description="Space-separated scopes the client may ask for.")
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None


class ClientAssertion(SQLModel, table=True):
    """A ``jti`` of a client assertion already accepted; kept until the assertion expires."""

    __tablename__ = "client_assertion"

    client_id: str = Field(primary_key=True, max_length=64)
    jti: str = Field(primary_key=True, max_length=200)
    expires_at: datetime = Field(index=True)
