"""Stored posts are read within the safe depth (issue #15), and ordinary posts are read unchanged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from councillor_hub.html_nesting import MAX_DEPTH, nesting_depth
from councillor_hub.posts import Post, parse_post_file, render_post_file

WHEN = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
POST = Post(id="0123456789abcdef", feed="jo", title="T", published=WHEN, first_seen=WHEN)


def _read(tmp_path: Path, body: str) -> str:
    path = tmp_path / "post.md"
    path.write_text(render_post_file(POST, body), encoding="utf-8")
    stored, problems = parse_post_file(path, "post.md")
    assert stored is not None, problems
    return stored.body_html


def test_an_ordinary_body_is_read_byte_for_byte(tmp_path: Path) -> None:
    body = '<p>A <a href="https://x.example/?a=1&amp;b=2" rel="nofollow">link</a> &#123;&#123; x &#125;&#125;</p>\n'
    assert _read(tmp_path, body) == body.strip()


def test_a_deep_body_is_flattened_keeping_its_text_and_inert_braces(tmp_path: Path) -> None:
    body = "<div>" * 5000 + "&#123;&#123; config &#125;&#125; <b>end</b>" + "</div>" * 5000
    read = _read(tmp_path, body)
    assert nesting_depth(read) == MAX_DEPTH
    assert "&#123;&#123; config &#125;&#125; end" in read and "{" not in read
