"""Parsing in a fenced-off child process (threat cases 7-10)."""

from __future__ import annotations

import time

from councillor_hub.ingest.parsing import parse_feed

RSS = "<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>{}</channel></rss>"


def test_html_page_and_empty_body_are_not_feeds() -> None:
    page = parse_feed(
        b"<!doctype html><html><head><title>Log in</title></head><body>x</body></html>",
        {"content-type": "text/html; charset=utf-8"},
    )
    assert page.outcome == "not-a-feed" and "text/html" in page.detail
    assert parse_feed(b"", {}).outcome == "not-a-feed"
    assert parse_feed(b"  \n ", {}).outcome == "not-a-feed"
    assert parse_feed(b'{"json": true}', {"content-type": "application/json"}).outcome == "not-a-feed"


def test_valid_empty_feed_is_a_feed() -> None:
    parsed = parse_feed(RSS.format("").encode(), {"content-type": "application/rss+xml"})
    assert (parsed.outcome, parsed.entries) == ("ok", [])


def test_truncated_feed_salvages_entries() -> None:
    items = "".join(
        f"<item><title>T{i}</title><guid>g{i}</guid><description>B{i}</description></item>" for i in range(3)
    )
    truncated = RSS.format(items)[:-40]
    parsed = parse_feed(truncated.encode(), {})
    assert parsed.outcome == "ok" and parsed.malformed
    assert [e.guid for e in parsed.entries][:2] == ["g0", "g1"]


def test_undefined_entity_is_salvaged() -> None:
    body = RSS.format("<item><title>A&nbsp;B</title><guid>x</guid></item>").encode()
    parsed = parse_feed(body, {})
    assert parsed.outcome == "ok" and parsed.entries[0].guid == "x"


def test_entity_bomb_is_bounded() -> None:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{lol}]><rss version="2.0"><channel>'
        "<title>&l9;</title><item><title>&l9;</title></item></channel></rss>"
    )
    started = time.monotonic()
    parsed = parse_feed(bomb.encode(), {}, timeout=3)
    assert time.monotonic() - started < 4
    assert parsed.outcome in ("ok", "failed", "not-a-feed")
    assert all(len(e.title) < 1_000_000 for e in parsed.entries)


def test_external_entities_are_not_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<rss version='2.0'><channel><item><title>a&x;b</title><guid>1</guid></item></channel></rss>"
    )
    parsed = parse_feed(body.encode(), {})
    assert "TOP-SECRET" not in repr(parsed)


def test_pathological_author_is_killed_at_the_deadline() -> None:
    author = "a@" + "a." * 16000 + "!"
    items = "".join(f"<item><title>T{i}</title><guid>{i}</guid><author>{author}</author></item>" for i in range(5))
    started = time.monotonic()
    parsed = parse_feed(RSS.format(items).encode(), {}, timeout=1.0)
    assert time.monotonic() - started < 3
    assert (parsed.outcome, parsed.reason) in {("failed", "parse-timeout"), ("ok", "")}


def test_memory_limit_is_reported() -> None:
    parsed = parse_feed(RSS.format("<item><title>x</title></item>").encode(), {}, memory_limit=16 * 1024 * 1024)
    assert (parsed.outcome, parsed.reason) in {("failed", "parse-memory"), ("failed", "parse-error")}
