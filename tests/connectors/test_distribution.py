"""The partner's distribution (deploy/connector/build.py) holds no server code and runs without it."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVER_MODULES = ("hub", "opendp", "fastapi", "sqlmodel", "sqlalchemy", "polars", "uvicorn", "alembic")
# Run inside the staged folder's Python: any import of the server's modules fails loudly.
PROBE = f"""
import sys
class RefuseServer:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {SERVER_MODULES!r}:
            raise ImportError("the connector imported " + name)
sys.meta_path.insert(0, RefuseServer())
sys.path.insert(0, sys.argv[1])
import connectors.cli
assert connectors.cli.__file__.startswith(sys.argv[1]), connectors.cli.__file__
sys.argv = ["hub-connector", "push", sys.argv[2], "--period", "2026-01", "--dry-run"]
connectors.cli.main()
"""


def _build_module():
    spec = importlib.util.spec_from_file_location("connector_build", ROOT / "deploy" / "connector" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_distribution_holds_the_connector_and_not_the_server(tmp_path):
    staged = _build_module().stage(tmp_path / "connector")
    assert sorted(p.name for p in staged.iterdir() if p.is_dir()) == ["connectors", "privacy", "schemas"]
    assert not (staged / "privacy" / "dp").exists()
    pyproject = (staged / "pyproject.toml").read_text()
    assert 'hub-connector = "connectors.cli:main"' in pyproject
    for server_dependency in ("fastapi", "opendp", "sqlmodel", "polars"):
        assert server_dependency not in pyproject

    export = tmp_path / "cases.csv"
    export.write_text("case_reference,registration_date,gender,given_name\nC1,2026-01-05,F,Ana\n")
    environment = {**os.environ, "HUB_LINKAGE_SECRET": "5f" * 32}
    result = subprocess.run([sys.executable, "-c", PROBE, str(staged), str(export)], capture_output=True,
                            text=True, env=environment, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "would be accepted" in result.stdout
