"""Identity rules and file names."""

from __future__ import annotations

import datetime as dt

import pytest

from councillor_hub.ingest.identity import guid_key, link_key, normalise_link, post_filename, post_id, slugify


@pytest.mark.parametrize(
    "url",
    [
        "http://www.example.org/a/b/",
        "https://example.org/a/b",
        "https://EXAMPLE.org/a/b?utm_source=rss&utm_medium=feed",
        "https://example.org:443/a/b/?fbclid=1&gclid=2#comments",
        "http://example.org/a/b?mc_cid=1&_hsenc=2",
    ],
)
def test_link_variants_normalise_alike(url: str) -> None:
    assert normalise_link(url) == "//example.org/a/b"


def test_meaningful_query_is_kept_and_sorted() -> None:
    assert normalise_link("https://example.org/?p=12&lang=cy") == "//example.org?lang=cy&p=12"
    assert normalise_link("https://example.org/?p=12") != normalise_link("https://example.org/?p=13")


def test_non_web_links_have_no_key() -> None:
    assert normalise_link("javascript:alert(1)") is None
    assert link_key("mailto:a@b") is None and link_key(None) is None
    assert normalise_link("http://[bad") is None


def test_guids() -> None:
    assert guid_key("http://b.example/?p=1") == guid_key("https://www.b.example/?p=1&utm_source=x")
    assert guid_key("tag:blogger.com,1999:blog-1.post-2") == "tag:blogger.com,1999:blog-1.post-2"
    assert guid_key("  ") is None
    assert guid_key("x" * 5000).startswith("sha256:")


def test_post_id_is_stable() -> None:
    assert post_id("jo", "//example.org/a") == post_id("jo", "//example.org/a")
    assert post_id("jo", "//example.org/a") != post_id("sam", "//example.org/a")
    assert len(post_id("jo", "x")) == 16


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("../../mkdocs", "mkdocs"),
        ("CON", "con"),
        ("..", "post"),
        ("\U0001f600\u202e" * 50, "post"),
        ("Café – Ward 7: what’s next?", "cafe-ward-7-whats-next"),
        ("word " * 40, ("word-" * 12).rstrip("-")),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert len(slugify(title)) <= 60


def test_filename() -> None:
    when = dt.datetime(2024, 6, 4, tzinfo=dt.UTC)
    assert post_filename(when, "Hello / World", "abcdef0123456789") == "2024-06-04-hello-world-abcdef.md"
