"""Feeds in, site out: real feeds served locally, ingested, then the real hub built with MkDocs.

This is the issue's "done when": real-world, hostile and broken feeds ingest without a crash, a
second run changes nothing, and the built site carries no live script or javascript: URL.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from pytest_httpserver import HTTPServer

from ..conftest import FIXTURES, make_project, mkdocs_build
from .conftest import Project, feed_entry, fixture_feed


class _LiveCode(HTMLParser):
    """Collects every script element and event-handler or javascript: attribute in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.in_script = True
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith(
                ("javascript:", "vbscript:", "data:text")
            ):
                self.handlers.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.scripts.append(data)


def test_feeds_to_built_site(tmp_path: Path, httpserver: HTTPServer) -> None:
    root = make_project(tmp_path / "hub", FIXTURES / "mini" / "content")
    project = Project(root)
    project.log_dir.mkdir(parents=True, exist_ok=True)
    httpserver.expect_request("/wp").respond_with_data(
        fixture_feed("wordpress.xml"), content_type="application/rss+xml"
    )
    httpserver.expect_request("/blogger").respond_with_data(
        fixture_feed("blogger.xml"), content_type="application/atom+xml"
    )
    httpserver.expect_request("/hostile").respond_with_data(fixture_feed("hostile.xml"), content_type="text/xml")
    httpserver.expect_request("/html").respond_with_data("<html><body>Sign in</body></html>", content_type="text/html")
    httpserver.expect_request("/broken").respond_with_data("oops", status=500)
    project.write_registry(
        feed_entry("wordpress", httpserver.url_for("/wp"), tags=["sprint-1"]),
        feed_entry("blogger", httpserver.url_for("/blogger")),
        feed_entry("hostile", httpserver.url_for("/hostile"), tags=["sprint-1"]),
        feed_entry("login-page", httpserver.url_for("/html")),
        feed_entry("broken", httpserver.url_for("/broken")),
    )
    first = project.ingest()
    results = {f.feed: f.result for f in first.feeds}
    assert results["wordpress"] == results["blogger"] == results["hostile"] == "ok"
    assert results["login-page"] == "not-a-feed" and results["broken"] == "failed"
    posts = project.posts()
    assert len(posts) >= 6

    state_before = project.state()
    project.ingest()
    assert project.posts() == posts, "a second run changes no post"
    state_after = project.state()
    healthy = ("wordpress", "blogger", "hostile")
    assert {f: state_after["feeds"][f] for f in healthy} == {f: state_before["feeds"][f] for f in healthy}

    result = mkdocs_build(root, tmp_path / "site", strict=False)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    post_pages = sorted((site / "learning-log" / "posts").glob("*/index.html"))
    assert len(post_pages) == len(posts)
    theme_scripts = set()
    for page in [*post_pages, *(site / "learning-log").rglob("index.html"), site / "programme/sprint-1/index.html"]:
        html = page.read_text(encoding="utf-8")
        parser = _LiveCode()
        parser.feed(html)
        assert parser.handlers == [], page
        theme_scripts.update(s.strip()[:40] for s in parser.scripts if s.strip())
        assert not re.search(r'href="\s*javascript:', html, re.I)
    # The only inline scripts are the theme's own (config and search set-up), never feed text.
    assert all(not s.startswith(("alert", "document.cookie")) for s in theme_scripts), theme_scripts
    atom = (site / "learning-log" / "feed.xml").read_text(encoding="utf-8")
    assert "<script" not in atom
