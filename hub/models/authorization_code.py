"""Authorisation codes of the pages' sign-in: short-lived, redeemed once, kept only as a hash."""

from datetime import datetime

from sqlmodel import Field, SQLModel


class AuthorizationCode(SQLModel, table=True):
    """A code the hub's authorisation endpoint issued to a person's browser, waiting to be redeemed.

    It is bound to the client, the redirect URI, the PKCE challenge (S256) and the nonce of the
    request; redeeming it deletes the row, so a second redemption finds nothing.
    """

    __tablename__ = "authorization_code"

    code_hash: str = Field(primary_key=True, max_length=64, description="SHA-256 of the code, hex.")
    client_id: str = Field(max_length=64)
    user_id: str = Field(foreign_key="web_user.id", index=True, max_length=32)
    redirect_uri: str = Field(max_length=500)
    scope: str = Field(max_length=200)
    nonce: str | None = Field(default=None, max_length=200)
    code_challenge: str = Field(max_length=128)
    code_challenge_method: str = Field(max_length=10)
    auth_time: datetime
    expires_at: datetime = Field(index=True)
