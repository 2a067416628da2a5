"""The hub's signing key file: made in development, required in production."""

from __future__ import annotations

import json
import stat

import pytest
from joserfc.jwk import ECKey

from hub.auth.keys import load_signing_key


class TestLoadSigningKey:
    def test_makes_a_private_key_readable_by_its_owner_only(self, tmp_path):
        path = tmp_path / "keys" / "deeper" / "signing.json"
        key = load_signing_key(path, create=True)
        assert key.is_private and key.kid
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert load_signing_key(path, create=True).kid == key.kid

    def test_refuses_to_make_one_when_told_not_to(self, tmp_path):
        with pytest.raises(RuntimeError, match="no signing key"):
            load_signing_key(tmp_path / "absent.json", create=False)
        assert not (tmp_path / "absent.json").exists()

    def test_refuses_a_public_or_other_curve_key(self, tmp_path):
        path = tmp_path / "signing.json"
        path.write_text(json.dumps(ECKey.generate_key("P-384", private=True).as_dict(private=True)))
        with pytest.raises(RuntimeError, match="P-256"):
            load_signing_key(path, create=False)
        path.write_text(json.dumps(ECKey.generate_key("P-256", private=False).as_dict()))
        with pytest.raises(RuntimeError, match="P-256"):
            load_signing_key(path, create=False)

    def test_refuses_a_file_that_is_not_a_jwk(self, tmp_path):
        path = tmp_path / "signing.json"
        path.write_text('{"kty": "RSA"}')
        with pytest.raises(RuntimeError, match="P-256"):
            load_signing_key(path, create=False)

    def test_gives_a_key_without_kid_one(self, tmp_path):
        path = tmp_path / "signing.json"
        path.write_text(json.dumps(ECKey.generate_key("P-256", private=True).as_dict(private=True)))
        path.chmod(0o600)
        assert load_signing_key(path, create=False).kid
