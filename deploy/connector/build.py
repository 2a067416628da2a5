"""Build ``ct-hub-connector``: the distribution a partner installs, with no server code in it.

It holds ``connectors/``, ``schemas/`` and ``privacy/`` without ``privacy/dp`` (OpenDP's part), and
depends only on what the connector imports. Run from the repository's root::

    python deploy/connector/build.py dist/      # stages build/connector, then builds the wheel there

The wheel is built by pip from the staged folder (``pip wheel --no-deps``); ``--stage-only`` stops
after staging. ``--zipapp`` goes on to build ``hub-connector.pyz`` beside the wheel::

    python deploy/connector/build.py dist/ --zipapp

The zipapp is made by shiv from the wheel and its dependencies, as pip resolves them for this
machine: it runs on a Python of this interpreter's minor version, operating system and processor
(numpy's wheels are built per Python version), and unpacks its dependencies into ``~/.shiv`` (or
``$SHIV_ROOT``) the first time it runs, since compiled modules cannot be imported from a zip.
"""

from __future__ import annotations

import platform
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("connectors", "schemas", "privacy")
LEFT_OUT = ("privacy/dp",)  # OpenDP's differential privacy: the hub's, never the partner's
NAME = "ct-hub-connector"
ZIPAPP = "hub-connector.pyz"
SHEBANG = "/usr/bin/env python3"


def _dependencies() -> str:
    """The main project's own dependencies (the connector's; the server's are an extra)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r"^dependencies = \[\n(.*?)^\]", text, re.DOTALL | re.MULTILINE).group(1)


def _version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'^version = "([^"]+)"', text, re.MULTILINE).group(1)


def stage(target: Path) -> Path:
    """Copy the connector's packages into ``target`` with a pyproject of their own."""
    if target.exists():
        shutil.rmtree(target)
    ignored = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, target / package, ignore=ignored)
    for part in LEFT_OUT:
        shutil.rmtree(target / part)
    (target / "README.md").write_text(
        "The partner's connector of the counter-trafficking data hub: `hub-connector --help`.\n", encoding="utf-8")
    (target / "pyproject.toml").write_text(f'''[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "{NAME}"
version = "{_version()}"
description = "Partner-side connector of the counter-trafficking data hub (no server code)"
readme = "README.md"
requires-python = ">=3.11"
license = {{ text = "Apache-2.0" }}
dependencies = [
{_dependencies()}]

[project.scripts]
hub-connector = "connectors.cli:main"

[tool.setuptools.packages.find]
include = ["connectors*", "schemas*", "privacy*"]

[tool.setuptools.package-data]
schemas = ["*.yaml"]
''', encoding="utf-8")
    return target


def wheel_name() -> str:
    """The file name pip gives the connector's wheel (pure Python, so one for every platform)."""
    return f"{NAME.replace('-', '_')}-{_version()}-py3-none-any.whl"


def build_wheel(staged: Path, out: Path, **run_options) -> Path:
    """Build the wheel from a staged folder; ``run_options`` go to ``subprocess.run`` (a test captures)."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out), str(staged)],
                   check=True, **run_options)
    return out / wheel_name()


def build_zipapp(wheel: Path, out: Path, **run_options) -> Path:
    """Build ``out/hub-connector.pyz`` with shiv: the wheel, its dependencies, the console script.

    pip installs the dependencies from the package index (through pip's own cache); the files in the
    zip get fixed timestamps (``--reproducible``).
    """
    target = out / ZIPAPP
    with tempfile.TemporaryDirectory() as scratch:
        preamble = _preamble(Path(scratch))
        subprocess.run([sys.executable, "-m", "shiv", "--console-script", "hub-connector", "--output-file",
                        str(target), "--python", SHEBANG, "--preamble", str(preamble), "--reproducible",
                        "--", str(wheel)], check=True, **run_options)
    return target


def _preamble(folder: Path) -> Path:
    """check_python.py with this interpreter's version, platform and processor as the ones required."""
    built_for = (f"{sys.version_info[0]}.{sys.version_info[1]}", sys.platform, platform.machine().lower())
    text = (Path(__file__).parent / "check_python.py").read_text(encoding="utf-8")
    text, count = re.subn(r"^BUILT_FOR = .*$", f"BUILT_FOR = {built_for!r}", text, flags=re.MULTILINE)
    assert count == 1, "check_python.py has no BUILT_FOR line"
    target = folder / "check_python.py"
    target.write_text(text, encoding="utf-8")
    return target


def main(argv: list[str]) -> int:
    stage_only = "--stage-only" in argv
    zipapp = "--zipapp" in argv
    arguments = [a for a in argv if a not in ("--stage-only", "--zipapp")]
    out = Path(arguments[0] if arguments else "dist").resolve()
    staged = stage(ROOT / "build" / "connector")
    print(f"staged {staged}", file=sys.stderr)
    if stage_only:
        return 0
    try:
        wheel = build_wheel(staged, out)
        print(f"built {wheel}", file=sys.stderr)
        if zipapp:
            print(f"built {build_zipapp(wheel, out)}", file=sys.stderr)
    except subprocess.CalledProcessError as failure:
        return failure.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
