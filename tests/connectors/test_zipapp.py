"""The partner's zipapp (``make connector-zipapp``) runs on a bare Python and holds no server code.

The zipapp is built once for this module, from a wheel staged in a temporary folder: pip installs
the connector's dependencies into it (from its cache when it can), which takes some 15 seconds.
It is then run by the base interpreter in isolated mode without site-packages (``-I -S``), from an
empty folder, so that nothing of this repository or of any installed package can be imported but
what the zipapp carries.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.connectors.test_distribution import SERVER_MODULES, _build_module

pytestmark = pytest.mark.slow

# What pip prints when it cannot reach the package index: then the test is skipped, not failed.
# "(from versions: none)" is pip finding no release at all of a package as common as setuptools or
# numpy, which is what an unreachable index gives when pip's warnings about the connection are hidden
# (as in the subprocess that installs the wheel's build dependencies).
UNREACHABLE = ("NewConnectionError", "Failed to establish a new connection", "Name or service not known",
               "Temporary failure in name resolution", "Network is unreachable", "ConnectTimeoutError",
               "ReadTimeoutError", "(from versions: none)")
BARE_PYTHON = getattr(sys, "_base_executable", sys.executable)  # the interpreter under this venv


@pytest.fixture(scope="module")
def zipapp(tmp_path_factory) -> Path:
    build = _build_module()
    folder = tmp_path_factory.mktemp("zipapp")
    staged = build.stage(folder / "staged")
    try:
        wheel = build.build_wheel(staged, folder / "dist", capture_output=True, text=True)
        return build.build_zipapp(wheel, folder / "dist", capture_output=True, text=True)
    except subprocess.CalledProcessError as failure:
        output = f"{failure.stdout}\n{failure.stderr}"
        if any(marker in output for marker in UNREACHABLE):
            pytest.skip("the package index is unreachable: "
                        "pip could not fetch the connector's build and run dependencies")
        raise AssertionError(f"building the zipapp failed:\n{output}") from failure


def run_bare(zipapp: Path, folder: Path, *arguments: str) -> subprocess.CompletedProcess:
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(folder), "LANG": "C.UTF-8",
                   "SHIV_ROOT": str(folder / "shiv"), "HUB_LINKAGE_SECRET": "5f" * 32}
    return subprocess.run([BARE_PYTHON, "-I", "-S", str(zipapp), *arguments], cwd=folder, env=environment,
                          capture_output=True, text=True, timeout=120, check=False)


def test_the_zipapp_holds_the_connector_and_not_the_server(zipapp):
    assert zipapp.read_bytes().startswith(b"#!/usr/bin/env python3\n")
    with zipfile.ZipFile(zipapp) as archive:
        names = archive.namelist()
    installed = {name.split("/")[1] for name in names
                 if name.startswith("site-packages/") and name.count("/") > 1}
    assert {"connectors", "schemas", "privacy", "numpy", "cryptography", "Crypto"} <= installed
    assert not installed & set(SERVER_MODULES), installed & set(SERVER_MODULES)
    assert not [name for name in names if name.startswith("site-packages/privacy/dp/")]
    assert "site-packages/schemas/case-v1.yaml" in names


def test_the_zipapp_runs_on_a_bare_python(zipapp, tmp_path):
    shown = run_bare(zipapp, tmp_path, "--help")
    assert shown.returncode == 0, shown.stderr
    assert "Partner-side connector of the counter-trafficking data hub." in shown.stdout
    for command in ("push", "mapping", "history", "restore", "abandon"):
        assert command in shown.stdout
    # The compiled dependencies were unpacked into SHIV_ROOT, not read from anywhere else.
    assert list((tmp_path / "shiv").glob("hub-connector.pyz_*/site-packages/numpy"))

    export = tmp_path / "cases.csv"
    export.write_text("Case No,registration_date,gender,given_name,Nationality\n"
                      "C1,2026-01-05,F,Ana,Deutschland\nC2,2026-01-06,M,Bo,NPL\n", encoding="utf-8")
    proposed = run_bare(zipapp, tmp_path, "mapping", "init", export.name)
    assert proposed.returncode == 0, proposed.stderr
    assert '"Nationality": citizenship' in proposed.stdout
    assert '"Deutschland": DEU' in proposed.stdout
    (tmp_path / "mapping.yaml").write_text(proposed.stdout, encoding="utf-8")

    pushed = run_bare(zipapp, tmp_path, "push", export.name, "--period", "2026-01",
                      "--mapping", "mapping.yaml", "--dry-run")
    assert pushed.returncode == 0, pushed.stderr
    assert "would be accepted" in pushed.stdout
    assert "2 rows valid, 0 rows rejected" in pushed.stdout


def test_the_zipapp_refuses_another_python_in_words(zipapp, tmp_path):
    with zipfile.ZipFile(zipapp) as archive:
        preamble = archive.read("site-packages/bin/check_python.py").decode()
    this_python = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert f"BUILT_FOR = ({this_python!r}, {sys.platform!r}," in preamble
    # The same check, as a Python of another version would meet it.
    elsewhere = tmp_path / "check_python.py"
    elsewhere.write_text(preamble.replace(f"BUILT_FOR = ({this_python!r}", "BUILT_FOR = ('3.99'"))
    refused = subprocess.run([BARE_PYTHON, "-I", "-S", str(elsewhere)], capture_output=True, text=True,
                             timeout=60, check=False)
    assert refused.returncode == 1
    assert f"built for Python 3.99 on {sys.platform}" in refused.stderr
    assert f"this is Python {this_python}" in refused.stderr
    assert "Traceback" not in refused.stderr
