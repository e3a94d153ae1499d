"""Hostile feed content, asserted on the stored post files (threat model cases 14-21)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from councillor_hub.html_nesting import MAX_DEPTH, nesting_depth
from councillor_hub.ingest.run import FeedReport
from councillor_hub.posts import StoredPost, parse_post_file, split_front_matter

from .conftest import NOW, Project, feed_entry, fixture_feed

FILE_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*-[0-9a-f]{6}\.md$")
FORBIDDEN_IN_BODY = [
    r"<script",
    r"<svg",
    r"<math",
    r"<style",
    r"<form",
    r"<input",
    r"<button",
    r"<object",
    r"<embed",
    r"<meta",
    r"<base",
    r"<link",
    r"<body",
    r"<video",
    r"\son[a-z]+\s*=",
    r'="\s*javascript:',
    r'="\s*vbscript:',
    r'="\s*data:',
    r'="\s*file:',
    r"style=",
    r"class=",
    r"\sid=",
    r"\sname=",
    r"ping=",
    r"target=",
    r"srcset=",
    r"formaction",
    r"background=",
    r"xlink",
    r"\{\{",
    r"\{%",
    r"--8<--",
    r"markdown=",
    r"evil\.example",
    r"tracker\.example",
    r"http://insecure",
]


@pytest.fixture
def hostile(project: Project, httpserver: HTTPServer) -> Project:
    httpserver.expect_request("/hostile").respond_with_data(fixture_feed("hostile.xml"), content_type="text/xml")
    project.write_registry(feed_entry("hostile", httpserver.url_for("/hostile"), tags=["sprint-1"]))
    report = project.ingest()
    assert report.feeds[0].result == "ok", report.feeds[0]
    return project


def _posts(project: Project) -> dict[str, tuple[StoredPost, str, str]]:
    out = {}
    for path in sorted(project.posts_dir.iterdir()):
        text = path.read_text(encoding="utf-8")
        stored, problems = parse_post_file(path, path.name)
        assert stored is not None, problems
        out[path.name] = (stored, text, stored.body_html)
    return out


def test_no_live_markup_survives_in_any_body(hostile: Project) -> None:
    posts = _posts(hostile)
    bodies = "\n".join(body for _, _, body in posts.values())
    for pattern in FORBIDDEN_IN_BODY:
        assert not re.search(pattern, bodies, re.IGNORECASE), pattern
    for text in ("Visible text one.", "Visible text two.", "good link", "overlay text", "cell"):
        assert text in bodies
    # Only the allowed players, sandboxed and lazy.
    iframes = re.findall(r"<iframe[^>]*>", bodies)
    assert len(iframes) == 2
    assert all(re.search(r'src="https://(www\.youtube-nocookie\.com|player\.vimeo\.com)/', f) for f in iframes)
    assert all("sandbox=" in f and 'loading="lazy"' in f for f in iframes)
    # Links kept are web or mail links, with rel; relative ones resolved against the entry link.
    assert 'href="https://good.example/ok"' in bodies and 'href="mailto:jo@example.org"' in bodies
    assert 'href="https://hostile.example.net/relative/page"' in bodies
    assert all('rel="nofollow noopener noreferrer ugc"' in a for a in re.findall(r"<a [^>]*>", bodies))
    assert 'src="https://img.example/b.png"' in bodies


def test_directives_stay_inert(hostile: Project) -> None:
    [(_, _, body)] = [p for p in _posts(hostile).values() if p[0].post.title == "Layout and directives"]
    assert "&#123;&#123; config.extra &#125;&#125;" in body
    assert "&#123;% include" in body
    assert '--8&lt;-- ".git/config"' in body
    assert "<p>!!! danger" in body  # inside a paragraph, and the site never runs Markdown over bodies
    assert "<p>[click](javascript:alert('md'))</p>" in body  # text, never a link


def test_text_fields_are_plain_text(hostile: Project) -> None:
    posts = {p[0].post.title: p for p in _posts(hostile).values()}
    stored, text, _ = posts["Scripts & handlers"]
    assert stored.post.author == "Mallory evil"  # tags stripped, RTL override dropped
    assert "sprint-1" in stored.post.categories and stored.post.tags == ["sprint-1"]
    for stored, text, _ in posts.values():
        front, _, _ = split_front_matter(text)
        assert "<" not in stored.post.title and "\n" not in stored.post.title
        assert not re.search(r"[\u202a-\u202e\u2066-\u2069]", front)
        # The front matter has exactly the keys the ingester writes, whatever a title held.
        keys = {line.split(":", 1)[0] for line in front.splitlines() if line and not line.startswith((" ", "-"))}
        assert keys <= {
            "id",
            "feed",
            "title",
            "author",
            "link",
            "guid",
            "published",
            "first_seen",
            "updated",
            "tags",
            "categories",
            "licence",
        }, keys
    assert any(title.startswith("Front --- template: ../../evil --- matter") for title in posts)


def test_link_guid_and_enclosure_with_bad_schemes(hostile: Project) -> None:
    [(stored, text, _)] = [p for p in _posts(hostile).values() if p[0].post.title == "Link, guid and enclosure"]
    assert stored.post.link is None and stored.post.guid is None
    assert "javascript:" not in text and "data:" not in text


def test_hostile_titles_make_safe_deterministic_file_names(hostile: Project) -> None:
    names = sorted(hostile.posts())
    assert len(names) == 12
    assert all(FILE_NAME.match(n) and len(n) <= 90 for n in names), names
    assert all((hostile.posts_dir / n).resolve().parent == hostile.posts_dir.resolve() for n in names)
    assert all(p.parent == hostile.posts_dir for p in hostile.root.rglob("*.md"))
    assert sum(n.startswith("2024-06-09-same-title-") for n in names) == 2
    assert any(n.startswith("2024-06-08-mkdocs-") for n in names)
    assert any(n.startswith("2024-06-08-con-") for n in names)
    assert any(n.startswith("2024-06-08-post-") for n in names)  # ".." leaves nothing: "post"
    future = [n for n in names if "future-dated" in n]
    assert future == [f"{NOW.date().isoformat()}-future-dated-{future[0][-9:-3]}.md"]
    long_name = next(n for n in names if n.startswith("2024-06-10-"))
    assert len(long_name.split("-", 3)[3]) <= 60 + 1 + 6 + 3
    before = hostile.posts()
    hostile.ingest(now=NOW + dt.timedelta(days=1))
    assert hostile.posts() == before


def test_future_dates_are_clamped(hostile: Project) -> None:
    [(stored, _, _)] = [p for p in _posts(hostile).values() if p[0].post.title == "Future dated"]
    assert stored.post.published == NOW


def test_every_post_file_is_valid(hostile: Project) -> None:
    for path in Path(hostile.posts_dir).iterdir():
        _, problems = parse_post_file(path, path.name)
        assert problems == []


# --- Single hostile entries, end to end (issue #15) ------------------------------------------

RSS = "<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><link>{url}</link>{items}</channel></rss>"


def _item(n: int, title: str, *, body: str = "<p>Text.</p>", date: str = "Tue, 04 Jun 2024 09:00:00 GMT") -> str:
    return (
        f"<item><title>{title}</title><guid>urn:e:{n}</guid><link>https://blog.example/{n}/</link>"
        f"<pubDate>{date}</pubDate><description><![CDATA[{body}]]></description></item>"
    )


def _ingest_items(
    project: Project, httpserver: HTTPServer, *items: str
) -> tuple[FeedReport, dict[str, tuple[StoredPost, str, str]]]:
    url = httpserver.url_for("/one")
    httpserver.expect_request("/one").respond_with_data(
        RSS.format(url=url, items="".join(items)), content_type="application/rss+xml"
    )
    project.write_registry(feed_entry("one", url))
    report = project.ingest()
    return report.feeds[0], _posts(project)


def test_one_bad_entry_costs_only_itself(project: Project, httpserver: HTTPServer) -> None:
    items = [_item(n, f"Post {n}") for n in range(20)]
    items[3] = _item(3, "Broken &#xD800; title")
    row, posts = _ingest_items(project, httpserver, *items)
    assert (row.result, row.new) == ("ok", 20), row
    titles = {stored.post.title for stored, _, _ in posts.values()}
    assert "Broken title" in titles


def test_entity_bomb_leaves_no_junk_post(project: Project, httpserver: HTTPServer) -> None:
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    url = httpserver.url_for("/bomb")
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{lol}]><rss version="2.0"><channel>'
        f"<title>t</title>{_item(1, '&lol9;')}{_item(2, 'A real post')}</channel></rss>"
    )
    httpserver.expect_request("/bomb").respond_with_data(bomb, content_type="application/rss+xml")
    project.write_registry(feed_entry("bomb", url))
    row = project.ingest().feeds[0]
    assert (row.result, row.new) == ("ok", 1), row
    assert "entry 1 skipped: its title is an unexpanded entity reference (&lol9;)" in row.reason
    assert [stored.post.title for stored, _, _ in _posts(project).values()] == ["A real post"]


@pytest.mark.parametrize(
    "date",
    [
        "Mon, 01 Jan 0001 00:00:00 GMT",
        "0001-01-01T00:00:00Z",
        "10000-01-01T00:00:00Z",
        "Sat, 01 Jan 10000 00:00:00 GMT",
    ],
)
def test_impossible_dates_fall_back_to_first_seen(project: Project, httpserver: HTTPServer, date: str) -> None:
    # Year 0001 became 1400-01-01 and year 10000 became 2010-11-01 before issue #15.
    row, posts = _ingest_items(project, httpserver, _item(1, "Dated", date=date))
    [(stored, _, _)] = posts.values()
    assert stored.post.published == NOW
    assert next(iter(posts)).startswith(f"{NOW.date().isoformat()}-dated-")


def test_xml_invalid_characters_never_reach_a_post_file(project: Project, httpserver: HTTPServer) -> None:
    title = "Odd &#xFFFE;title&#x1;"
    row, posts = _ingest_items(project, httpserver, _item(1, title, body="<p>a&#xFFFF;b</p>"))
    [(stored, text, body)] = posts.values()
    assert stored.post.title == "Odd title" and body == "<p>ab</p>"
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", text)


def test_deeply_nested_entry_is_stored_flat(project: Project, httpserver: HTTPServer) -> None:
    row, posts = _ingest_items(project, httpserver, _item(1, "Deep", body="<ul><li>x" * 18_000))
    [(_, _, body)] = posts.values()
    assert nesting_depth(body) <= MAX_DEPTH and body.count("x") == 18_000
