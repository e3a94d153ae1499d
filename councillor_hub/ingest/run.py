"""One ingest run: read the registry, fetch feeds concurrently, store new and edited entries.

Fetching, parsing and cleaning run in a bounded thread pool, at most ``per_host`` feeds of one
host at a time (``_HostScheduler``); parsing happens in a pool of fenced-off worker processes kept
for the whole run (``parsing.ParserPool``). Writing is decided on the main thread, one feed at a
time: a feed's post files are written side by side and are all on disk (``_PostFiles``) before
its state is flushed to disk (``store.StateJournal``), so a run killed at any point loses at most
the feed it was writing, and the next run finishes the job (files a killed run already wrote are
recognised by their id and adopted).

Entry policy (documented in docs/learning-log-guide.md):

* A new entry becomes a post with ``first_seen`` = now; ``published`` is the entry's own date,
  clamped to now if it is in the future, or ``first_seen`` if it has none.
* An entry matching a stored post (see ``identity``) that was edited upstream (title, author,
  categories or body differ) updates those fields and sets ``updated``; the post's id, file name,
  link, ``published``, ``first_seen``, tags and retirement never change. An edit that empties the
  body is ignored (a broken feed must not blank a post).
* Retired posts, and posts whose file someone deleted, are never written again.
* The same post twice is published once (``duplicates``): a guid repeated inside a feed keeps
  its first entry; a feed registered twice is fetched once; a post two feeds share belongs to
  the feed registered first, so feeds that may create posts are written in registry order.
* A new entry from a feed whose site changed is held for review in ``posts/held/``, not
  published (``provenance``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import time
from collections import Counter, deque
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urljoin, urlsplit

from pydantic import ValidationError

from ..feeds import Feed, FeedRegistry, load_registry, sprint_ids
from ..posts import Post, StoredPost
from ..project import Project
from .duplicates import CrossFeedKeys, duplicate_registrations, first_of_each_guid
from .fetching import (
    MAX_RETRY_AFTER,
    FetchOptions,
    FetchResult,
    default_tls_context,
    fetch_feed,
    user_agent_for,
)
from .identity import guid_key, link_key, post_filename, post_id, slugify, title_date_key
from .parse_worker import EARLIEST_DATE
from .parsing import DEFAULT_MEMORY_LIMIT, DEFAULT_PARSE_TIMEOUT, ParsedFeed, ParserPool, RawEntry
from .provenance import SiteCheck, held_hosts_by_feed, hosts_of_link_keys, other_feeds_hosts
from .sanitising import clean_html, clean_text
from .store import (
    IngestState,
    StateJournal,
    feed_record,
    held_dir,
    load_backoff,
    load_state,
    posts_by_short_id,
    read_post,
    remove_stale_temp_files,
    run_lock,
    save_backoff,
    write_post,
)

WEB_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
# A feed that answers 429 or 5xx is left alone for an hour, then twice as long each time it
# fails again, and never longer than a day, whatever the server asks (issue #15).
BASE_BACKOFF = dt.timedelta(hours=1)
MAX_BACKOFF = MAX_RETRY_AFTER
HEALTHY = ("ok", "not-modified", "redirected")
UNTITLED = "(untitled)"
UNSAFE_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.IGNORECASE)
# Feeds fetched at once. A fetch mostly waits for the network, so this is far more than the cores
# (see the ingest figures in docs/benchmarks.md, from scripts/bench).
DEFAULT_MAX_WORKERS = 16
# Feeds of one host fetched at once: polite to a shared blog host, and a slow host holds at most
# this many workers while the others carry on.
DEFAULT_PER_HOST = 2


@dataclass
class FeedReport:
    """One row of the summary table."""

    feed: str
    result: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    reason: str = ""
    attempted: bool = True
    held: int = 0

    @property
    def failed(self) -> bool:
        return self.result in ("failed", "not-a-feed")


@dataclass
class IngestReport:
    feeds: list[FeedReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        attempted = [f for f in self.feeds if f.attempted]
        return 1 if attempted and all(f.failed for f in attempted) else 0

    def table(self) -> str:
        rows = [("feed", "result", "new", "updated", "unchanged", "reason")]
        rows += [
            (f.feed, f.result, str(f.new), str(f.updated), str(f.unchanged), f.reason)
            for f in sorted(self.feeds, key=lambda f: f.feed)
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(5)]
        lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:5])) + "  " + row[5] for row in rows]
        lines.insert(1, "-" * len(lines[0].rstrip()))
        return "\n".join(line.rstrip() for line in lines)


@dataclass
class _Fetched:
    fetch: FetchResult
    parsed: ParsedFeed | None
    entries: list[_CleanEntry] = field(default_factory=list)


# --- Turning entries into posts ----------------------------------------------------------------


@dataclass
class _Counts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    held: int = 0
    held_because: list[str] = field(default_factory=list)
    published_elsewhere: Counter[str] = field(default_factory=Counter)  # feed id → entries


def _web_url(value: str | None, base: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    try:
        value = urljoin(base, value) if base else value
    except ValueError:
        return None
    if len(value) > 500 or not WEB_URL.match(value):
        return None
    try:
        netloc = urlsplit(value).netloc
    except ValueError:
        return None
    if "\\" in value or "@" in netloc:
        # Browsers read these differently from urlsplit (``https://evil.example\@blog.example/``
        # goes to evil.example), and the provenance check reads hosts with urlsplit (issue #15).
        return None
    return value


def _clamp(when: dt.datetime | None, now: dt.datetime) -> dt.datetime | None:
    """``when`` no later than the run, or None if it is before blogs existed. The parse worker
    already refuses implausible dates (issue #15); this keeps the rule for every caller."""
    if when is None or when.timestamp() < EARLIEST_DATE:
        return None
    return min(when, now)


@dataclass
class _CleanEntry:
    title: str
    author: str | None
    link: str | None
    guid: str | None
    categories: list[str]
    published: dt.datetime | None
    updated: dt.datetime | None
    body: str
    keys: dict[str, str | None]


def _clean_entry(entry: RawEntry, feed_url: str | None, now: dt.datetime) -> _CleanEntry:
    title = clean_text(entry.title) or UNTITLED
    link = _web_url(entry.link, feed_url)
    guid = clean_text(entry.guid, 2000) or None
    if guid and UNSAFE_SCHEME.match(guid):
        guid = None  # still used for identity (keys below), but never stored as text that looks like a link
    published = _clamp(entry.published, now) or _clamp(entry.updated, now)
    categories = list(dict.fromkeys(c for c in (clean_text(c, 100) for c in entry.categories) if c))[:20]
    return _CleanEntry(
        title=title,
        author=clean_text(entry.author, 200) or None,
        link=link,
        guid=guid,
        categories=categories,
        published=published,
        updated=_clamp(entry.updated, now),
        body=entry.body,  # sanitised by the parse worker, under the feed's deadline (issue #15)
        keys={
            "guid": guid_key(entry.guid),
            "link": link_key(link),
            "title_date": title_date_key(title, published) if title != UNTITLED else None,
        },
    )


def _primary_key(entry: _CleanEntry) -> str:
    for kind in ("guid", "link", "title_date"):
        key = entry.keys[kind]
        if key:
            return key
    if entry.title != UNTITLED:
        return "title:" + " ".join(entry.title.casefold().split())
    return "body:" + entry.body


class _UnknownFiles:
    """The posts folder's file names by the 6-character id at their end, listed once per run.

    Only files the state does not know are ever looked up here (those a killed run wrote), and
    those all exist before the run starts; listing the folder once, not once per feed, keeps a
    run over a large learning log linear (issue #14).
    """

    def __init__(self, posts_dir: Path) -> None:
        self.posts_dir = posts_dir
        self._by_short_id: dict[str, list[str]] | None = None

    def candidates(self, pid: str) -> list[str]:
        if self._by_short_id is None:
            self._by_short_id = posts_by_short_id(self.posts_dir)
        return self._by_short_id.get(pid[:6], []) + self._by_short_id.get(pid, [])


class _PostFiles:
    """One feed's post files, written side by side; ``finish`` waits until all are on disk.

    Each file is still written whole and flushed to disk before it replaces the old one
    (``store.write_post``). The flush (fsync) is most of the cost of writing a post, and a
    disk commits flushes that overlap together, so a feed's posts are written at once rather
    than one after the other (issue #14: with other work on the disk, one flush after another
    took 60% of a first run). A file still being written is waited for before it is read.
    """

    def __init__(self, posts_dir: Path, pool: ThreadPoolExecutor) -> None:
        self.posts_dir = posts_dir
        self.pool = pool
        self.pending: dict[str, Future[bool]] = {}

    def read(self, filename: str) -> StoredPost | None:
        if filename in self.pending:
            self.pending[filename].result()
        return read_post(self.posts_dir, filename)

    def write(self, filename: str, post: Post, body_html: str, *, folder: Path | None = None) -> None:
        """Write a post file into the posts folder, or ``folder`` (the held folder)."""
        if filename in self.pending:
            self.pending[filename].result()  # the same file twice in one feed: in order
        self.pending[filename] = self.pool.submit(write_post, folder or self.posts_dir, filename, post, body_html)

    def finish(self) -> None:
        """Wait for every write; the first that failed raises here."""
        for future in self.pending.values():
            future.result()
        self.pending.clear()


class _FeedWriter:
    """Applies one feed's entries to the posts folder and the state."""

    def __init__(
        self,
        feed: Feed,
        state: IngestState,
        posts_dir: Path,
        now: dt.datetime,
        known_tags: set[str],
        unknown_files: _UnknownFiles,
        files: _PostFiles,
        cross_feed: CrossFeedKeys,
    ) -> None:
        self.feed = feed
        self.cross_feed = cross_feed
        self.site_check: SiteCheck | None = None  # set once the feed has been parsed
        self.state = state
        self.posts_dir = posts_dir
        self.files = files
        self.now = now
        self.known_tags = known_tags
        self.index = state.index(feed.id)
        self.unknown_files = unknown_files
        self.counts = _Counts()
        self.claimed: dict[str, str | None] = {}  # post id → guid key of the entry that matched it this run
        self.new_files: dict[str, str] = {}  # post id → file name, for posts the state did not know as such

    def apply(self, entries: Iterable[_CleanEntry]) -> _Counts:
        entries, repeats = first_of_each_guid(entries, lambda entry: entry.keys["guid"])
        if repeats:
            self.counts.skipped.append(
                f"ignored {repeats} entries repeating an earlier entry's guid (the first is kept)"
            )
        for entry in entries:
            if entry.title == UNTITLED and not (entry.body.strip() and (entry.keys["guid"] or entry.keys["link"])):
                # Nothing to show or nothing to know it by again (typically a truncated feed's last item).
                self.counts.skipped.append("skipped an entry with no title and no text or address")
                continue
            try:
                self._apply_one(entry)
            except ValidationError as exc:
                self.counts.skipped.append(f"skipped {entry.title[:40]!r}: {exc.errors()[0]['msg']}")
        return self.counts

    def _find(self, entry: _CleanEntry) -> str | None:
        guid = entry.keys["guid"]
        for kind in ("guid", "link", "title_date"):
            key = entry.keys[kind]
            pid = self.index[kind].get(key) if key else None
            if pid is None:
                continue
            # Two items in one fetch with different guids are two posts, even with the same title and day.
            claimed_by = self.claimed.get(pid)
            if kind != "guid" and guid and claimed_by and claimed_by != guid:
                continue
            return pid
        return None

    def _adopt_file(self, pid: str) -> str | None:
        """A file for ``pid`` written by a run that was killed before it saved the state."""
        for name in self.unknown_files.candidates(pid):
            stored = self.files.read(name)
            if stored is not None and stored.post.id == pid:
                return name
        return None

    def _apply_one(self, entry: _CleanEntry) -> None:
        pid = self._find(entry)
        if pid is None:
            pid = post_id(self.feed.id, _primary_key(entry))
        filename = self.state.posts.get(pid)
        if filename is None:
            filename = self._adopt_file(pid)
        if filename is None:
            self._create(pid, entry)
            return
        stored = self.files.read(filename)
        if stored is None:
            # Deleted by hand (a takedown) or unreadable: never recreate or overwrite it.
            self.counts.unchanged += 1
            self._remember(pid, filename, entry)
            return
        post = stored.post
        changes: dict[str, object] = {"title": entry.title, "author": entry.author, "categories": entry.categories}
        if post.link is None and entry.link:
            # Otherwise the first link is kept: feeds rotate tracking tags and tokens in links, and
            # treating that as an edit would rewrite posts on every run.
            changes["link"] = entry.link
        body = entry.body
        if not body.strip():
            body = stored.body_html  # an upstream blank never overwrites a post's text
        new_body = body.strip() != stored.body_html.strip()
        # A body stored by an older sanitiser may differ only in form (attribute order, the iframe
        # sandbox, URLs as browsers write them; issue #15). Stored bodies are flattened and capped,
        # so sanitising one again here is cheap and linear.
        reformed = new_body and clean_html(stored.body_html).strip() == body.strip()
        edited = any(getattr(post, k) != v for k, v in changes.items()) or (new_body and not reformed)
        if post.retired or not edited:
            if reformed and not post.retired:
                self.files.write(filename, post, body)  # today's safe form, with no "updated" date
            self.counts.unchanged += 1
        else:
            updated = entry.updated if entry.updated and entry.updated > post.first_seen else self.now
            new_post = Post.model_validate({**post.model_dump(), **changes, "updated": updated})
            self.files.write(filename, new_post, body)
            self.counts.updated += 1
        self._remember(pid, filename, entry)

    def _create(self, pid: str, entry: _CleanEntry) -> None:
        owner = self.cross_feed.published_by_another(self.feed.id, entry.keys)
        if owner is not None:
            # Already a post of another feed (the same blog registered twice, a mirror, a
            # syndication): published once (issue #15). Not remembered, so it is checked again.
            self.counts.published_elsewhere[owner] += 1
            return
        hold = self.site_check.hold_reason(entry.link) if self.site_check else None
        tags = list(self.feed.tags)
        tags += [slugify(c) for c in entry.categories if slugify(c) in self.known_tags]
        post = Post(
            id=pid,
            feed=self.feed.id,
            title=entry.title,
            author=entry.author,
            link=entry.link,
            guid=entry.guid,
            published=entry.published or self.now,
            first_seen=self.now,
            tags=list(dict.fromkeys(tags)),
            categories=entry.categories,
            licence=self.feed.licence,
        )
        filename = post_filename(post.published, post.title, pid)
        taken = self.files.read(filename)
        if taken is not None and taken.post.id != pid:
            filename = post_filename(post.published, post.title, pid, id_chars=16)
        if hold is not None and self.site_check is not None:
            # Held for review (provenance.py): written where the site never looks. The state
            # records it like any post, so it is neither fetched as new nor held again; until
            # accepted it is missing from the posts folder, which the writer treats as "do not touch".
            host, because = hold
            self.site_check.held(host)
            self.files.write(filename, post, entry.body, folder=held_dir(self.posts_dir))
            self.counts.held += 1
            if because not in self.counts.held_because:
                self.counts.held_because.append(because)
        else:
            self.files.write(filename, post, entry.body)
            self.counts.new += 1
        self._remember(pid, filename, entry)

    def _remember(self, pid: str, filename: str, entry: _CleanEntry) -> None:
        self.claimed.setdefault(pid, entry.keys["guid"])
        for kind, key in entry.keys.items():
            if key:
                self.index[kind].setdefault(key, pid)
                self.cross_feed.claim(self.feed.id, kind, key)
        if self.state.posts.get(pid) != filename:
            self.new_files[pid] = filename
        self.state.posts[pid] = filename


# --- Feed state transitions -------------------------------------------------------------------


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _parse_iso(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _backs_off(status: str | None) -> bool:
    """True for the failures that ask us to slow down: HTTP 429 and 5xx."""
    code = (status or "").removeprefix("failed:http-")
    return code.isdigit() and (code == "429" or code.startswith("5"))


def _skip_reason(feed: Feed, state: IngestState, now: dt.datetime) -> str | None:
    if feed.retired:
        return "retired in the registry"
    feed_state = state.feed(feed.id)
    if feed_state.url != feed.url:
        # A new URL in the registry is a fresh start: forget validators, back-off and "gone".
        state.feeds[feed.id] = type(feed_state)(url=feed.url)
        state.retry_not_before.pop(feed.id, None)
        return None
    if feed_state.status == "gone":
        return "the feed said 410 Gone; change its url in the registry to try again"
    retry = _parse_iso(state.retry_not_before.get(feed.id))
    if retry is None and _backs_off(feed_state.status):
        # No next-attempt time on this machine (a fresh checkout): wait the base back-off.
        since = _parse_iso(feed_state.failing_since)
        retry = since + BASE_BACKOFF if since else None
    if retry and retry > now:
        return f"backing off until {_iso(retry)} ({feed_state.status})"
    return None


def _record_failure(
    state: IngestState, feed_id: str, status: str, retry_after: float | None, backoff: bool, now: dt.datetime
) -> None:
    """Record a failure. Only its kind and when failing began are kept in state.json, so trying a
    feed that keeps failing the same way changes nothing there (issue #15)."""
    feed_state = state.feed(feed_id)
    feed_state.status = status
    since = _parse_iso(feed_state.failing_since)
    if since is None:
        since = now
        feed_state.failing_since = _iso(now)
    if not backoff:
        state.retry_not_before.pop(feed_id, None)
        return
    # The wait doubles with each failure: waiting as long as the feed has been failing does that
    # (1 h, 2 h, 4 h, ...) without a counter, up to the one-day cap.
    delay = max(now - since, BASE_BACKOFF)
    if retry_after is not None:
        # Clamped before it becomes a timedelta: a huge number must never raise (issue #15).
        delay = max(delay, dt.timedelta(seconds=min(retry_after, MAX_BACKOFF.total_seconds())))
    state.retry_not_before[feed_id] = _iso(now + min(delay, MAX_BACKOFF))


def _record_success(state: IngestState, feed_id: str, fetch: FetchResult, status: str) -> None:
    feed_state = state.feed(feed_id)
    feed_state.status = "redirected" if fetch.moved_to else status
    feed_state.suggested_url = fetch.moved_to
    feed_state.failing_since = None
    state.retry_not_before.pop(feed_id, None)


# --- The run ------------------------------------------------------------------------------------


def _fetch_and_parse(
    feed: Feed,
    state_etag: str | None,
    state_lm: str | None,
    options: FetchOptions,
    parsers: ParserPool,
    now: dt.datetime,
) -> _Fetched:
    """Fetch, parse and clean one feed (in a worker thread: nothing here touches the state or files)."""
    fetch = fetch_feed(feed.url, options, etag=state_etag, last_modified=state_lm)
    if fetch.outcome != "ok":
        return _Fetched(fetch, None)
    parsed = parsers.parse_feed(fetch.body, fetch.headers, base_url=fetch.final_url, now=now)
    fetch.body = b""  # free it; the entries are all we need now
    # Cleaning here rather than in the writing thread keeps that thread, which every feed waits
    # for, free for writing (nh3 cleans without holding the GIL).
    return _Fetched(fetch, parsed, [_clean_entry(raw, fetch.final_url, now) for raw in parsed.entries])


def _apply(
    feed: Feed,
    fetched: _Fetched,
    state: IngestState,
    writer: _FeedWriter,
    now: dt.datetime,
    other_hosts: dict[str, str],
    held_hosts: set[str],
) -> FeedReport:
    fetch, parsed = fetched.fetch, fetched.parsed
    feed_state = state.feed(feed.id)
    moved = f"; moved permanently: update its url to {fetch.moved_to}" if fetch.moved_to else ""
    if fetch.outcome == "not-modified":
        status = feed_state.status if feed_state.status in HEALTHY else "not-modified"
        _record_success(state, feed.id, fetch, status)
        if fetch.etag:
            feed_state.etag = fetch.etag
        if fetch.last_modified:
            feed_state.last_modified = fetch.last_modified
        return FeedReport(feed.id, "not-modified", reason=moved.lstrip("; "))
    if fetch.outcome == "gone":
        feed_state.status = "gone"
        feed_state.etag = feed_state.last_modified = None
        state.retry_not_before.pop(feed.id, None)
        return FeedReport(feed.id, "gone", reason="HTTP 410 Gone: not fetched again; its posts are kept")
    if fetch.outcome == "failed":
        backoff = fetch.http_status is not None and (fetch.http_status == 429 or fetch.http_status >= 500)
        _record_failure(state, feed.id, f"failed:{fetch.reason}", fetch.retry_after, backoff, now)
        return FeedReport(feed.id, "failed", reason=fetch.detail)
    assert parsed is not None
    if parsed.outcome != "ok":
        status = "not-a-feed" if parsed.outcome == "not-a-feed" else f"failed:{parsed.reason}"
        _record_failure(state, feed.id, status, None, False, now)
        return FeedReport(feed.id, "not-a-feed" if parsed.outcome == "not-a-feed" else "failed", reason=parsed.detail)
    writer.site_check = SiteCheck(
        feed,
        feed_state,
        parsed.link,
        [entry.link for entry in fetched.entries],
        hosts_of_link_keys(state.index(feed.id)["link"]),
        other_hosts,
        held_hosts,
    )
    counts = writer.apply(fetched.entries)
    _record_success(state, feed.id, fetch, "ok")
    # Validators are stored only once the entries are safely written (a 304 must never hide them).
    feed_state.etag = fetch.etag
    feed_state.last_modified = fetch.last_modified
    notes = []
    if parsed.malformed:
        notes.append(f"malformed feed, {len(parsed.entries)} entries salvaged ({parsed.malformed[:120]})")
    notes += parsed.skipped + counts.skipped
    if counts.held:
        notes.append(
            f"held {counts.held} new posts for review, not published: {', '.join(counts.held_because)} "
            f"(read them in posts/held/, then: councillor-hub feeds accept {feed.id})"
        )
    for owner, number in sorted(counts.published_elsewhere.items()):
        notes.append(f"{number} entries not published again: already posts of feed {owner}")
    return FeedReport(
        feed.id,
        "ok",
        counts.new,
        counts.updated,
        counts.unchanged,
        "; ".join(notes) + moved if notes else moved[2:],
        held=counts.held,
    )


def run_ingest(
    project_root: Path,
    *,
    registry_path: Path | None = None,
    posts_dir: Path | None = None,
    state_path: Path | None = None,
    allow_hosts: Iterable[str] = (),
    max_workers: int = DEFAULT_MAX_WORKERS,
    per_host: int = DEFAULT_PER_HOST,
    fetch_options: FetchOptions | None = None,
    parse_timeout: float = DEFAULT_PARSE_TIMEOUT,
    parse_memory_limit: int = DEFAULT_MEMORY_LIMIT,
    now: dt.datetime | None = None,
    progress: TextIO | None = None,
) -> IngestReport:
    """Ingest every active feed in the registry. Raises ``ContentError`` if the registry is invalid.

    Paths default to the project's learning-log folder (``Project.registry_path``, ``posts_dir``,
    ``state_path``): upstream's, or the council's own once it has ``council/learning-log/feeds.yml``.
    At most ``max_workers`` feeds are fetched at once, and at most ``per_host`` of them from one
    host name.
    """
    project = Project.load(project_root)
    registry_path = registry_path or project.registry_path
    posts_dir = posts_dir or project.posts_dir
    state_path = state_path or project.state_path
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    out = progress or sys.stderr
    registry = load_registry(registry_path, project)
    options = fetch_options or FetchOptions(user_agent=user_agent_for(project.site_url))
    options = FetchOptions(
        **{
            **options.__dict__,
            "allow_hosts": frozenset(options.allow_hosts) | frozenset(allow_hosts) | frozenset(registry.allow_hosts),
            "tls_context": options.tls_context or default_tls_context(),
        }
    )
    limits = _Limits(max(1, max_workers), max(1, per_host), parse_timeout, parse_memory_limit)
    report = IngestReport()
    with run_lock(state_path.parent):
        for stale in remove_stale_temp_files(posts_dir, state_path.parent):
            report.notes.append(f"removed {stale.name}, left by an interrupted run")
        state, note = load_state(state_path, posts_dir)
        if note:
            report.notes.append(note)
        state.retry_not_before = load_backoff(state_path.parent)
        journal = StateJournal(state_path)
        if journal.path.exists():
            journal.finish(state)  # fold a killed run's journal into state.json before adding to it
        try:
            _run_feeds(registry, state, posts_dir, journal, options, limits, now, sprint_ids(project), report, out)
        finally:
            journal.close()
        journal.finish(state)
        save_backoff(state_path.parent, state.retry_not_before)
        waiting = sorted(held_dir(posts_dir).glob("*.md"))
        if waiting:
            report.notes.append(
                f"{len(waiting)} posts are held for review in {held_dir(posts_dir)} and not published; "
                "see 'Posts held for review' in docs/learning-log-guide.md"
            )
    return report


@dataclass(frozen=True)
class _Limits:
    workers: int
    per_host: int
    parse_timeout: float
    parse_memory: int


def feed_host(url: str) -> str:
    """The host name a feed's address names (lower case), which ``per_host`` counts by."""
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


class _HostScheduler:
    """Hands out feeds so that at most ``per_host`` feeds of one host are in flight at once.

    Hosts take turns (round robin), so a host with many feeds, or slow answers, never holds every
    worker: while its feeds wait for a free slot, other hosts' feeds go ahead.
    """

    def __init__(self, feeds: Iterable[Feed], per_host: int) -> None:
        self.per_host = per_host
        self.waiting: dict[str, deque[Feed]] = {}
        for feed in feeds:
            self.waiting.setdefault(feed_host(feed.url), deque()).append(feed)
        self.turns = deque(self.waiting)
        self.busy: Counter[str] = Counter()

    def next_feed(self) -> Feed | None:
        """The next feed whose host has a free slot; None when every waiting host is at its limit."""
        for _ in range(len(self.turns)):
            host = self.turns[0]
            self.turns.rotate(-1)
            if self.busy[host] < self.per_host:
                feed = self.waiting[host].popleft()
                if not self.waiting[host]:
                    del self.waiting[host]
                    self.turns.remove(host)
                self.busy[host] += 1
                return feed
        return None

    def finished(self, feed: Feed) -> None:
        self.busy[feed_host(feed.url)] -= 1


@dataclass
class _Writer:
    """The main thread's side of a run: applies each finished feed, one at a time."""

    state: IngestState
    posts_dir: Path
    journal: StateJournal
    now: dt.datetime
    known_tags: set[str]
    # What state.json holds for each feed, so a feed whose state did not change is not journalled.
    saved: dict[str, dict[str, Any]]
    unknown_files: _UnknownFiles
    file_writers: ThreadPoolExecutor
    cross_feed: CrossFeedKeys
    # feed id → (host → another feed registered on that host), for provenance checks.
    other_hosts: dict[str, dict[str, str]]
    # feed id → hosts of its posts waiting in posts/held/.
    held_hosts: dict[str, set[str]]

    def write(self, feed: Feed, future: Future[_Fetched]) -> FeedReport:
        """Apply one feed's result to the posts and the state; journal its state if it changed."""
        files = _PostFiles(self.posts_dir, self.file_writers)
        writer = _FeedWriter(
            feed, self.state, self.posts_dir, self.now, self.known_tags, self.unknown_files, files, self.cross_feed
        )
        try:
            fetched = future.result()
        except Exception as exc:  # noqa: BLE001 - one broken feed must never stop the others
            _record_failure(self.state, feed.id, "failed:internal", None, False, self.now)
            row = FeedReport(feed.id, "failed", reason=f"internal error: {type(exc).__name__}: {exc}")
        else:
            row = _apply(
                feed,
                fetched,
                self.state,
                writer,
                self.now,
                self.other_hosts.get(feed.id, {}),
                self.held_hosts.get(feed.id, set()),
            )
        files.finish()  # the feed's files are on disk before its state is
        if writer.new_files or feed_record(self.state, feed.id) != self.saved.get(feed.id):
            self.journal.record(self.state, feed.id, writer.new_files)
        return row


def _run_feeds(
    registry: FeedRegistry,
    state: IngestState,
    posts_dir: Path,
    journal: StateJournal,
    options: FetchOptions,
    limits: _Limits,
    now: dt.datetime,
    sprints: tuple[str, ...],
    report: IngestReport,
    out: TextIO,
) -> None:
    saved = {feed.id: feed_record(state, feed.id) for feed in registry.feeds}
    file_writers = ThreadPoolExecutor(max_workers=8, thread_name_prefix="ingest-write")
    writer = _Writer(
        state,
        posts_dir,
        journal,
        now,
        registry.tag_ids(sprints),
        saved,
        _UnknownFiles(posts_dir),
        file_writers,
        CrossFeedKeys([feed.id for feed in registry.feeds], state.identities),
        other_feeds_hosts(registry.feeds),
        held_hosts_by_feed(posts_dir),
    )
    registered_twice = duplicate_registrations(registry.feeds)
    active = []
    for feed in registry.feeds:
        skip = _skip_reason(feed, state, now)
        if feed.id in registered_twice:
            first = registered_twice[feed.id]
            skip = f"the same feed as {first} (its address differs only in form); fetched once, under {first}"
        if skip:
            report.feeds.append(FeedReport(feed.id, "skipped", reason=skip, attempted=False))
        else:
            active.append(feed)
    total = len(active)
    started = time.monotonic()
    scheduler = _HostScheduler(active, limits.per_host)
    running: dict[Future[_Fetched], Feed] = {}
    parsers = ParserPool(
        # Parsing needs a core while it runs; more workers start only if all are stuck on slow feeds.
        size=min(limits.workers, os.cpu_count() or 1),
        max_size=limits.workers,
        timeout=limits.parse_timeout,
        memory_limit=limits.parse_memory,
    )
    with ThreadPoolExecutor(max_workers=limits.workers, thread_name_prefix="ingest") as pool, parsers, file_writers:

        def start_feeds() -> None:
            while len(running) < limits.workers and (feed := scheduler.next_feed()) is not None:
                known = state.feed(feed.id)
                future = pool.submit(_fetch_and_parse, feed, known.etag, known.last_modified, options, parsers, now)
                running[future] = feed

        start_feeds()
        if running:
            parsers.start()  # while the first answers are on their way
        order = _RegistryOrder(active)
        done = 0
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            feeds = [(future, running.pop(future)) for future in finished]
            for _, feed in feeds:
                scheduler.finished(feed)
            start_feeds()  # before writing, so the network is busy while this thread writes
            for future, feed in order.ready(feeds):
                done += 1
                row = writer.write(feed, future)
                report.feeds.append(row)
                print(_progress_line(done, total, row, time.monotonic() - started), file=out, flush=True)


class _RegistryOrder:
    """Feeds that may create posts are written in registry order; the others as soon as they finish.

    When two feeds hold the same post (the same blog registered twice, a mirror), the feed
    registered first publishes it (issue #15), whichever answered first. A feed whose fetch
    gave no entries (304, failure) can create nothing, so it never waits.
    """

    def __init__(self, feeds: list[Feed]) -> None:
        self.position = {feed.id: n for n, feed in enumerate(feeds)}
        self.next = 0
        self.written: set[int] = set()
        self.waiting: dict[int, tuple[Future[_Fetched], Feed]] = {}

    def ready(self, finished: list[tuple[Future[_Fetched], Feed]]) -> list[tuple[Future[_Fetched], Feed]]:
        out = []
        for future, feed in finished:
            n = self.position[feed.id]
            if _has_entries(future):
                self.waiting[n] = (future, feed)
            else:
                out.append((future, feed))
                self.written.add(n)
        while self.next in self.written or self.next in self.waiting:
            if self.next in self.waiting:
                out.append(self.waiting.pop(self.next))
                self.written.add(self.next)
            self.next += 1
        return out


def _has_entries(future: Future[_Fetched]) -> bool:
    if future.exception() is not None:
        return False
    return bool(future.result().entries)


def _progress_line(done: int, total: int, row: FeedReport, elapsed: float) -> str:
    counts = f", {row.new} new, {row.updated} updated" if row.result == "ok" else ""
    detail = f" ({row.reason})" if row.reason else ""
    return f"[{done}/{total}] {row.feed}: {row.result}{counts}{detail} [{elapsed:.1f}s]"
