"""``hub reports publish`` names the missing partners and stops, unless forced with a reason."""

from __future__ import annotations

import subprocess
from datetime import date

from sqlmodel import Session

from hub.db import make_engine
from hub.models import Organisation, Submission, SubmissionStatus, utcnow
from tests.factories.databases import HUB, seeded_demo_hub

YEAR = date.today().year - 2  # the demo's partners submitted last year's last quarter, not this one's
NOVEMBER, DECEMBER = f"{YEAR}-11", f"{YEAR}-12"


def _hub_where_the_police_missed_december(tmp_path) -> dict[str, str]:
    """The demo hub (its months all complete and published), and two partners more, one of which
    submitted November of two years ago but not December (their files hold no records)."""
    env = seeded_demo_hub(tmp_path, "publish_cli", persons=20)
    engine = make_engine(env["DATABASE_URL"])
    with Session(engine) as session:
        for name, months in (("Night Shelter", (NOVEMBER, DECEMBER)), ("Police Unit", (NOVEMBER,))):
            organisation = Organisation(name=name, type="ngo")
            session.add(organisation)
            session.flush()
            for month in months:
                session.add(Submission(organisation_id=organisation.id, client_id="c_test", dataset="case-v1",
                                       period=month, version=1, status=SubmissionStatus.accepted,
                                       on_invalid="reject", linkage_secret_version=1, linked_at=utcnow()))
        session.commit()
    engine.dispose()
    return env


def publish(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([HUB, "reports", "publish", "--period", DECEMBER, *args], env=env, capture_output=True,
                          text=True, timeout=300)


def test_refused_naming_the_missing_partner_then_published_with_a_recorded_reason(tmp_path):
    env = _hub_where_the_police_missed_december(tmp_path)
    refused = publish(env)
    assert refused.returncode != 0 and refused.stdout == ""
    assert f"{DECEMBER}: Police Unit" in refused.stderr and "Traceback" not in refused.stderr

    no_reason = publish(env, "--force")
    assert no_reason.returncode != 0 and "--reason" in no_reason.stderr

    reason = "the police unit's export is broken until March"
    forced = publish(env, "--force", "--reason", reason)
    assert forced.returncode == 0, forced.stderr
    assert "epsilon" in forced.stdout
    assert f"published without {DECEMBER}'s submissions of: Police Unit" in forced.stderr
