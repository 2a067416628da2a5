"""Settings: the only module that reads the environment.

Every secret has a development default so that ``make run`` works with no set-up; those
defaults refuse to load when ``HUB_ENVIRONMENT=production``.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_TOKEN_REKEY_SECRET = "development-only-token-rekey-secret"
DEV_SNAPSHOT_SECRET = "development-only-snapshot-commitment-secret"
DEV_SIGNING_KEY_FILE = Path("var/dev-signing-key.json")
DEV_MASTER_KEY_FILE = Path("var/dev-master-keys.json")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = Field(
        "sqlite:///var/hub.db",
        validation_alias="DATABASE_URL",
        description="SQLAlchemy URL; PostgreSQL in production (postgresql+psycopg://...).",
    )
    issuer: str = Field("http://127.0.0.1:8000", description="This hub's public base URL.")
    signing_key_file: Path = Field(
        DEV_SIGNING_KEY_FILE,
        description="The signing key ring (JSON; or a single private JWK) whose current key signs access tokens, "
        "receipts, releases and audit checkpoints (hub keys signing); made on first use in development.",
    )
    master_key_file: Path = Field(
        DEV_MASTER_KEY_FILE,
        description="The master keys (JSON: the current key id and every key by id) that wrap the data keys of "
        "what is sealed at rest; made on first use in development. Losing it loses what it sealed.",
    )
    token_rekey_secret: str = Field(
        DEV_TOKEN_REKEY_SECRET,
        description="The hub's own secret; every linkage token and case reference is re-keyed with it.",
    )
    linkage_secret_version: int = Field(
        1, description="Version of the partners' linkage secret that uploads must use (see docs on rotation)."
    )
    link_interval_s: float = Field(
        30, description="Seconds between background linkage runs in `hub serve`; 0 turns them off."
    )
    privacy_delta: Decimal = Field(Decimal("1e-7"), description="The delta at which rho is shown as epsilon.")
    reports_epsilon: Decimal = Field(
        Decimal(1), description="Lifetime epsilon of each cohort for the standard reports (at privacy_delta)."
    )
    research_epsilon: Decimal = Field(
        Decimal(1), description="Lifetime epsilon of each cohort for researchers' releases (the steward's reserve)."
    )
    monthly_report_share: Decimal = Field(
        Decimal("0.3"), description="Share of a cohort's reports budget that its monthly report spends; "
        "the annual report spends the rest."
    )
    budget_ceiling_epsilon_reports: Decimal = Field(
        Decimal(1), gt=0, le=10,
        description="Highest lifetime epsilon a steward can set for a cohort's standard reports; the default "
        "equals reports_epsilon, so that a spent reports budget cannot be reopened.",
    )
    budget_ceiling_epsilon_research: Decimal = Field(
        Decimal(2), gt=0, le=10,
        description="Highest lifetime epsilon a steward can set for a cohort's researchers' reserve.",
    )
    snapshot_secret: str = Field(
        DEV_SNAPSHOT_SECRET,
        description="Key of the releases' data snapshots (keyed commitments); give it to an auditor who is to "
        "check a release against the data, and to no one else.",
    )
    publish_lookback_months: int = Field(
        3, ge=1, le=24,
        description="A month is published once every organisation with an accepted submission for any of this "
        "many months before it has an accepted submission for it (or with --force and a reason).",
    )
    access_token_lifetime_s: int = 600
    max_rows_per_chunk: int = 5_000
    max_chunk_bytes: int = Field(
        16 * 1024 * 1024, ge=1024, description="Largest chunk upload body, in bytes; refused with 413 while it streams."
    )
    max_body_bytes: int = Field(
        64 * 1024, ge=1024, description="Largest request body of every other route, in bytes (413 past it)."
    )
    max_rows_per_submission: int = 2_000_000
    open_submission_hours: int = Field(
        24, ge=1, le=120,
        description="An upload (an open submission) must be completed within this many hours of being opened; "
        "after that its chunks and its completion are refused (UploadExpired) and the hub deletes what it "
        "received. At most 120, so that with the sweep nothing of an unfinished upload stays for 7 days.",
    )
    expired_sweep_interval_s: float = Field(
        600, ge=0, le=86_400,
        description="Seconds between the hub's own sweeps of expired uploads, in `hub serve` and `hub linker`; "
        "0 turns the sweep off (then run `hub submissions purge-stale` from cron).",
    )
    earliest_period: str = Field(
        "1990-01", pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
        description="Earliest month a submission, a cohort or a registration may name (YYYY-MM).",
    )
    latest_period_months_ahead: int = Field(
        1, ge=0, le=12,
        description="How many months past the current one (UTC) a period may name; 1 allows for time zones.",
    )
    rate_limit_window_s: int = Field(60, ge=1, le=3600, description="Length of the rate limits' time window.")
    token_requests_per_client: int = Field(
        30, ge=1, description="Token requests one client id may make per window (tokens last 10 minutes)."
    )
    token_requests_per_address: int = Field(300, ge=1, description="Token requests per source address per window.")
    write_requests_per_client: int = Field(
        1200, ge=1, description="Write requests (POST, PUT, PATCH, DELETE) one client may make per window."
    )
    write_requests_per_address: int = Field(2400, ge=1, description="Write requests per source address per window.")
    rate_limit_redis_url: str | None = Field(
        None, description="redis://host:port/db to keep the rate limits' counters in Redis instead of the database."
    )
    authorization_code_lifetime_s: int = Field(
        60, ge=10, le=600, description="Seconds an authorisation code of the pages' sign-in can be redeemed in."
    )
    oidc_issuer: str | None = Field(
        None, description="An external OpenID Connect issuer (Keycloak realm, Entra ID tenant, Google) that people "
        "sign in at instead of the hub's local accounts; its exact issuer URL. Unset: local accounts.",
    )
    oidc_client_id: str | None = Field(None, description="The hub's client id at the external issuer.")
    oidc_client_secret: SecretStr | None = Field(
        None, description="The hub's client secret at the external issuer (from the secret store, never a default)."
    )
    oidc_token_auth_method: Literal["client_secret_basic", "client_secret_post"] = Field(
        "client_secret_basic", description="How the hub authenticates at the external issuer's token endpoint."
    )
    oidc_scope: str = Field("openid profile email", description="Scopes the hub asks the external issuer for.")
    oidc_username_claim: str = Field(
        "preferred_username", description="The ID token claim that names the person on the hub's pages and in records."
    )
    oidc_organisation_claim: str = Field(
        "org", description="The ID token claim (a dotted path for nested claims) that says the person's organisation."
    )
    oidc_role_claim: str = Field(
        "roles", description="The ID token claim (a dotted path, e.g. realm_access.roles) that lists the person's roles."
    )
    oidc_organisations: dict[str, str] = Field(
        default_factory=dict, description="JSON: organisation claim value -> the hub organisation's name. Empty: the "
        "claim's value is the organisation's name in the hub.",
    )
    oidc_roles: dict[str, str] = Field(
        default_factory=dict, description="JSON: role claim value -> hub role (ngo, analyst, researcher, steward). "
        "Empty: the claim's values are the hub's role names.",
    )
    log_level: str = "INFO"

    @model_validator(mode="after")
    def _ceilings_hold_the_defaults(self) -> Settings:
        # An account opens at the default budget: a ceiling below it would be broken at once.
        for purpose, default, ceiling in (("REPORTS", self.reports_epsilon, self.budget_ceiling_epsilon_reports),
                                          ("RESEARCH", self.research_epsilon, self.budget_ceiling_epsilon_research)):
            if not default <= ceiling:
                raise ValueError(f"HUB_BUDGET_CEILING_EPSILON_{purpose} is below HUB_{purpose}_EPSILON")
        return self

    @model_validator(mode="after")
    def _external_issuer_is_complete(self) -> Settings:
        if self.oidc_issuer is None:
            return self
        missing = [name for name, value in (("HUB_OIDC_CLIENT_ID", self.oidc_client_id),
                                            ("HUB_OIDC_CLIENT_SECRET", self.oidc_client_secret)) if not value]
        if missing:
            raise ValueError(f"HUB_OIDC_ISSUER is set but {' and '.join(missing)} is not")
        if self.environment == "production":
            if not self.oidc_issuer.startswith("https://"):
                raise ValueError("refusing to run in production: HUB_OIDC_ISSUER is not an https:// URL")
            if len(self.oidc_client_secret.get_secret_value()) < 16:
                raise ValueError("refusing to run in production: HUB_OIDC_CLIENT_SECRET is shorter than 16 characters")
        return self

    @model_validator(mode="after")
    def _refuse_development_secrets_in_production(self) -> Settings:
        if self.environment != "production":
            return self
        problems = []
        if self.token_rekey_secret == DEV_TOKEN_REKEY_SECRET:
            problems.append("HUB_TOKEN_REKEY_SECRET is the development default")
        elif len(self.token_rekey_secret) < 32:
            problems.append("HUB_TOKEN_REKEY_SECRET is shorter than 32 characters")
        if self.snapshot_secret == DEV_SNAPSHOT_SECRET:
            problems.append("HUB_SNAPSHOT_SECRET is the development default")
        elif len(self.snapshot_secret) < 32:
            problems.append("HUB_SNAPSHOT_SECRET is shorter than 32 characters")
        if self.signing_key_file == DEV_SIGNING_KEY_FILE:
            problems.append("HUB_SIGNING_KEY_FILE is the development default")
        if self.master_key_file == DEV_MASTER_KEY_FILE:
            problems.append("HUB_MASTER_KEY_FILE is the development default")
        if self.database_url.startswith("sqlite"):
            problems.append("DATABASE_URL points at SQLite; production runs on PostgreSQL")
        if problems:
            raise ValueError("refusing to run in production: " + "; ".join(problems))
        return self


@functools.cache
def get_settings() -> Settings:
    return Settings()
