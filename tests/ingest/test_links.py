"""A post's own link (its "read the original" address) is kept only when browsers and the ingester
agree where it goes: the provenance check reads its host (issue #15)."""

from __future__ import annotations

import datetime as dt

import pytest

from councillor_hub.ingest.parsing import RawEntry
from councillor_hub.ingest.run import _clean_entry

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
FEED = "https://blog.example.org/feed/"


def entry_linking_to(link: str) -> RawEntry:
    return RawEntry(
        guid="g", link=link, title="A reflection", title_type="text/plain", author=None, categories=(),
        published=NOW, updated=None, body="<p>x</p>", body_type="text/html",
    )  # fmt: skip


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example.net\\@blog.example.org/post",  # browsers go to evil.example.net
        "https://evil.example.net\\blog.example.org/post",
        "https://user:pass@blog.example.org/post",
        "https://evil.example.net@blog.example.org/post",
    ],
)
def test_a_link_browsers_read_differently_is_not_kept(link: str) -> None:
    assert _clean_entry(entry_linking_to(link), FEED, NOW).link is None


def test_an_ordinary_link_is_kept_as_written() -> None:
    assert _clean_entry(entry_linking_to("/2026/11/post/"), FEED, NOW).link == "https://blog.example.org/2026/11/post/"
    # Tabs and newlines are removed, by browsers and by urljoin alike.
    assert _clean_entry(entry_linking_to("https://blog.example.org/po\tst"), FEED, NOW).link == (
        "https://blog.example.org/post"
    )
    assert _clean_entry(entry_linking_to("https://blog.example.org/a?b=c"), FEED, NOW).link == (
        "https://blog.example.org/a?b=c"
    )
