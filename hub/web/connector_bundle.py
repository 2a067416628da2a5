"""The connector's own code as the upload page's worker loads it into Pyodide: one zip, made from
the hub's installed packages, so that the browser runs exactly the connector of this hub's version.

It holds ``connectors/``, ``schemas/`` and the part of ``privacy/`` the connector runs: not
``privacy/dp`` (OpenDP, the hub's) nor ``privacy/linkage`` (the hub's model of record pairs), as the
partner's wheel leaves out the server (``deploy/connector/build.py``).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("connectors", "schemas", "privacy")
LEFT_OUT = ("privacy/dp", "privacy/linkage")
SUFFIXES = (".py", ".yaml")
# Fixed in every entry, so that the same code always gives the same bytes (and the same digest).
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def _files() -> list[Path]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if path.suffix in SUFFIXES and not any(relative.startswith(part + "/") for part in LEFT_OUT):
                found.append(path)
    return found


@functools.cache
def connector_bundle() -> tuple[bytes, str]:
    """The zip's bytes and their SRI digest (sha384), made once per process."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in _files():
            entry = zipfile.ZipInfo(path.relative_to(ROOT).as_posix(), _ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(entry, path.read_bytes())
    data = buffer.getvalue()
    return data, "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()
