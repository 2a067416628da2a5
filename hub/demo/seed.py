"""``hub demo``: demo organisations and clients, and months of files pushed the real way.

Every file goes through the partner-side connector (mapping, checks, tokenisation) and the
hub's own HTTP API (OAuth token, chunks, completion), with the app served in-process so that
no port is needed. Running it again loads only the months not loaded yet. Development only: it
writes the demo clients' credentials and the demo linkage secret under ``var/demo``, and prints
(never writes) a new generated password for each demo person's account at every run.
"""

from __future__ import annotations

import json
import secrets
import warnings
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from sqlmodel import Session, select

from connectors.oauth import TokenSource
from connectors.upload import push
from hub.auth.clients import create_client
from hub.auth.dependencies import Caller
from hub.config import get_settings
from hub.db import get_engine
from hub.demo.generate import generate_demo_data
from hub.linkage.service import link_pending
from hub.models import Organisation, ReleaseRequest, Submission, SubmissionStatus, utcnow
from hub.releases.schemas import ReleaseRequestCreate
from hub.releases.service import create_request
from hub.reports.service import publish

PARTNER_SCOPES = ["submissions:write", "submissions:read"]
# Organisations of the other roles, for the reports and releases that later issues add.
READERS = [
    ("Ministry of Interior (demo)", "government", ["reports:read"]),
    ("University Research Group (demo)", "research", ["reports:read", "releases:request"]),
    ("Hub Data Stewards (demo)", "steward", ["admin", "reports:read", "releases:approve"]),
]


def _in_process_client(base_url: str):
    """An httpx client whose requests the hub app answers in this process."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Starlette prefers httpx2; the connector speaks httpx
        from fastapi.testclient import TestClient

    from hub.main import create_app

    return TestClient(create_app(), base_url=base_url)


def _linkage_secret(folder: Path) -> bytes:
    path = folder / "linkage-secret.hex"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return bytes.fromhex(path.read_text().strip())


def _organisation(session: Session, name: str, org_type: str) -> tuple[Organisation, bool]:
    found = session.exec(select(Organisation).where(Organisation.name == name)).first()
    if found is not None:
        return found, False
    organisation = Organisation(name=name, type=org_type)
    session.add(organisation)
    session.flush()
    return organisation, True


def _loaded_periods(session: Session, organisation: Organisation) -> set[str]:
    return set(
        session.exec(
            select(Submission.period).where(
                Submission.organisation_id == organisation.id, Submission.status == SubmissionStatus.accepted
            )
        )
    )


def seed_demo(out_dir: Path, *, partners: int, persons: int, seed: int = 7) -> Iterator[str]:
    """Seed the database; yields one line of progress at a time."""
    settings = get_settings()
    if settings.environment == "production":
        raise RuntimeError("hub demo loads synthetic data and writes credentials to disk; not in production")
    out_dir.mkdir(parents=True, exist_ok=True)
    # The last quarter of last year: its months and its year can all be published.
    last_year = utcnow().year - 1
    months = [f"{last_year}-{month:02d}" for month in (10, 11, 12)]
    summary = generate_demo_data(out_dir / "files", partners=partners, persons=persons, months=months, seed=seed)
    yield f"generated {summary.records} synthetic records of {summary.persons} persons for {partners} partners"
    described = json.loads(summary.partners_file.read_text())["partners"]
    credentials_file = out_dir / "credentials.json"
    credentials = json.loads(credentials_file.read_text()) if credentials_file.exists() else {}
    linkage_secret = _linkage_secret(out_dir)

    work: list[tuple[dict, list[Path]]] = []
    with Session(get_engine(), expire_on_commit=False) as session:
        for name, org_type, scopes in READERS:
            organisation, created = _organisation(session, name, org_type)
            if created or name not in credentials:
                credentials[name] = create_client(session, organisation, scopes)
        for partner in described:
            organisation, created = _organisation(session, partner["display_name"], partner["organisation_type"])
            if created or partner["display_name"] not in credentials:
                credentials[partner["display_name"]] = create_client(session, organisation, PARTNER_SCOPES)
            loaded = _loaded_periods(session, organisation)
            files = [summary.out_dir / f for f in partner["files"] if Path(f).stem not in loaded]
            work.append((partner, files))
        session.commit()
    credentials_file.write_text(json.dumps(credentials, indent=2))
    credentials_file.chmod(0o600)
    yield f"demo clients' credentials: {credentials_file}"

    with _in_process_client(settings.issuer) as http:
        for partner, files in work:
            if not files:
                yield f"{partner['display_name']}: all months already loaded"
                continue
            client = credentials[partner["display_name"]]
            tokens = TokenSource(f"{settings.issuer}/oauth/token", client["client_id"],
                                 client_secret=client["client_secret"])
            for path in files:
                receipt = push(path, path.stem, mapping=summary.out_dir / partner["mapping"], http=http,
                               tokens=tokens, linkage_secret=linkage_secret,
                               linkage_secret_version=settings.linkage_secret_version,
                               on_invalid="skip", progress=False, state_dir=out_dir / "connector-state")
                yield (f"{partner['display_name']} {path.stem}: {receipt['status']}, "
                       f"{receipt['accepted']} accepted, {receipt['rejected']} rejected")

    with Session(get_engine(), expire_on_commit=False) as session:
        run = link_pending(session)
        session.commit()
    yield f"linkage: {run.records_added} records resolved into {run.persons} persons"

    with Session(get_engine(), expire_on_commit=False) as session:
        for period in [*summary.months, str(last_year)]:
            releases = publish(session, period)
            yield f"standard reports of {period}: {len(releases)} tables published"
        session.commit()
        yield _demo_request(session, credentials, summary.months)
        yield from _demo_accounts(session, described[0]["display_name"])


def _demo_request(session: Session, credentials: dict, months) -> str:
    """A researcher's request waiting for the steward, so that the workflow can be tried at once."""
    researcher = credentials["University Research Group (demo)"]
    organisation = session.exec(select(Organisation).where(Organisation.name == researcher["organisation"])).one()
    if session.exec(select(ReleaseRequest).where(ReleaseRequest.organisation_id == organisation.id)).first():
        return "a demo release request is already waiting"
    caller = Caller(researcher["client_id"], organisation.id, frozenset(researcher["scopes"]))
    body = ReleaseRequestCreate(
        dimensions=["region", "gender"], cohorts=list(months), epsilon=Decimal("0.5"),
        purpose="Regional and gender profile of persons identified in the last quarter, for a prevention study",
    )
    request = create_request(session, caller, body)
    session.commit()
    return f"a demo release request {request.id} waits for the steward's approval"


# One account per role, for trying the pages: (username, organisation, role, second factor).
DEMO_ACCOUNTS = (
    ("officer", None, "ngo", False),  # None: the first demo partner
    ("analyst", "Ministry of Interior (demo)", "analyst", False),
    ("researcher", "University Research Group (demo)", "researcher", False),
    ("steward", "Hub Data Stewards (demo)", "steward", True),
)


def _demo_accounts(session: Session, partner: str) -> Iterator[str]:
    """Creates the demo accounts, or gives them new passwords; how to sign in, with the passwords (shown once)."""
    from hub.models import WebUser
    from hub.web.accounts import create_user, reset_password

    issuer = get_settings().issuer
    yield f"demo accounts (new passwords at every run of hub demo; sign in at {issuer}/signin):"
    for username, organisation, role, totp in DEMO_ACCOUNTS:
        if session.exec(select(WebUser.id).where(WebUser.username == username)).first():
            made = reset_password(session, username, totp=totp or None)
        else:
            made = create_user(session, username, organisation or partner, role, totp=totp)
        session.commit()
        yield f"  {role:<10} username {username:<10} password {made.password}   ({made.organisation})"
        if made.totp_secret:
            yield (f"  {'':<10} one-time code: add {made.totp_uri} to an authenticator app, or run "
                   f".venv/bin/python -c \"import pyotp; print(pyotp.TOTP('{made.totp_secret}').now())\"")
