"""The identity rules' promises, one by one (issue #15; found missing by mutation testing).

``councillor_hub/ingest/identity.py`` decides when a feed entry is a post already stored (same
guid, same normalised link, or same title on the same day) and what its id and file name are.
Its keys are kept in ``state.json`` and one of them is hashed into the post id, so a key that
changes form, or two posts that share a key, means a post published twice or one lost.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from councillor_hub.ingest.identity import (
    MAX_KEY_LENGTH,
    SLUG_MAX,
    guid_key,
    link_key,
    normalise_link,
    slugify,
    title_date_key,
)

MORNING = dt.datetime(2024, 6, 4, 8, 15, tzinfo=dt.UTC)


# normalise_link: what varies between fetches goes, what names another page stays.


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org./a/b",  # the host's trailing root dot
        "http://example.org:80/a/b",  # the default http port, written out
        "https://example.org:443/a/b",  # the default https port, written out
    ],
)
def test_the_same_address_written_differently_is_one_link(url: str) -> None:
    assert normalise_link(url) == "//example.org/a/b"


def test_another_port_is_another_site() -> None:
    assert normalise_link("http://example.org:8080/a") == "//example.org:8080/a"
    assert normalise_link("https://example.org:81/a") != normalise_link("https://example.org/a")


@pytest.mark.parametrize("url", ["ftp://example.org/a", "file://server/share/a", "http:///a", "https://"])
def test_only_web_links_with_a_host_have_a_key(url: str) -> None:
    assert normalise_link(url) is None
    assert link_key(url) is None


def test_the_case_of_a_path_is_kept() -> None:
    # Paths are case-sensitive on most servers: /TAX and /tax, /X and /, are other pages.
    assert normalise_link("https://example.org/budget/TAX") == "//example.org/budget/TAX"
    assert normalise_link("https://example.org/X") != normalise_link("https://example.org/")


def test_a_query_parameter_without_a_value_names_another_page() -> None:
    # PmWiki and similar name their pages with a bare query: ?Main.HomePage, ?Ward7.
    home = normalise_link("https://wiki.example/pmwiki.php?Main.HomePage")
    ward = normalise_link("https://wiki.example/pmwiki.php?Ward7")
    assert home == "//wiki.example/pmwiki.php?Main.HomePage="
    assert len({home, ward, normalise_link("https://wiki.example/pmwiki.php")}) == 3
    assert normalise_link("https://example.org/?preview=&p=2") == "//example.org?p=2&preview="


# link_key: the link by which an entry is found again when its guid and title change.


def test_a_link_key_is_the_normalised_link() -> None:
    assert link_key("https://www.example.org/a/?utm_source=rss#top") == "//example.org/a"
    assert link_key("  http://example.org/a  ") == "//example.org/a"


def test_guid_and_title_both_changing_while_the_link_stays() -> None:
    # A blog moves to a new platform: new guid, a reworded title, the same post at the same address.
    before = {
        "guid": guid_key("post-81"),
        "link": link_key("http://www.jo.example/2024/06/sprint-one/"),
        "title_date": title_date_key("Sprint one", MORNING),
    }
    after = {
        "guid": guid_key("urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"),
        "link": link_key("https://jo.example/2024/06/sprint-one?utm_source=rss"),
        "title_date": title_date_key("Sprint one: what we learnt", MORNING),
    }
    assert before["guid"] != after["guid"] and before["title_date"] != after["title_date"]
    assert before["link"] == after["link"] == "//jo.example/2024/06/sprint-one"


def test_a_long_link_key_is_bounded() -> None:
    link = "https://example.org/" + "a" * 1000
    normal = "//example.org/" + "a" * 1000
    assert normalise_link(link) == normal
    assert link_key(link) == "sha256:" + hashlib.sha256(normal.encode()).hexdigest()


# title_date_key: how guid-less, link-less entries are told apart.


def test_two_guid_less_posts_with_the_same_title_on_different_days() -> None:
    monday = title_date_key("Weekly update", MORNING)
    tuesday = title_date_key("Weekly update", MORNING + dt.timedelta(days=1))
    assert monday and tuesday and monday != tuesday


def test_the_same_title_on_the_same_day_is_the_same_post() -> None:
    # Reworded only in case and spacing, and republished later the same day.
    first = title_date_key("Ward 7:  what next?", MORNING)
    again = title_date_key("  WARD 7: What\tNext? ", MORNING.replace(hour=22))
    assert first == again


def test_a_title_date_key_keeps_its_form() -> None:
    # The key is stored in state.json and is the primary key of posts with neither guid nor link,
    # so its form must not change between versions or their posts would be published again.
    assert title_date_key("  Ward 7:  What NEXT? ", MORNING) == "ward 7: what next?|2024-06-04"
    assert title_date_key("Ward 7", MORNING) != title_date_key("Ward", MORNING.replace(day=7))


@pytest.mark.parametrize("title", ["", "   ", "\t\n"])
def test_an_entry_without_a_title_has_no_title_date_key(title: str) -> None:
    assert title_date_key(title, MORNING) is None


def test_an_entry_without_its_own_date_has_no_title_date_key() -> None:
    # Without a date of its own every fetch would date it anew: no key rather than a wrong one.
    assert title_date_key("Weekly update", None) is None


# Bounded keys: up to MAX_KEY_LENGTH kept as they are (they are stored), longer ones hashed.


def test_a_key_of_exactly_the_limit_is_kept_as_it_is() -> None:
    guid = "g" * MAX_KEY_LENGTH
    assert guid_key(guid) == guid
    longer = guid + "g"
    assert guid_key(longer) == "sha256:" + hashlib.sha256(longer.encode()).hexdigest()


# slugify: cut at a word boundary, never inside a word.


def _whole_words_of(slug: str, full: str) -> bool:
    return slug == full or full.startswith(slug + "-")


def test_a_slug_of_exactly_the_limit_is_kept_whole() -> None:
    title = "ward " * 11 + "seven"  # 11 * 5 + 5 = 60 characters once slugged
    assert len(slugify(title)) == SLUG_MAX
    assert slugify(title) == "ward-" * 11 + "seven"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        # The limit falls inside "councillors": the whole word goes.
        ("Planning " * 5 + "and the councillors", "planning-" * 5 + "and-the"),
        # A word ends exactly at the limit and the next character is a hyphen: it stays.
        ("a" * 55 + " bcde extra", "a" * 55 + "-bcde"),
        # A word ends one past the limit: it goes, and is not cut short.
        ("a" * 55 + " bcdef g", "a" * 55),
    ],
)
def test_a_long_slug_is_cut_at_a_word_boundary(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert _whole_words_of(slug, slugify(title, 10_000))


def test_a_single_long_word_is_cut_at_the_limit() -> None:
    assert slugify("x" * 200) == "x" * SLUG_MAX
    assert slugify("x" * 200, 10) == "x" * 10


@pytest.mark.parametrize("limit", range(4, 40))
def test_every_cut_keeps_whole_words(limit: int) -> None:
    full = slugify("Ward 7 councillors meet the planning committee about the new library")
    slug = slugify("Ward 7 councillors meet the planning committee about the new library", limit)
    assert len(slug) <= limit
    assert _whole_words_of(slug, full)
