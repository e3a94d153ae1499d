"""The same thing twice, published once: the duplicates rules one by one (issue #15, findings 6
and 10; found missing by mutation testing).

``councillor_hub/ingest/duplicates.py``: repeated guids inside one feed, one feed registered
twice, and one post in two feeds.
"""

from __future__ import annotations

import pytest

from councillor_hub.feeds import Feed
from councillor_hub.ingest.duplicates import (
    CrossFeedKeys,
    duplicate_registrations,
    first_of_each_guid,
    is_global_guid,
)
from councillor_hub.ingest.identity import guid_key, link_key

from .conftest import feed_entry


def feed(feed_id: str, url: str, **extra: object) -> Feed:
    return Feed.model_validate(feed_entry(feed_id, url, **extra))


# Inside one feed: the first entry with a guid wins.


def test_repeats_of_a_guid_are_dropped_and_counted() -> None:
    entries = [("a", "first"), ("b", "other"), ("a", "second"), ("a", "third"), ("b", "again")]
    kept, dropped = first_of_each_guid(entries, lambda entry: entry[0])
    assert kept == [("a", "first"), ("b", "other")]
    assert dropped == 3


def test_entries_without_a_guid_are_all_kept() -> None:
    entries = [(None, "one"), ("a", "two"), (None, "three"), (None, "four")]
    kept, dropped = first_of_each_guid(entries, lambda entry: entry[0])
    assert kept == entries and dropped == 0


def test_a_feed_without_repeats_is_kept_in_order() -> None:
    entries = [(str(n), n) for n in range(5)]
    assert first_of_each_guid(iter(entries), lambda entry: entry[0]) == (entries, 0)


# One feed registered twice: fetched once, under the first.


def test_a_retired_feed_does_not_stop_the_check_of_later_feeds() -> None:
    feeds = [
        feed("jo", "https://jo.example/feed"),
        feed("old", "https://old.example/feed", retired=True),
        feed("jo-again", "http://www.jo.example/feed/"),
        feed("sam", "https://sam.example/feed"),
        feed("sam-again", "https://SAM.example/feed?utm_medium=rss"),
    ]
    assert duplicate_registrations(feeds) == {"jo-again": "jo", "sam-again": "sam"}


def test_a_third_registration_points_at_the_first() -> None:
    feeds = [feed(name, f"https://jo.example/feed?{n}") for n, name in enumerate(["a", "b", "c"])]
    assert duplicate_registrations(feeds) == {}  # a real query: three feeds
    feeds = [feed(name, "https://jo.example/feed") for name in ["a", "b", "c"]]
    assert duplicate_registrations(feeds) == {"b": "a", "c": "a"}


# Which guids name one post on the whole web (two blogs may both number their posts 1, 2, 3).


@pytest.mark.parametrize(
    "guid",
    [
        "https://jo.example/?p=12",  # a URL
        "tag:blogger.com,1999:blog-1.post-2",
        "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66",
        "6e8bc4309c3a11d99669",  # a long id: 20 characters
        "g" * 5000,  # bounded to a sha256 key
    ],
)
def test_global_guids(guid: str) -> None:
    key = guid_key(guid)
    assert key is not None and is_global_guid(key)


@pytest.mark.parametrize("guid", ["1", "12", "post-81", "6e8bc4309c3a11d9966"])  # the last: 19 characters
def test_blog_local_guids(guid: str) -> None:
    key = guid_key(guid)
    assert key is not None and not is_global_guid(key)


def test_each_form_of_a_global_guid_counts_on_its_own() -> None:
    assert is_global_guid("//x")  # a short URL key, no colon
    assert is_global_guid("sha256:")
    assert is_global_guid("a:b")
    assert is_global_guid("x" * 20) and not is_global_guid("x" * 19)


# Two feeds, one post: the feed registered first owns it.


def identities(guids: tuple[str, ...] = (), links: tuple[str, ...] = ()) -> dict[str, dict[str, str]]:
    return {
        "guid": {guid_key(g) or "": "pid" for g in guids},
        "link": {link_key(u) or "": "pid" for u in links},
        "title_date": {"weekly update|2024-06-04": "pid"},
    }


def keys(guid: str | None = None, link: str | None = None) -> dict[str, str | None]:
    return {
        "guid": guid_key(guid),
        "link": link_key(link),
        "title_date": "weekly update|2024-06-04",
    }


POST = "https://jo.example/2024/06/sprint-one"
TAG = "tag:jo.example,2024:post-1"


def test_the_first_registered_feed_owns_a_post_both_have() -> None:
    stored = {"sam": identities((TAG,), (POST,)), "jo": identities((TAG,), (POST,))}
    cross = CrossFeedKeys(["jo", "sam"], stored)
    assert cross.published_by_another("sam", keys(TAG, POST)) == "jo"
    assert cross.published_by_another("jo", keys(TAG, POST)) is None
    # Registry order, not the order of the stored identities.
    assert CrossFeedKeys(["sam", "jo"], stored).published_by_another("jo", keys(TAG, POST)) == "sam"


def test_the_same_guid_or_the_same_link_is_the_same_post() -> None:
    cross = CrossFeedKeys(["jo"], {"jo": identities((TAG,), (POST,))})
    assert cross.published_by_another("sam", keys(guid=TAG)) == "jo"
    assert cross.published_by_another("sam", keys(link=POST + "/?utm_source=rss")) == "jo"
    assert cross.published_by_another("sam", keys("tag:sam.example,2024:post-1", "https://sam.example/1")) is None


def test_the_guid_is_checked_before_the_link() -> None:
    cross = CrossFeedKeys(["jo", "sam"], {"jo": identities((TAG,)), "sam": identities(links=(POST,))})
    assert cross.published_by_another("kim", keys(TAG, POST)) == "jo"
    # The post's own feed owning one key does not hide another feed owning the other.
    assert cross.published_by_another("jo", keys(TAG, POST)) == "sam"
    assert cross.published_by_another("sam", keys(TAG, POST)) == "jo"


def test_numbered_guids_of_two_blogs_are_not_the_same_post() -> None:
    cross = CrossFeedKeys(["jo"], {"jo": identities(("1", "2"))})
    assert cross.published_by_another("sam", keys(guid="1")) is None
    assert ("guid", "1") not in cross.owner


def test_titles_and_dates_are_not_compared_across_feeds() -> None:
    # Two facilitators may each post a "Weekly update" on the same day.
    cross = CrossFeedKeys(["jo"], {"jo": identities()})
    assert cross.published_by_another("sam", keys()) is None
    cross.claim("jo", "title_date", "weekly update|2024-06-04")
    assert cross.published_by_another("sam", keys()) is None
    assert cross.owner == {}


def test_a_feed_without_stored_identities_owns_nothing() -> None:
    cross = CrossFeedKeys(["new", "jo"], {"jo": identities((TAG,), (POST,))})
    assert cross.published_by_another("new", keys(TAG, POST)) == "jo"
    partial = CrossFeedKeys(["jo"], {"jo": {"link": {link_key(POST) or "": "pid"}}})
    assert partial.published_by_another("sam", keys(link=POST)) == "jo"


def test_a_claim_made_during_a_run_keeps_the_first_owner() -> None:
    cross = CrossFeedKeys(["jo", "sam"], {})
    link = link_key(POST)
    assert link is not None
    cross.claim("sam", "link", link)  # sam's fetch ran first this time
    cross.claim("jo", "link", link)
    assert cross.owner == {("link", link): "sam"}
    assert cross.published_by_another("jo", keys(link=POST)) == "sam"
    cross.claim("jo", "guid", "1")  # a blog-local guid is not claimed
    cross.claim("jo", "guid", guid_key(TAG) or "")
    assert cross.published_by_another("sam", keys(guid=TAG)) == "jo"


def test_an_entry_without_keys_is_nobody_elses() -> None:
    cross = CrossFeedKeys(["jo"], {"jo": identities((TAG,), (POST,))})
    assert cross.published_by_another("sam", {"guid": None, "link": None}) is None
    assert cross.published_by_another("sam", {}) is None
