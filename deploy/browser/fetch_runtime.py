"""Fetch what the hub's upload page runs in the browser: Pyodide, an AES, the connector's libraries.

The upload page (``/partner/upload``) runs the connector in the data officer's browser, so that
names and dates are tokenised on the partner's computer. Everything it loads is served by the hub
(the page loads nothing from elsewhere), from copies fetched here, once, by ``make setup``::

    python deploy/browser/fetch_runtime.py            # into hub/web/static/runtime (not committed)

What is fetched is pinned, with its digest, in ``runtime.lock.json`` beside this file, and
checked before use:

- from the npm registry (``npm pack``, checked against the lock's sha512): Pyodide's core
  (CPython compiled to WebAssembly, with its standard library) and ``@noble/ciphers`` (an audited
  pure JavaScript AES; Pyodide has no ``cryptography``);
- from PyPI (``pip download --require-hashes``): the connector's pure Python dependencies as
  wheels, and PyYAML's source, whose pure Python package is used (its wheels are compiled).

``manifest.json`` lists every file served with its size and SRI digest: the page's worker fetches
the wheels with ``integrity`` set, so a file changed on the hub's disk is refused by the browser.
Run again, it does nothing unless the lock file changed (``--force`` fetches anew).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCK = Path(__file__).with_name("runtime.lock.json")
TARGET = ROOT / "hub" / "web" / "static" / "runtime"


def _sri(data: bytes, algorithm: str = "sha384") -> str:
    return f"{algorithm}-" + base64.b64encode(hashlib.new(algorithm, data).digest()).decode()


def _npm_package(spec: str, pinned: dict, work: Path, target: Path) -> None:
    """``npm pack`` one package, check its tarball's sha512 against the lock, unpack the files named."""
    done = subprocess.run(["npm", "pack", spec, "--json", "--silent"], cwd=work, capture_output=True,
                          text=True, check=True)
    tarball = work / json.loads(done.stdout)[0]["filename"]
    found = _sri(tarball.read_bytes(), "sha512")
    if found != pinned["integrity"]:
        raise SystemExit(f"{spec}: the registry's tarball is {found}, the lock file pins {pinned['integrity']}")
    folder = target / pinned["folder"]
    folder.mkdir(parents=True)
    with tarfile.open(tarball) as archive:
        for name in pinned["files"]:
            member = archive.extractfile(f"package/{name}")
            (folder / name).write_bytes(member.read())


def _wheels(pinned: dict, work: Path, target: Path) -> None:
    """The pure Python wheels, by pip, refused unless each file has the lock's sha256."""
    requirements = work / "requirements.txt"
    requirements.write_text("".join(f"{spec} --hash={digest}\n" for spec, digest in pinned.items()))
    folder = target / "wheels"
    folder.mkdir(parents=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--require-hashes",
                    "--only-binary=:all:", "--platform", "any", "--implementation", "py", "--abi", "none",
                    "--python-version", "3.14", "-r", str(requirements), "-d", str(folder)], check=True)


def _pure_sources(pinned: dict, work: Path, target: Path) -> None:
    """A package of a source distribution (PyYAML's pure Python one), zipped as it sits in site-packages."""
    for spec, source in pinned.items():
        requirements = work / "sources.txt"
        requirements.write_text(f"{spec} --hash=sha256:{source['sha256']}\n")
        downloaded = work / "sources"
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--require-hashes",
                        "--no-binary=:all:", "-r", str(requirements),
                        "-d", str(downloaded)], check=True)
        (archive_path,) = downloaded.glob("*.tar.gz")
        buffer = io.BytesIO()
        with tarfile.open(archive_path) as archive, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as packed:
            prefix = source["package"] + "/"
            for member in sorted(archive.getmembers(), key=lambda member: member.name):
                if member.isfile() and member.name.startswith(prefix) and member.name.endswith(".py"):
                    # A fixed time in every entry: the same source always gives the same zip (and digest).
                    entry = zipfile.ZipInfo(source["as"] + "/" + member.name[len(prefix):], (2020, 1, 1, 0, 0, 0))
                    entry.compress_type = zipfile.ZIP_DEFLATED
                    packed.writestr(entry, archive.extractfile(member).read())
        name = spec.replace("==", "-") + "-pure.zip"
        (target / "wheels" / name).write_bytes(buffer.getvalue())
        archive_path.unlink()


def _manifest(target: Path, lock_digest: str) -> dict:
    files = {}
    for path in sorted(target.rglob("*")):
        if path.is_file() and path.name != "manifest.json":
            data = path.read_bytes()
            files[path.relative_to(target).as_posix()] = {"bytes": len(data), "integrity": _sri(data)}
    return {"lock": lock_digest, "files": files}


def fetch(target: Path = TARGET, force: bool = False) -> Path:
    lock_text = LOCK.read_bytes()
    lock_digest = hashlib.sha256(lock_text).hexdigest()
    manifest_path = target / "manifest.json"
    if not force and manifest_path.exists() and json.loads(manifest_path.read_text())["lock"] == lock_digest:
        manifest_path.touch()  # up to date: newer than the lock file, for make
        return manifest_path
    lock = json.loads(lock_text)
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as work:
        for spec, pinned in lock["npm"].items():
            _npm_package(spec, pinned, Path(work), staging)
        _wheels(lock["wheels"], Path(work), staging)
        _pure_sources(lock["sources"], Path(work), staging)
    (staging / "manifest.json").write_text(json.dumps(_manifest(staging, lock_digest), indent=1) + "\n")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)  # all or nothing: a failed fetch leaves no half runtime to serve
    return manifest_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=Path, default=TARGET)
    parser.add_argument("--force", action="store_true", help="fetch again even if the lock file is unchanged")
    arguments = parser.parse_args(argv)
    manifest = json.loads(fetch(arguments.target, arguments.force).read_text())
    total = sum(entry["bytes"] for entry in manifest["files"].values())
    print(f"browser runtime: {len(manifest['files'])} files, {total / 1e6:.1f} MB in {arguments.target}")


if __name__ == "__main__":
    main()
