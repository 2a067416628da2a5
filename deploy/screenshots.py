"""Screenshots of the hub's main pages, at desktop and phone width, for the docs: ``make screenshots``.

A demo hub is made from nothing in a temporary folder (``hub migrate``, ``hub demo``: synthetic
partners only), served on a free port, and visited by Debian's Chromium through Playwright (as the
browser tests do), signed in as each demo account in turn. The PNGs go to ``docs/screenshots/``,
named ``PAGE-desktop.png`` (1280 px wide) and ``PAGE-phone.png`` (390 px), whole pages.

Needs the ``chromium`` command (``apt-get install chromium``) and the dev extra (playwright, pyotp).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
# Page name, path, and the demo account that sees it (None: no account needed).
PAGES = [
    ("home", "/", None),
    ("catalogue", "/reports", None),
    ("report", None, None),  # the first published report of the catalogue
    ("privacy", "/privacy", None),
    ("officer-submissions", "/partner/submissions", "officer"),
    ("researcher-requests", "/researcher/requests", "researcher"),
    ("steward-requests", "/steward/requests", "steward"),
    ("steward-budget", "/steward/budget", "steward"),
    ("steward-partners", "/steward/partners", "steward"),
    ("steward-publish", "/steward/publish", "steward"),
]
_ACCOUNT = re.compile(r"username (\S+)\s+password (\S+)")
_TOTP = re.compile(r"secret=([A-Z2-7]+)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _hub(folder: Path, port: int) -> tuple[dict, dict, str | None]:
    """Migrate and fill a demo hub in ``folder``; the environment to serve it, the demo accounts'
    passwords and the steward's one-time-code secret."""
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'hub.db'}", "HUB_ISSUER": f"http://127.0.0.1:{port}"}
    hub = str(Path(sys.executable).with_name("hub"))
    subprocess.run([hub, "migrate"], cwd=folder, env=environment, check=True, capture_output=True)
    print("filling a demo hub (about a minute)", file=sys.stderr, flush=True)
    demo = subprocess.run([hub, "demo"], cwd=folder, env=environment, check=True, capture_output=True, text=True)
    accounts = dict(_ACCOUNT.findall(demo.stdout + demo.stderr))
    secret = _TOTP.search(demo.stdout + demo.stderr)
    return environment, accounts, secret.group(1) if secret else None


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _sign_in(page, username: str, password: str, secret: str | None) -> None:
    import pyotp

    page.goto("/signin")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    if secret and page.get_by_label("One-time code").count():
        page.get_by_label("One-time code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def main() -> int:
    chromium = os.environ.get("HUB_TEST_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("no chromium on PATH: apt-get install chromium", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        port = _free_port()
        environment, accounts, secret = _hub(Path(folder), port)
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([str(Path(sys.executable).with_name("hub")), "serve", "--port", str(port), "--no-linker"],
                                  cwd=folder, env=environment, stdout=subprocess.DEVNULL, stderr=open(Path(folder) / "serve.log", "w"))
        try:
            _wait_for(base + "/healthz")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
                for width_name, (width, height) in WIDTHS.items():
                    contexts: dict[str | None, object] = {}
                    for name, path, account in PAGES:
                        if account not in contexts:
                            context = browser.new_context(base_url=base, viewport={"width": width, "height": height})
                            contexts[account] = context.new_page()
                            if account:
                                _sign_in(contexts[account], account, accounts[account],
                                         secret if account == "steward" else None)
                        page = contexts[account]
                        if path is None:
                            page.goto("/reports")
                            path = page.locator("main a[href^='/reports/']").first.get_attribute("href")
                        page.goto(path)
                        page.wait_for_load_state("networkidle")
                        target = OUT / f"{name}-{width_name}.png"
                        page.screenshot(path=str(target), full_page=True)
                        print(f"{target.relative_to(ROOT)}", flush=True)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
            if os.environ.get("SCREENSHOTS_LOG"):
                print((Path(folder) / "serve.log").read_text()[-3000:], file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
