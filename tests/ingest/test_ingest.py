"""Real runs: fixture feeds served over HTTP, posts written to a throwaway project."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from councillor_hub.ingest import store
from councillor_hub.ingest.run import run_ingest
from councillor_hub.posts import parse_post_file

from .conftest import NOW, Project, feed_entry, fixture_feed

REPO = Path(__file__).resolve().parents[2]
FILE_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*-[0-9a-f]{6}\.md$")


def conditional(body: bytes, etag: str = '"v1"', content_type: str = "application/rss+xml"):
    """A handler that honours If-None-Match like a real blog host."""

    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(
            body, headers={"ETag": etag, "Last-Modified": "Tue, 04 Jun 2024 09:00:00 GMT", "Content-Type": content_type}
        )

    return handler


def serve(httpserver: HTTPServer, path: str, body: bytes, **kwargs: object) -> str:
    httpserver.expect_request(path).respond_with_handler(conditional(body, **kwargs))  # type: ignore[arg-type]
    return httpserver.url_for(path)


def read_posts(project: Project) -> dict[str, object]:
    out = {}
    for path in sorted(project.posts_dir.glob("*.md")):
        stored, problems = parse_post_file(path, path.name)
        assert not problems, problems
        assert stored is not None
        out[path.name] = stored
    return out


def test_three_blog_platforms_then_conditional_get_changes_nothing(project: Project, httpserver: HTTPServer) -> None:
    project.write_registry(
        feed_entry("jo", serve(httpserver, "/wp", fixture_feed("wordpress.xml")), tags=["sprint-1"]),
        feed_entry("sam", serve(httpserver, "/blogger", fixture_feed("blogger.xml"))),
        feed_entry("alex", serve(httpserver, "/substack", fixture_feed("substack.xml"))),
    )
    report = project.ingest()
    assert {(f.feed, f.result, f.new) for f in report.feeds} == {("jo", "ok", 2), ("sam", "ok", 2), ("alex", "ok", 1)}
    assert report.exit_code == 0
    posts = read_posts(project)
    assert len(posts) == 5 and all(FILE_NAME.match(name) for name in posts)
    by_title = {p.post.title: p for p in posts.values()}

    wp = by_title["Sprint 1: what worked & what didn’t"]
    assert wp.post.author == "Jo Bloggs" and wp.post.licence == "CC BY 4.0"
    assert wp.post.tags == ["sprint-1", "community-engagement"]  # feed tag + a category that is a known tag
    assert wp.post.published == dt.datetime(2024, 6, 4, 9, 0, tzinfo=dt.UTC)
    assert wp.post.first_seen == NOW
    assert 'href="https://jobloggs.example.org/2024/05/01/masterclass/"' in wp.body_html  # relative link resolved
    assert 'rel="nofollow noopener noreferrer ugc"' in wp.body_html
    assert "pixel.wp.com" not in wp.body_html and "group.jpg" in wp.body_html
    assert "class=" not in wp.body_html
    assert "track()" not in by_title["Masterclass notes"].body_html
    assert by_title["Masterclass notes"].post.tags == ["sprint-1", "masterclass"]

    sam = by_title["Managing a heated debate online"]
    assert sam.post.tags == ["sprint-2"]
    assert '<iframe src="https://www.youtube.com/embed/abc123"' in sam.body_html
    assert 'sandbox="' in sam.body_html and 'loading="lazy"' in sam.body_html

    alex = by_title["Leading well online"]
    assert alex.post.link == "https://alex.substack.com/p/leading-well-online?utm_source=rss&utm_medium=feed"
    assert "medium.com/_/stat" not in alex.body_html and "small.png" in alex.body_html

    state = project.state()
    assert state["feeds"]["jo"]["etag"] == '"v1"' and state["feeds"]["jo"]["status"] == "ok"
    before = project.snapshot()
    requests_before = len(httpserver.log)

    again = project.ingest(now=NOW + dt.timedelta(days=1))
    assert {f.result for f in again.feeds} == {"not-modified"}
    assert project.snapshot() == before
    conditional_requests = [req for req, _ in httpserver.log[requests_before:]]
    assert len(conditional_requests) == 3
    assert all(req.headers.get("If-None-Match") == '"v1"' for req in conditional_requests)
    assert all(req.headers.get("If-Modified-Since") for req in conditional_requests)
    assert all(req.headers["User-Agent"].startswith("CouncillorHub-Ingest/") for req in conditional_requests)


def test_rerun_without_conditional_support_changes_nothing(project: Project, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/wp").respond_with_data(fixture_feed("wordpress.xml"), content_type="text/xml")
    project.write_registry(feed_entry("jo", httpserver.url_for("/wp")))
    project.ingest()
    before = project.snapshot()
    report = project.ingest(now=NOW + dt.timedelta(hours=5))
    assert (report.feeds[0].new, report.feeds[0].unchanged) == (0, 2)
    assert project.snapshot() == before


GUID_FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://b.example/</link>
{items}</channel></rss>"""
ITEM = (
    "<item><title>{title}</title><link>{link}</link>{guid}<pubDate>{date}</pubDate>"
    "<description>{body}</description></item>"
)


def items(n: int, *, scheme: str = "http", query: str = "", guids: bool = True, token: str = "") -> str:
    out = []
    for i in range(n):
        link = f"{scheme}://www.b.example/post-{i}/{query}{token}"
        guid = f"<guid>{scheme}://b.example/?p={i}</guid>" if guids else ""
        date = f"Mon, {i + 1:02d} Jan 2024 10:00:00 GMT"
        out.append(ITEM.format(title=f"Post {i}", link=link, guid=guid, date=date, body=f"Body {i}"))
    return "".join(out)


def test_guid_churn_and_tracking_parameters_make_no_new_posts(project: Project, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/f").respond_with_data(GUID_FEED.format(items=items(10)), content_type="text/xml")
    project.write_registry(feed_entry("b", httpserver.url_for("/f")))
    assert project.ingest().feeds[0].new == 10
    before = project.posts()

    httpserver.clear()
    churned = items(10, scheme="https", query="?utm_source=rss&amp;utm_medium=feed&amp;fbclid=x")
    httpserver.expect_request("/f").respond_with_data(GUID_FEED.format(items=churned), content_type="text/xml")
    report = project.ingest()
    assert (report.feeds[0].new, report.feeds[0].updated) == (0, 0)
    assert project.posts() == before  # byte-identical: the first link seen is kept

    httpserver.clear()
    fresh = churned + ITEM.format(
        title="Brand new",
        link="https://b.example/new",
        guid="<guid>new</guid>",
        date="Tue, 02 Apr 2024 10:00:00 GMT",
        body="New",
    )
    httpserver.expect_request("/f").respond_with_data(GUID_FEED.format(items=fresh), content_type="text/xml")
    assert project.ingest().feeds[0].new == 1


def test_guidless_feed_with_per_request_tokens_dedupes_by_title_and_date(
    project: Project, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/f").respond_with_data(
        GUID_FEED.format(items=items(3, guids=False, query="?session=", token="aaa")), content_type="text/xml"
    )
    project.write_registry(feed_entry("b", httpserver.url_for("/f")))
    assert project.ingest().feeds[0].new == 3
    before = project.posts()
    httpserver.clear()
    httpserver.expect_request("/f").respond_with_data(
        GUID_FEED.format(items=items(3, guids=False, query="?session=", token="bbb")), content_type="text/xml"
    )
    assert project.ingest().feeds[0].new == 0
    assert project.posts() == before


def test_shrinking_emptying_and_failing_feed_keeps_every_post(project: Project, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/f").respond_with_data(GUID_FEED.format(items=items(6)), content_type="text/xml")
    project.write_registry(feed_entry("b", httpserver.url_for("/f")))
    project.ingest()
    posts = project.posts()
    assert len(posts) == 6
    responses = [
        Response(GUID_FEED.format(items=items(2)), content_type="text/xml"),
        Response(GUID_FEED.format(items=""), content_type="text/xml"),
        Response("oops", status=500),
        Response("<rss><channel><item><title>broken", content_type="text/xml"),
        Response("<html><body>Log in</body></html>", content_type="text/html"),
        Response("", content_type="text/xml"),
        Response("not found", status=404),
        Response("gone", status=410),
    ]
    for day, response in enumerate(responses, start=1):
        httpserver.clear()
        httpserver.expect_request("/f").respond_with_response(response)
        project.ingest(now=NOW + dt.timedelta(days=2 * day))  # past any back-off
        assert project.posts() == posts, response
    assert project.state()["feeds"]["b"]["status"] == "gone"


def test_gone_feed_is_never_fetched_again(project: Project, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/f").respond_with_data("", status=410)
    project.write_registry(feed_entry("b", httpserver.url_for("/f")))
    assert project.ingest().feeds[0].result == "gone"
    count = len(httpserver.log)
    report = project.ingest(now=NOW + dt.timedelta(days=30))
    assert report.feeds[0].result == "skipped" and len(httpserver.log) == count
    assert report.exit_code == 0


def test_429_and_5xx_back_off(project: Project, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/busy").respond_with_data("slow down", status=429, headers={"Retry-After": "3600"})
    httpserver.expect_request("/down").respond_with_data("down", status=503)
    project.write_registry(
        feed_entry("busy", httpserver.url_for("/busy")), feed_entry("down", httpserver.url_for("/down"))
    )
    report = project.ingest()
    assert report.exit_code == 1  # every feed failed
    feeds = project.state()["feeds"]
    assert feeds["busy"]["status"] == "failed:http-429" and feeds["busy"]["failing_since"] == "2025-06-01T12:00:00Z"
    assert feeds["down"]["status"] == "failed:http-503"
    count = len(httpserver.log)
    later = project.ingest(now=NOW + dt.timedelta(minutes=30))
    assert {f.result for f in later.feeds} == {"skipped"} and len(httpserver.log) == count
    assert "backing off until 2025-06-01T13:00:00Z" in later.feeds[0].reason
    assert later.exit_code == 0
    # A fresh checkout (CI) has no .ingest-backoff.json: the base hour from failing_since still holds.
    (project.log_dir / store.BACKOFF_NAME).unlink()
    assert {f.result for f in project.ingest(now=NOW + dt.timedelta(minutes=59)).feeds} == {"skipped"}
    project.ingest(now=NOW + dt.timedelta(hours=2))
    assert _fetches(httpserver, "/down") == 2
    project.ingest(now=NOW + dt.timedelta(hours=3, minutes=59))  # failing for 2 h: the wait doubled to 2 h
    assert _fetches(httpserver, "/down") == 2
    project.ingest(now=NOW + dt.timedelta(hours=4))
    assert _fetches(httpserver, "/down") == 3
    assert project.state()["feeds"]["down"]["failing_since"] == "2025-06-01T12:00:00Z"  # set once


def test_one_bad_feed_does_not_stop_the_others(project: Project, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ok").respond_with_data(fixture_feed("substack.xml"), content_type="text/xml")
    httpserver.expect_request("/html").respond_with_data("<html><p>Cloudflare</p></html>", content_type="text/html")
    project.write_registry(
        feed_entry("good", httpserver.url_for("/ok")),
        feed_entry("html", httpserver.url_for("/html")),
        feed_entry("nowhere", "http://127.0.0.1:9/feed"),
        feed_entry("private", "http://10.1.2.3/feed"),
    )
    report = project.ingest()
    results = {f.feed: (f.result, f.reason) for f in report.feeds}
    assert results["good"][0] == "ok"
    assert results["html"][0] == "not-a-feed" and "text/html" in results["html"][1]
    assert results["nowhere"][0] == "failed"
    assert results["private"][0] == "failed" and "private" in results["private"][1]
    assert report.exit_code == 0
    assert project.state()["feeds"]["html"]["status"] == "not-a-feed"
    table = report.table()
    assert "feed" in table.splitlines()[0] and "not-a-feed" in table
    assert "[4/4]" in project.progress.getvalue()


def test_edited_entry_updates_in_place(project: Project, httpserver: HTTPServer) -> None:
    first = ITEM.format(
        title="Draft title",
        link="https://b.example/a",
        guid="<guid>a</guid>",
        date="Mon, 01 Jan 2024 10:00:00 GMT",
        body="First words",
    )
    httpserver.expect_request("/f").respond_with_data(GUID_FEED.format(items=first), content_type="text/xml")
    project.write_registry(feed_entry("b", httpserver.url_for("/f")))
    project.ingest()
    [(name, original)] = read_posts(project).items()
    httpserver.clear()
    edited = ITEM.format(
        title="Final title",
        link="https://b.example/a",
        guid="<guid>a</guid>",
        date="Tue, 02 Jan 2024 10:00:00 GMT",
        body="Better words",
    )
    httpserver.expect_request("/f").respond_with_data(GUID_FEED.format(items=edited), content_type="text/xml")
    later = NOW + dt.timedelta(days=2)
    assert project.ingest(now=later).feeds[0].updated == 1
    [(name2, post)] = read_posts(project).items()
    assert name2 == name
    assert post.post.title == "Final title" and "Better words" in post.body_html
    assert post.post.id == original.post.id
    assert post.post.published == original.post.published and post.post.first_seen == original.post.first_seen
    assert post.post.updated == later
    # An upstream blank never wipes the text.
    httpserver.clear()
    blank = ITEM.format(
        title="Final title",
        link="https://b.example/a",
        guid="<guid>a</guid>",
        date="Tue, 02 Jan 2024 10:00:00 GMT",
        body="",
    )
    httpserver.expect_request("/f").respond_with_data(GUID_FEED.format(items=blank), content_type="text/xml")
    before = project.posts()
    project.ingest(now=later + dt.timedelta(days=1))
    assert project.posts() == before


def test_retired_and_deleted_posts_are_never_rewritten(project: Project, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/f").respond_with_data(GUID_FEED.format(items=items(2)), content_type="text/xml")
    project.write_registry(feed_entry("b", httpserver.url_for("/f")))
    project.ingest()
    names = sorted(project.posts())
    retired_id = read_posts(project)[names[0]].post.id
    store.retire_post(project.posts_dir, retired_id, "author asked, 2025-06-02")
    (project.posts_dir / names[1]).unlink()
    retired_bytes = (project.posts_dir / names[0]).read_bytes()
    assert b"retired: true" in retired_bytes and b"retired_reason: author asked, 2025-06-02" in retired_bytes
    httpserver.clear()
    changed = items(2).replace("Body 0", "Edited 0").replace("Body 1", "Edited 1")
    httpserver.expect_request("/f").respond_with_data(GUID_FEED.format(items=changed), content_type="text/xml")
    report = project.ingest()
    assert (report.feeds[0].new, report.feeds[0].updated) == (0, 0)
    assert project.posts() == {names[0]: retired_bytes}


def test_interrupted_run_leaves_no_partial_files_and_next_run_completes(
    project: Project, httpserver: HTTPServer, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    httpserver.expect_request("/wp").respond_with_data(fixture_feed("wordpress.xml"), content_type="text/xml")
    httpserver.expect_request("/f").respond_with_data(GUID_FEED.format(items=items(5)), content_type="text/xml")
    feeds = (feed_entry("jo", httpserver.url_for("/wp")), feed_entry("b", httpserver.url_for("/f")))

    # The same run, uninterrupted, in another project: the bytes to expect.
    reference = Project(tmp_path_factory.mktemp("reference"))
    (reference.root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    reference.log_dir.mkdir(parents=True)
    reference.write_registry(*feeds)
    reference.ingest()

    class Killed(BaseException):
        """Stands in for kill -9: nothing after it runs."""

    real_write = store.write_text_atomic
    writes = []

    def dying_write(path, text):  # type: ignore[no-untyped-def]
        if len(writes) == 3:
            # What an interrupted write_text_atomic leaves behind at worst: a dot-prefixed temp file.
            (path.parent / f".{path.name}.abc123.tmp").write_text(text[:10], encoding="utf-8")
            raise Killed
        writes.append(path)
        real_write(path, text)

    monkeypatch.setattr(store, "write_text_atomic", dying_write)
    project.write_registry(*feeds)
    with pytest.raises(Killed):
        project.ingest(max_workers=1)
    assert any(p.name.startswith(".") for p in project.posts_dir.iterdir())
    monkeypatch.setattr(store, "write_text_atomic", real_write)

    report = project.ingest()
    assert any("interrupted" in note for note in report.notes)
    assert project.snapshot() == {
        k.replace(reference.root.as_posix(), project.root.as_posix()): v for k, v in reference.snapshot().items()
    }
    before = project.snapshot()
    project.ingest(now=NOW + dt.timedelta(days=1))
    assert project.snapshot() == before


def test_lost_state_is_rebuilt_from_posts(project: Project, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/f").respond_with_data(GUID_FEED.format(items=items(4)), content_type="text/xml")
    project.write_registry(feed_entry("b", httpserver.url_for("/f")))
    project.ingest()
    posts = project.posts()
    (project.log_dir / "state.json").unlink()
    report = project.ingest(now=NOW + dt.timedelta(days=1))
    assert report.feeds[0].new == 0 and project.posts() == posts
    assert any("rebuilt" in note for note in report.notes)


def test_two_runs_cannot_overlap(project: Project) -> None:
    project.write_registry()
    with store.run_lock(project.log_dir), pytest.raises(store.AlreadyRunning):
        run_ingest(project.root)


def test_retired_feed_is_not_fetched(project: Project, httpserver: HTTPServer) -> None:
    project.write_registry(feed_entry("b", httpserver.url_for("/f"), retired=True))
    report = project.ingest()
    assert report.feeds[0].result == "skipped" and not httpserver.log


def _fetches(httpserver: HTTPServer, path: str) -> int:
    return sum(1 for request, _ in httpserver.log if request.path == path)


def test_huge_retry_after_never_stops_the_run(project: Project, httpserver: HTTPServer) -> None:
    # Issue #15, finding 1: 14 digits overflowed timedelta, the run stopped and every later run too.
    httpserver.expect_request("/busy").respond_with_data("busy", status=503, headers={"Retry-After": "9" * 14})
    httpserver.expect_request("/ok").respond_with_data(fixture_feed("substack.xml"), content_type="text/xml")
    project.write_registry(
        feed_entry("busy", httpserver.url_for("/busy")), feed_entry("good", httpserver.url_for("/ok"))
    )
    report = project.ingest()
    assert {f.feed: f.result for f in report.feeds} == {"busy": "failed", "good": "ok"}
    assert len(project.posts()) == 1
    # The back-off was saved, and is at most a day.
    project.ingest(now=NOW + dt.timedelta(hours=23))
    assert _fetches(httpserver, "/busy") == 1
    again = project.ingest(now=NOW + dt.timedelta(days=1))
    assert _fetches(httpserver, "/busy") == 2 and {f.feed: f.result for f in again.feeds}["busy"] == "failed"


def test_retry_after_longer_than_the_base_back_off_is_honoured(project: Project, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/busy").respond_with_data("busy", status=429, headers={"Retry-After": "7200"})
    project.write_registry(feed_entry("busy", httpserver.url_for("/busy")))
    project.ingest()
    project.ingest(now=NOW + dt.timedelta(minutes=90))  # past the base hour, not past the two the server asked
    assert _fetches(httpserver, "/busy") == 1
    project.ingest(now=NOW + dt.timedelta(hours=2))
    assert _fetches(httpserver, "/busy") == 2


def test_back_off_is_capped_at_one_day(project: Project, httpserver: HTTPServer) -> None:
    three_days = str(3 * 24 * 3600)
    httpserver.expect_request("/busy").respond_with_data("busy", status=503, headers={"Retry-After": three_days})
    httpserver.expect_request("/down").respond_with_data("down", status=503)
    project.write_registry(
        feed_entry("busy", httpserver.url_for("/busy")), feed_entry("down", httpserver.url_for("/down"))
    )
    when = NOW
    for attempt in range(1, 9):
        project.ingest(now=when)
        assert (_fetches(httpserver, "/busy"), _fetches(httpserver, "/down")) == (attempt, attempt)
        when += dt.timedelta(days=1)  # however many failures, a day later both are tried again


def test_304_to_a_first_fetch_is_a_server_fault(project: Project, httpserver: HTTPServer) -> None:
    # Issue #15: we sent no validators, so "not modified" cannot be true; it must not read as "unchanged".
    httpserver.expect_request("/f").respond_with_data("", status=304, headers={"ETag": '"v1"'})
    project.write_registry(feed_entry("b", httpserver.url_for("/f")))
    report = project.ingest()
    [row] = report.feeds
    assert (row.result, report.exit_code) == ("failed", 1)
    assert "304" in row.reason and "server fault" in row.reason
    feed_state = project.state()["feeds"]["b"]
    assert feed_state["status"] == "failed:bad-304" and "etag" not in feed_state
    assert "If-None-Match" not in httpserver.log[0][0].headers


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@x"
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def test_runs_with_nothing_new_leave_git_status_clean(project: Project, httpserver: HTTPServer) -> None:
    # Issue #15, finding 7: a failure counter in state.json made every daily run commit.
    httpserver.expect_request("/ok").respond_with_data(fixture_feed("substack.xml"), content_type="text/xml")
    project.write_registry(
        feed_entry("full", httpserver.url_for("/ok")),  # answers in full every time
        feed_entry("cond", serve(httpserver, "/cond", fixture_feed("blogger.xml"))),  # 304 once it has an ETag
        feed_entry("busy", httpserver.url_for("/busy")),  # 503, backing off
        feed_entry("lost", httpserver.url_for("/lost")),  # 404, tried every run
    )
    httpserver.expect_request("/busy").respond_with_data("busy", status=503, headers={"Retry-After": "60"})
    httpserver.expect_request("/lost").respond_with_data("no", status=404)
    shutil.copy(REPO / ".gitignore", project.root / ".gitignore")
    _git(project.root, "init", "-q")
    project.ingest()
    _git(project.root, "add", "-A")
    _git(project.root, "commit", "-qm", "first run")
    committed = {k: v for k, v in project.snapshot().items() if not k.endswith(".ingest-backoff.json")}
    for day in (1, 2, 3):
        report = project.ingest(now=NOW + dt.timedelta(days=day, hours=day))
        results = {f.feed: f.result for f in report.feeds}
        assert results == {"full": "ok", "cond": "not-modified", "busy": "failed", "lost": "failed"}, report.table()
        assert _git(project.root, "status", "--porcelain") == ""
    assert (_fetches(httpserver, "/busy"), _fetches(httpserver, "/lost")) == (4, 4)
    assert {k: v for k, v in project.snapshot().items() if not k.endswith(".ingest-backoff.json")} == committed


def test_repeated_guid_in_one_feed_keeps_the_first_entry(project: Project, httpserver: HTTPServer) -> None:
    # Issue #15, finding 6: the two entries took turns at being the post, "2 updated" on every run.
    twice = "".join(
        ITEM.format(
            title=title, link=f"https://b.example/{title}", guid="<guid>same</guid>", date=date, body=f"{title} text"
        )
        for title, date in (("First", "Mon, 01 Jan 2024 10:00:00 GMT"), ("Second", "Tue, 02 Jan 2024 10:00:00 GMT"))
    )
    httpserver.expect_request("/f").respond_with_data(GUID_FEED.format(items=twice), content_type="text/xml")
    project.write_registry(feed_entry("b", httpserver.url_for("/f")))
    report = project.ingest()
    assert (report.feeds[0].new, report.feeds[0].updated) == (1, 0)
    assert "ignored 1 entries repeating an earlier entry's guid" in report.feeds[0].reason
    [post] = read_posts(project).values()
    assert post.post.title == "First"
    before = project.posts()
    for day in (1, 2):
        again = project.ingest(now=NOW + dt.timedelta(days=day))
        assert (again.feeds[0].new, again.feeds[0].updated, again.feeds[0].unchanged) == (0, 0, 1)
        assert project.posts() == before


def test_guid_and_title_both_changing_while_the_link_stays_is_the_same_post(
    project: Project, httpserver: HTTPServer
) -> None:
    # The identity rule (identity.py): guid, or normalised link, or title and date. The link still
    # matches, so this is an edit of the same post (a blog re-imported into a new platform), not a new one.
    def feed(guid: str, title: str) -> str:
        date = "Mon, 01 Jan 2024 10:00:00 GMT"
        return GUID_FEED.format(
            items=ITEM.format(title=title, link="https://b.example/a", guid=f"<guid>{guid}</guid>", date=date, body="x")
        )

    httpserver.expect_request("/f").respond_with_data(feed("old-guid", "Old title"), content_type="text/xml")
    project.write_registry(feed_entry("b", httpserver.url_for("/f")))
    project.ingest()
    [(name, original)] = read_posts(project).items()
    httpserver.clear()
    httpserver.expect_request("/f").respond_with_data(feed("new-guid", "New title"), content_type="text/xml")
    report = project.ingest(now=NOW + dt.timedelta(days=1))
    assert (report.feeds[0].new, report.feeds[0].updated) == (0, 1)
    [(name2, post)] = read_posts(project).items()
    assert (name2, post.post.id, post.post.title) == (name, original.post.id, "New title")
    again = project.ingest(now=NOW + dt.timedelta(days=2))
    assert (again.feeds[0].new, again.feeds[0].updated) == (0, 0)


def test_guidless_posts_with_the_same_title_on_different_days_are_two_posts(
    project: Project, httpserver: HTTPServer
) -> None:
    # No guid and no link: title *and day* identify an entry, so a weekly "Notes" is a post a week.
    weekly = "".join(
        f"<item><title>Workshop notes</title><pubDate>{date}</pubDate><description>{body}</description></item>"
        for date, body in (("Mon, 01 Jan 2024 10:00:00 GMT", "week one"), ("Mon, 08 Jan 2024 10:00:00 GMT", "week two"))
    )
    httpserver.expect_request("/f").respond_with_data(GUID_FEED.format(items=weekly), content_type="text/xml")
    project.write_registry(feed_entry("b", httpserver.url_for("/f")))
    assert project.ingest().feeds[0].new == 2
    bodies = sorted(post.body_html.strip() for post in read_posts(project).values())
    assert bodies == ["week one", "week two"]
    again = project.ingest(now=NOW + dt.timedelta(days=1))
    assert (again.feeds[0].new, again.feeds[0].updated) == (0, 0)


def test_a_body_stored_by_an_older_sanitiser_is_rewritten_without_an_updated_date(
    project: Project, httpserver: HTTPServer
) -> None:
    """After an upgrade of the sanitiser (issue #15: a tighter iframe sandbox, attributes in one
    order), a post whose text did not change gets today's safe form, but is not dated as edited."""
    video = '<iframe src="https://www.youtube.com/embed/abc" title="A talk"></iframe>'
    item = ITEM.format(
        title="A talk", link="https://b.example/a", guid="<guid>a</guid>", date="Mon, 01 Jan 2024 10:00:00 GMT",
        body=f"<![CDATA[<p>Watch this.</p>{video}]]>",
    )  # fmt: skip
    httpserver.expect_request("/f").respond_with_data(GUID_FEED.format(items=item), content_type="text/xml")
    project.write_registry(feed_entry("b", httpserver.url_for("/f")))
    project.ingest()
    [(name, stored)] = read_posts(project).items()
    assert 'sandbox="' in stored.body_html and "allow-popups" not in stored.body_html
    # As an older sanitiser wrote it: the attributes in another order, and the old sandbox.
    old_form = re.sub(r"<iframe [^>]*>", '<iframe title="A talk" sandbox="allow-scripts allow-same-origin '
                      'allow-popups" src="https://www.youtube.com/embed/abc">', stored.body_html)  # fmt: skip
    assert old_form != stored.body_html
    path = project.posts_dir / name
    path.write_text(path.read_text(encoding="utf-8").replace(stored.body_html, old_form), encoding="utf-8")
    report = project.ingest(now=NOW + dt.timedelta(days=1))
    assert (report.feeds[0].updated, report.feeds[0].unchanged) == (0, 1)
    [(_, again)] = read_posts(project).items()
    assert again.body_html == stored.body_html, "rewritten in today's form"
    assert again.post.updated is None, "not dated as edited"
    assert project.ingest(now=NOW + dt.timedelta(days=2)).feeds[0].updated == 0
