"""A deeply nested entry never stalls the build (issue #15, finding 3).

Material's search plugin does work proportional to the nesting depth for every tag: before the
fix, a post from a 160 kB entry of nested lists held ``mkdocs build`` for 214 s and a 640 kB one
never finished. Here one such entry goes through the real ingester (real local HTTP server) and
one deep post is written straight to disk, as a post stored before the fix or edited by hand
would be; the real site must then build well inside a subprocess timeout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from councillor_hub.html_nesting import MAX_DEPTH, nesting_depth
from councillor_hub.ingest.fetching import FetchOptions
from councillor_hub.ingest.run import run_ingest
from councillor_hub.posts import Post, render_post_file

from .conftest import FIXTURES, make_project

pytestmark = pytest.mark.build

NOW = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
DEEP = "<ul><li>x" * 18_000  # 162 kB
# A normal build of this small site takes a few seconds; before the fix this one took minutes.
BUILD_TIMEOUT = 120

REGISTRY = """\
feeds:
  - id: jo-facilitator
    name: Jo Facilitator
    url: {url}
    licence: CC BY 4.0
    consent: Email from Jo, 3 November 2026
"""
FEED = (
    "<?xml version='1.0'?><rss version='2.0'><channel><title>Jo</title><link>https://blog.example.org/</link>"
    "<item><title>Deep lists</title><guid>urn:deep:1</guid><link>https://blog.example.org/deep/</link>"
    "<pubDate>Mon, 01 Dec 2025 09:00:00 GMT</pubDate><description><![CDATA[{body}]]></description></item>"
    "</channel></rss>"
)


def test_deeply_nested_posts_build_quickly(tmp_path: Path, httpserver: HTTPServer) -> None:
    project = make_project(tmp_path / "project", FIXTURES / "mini" / "content")
    log = project / "content" / "learning-log"
    (log / "posts").mkdir(parents=True, exist_ok=True)
    httpserver.expect_request("/feed").respond_with_data(FEED.format(body=DEEP), content_type="application/rss+xml")
    (log / "feeds.yml").write_text(REGISTRY.format(url=httpserver.url_for("/feed")), encoding="utf-8")
    options = FetchOptions(connect_timeout=2, read_timeout=2, deadline=4, user_agent="CouncillorHub-Ingest/test")
    report = run_ingest(project, now=NOW, fetch_options=options, allow_hosts=["localhost"], progress=io.StringIO())
    assert [(row.result, row.new) for row in report.feeds] == [("ok", 1)], report.feeds
    # And one written before the fix (or by hand), nested 18,000 deep on disk.
    when = dt.datetime(2025, 11, 1, 9, 0, tzinfo=dt.UTC)
    old = Post(
        id=hashlib.sha256(b"old-deep").hexdigest()[:16],
        feed="jo-facilitator",
        title="Deep lists stored long ago",
        published=when,
        first_seen=when,
    )
    (log / "posts" / f"2025-11-01-deep-lists-stored-long-ago-{old.id[:6]}.md").write_text(
        render_post_file(old, DEEP), encoding="utf-8"
    )

    site = tmp_path / "site"
    args = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    started = time.monotonic()
    result = subprocess.run(
        args,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        cwd=project,
        timeout=BUILD_TIMEOUT,
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    pages = sorted((site / "learning-log" / "posts").glob("*/index.html"))
    assert len(pages) == 2, pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert html.count("<li>x") == 18_000  # every item's text is there ...
        assert nesting_depth(html) <= MAX_DEPTH + 30  # ... at most MAX_DEPTH inside the theme's own nesting
    print(f"build with two 162 kB nested posts: {elapsed:.1f} s")
