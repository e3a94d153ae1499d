"""Real Chromium against the real built hub, served over HTTP the way static hosting serves it.

Debian's ``chromium`` is driven by Playwright's Python package through ``executable_path``;
no browser is ever downloaded. Outside CI a missing browser or axe-core skips these tests
with the reason; under CI (``CI=true``) it fails them, so a green CI always means they ran.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, sync_playwright

from councillor_hub.project import Project
from councillor_hub.toolkit import Toolkit

from ..conftest import REPO

AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Everything not served by our test server is refused, so a test never waits on the network
# and a page that tries to call out (a CDN, web fonts) is noticed.
OFF_SITE = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def missing(reason: str) -> None:
    """Fail under CI (the suite must really run there); skip with the reason elsewhere."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One Chromium for the whole session (starting it is the slow part)."""
    path = chromium_path()
    if path is None:
        missing("Debian's chromium is not installed: run scripts/install-browser")
    browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        missing("axe-core is not installed: run scripts/install-browser (it runs npm ci)")
    return AXE_JS.read_text(encoding="utf-8")


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site under the path of its site_url, as the real host does."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(self.prefix) :])

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


def serve(site: Path, project: Project) -> tuple[http.server.ThreadingHTTPServer, str]:
    """``site`` on a real local HTTP server (random port, 127.0.0.1), under its site_url's path."""
    prefix = urlsplit(project.site_url).path or "/"
    handler = type("Handler", (_SiteHandler,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}{prefix}"


@pytest.fixture(scope="session")
def site_url(upstream_site: Path, upstream_project: Project) -> Iterator[str]:
    """Upstream's built hub, served: the interactive tools are tested on upstream's own content."""
    server, url = serve(upstream_site, upstream_project)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def repo_site_url(repo_site: Path) -> Iterator[str]:
    """This repository's hub as published (a fork's own on a fork), served."""
    server, url = serve(repo_site, Project.load(REPO))
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def kit(upstream_kit: Toolkit) -> Toolkit:
    """Upstream's content, for what the pages should show."""
    return upstream_kit


def new_context(browser: Browser, site_url: str, **options: object) -> BrowserContext:
    context = browser.new_context(base_url=site_url, accept_downloads=True, **options)  # type: ignore[arg-type]
    context.route(OFF_SITE, lambda route: route.abort())
    return context


class PageErrors:
    """Script errors on a page; requests we refused on purpose are not errors."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.errors.append(f"console error: {message.text}")


@pytest.fixture
def context(browser: Browser, site_url: str) -> Iterator[BrowserContext]:
    """A fresh browser profile per test: empty localStorage, like a councillor's first visit."""
    context = new_context(browser, site_url, viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    page = context.new_page()
    errors = PageErrors(page)
    yield page
    assert errors.errors == [], "the page's scripts reported errors"
