"""Development defaults refuse to run in production."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from hub.config import Settings

PRODUCTION = {
    "environment": "production",
    "database_url": "postgresql+psycopg://hub@db/hub",
    "signing_key_file": "/etc/ct-hub/signing-key.json",
    "token_rekey_secret": "x" * 40,
}


def test_production_with_real_settings_loads():
    assert Settings(**PRODUCTION).environment == "production"


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ({"token_rekey_secret": "development-only-token-rekey-secret"}, "HUB_TOKEN_REKEY_SECRET"),
        ({"token_rekey_secret": "short"}, "shorter than 32"),
        ({"signing_key_file": "var/dev-signing-key.json"}, "HUB_SIGNING_KEY_FILE"),
        ({"database_url": "sqlite:///var/hub.db"}, "SQLite"),
    ],
)
def test_production_refuses_development_defaults(override, complaint):
    with pytest.raises(ValidationError, match=complaint):
        Settings(**{**PRODUCTION, **override})


def test_development_accepts_the_defaults():
    assert Settings(environment="development").token_rekey_secret
