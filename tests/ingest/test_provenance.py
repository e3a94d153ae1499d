"""Provenance and duplicates over real HTTP (issue #15, finding 10).

A feed whose site changes has its new posts held for review, not published; the same feed
registered twice is fetched once; a post two feeds share is published once, by the feed
registered first.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from councillor_hub.cli import main
from councillor_hub.ingest import store
from councillor_hub.learning_log import load_learning_log
from councillor_hub.posts import parse_post_file

from .conftest import NOW, Project, feed_entry


def rss(site: str, *posts: tuple[str, str]) -> str:
    """A feed whose channel links to ``site``, with (title, link) posts; guids are the links."""
    items = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Mon, {n + 1:02d} Jan 2024 10:00:00 GMT</pubDate><description>{title} text</description></item>"
        for n, (title, link) in enumerate(posts)
    )
    return (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><link>{site}</link>{items}</channel></rss>"
    )


JO_POSTS = (("Sprint one", "https://jo.example/sprint-one"), ("Sprint two", "https://jo.example/sprint-two"))
CASINO = ("Win big", "https://casino.example/win")


def serve_feed(httpserver: HTTPServer, path: str, body: str) -> str:
    httpserver.clear()
    httpserver.expect_request(path).respond_with_data(body, content_type="application/rss+xml")
    return httpserver.url_for(path)


def titles(folder) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for path in sorted(folder.glob("*.md")):
        stored, problems = parse_post_file(path, path.name)
        assert stored is not None, problems
        out.append(stored.post.title)
    return sorted(out)


def held(project: Project) -> list[str]:
    return titles(store.held_dir(project.posts_dir))


def test_posts_linking_to_a_new_site_are_held_then_accepted(
    project: Project, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = serve_feed(httpserver, "/jo", rss("https://jo.example/", *JO_POSTS))
    project.write_registry(feed_entry("jo", url, site_url="https://www.jo.example/"))
    assert project.ingest().feeds[0].new == 2

    # The domain lapsed and a casino bought it: same feed address, posts on another site.
    serve_feed(httpserver, "/jo", rss("https://jo.example/", *JO_POSTS, CASINO))
    report = project.ingest(now=NOW + dt.timedelta(days=1))
    [row] = report.feeds
    assert (row.result, row.new, row.held) == ("ok", 0, 1)
    assert "held 1 new posts for review" in row.reason and "casino.example" in row.reason
    assert "councillor-hub feeds accept jo" in row.reason
    assert any("1 posts are held for review" in note for note in report.notes)
    assert titles(project.posts_dir) == ["Sprint one", "Sprint two"] and held(project) == ["Win big"]
    # The site never shows a held post.
    assert sorted(e.post.title for e in load_learning_log(project.hub).entries) == ["Sprint one", "Sprint two"]

    # Held once: later runs neither publish it nor hold it again, and change nothing.
    before = project.snapshot()
    again = project.ingest(now=NOW + dt.timedelta(days=2))
    assert (again.feeds[0].new, again.feeds[0].held) == (0, 0)
    assert {k: v for k, v in project.snapshot().items() if "backoff" not in k} == before

    # The facilitator reads it: the blog really moved. Accepting publishes it and trusts the new site.
    assert main(["--project", str(project.root), "feeds", "accept", "jo"]) == 0
    assert "published 1 held posts of jo; its posts from casino.example are published" in capsys.readouterr().out
    assert titles(project.posts_dir) == ["Sprint one", "Sprint two", "Win big"] and held(project) == []
    assert "casino.example" in project.state()["feeds"]["jo"]["sites"]
    serve_feed(
        httpserver, "/jo", rss("https://jo.example/", *JO_POSTS, CASINO, ("More", "https://casino.example/more"))
    )
    later = project.ingest(now=NOW + dt.timedelta(days=3))
    assert (later.feeds[0].new, later.feeds[0].held) == (1, 0)
    assert main(["--project", str(project.root), "feeds", "accept", "jo"]) == 0
    assert "no posts of jo are held for review" in capsys.readouterr().out
    assert main(["--project", str(project.root), "feeds", "accept", "nobody"]) == 1


def test_a_feed_that_says_it_is_another_site_has_its_new_posts_held(project: Project, httpserver: HTTPServer) -> None:
    url = serve_feed(httpserver, "/jo", rss("https://jo.example/", *JO_POSTS))
    project.write_registry(feed_entry("jo", url))
    project.ingest()
    # The channel now names another site, though the new post's link still looks like Jo's.
    serve_feed(httpserver, "/jo", rss("https://casino.example/", *JO_POSTS, ("Third", "https://jo.example/three")))
    [row] = project.ingest(now=NOW + dt.timedelta(days=1)).feeds
    assert (row.new, row.held) == (0, 1) and "the feed now says it is casino.example" in row.reason
    assert held(project) == ["Third"]


def test_posts_that_look_like_another_facilitators_are_held(project: Project, httpserver: HTTPServer) -> None:
    # A new feed whose posts live on a site another registered feed names as its own.
    sam_url = serve_feed(httpserver, "/sam", rss("https://sam.example/", ("Copied", "https://jo.example/copied")))
    project.write_registry(
        feed_entry("jo", "https://jo.example/feed", site_url="https://jo.example/", retired=True),
        feed_entry("sam", sam_url, site_url="https://sam.example/"),
    )
    report = project.ingest()
    row = next(f for f in report.feeds if f.feed == "sam")
    assert (row.new, row.held) == (0, 1) and "the site of feed jo" in row.reason


def test_a_feed_registered_twice_is_fetched_and_published_once(project: Project, httpserver: HTTPServer) -> None:
    url = serve_feed(httpserver, "/jo/feed", rss("https://jo.example/", *JO_POSTS))
    variant = url.replace("localhost", "LocalHost") + "/?utm_source=hub"  # host case, trailing slash, tracking
    project.write_registry(feed_entry("jo", url), feed_entry("jo-again", variant))
    report = project.ingest()
    rows = {f.feed: f for f in report.feeds}
    assert (rows["jo"].result, rows["jo"].new) == ("ok", 2)
    assert rows["jo-again"].result == "skipped" and "the same feed as jo" in rows["jo-again"].reason
    assert len(httpserver.log) == 1 and len(project.posts()) == 2


def test_a_post_in_two_feeds_is_published_once_by_the_first_registered(
    project: Project, httpserver: HTTPServer
) -> None:
    body = rss("https://jo.example/", *JO_POSTS)

    def slow(request: Request) -> Response:
        time.sleep(0.5)  # the first feed answers last: it must still be the one that publishes
        return Response(body, content_type="application/rss+xml")

    httpserver.expect_request("/feed", query_string="").respond_with_handler(slow)
    httpserver.expect_request("/feed", query_string="x=1").respond_with_data(body, content_type="application/rss+xml")
    # ?x=1 is not a tracking parameter, so these are two registrations; their posts are the same.
    project.write_registry(
        feed_entry("jo", httpserver.url_for("/feed")), feed_entry("mirror", httpserver.url_for("/feed") + "?x=1")
    )
    report = project.ingest(max_workers=2, per_host=2)
    rows = {f.feed: f for f in report.feeds}
    assert (rows["jo"].new, rows["mirror"].new) == (2, 0)
    assert "2 entries not published again: already posts of feed jo" in rows["mirror"].reason
    feeds = set()
    for path in project.posts_dir.glob("*.md"):
        stored, _ = parse_post_file(path, path.name)
        assert stored is not None
        feeds.add(stored.post.feed)
    assert feeds == {"jo"} and len(project.posts()) == 2
    # And so it stays.
    again = project.ingest(now=NOW + dt.timedelta(days=1))
    assert {f.feed: f.new for f in again.feeds} == {"jo": 0, "mirror": 0} and len(project.posts()) == 2


def test_same_guid_or_same_link_in_two_feeds(project: Project, httpserver: HTTPServer) -> None:
    first = rss("https://jo.example/", *JO_POSTS)
    # Same guids with other links; and a post with the same link under another guid.
    second = first.replace("<link>https://jo.example/sprint-one</link>", "<link>https://jo.example/s1</link>")
    second = second.replace("<guid>https://jo.example/sprint-two</guid>", "<guid>urn:uuid:2</guid>")
    httpserver.expect_request("/a").respond_with_data(first, content_type="application/rss+xml")
    httpserver.expect_request("/b").respond_with_data(second, content_type="application/rss+xml")
    project.write_registry(feed_entry("a", httpserver.url_for("/a")), feed_entry("b", httpserver.url_for("/b")))
    rows = {f.feed: f for f in project.ingest().feeds}
    assert (rows["a"].new, rows["b"].new) == (2, 0) and len(project.posts()) == 2


def test_numbered_guids_of_two_blogs_are_not_the_same_post(project: Project, httpserver: HTTPServer) -> None:
    # Guids like "1" are only unique inside one blog; they never count across feeds.
    def numbered(site: str) -> str:
        return rss(site, ("Hello", f"{site}hello")).replace(f"<guid>{site}hello</guid>", "<guid>1</guid>")

    httpserver.expect_request("/a").respond_with_data(numbered("https://a.example/"), content_type="text/xml")
    httpserver.expect_request("/b").respond_with_data(numbered("https://b.example/"), content_type="text/xml")
    project.write_registry(feed_entry("a", httpserver.url_for("/a")), feed_entry("b", httpserver.url_for("/b")))
    rows = {f.feed: f for f in project.ingest().feeds}
    assert (rows["a"].new, rows["b"].new) == (1, 1)


def test_an_empty_first_fetch_teaches_nothing(project: Project, httpserver: HTTPServer) -> None:
    # A new blog with no posts yet, and no link of its own: its first posts must not be held.
    url = serve_feed(httpserver, "/new", rss("").replace("<link></link>", ""))
    project.write_registry(feed_entry("new", url))
    assert project.ingest().feeds[0].result == "ok"
    serve_feed(httpserver, "/new", rss("", ("First", "https://newblog.example/first")).replace("<link></link>", ""))
    [row] = project.ingest(now=NOW + dt.timedelta(days=1)).feeds
    assert (row.new, row.held) == (1, 0)
    assert project.state()["feeds"]["new"]["sites"] == ["localhost", "newblog.example"]


def test_held_posts_stay_held_when_the_state_is_lost(project: Project, httpserver: HTTPServer) -> None:
    url = serve_feed(httpserver, "/jo", rss("https://jo.example/", *JO_POSTS))
    project.write_registry(feed_entry("jo", url))
    project.ingest()
    serve_feed(httpserver, "/jo", rss("https://jo.example/", *JO_POSTS, CASINO))
    assert project.ingest(now=NOW + dt.timedelta(days=1)).feeds[0].held == 1
    # state.json lost (and with it what the feed's site was): the held file is the record.
    (project.log_dir / "state.json").unlink()
    serve_feed(httpserver, "/jo", rss("https://jo.example/", *JO_POSTS, CASINO, ("More", "https://casino.example/2")))
    [row] = project.ingest(now=NOW + dt.timedelta(days=2)).feeds
    assert (row.new, row.held) == (0, 1)
    assert titles(project.posts_dir) == ["Sprint one", "Sprint two"] and held(project) == ["More", "Win big"]


def test_what_counts_as_the_same_registration() -> None:
    from councillor_hub.feeds import Feed
    from councillor_hub.ingest.duplicates import duplicate_registrations

    def feed(feed_id: str, url: str, **extra: object) -> Feed:
        return Feed.model_validate(feed_entry(feed_id, url, **extra))

    feeds = [
        feed("jo", "https://jo.example/feed/"),
        feed("port", "https://JO.example:443/feed"),
        feed("www", "http://www.jo.example/feed?utm_source=x&fbclid=y"),
        feed("other", "https://jo.example/feed?cat=2"),  # a real query: another feed
        feed("old", "https://sam.example/feed", retired=True),
        feed("sam", "https://sam.example/feed"),  # the retired one is not fetched, so this is the first
    ]
    assert duplicate_registrations(feeds) == {"port": "jo", "www": "jo"}
