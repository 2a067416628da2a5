"""Development defaults refuse to run in production."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from hub.config import Settings

PRODUCTION = {
    "environment": "production",
    "database_url": "postgresql+psycopg://hub@db/hub",
    "signing_key_file": "/etc/ct-hub/signing-key.json",
    "master_key_file": "/etc/ct-hub/master-keys.json",
    "token_rekey_secret": "x" * 40,
    "snapshot_secret": "y" * 40,
}


def test_production_with_real_settings_loads():
    assert Settings(**PRODUCTION).environment == "production"


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ({"token_rekey_secret": "development-only-token-rekey-secret"}, "HUB_TOKEN_REKEY_SECRET"),
        ({"token_rekey_secret": "short"}, "shorter than 32"),
        ({"snapshot_secret": "development-only-snapshot-commitment-secret"}, "HUB_SNAPSHOT_SECRET"),
        ({"snapshot_secret": "short"}, "HUB_SNAPSHOT_SECRET is shorter than 32"),
        ({"signing_key_file": "var/dev-signing-key.json"}, "HUB_SIGNING_KEY_FILE"),
        ({"master_key_file": "var/dev-master-keys.json"}, "HUB_MASTER_KEY_FILE"),
        ({"database_url": "sqlite:///var/hub.db"}, "SQLite"),
    ],
)
def test_production_refuses_development_defaults(override, complaint):
    with pytest.raises(ValidationError, match=complaint):
        Settings(**{**PRODUCTION, **override})


def test_development_accepts_the_defaults():
    assert Settings(environment="development").token_rekey_secret


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ({"budget_ceiling_epsilon_reports": "0.5"}, "HUB_BUDGET_CEILING_EPSILON_REPORTS is below"),
        ({"research_epsilon": "3"}, "HUB_BUDGET_CEILING_EPSILON_RESEARCH is below"),
        ({"budget_ceiling_epsilon_research": "NaN"}, "finite"),
        ({"budget_ceiling_epsilon_research": "11"}, "less than or equal to 10"),
    ],
)
def test_a_budget_ceiling_must_hold_the_default_budget_and_be_a_real_number(override, complaint):
    with pytest.raises(ValidationError, match=complaint):
        Settings(environment="development", **override)
