"""A real browser against the hub: Debian's Chromium driven by Playwright, when both are installed.

Playwright's own browser download cannot run here (no internet), so the system's ``chromium`` is
launched by path (``HUB_TEST_CHROMIUM`` names another). Without it, or without the playwright
package, these tests are skipped, so the rest of the suite never depends on a browser.

The hub is served by uvicorn in a thread of the test process, on the test's own database
session (the same transaction that is rolled back afterwards); the browser's requests come one
page at a time, and static files do not touch the database.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator

import pytest

from tests.factories.servers import free_port

CHROMIUM = os.environ.get("HUB_TEST_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "the playwright package is not installed"
    else:
        reason = None if CHROMIUM else "no chromium on PATH (apt-get install chromium)"
    if reason:
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def live_hub(app, monkeypatch) -> Iterator[str]:
    """The base URL of the test app, served over real HTTP; the hub's issuer for the test, so that
    the sign-in's redirect URI is on the address the browser uses."""
    import uvicorn

    from hub.config import get_settings

    port = free_port()
    monkeypatch.setattr(get_settings(), "issuer", f"http://127.0.0.1:{port}")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()
    while not started.wait(0.05):  # until uvicorn says it listens (or the thread died)
        if server.started:
            started.set()
        elif not thread.is_alive():
            raise RuntimeError("the test server did not start")
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join()


def _page(live_hub, bypass_csp: bool):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(base_url=live_hub, accept_downloads=True, bypass_csp=bypass_csp)
        page = context.new_page()
        page.requested = []
        page.on("request", lambda request: page.requested.append(request.url))
        yield page
        context.close()
        browser.close()


@pytest.fixture
def browser_page(live_hub):
    """A Chromium page under the hub's own content security policy, and the list of every URL it
    requested (to check none left the hub)."""
    yield from _page(live_hub, bypass_csp=False)


@pytest.fixture
def axe_page(live_hub):
    """A Chromium page that lets the accessibility test inject axe-core, which the policy refuses."""
    yield from _page(live_hub, bypass_csp=True)
