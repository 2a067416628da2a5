"""The second factors' TOTP secrets are sealed at rest under the master key, re-sealed by rotation."""

from __future__ import annotations

import json
import shutil

import pyotp
import pytest
from sqlmodel import select

from hub.config import get_settings
from hub.keys.master import master_keys, read_ring
from hub.keys.rotation import retire, rotate
from hub.keys.totp import totp_secret
from hub.models import WebUser
from hub.web.accounts import authenticate, reset_password
from privacy.sealing import SealBroken
from tests.factories.web import make_user


@pytest.fixture
def own_ring(tmp_path, monkeypatch):
    """A copy of the hub's master keys that this test may rotate and retire."""
    path = tmp_path / "master-keys.json"
    master_keys()
    shutil.copy(get_settings().master_key_file, path)
    monkeypatch.setattr(get_settings(), "master_key_file", path)
    return path


def stored(session, credentials) -> WebUser:
    session.expire_all()
    return session.exec(select(WebUser).where(WebUser.username == credentials.username)).one()


def test_the_database_holds_no_totp_secret_in_the_clear(session):
    credentials = make_user(session, "steward", totp=True)
    user = stored(session, credentials)
    assert user.totp_sealed and credentials.totp_secret.encode() not in user.totp_sealed
    assert "totp_secret" not in WebUser.__table__.columns
    assert totp_secret(user) == credentials.totp_secret


def test_a_sealed_secret_moved_to_another_account_does_not_open(session):
    first = stored(session, make_user(session, "steward", totp=True))
    second_credentials = make_user(session, "analyst", totp=True)
    second = stored(session, second_credentials)
    second.totp_sealed, second.totp_key_id = first.totp_sealed, first.totp_key_id
    with pytest.raises(SealBroken):
        totp_secret(second)


def test_a_reset_seals_a_new_secret_and_removing_it_leaves_nothing(session):
    credentials = make_user(session, "steward", totp=True)
    before = stored(session, credentials).totp_sealed
    renewed = reset_password(session, credentials.username, totp=True)
    user = stored(session, credentials)
    assert user.totp_sealed != before and totp_secret(user) == renewed.totp_secret != credentials.totp_secret
    reset_password(session, credentials.username, totp=False)
    user = stored(session, credentials)
    assert user.totp_sealed is None and user.totp_key_id is None


def test_a_rotation_reseals_the_secrets_and_their_old_key_can_then_retire(session, own_ring):
    credentials = make_user(session, "steward", totp=True)
    old_key = stored(session, credentials).totp_key_id
    rotation = rotate(session)
    user = stored(session, credentials)
    assert user.totp_key_id == rotation.key_id != old_key
    retire(session, old_key)
    assert old_key not in json.loads(own_ring.read_text())["keys"]
    code = pyotp.TOTP(credentials.totp_secret).now()
    assert authenticate(session, credentials.username, credentials.password, code) is not None


def test_a_key_that_seals_a_secret_cannot_be_retired(session, own_ring):
    from hub.keys.master import write_ring
    from privacy.sealing import new_key

    credentials = make_user(session, "steward", totp=True)
    ring = read_ring(own_ring)
    write_ring(own_ring, type(ring)("mk-newer", {**ring.keys, "mk-newer": new_key()}))
    with pytest.raises(ValueError, match="still wrapped"):
        retire(session, stored(session, credentials).totp_key_id)


def test_revision_0013_seals_the_secrets_stored_before(tmp_path):
    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    from tests.factories.databases import ROOT, empty_database

    url = empty_database("seal_totp")
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "0012")
    engine = sa.create_engine(url)
    secret = pyotp.random_base32()
    with engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO organisation (id, name, type, created_at) "
                                   "VALUES ('o1', 'Stewards', 'steward', CURRENT_TIMESTAMP)"))
        connection.execute(sa.text(
            "INSERT INTO web_user (id, username, organisation_id, role, password_hash, totp_secret, created_at, "
            "password_changed_at) VALUES ('u1', 'sam', 'o1', 'steward', 'x', :secret, CURRENT_TIMESTAMP, "
            "CURRENT_TIMESTAMP)"), {"secret": secret})
    command.upgrade(config, "head")
    with engine.connect() as connection:
        sealed, key_id = connection.execute(sa.text("SELECT totp_sealed, totp_key_id FROM web_user")).one()
    assert secret.encode() not in bytes(sealed)
    assert totp_secret(WebUser(id="u1", username="sam", organisation_id="o1", role="steward",
                               totp_sealed=bytes(sealed), totp_key_id=key_id)) == secret
    command.downgrade(config, "0012")
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT totp_secret FROM web_user")).scalar_one() == secret
    engine.dispose()
