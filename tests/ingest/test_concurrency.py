"""How a run shares its workers: the per-host limit, and parse workers replaced when they fail."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pytest_httpserver import HTTPServer

from councillor_hub.feeds import Feed
from councillor_hub.ingest import store
from councillor_hub.ingest.fetching import FetchOptions
from councillor_hub.ingest.parsing import ParserPool
from councillor_hub.ingest.run import _HostScheduler

from .conftest import NOW, Project, feed_entry, fixture_feed

RSS = "<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>{}</channel></rss>"
GOOD = RSS.format("<item><title>Fine</title><guid>1</guid></item>").encode()
# feedparser#562: its author parser is quadratic; this takes tens of seconds, far past any deadline here.
SLOW_TO_PARSE = RSS.format(
    "".join(f"<item><title>T{i}</title><guid>{i}</guid><author>a@{'a.' * 16000}!</author></item>" for i in range(5))
).encode()


def distinct(feed: bytes, name: str) -> bytes:
    """substack.xml with a post of its own (the same post in two feeds is published once)."""
    return feed.replace(b"leading-well-online", f"leading-well-online-{name.strip('/')}".encode())


@dataclass
class Visits:
    """What the server saw, per host: requests answered, and the most in flight at once."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    in_flight: Counter[str] = field(default_factory=Counter)
    most_in_flight: Counter[str] = field(default_factory=Counter)
    answered: Counter[str] = field(default_factory=Counter)
    # The slow host answers only once the fast host has answered all its feeds (or after 10 s):
    # that can happen only if the fast host's feeds get workers while the slow host holds some.
    fast_host_done: threading.Event = field(default_factory=threading.Event)
    slow_host_waited_for_fast_host: list[bool] = field(default_factory=list)


SLOW_HOST, FAST_HOST, FEEDS_PER_HOST = "localhost", "127.0.0.1", 6
PATIENT = FetchOptions(connect_timeout=5, read_timeout=15, deadline=20, user_agent="CouncillorHub-Ingest/test")


@pytest.fixture
def hosts_server() -> Iterator[tuple[int, Visits]]:
    """A threaded local server, reached by two host names: ``localhost`` (slow) and ``127.0.0.1``."""
    visits = Visits()
    body = fixture_feed("substack.xml")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            host = self.headers["Host"].rsplit(":", 1)[0]
            with visits.lock:
                visits.in_flight[host] += 1
                visits.most_in_flight[host] = max(visits.most_in_flight[host], visits.in_flight[host])
            if host == SLOW_HOST:
                visits.slow_host_waited_for_fast_host.append(visits.fast_host_done.wait(timeout=10))
            with visits.lock:
                visits.in_flight[host] -= 1
                visits.answered[host] += 1
                if host == FAST_HOST and visits.answered[host] == FEEDS_PER_HOST:
                    visits.fast_host_done.set()
            own = distinct(body, self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(own)))
            self.end_headers()
            self.wfile.write(own)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], visits
    visits.fast_host_done.set()
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_slow_host_cannot_hold_every_worker(project: Project, hosts_server: tuple[int, Visits]) -> None:
    port, visits = hosts_server
    # The slow host's feeds come first in the registry: without the limit they would take all four workers.
    slow = [feed_entry(f"slow-{n}", f"http://{SLOW_HOST}:{port}/slow-{n}") for n in range(FEEDS_PER_HOST)]
    fast = [feed_entry(f"fast-{n}", f"http://{FAST_HOST}:{port}/fast-{n}") for n in range(FEEDS_PER_HOST)]
    project.write_registry(*slow, *fast)

    report = project.ingest(allow_hosts=[SLOW_HOST, FAST_HOST], options=PATIENT, max_workers=4, per_host=2)

    assert [f.result for f in report.feeds] == ["ok"] * 2 * FEEDS_PER_HOST
    assert visits.most_in_flight[SLOW_HOST] == 2 and visits.most_in_flight[FAST_HOST] <= 2
    # The first two slow feeds were held until every fast feed had been fetched beside them.
    assert visits.slow_host_waited_for_fast_host == [True] * FEEDS_PER_HOST


def test_hosts_take_turns() -> None:
    def feed(n: int, host: str) -> Feed:
        return Feed.model_validate(feed_entry(f"f{n}", f"https://{host}/feed-{n}"))

    feeds = [feed(1, "a.example"), feed(2, "A.example"), feed(3, "a.example"), feed(4, "b.example")]
    scheduler = _HostScheduler(feeds, per_host=2)
    handed_out = [scheduler.next_feed(), scheduler.next_feed(), scheduler.next_feed()]
    assert [f.id for f in handed_out if f] == ["f1", "f4", "f2"]
    assert scheduler.next_feed() is None  # a.example (host names ignore case) has two in flight
    scheduler.finished(handed_out[0])  # type: ignore[arg-type]
    assert scheduler.next_feed().id == "f3"  # type: ignore[union-attr]
    assert scheduler.next_feed() is None


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_worker_killed_at_the_deadline_is_replaced() -> None:
    with ParserPool(size=1, timeout=1.0) as pool:
        assert pool.parse_feed(GOOD, {}).outcome == "ok"
        [first] = pool.worker_pids()
        started = time.monotonic()
        parsed = pool.parse_feed(SLOW_TO_PARSE, {})
        assert (parsed.outcome, parsed.reason) == ("failed", "parse-timeout")
        assert time.monotonic() - started < 3
        assert pool.worker_pids() == [] and not _alive(first)
        again = pool.parse_feed(GOOD, {})
        assert (again.outcome, [e.title for e in again.entries]) == ("ok", ["Fine"])
        assert pool.started == 2 and pool.worker_pids() != [first]


def test_a_worker_out_of_memory_is_replaced() -> None:
    huge = RSS.format(f"<item><title>{'x' * (20 * 1024 * 1024)}</title></item>").encode()
    with ParserPool(size=1, memory_limit=100 * 1024 * 1024) as pool:
        assert (pool.parse_feed(huge, {}).reason, pool.parse_feed(GOOD, {}).outcome) == ("parse-memory", "ok")
        assert pool.started == 2


def test_workers_started_ahead_are_used() -> None:
    with ParserPool(size=2) as pool:
        pool.start()
        ready = pool.worker_pids()
        assert len(ready) == 2
        assert [pool.parse_feed(GOOD, {}).outcome for _ in range(3)] == ["ok"] * 3
        assert pool.started == 2 and pool.worker_pids() == ready


def test_workers_stop_with_the_pool() -> None:
    with ParserPool(size=2) as pool:
        pool.parse_feed(GOOD, {})
        pids = pool.worker_pids()
    assert pids and not any(_alive(pid) for pid in pids)


def test_a_feed_stuck_in_the_parser_does_not_hold_up_the_others(project: Project, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/stuck").respond_with_data(SLOW_TO_PARSE, content_type="application/rss+xml")
    for n in range(4):
        body = distinct(fixture_feed("substack.xml"), str(n))
        httpserver.expect_request(f"/fine-{n}").respond_with_data(body, content_type="text/xml")
    feeds = [feed_entry("stuck", httpserver.url_for("/stuck"))]
    feeds += [feed_entry(f"fine-{n}", httpserver.url_for(f"/fine-{n}")) for n in range(4)]
    project.write_registry(*feeds)
    started = time.monotonic()
    report = project.ingest(parse_timeout=2.0, max_workers=2, per_host=2)
    results = {f.feed: (f.result, f.reason) for f in report.feeds}
    assert results.pop("stuck") == ("failed", "parsing took longer than 2 s")
    assert set(results.values()) == {("ok", "")}
    assert time.monotonic() - started < 6


def test_each_finished_feed_is_on_disk_before_the_next_is_written(
    project: Project, hosts_server: tuple[int, Visits], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The journal keeps the old promise: killed mid-run, every feed finished before is in the state."""
    port, _ = hosts_server
    project.write_registry(*(feed_entry(f"f{n}", f"http://127.0.0.1:{port}/f{n}") for n in range(3)))

    class Killed(BaseException):
        """Stands in for kill -9: nothing after it runs."""

    real_write = store.write_text_atomic
    written = []

    def dying_write(path, text):  # type: ignore[no-untyped-def]
        if len(written) == 1 + 1:  # substack.xml has one entry: die writing the third feed's post
            raise Killed
        written.append(path)
        real_write(path, text)

    monkeypatch.setattr(store, "write_text_atomic", dying_write)
    with pytest.raises(Killed):
        project.ingest(allow_hosts=["127.0.0.1"], max_workers=1)
    monkeypatch.undo()

    assert not (project.log_dir / "state.json").exists() and (project.log_dir / "state.json.journal").exists()
    state, note = store.load_state(project.log_dir / "state.json", project.posts_dir)
    assert note and "replayed 2 feeds" in note
    finished = [f for f, s in state.feeds.items() if s.status == "ok"]
    assert len(finished) == 2 and sorted(state.posts.values()) == sorted(p.name for p in written)

    project.ingest(allow_hosts=["127.0.0.1"])
    assert not (project.log_dir / "state.json.journal").exists()
    assert len(project.state()["posts"]) == 3 and len(project.posts()) == 3


def test_a_run_that_changes_nothing_journals_nothing(
    project: Project, hosts_server: tuple[int, Visits], monkeypatch: pytest.MonkeyPatch
) -> None:
    port, _ = hosts_server
    project.write_registry(*(feed_entry(f"f{n}", f"http://127.0.0.1:{port}/f{n}") for n in range(3)))
    project.ingest(allow_hosts=["127.0.0.1"])
    before = project.snapshot()
    journalled: list[object] = []
    monkeypatch.setattr(store.StateJournal, "record", lambda self, *args: journalled.append(args))
    project.ingest(allow_hosts=["127.0.0.1"], now=NOW + dt.timedelta(days=1))
    assert journalled == [] and project.snapshot() == before
