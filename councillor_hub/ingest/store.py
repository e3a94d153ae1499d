"""The ingester's memory: ``state.json`` and the post files, written so that nothing is ever lost.

Rules this module keeps:

* Post files are written only through ``render_post_file`` and ``write_text_atomic`` (a dot-prefixed
  temporary file beside the target, then a rename), and only when their bytes would change. A
  killed run leaves at most a stale ``.*.tmp`` file, which the next run removes.
* Nothing here deletes a post. A post leaves the site only when someone retires it
  (``councillor-hub retire``) or deletes its file in git; a deleted file is not written again.
* ``state.json`` is deterministic (sorted keys, LF, no timestamps that move every run), so a run
  over unchanged feeds changes no file. It holds, per feed, what conditional GET needs, the kind
  of its last failure and since when (never a counter or a next-attempt time, which would move
  on every run: those are in the git-ignored ``BACKOFF_NAME``, issue #15), its sites, and the
  identity index (guid, normalised link, title+date → post id). If it is lost, the index is
  rebuilt from the post files, which are the record.
* During a run, each finished feed's part of the state is appended to ``state.json.journal`` and
  flushed to disk (``StateJournal``); ``state.json`` itself is rewritten once, at the end, and the
  journal removed. A run killed at any moment therefore loses at most the feed it was writing,
  exactly as when ``state.json`` was rewritten after every feed, without the cost of rewriting
  the whole index after every feed (quadratic over a run, issue #14). ``load_state`` replays a
  journal a killed run left behind.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..files import write_text_atomic
from ..posts import Post, StoredPost, parse_post_file, render_post_file
from .identity import guid_key, link_key, title_date_key

STATE_VERSION = 1
IDENTITY_KINDS = ("guid", "link", "title_date")
LOCK_NAME = ".ingest.lock"
# Next-attempt times of feeds that are backing off. They move on every attempt, so they live in a
# git-ignored file beside the lock rather than in the committed state.json (issue #15); a fresh
# checkout without it falls back to a schedule worked out from each feed's ``failing_since``.
BACKOFF_NAME = ".ingest-backoff.json"
JOURNAL_SUFFIX = ".journal"


@dataclass
class FeedState:
    """What the ingester remembers about one feed between runs."""

    url: str | None = None
    status: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    suggested_url: str | None = None
    # When the current run of failures began (UTC, ISO 8601): set once, cleared by a success.
    # Deliberately no failure counter or next-attempt time here: those tick on every run, and a
    # daily run over a persistently failing feed would then commit a change every day (issue #15).
    failing_since: str | None = None
    # Hosts (without www.) this feed's site lives on, learnt at its first fetch; new posts that
    # point elsewhere are held for review (provenance.py, issue #15).
    sites: list[str] | None = None
    # Hosts that caused posts to be held, until someone accepts them (councillor-hub feeds accept).
    held_hosts: list[str] | None = None

    def to_json(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class IngestState:
    feeds: dict[str, FeedState] = field(default_factory=dict)
    # feed id → identity kind → key → post id
    identities: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    # post id → file name inside the posts folder
    posts: dict[str, str] = field(default_factory=dict)
    # feed id → when to try a backing-off feed again. Kept in BACKOFF_NAME, not state.json.
    retry_not_before: dict[str, str] = field(default_factory=dict)

    def feed(self, feed_id: str) -> FeedState:
        return self.feeds.setdefault(feed_id, FeedState())

    def index(self, feed_id: str) -> dict[str, dict[str, str]]:
        index = self.identities.setdefault(feed_id, {})
        for kind in IDENTITY_KINDS:
            index.setdefault(kind, {})
        return index

    def dumps(self) -> str:
        data = {
            "version": STATE_VERSION,
            "feeds": {k: v.to_json() for k, v in self.feeds.items()},
            "identities": {
                feed: {kind: keys for kind, keys in index.items() if keys}
                for feed, index in self.identities.items()
                if any(index.values())
            },
            "posts": self.posts,
        }
        return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def loads(cls, text: str) -> IngestState:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise ValueError(f"not a version {STATE_VERSION} ingest state file")
        fields = set(FeedState.__dataclass_fields__)
        return cls(
            feeds={k: FeedState(**{f: v for f, v in s.items() if f in fields}) for k, s in data["feeds"].items()},
            identities={
                feed: {kind: dict(keys) for kind, keys in index.items() if kind in IDENTITY_KINDS}
                for feed, index in data.get("identities", {}).items()
            },
            posts=dict(data.get("posts", {})),
        )


def save_state(state: IngestState, path: Path) -> bool:
    """Write the state file if (and only if) its bytes change; True when it was written."""
    text = state.dumps()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    write_text_atomic(path, text)
    return True


def load_backoff(folder: Path) -> dict[str, str]:
    """The next-attempt times a previous run on this machine left (empty if none or unreadable)."""
    try:
        data = json.loads((folder / BACKOFF_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, str)}


def save_backoff(folder: Path, retry_not_before: dict[str, str]) -> None:
    """Write the next-attempt times if they changed; remove the file when no feed is backing off."""
    path = folder / BACKOFF_NAME
    if not retry_not_before:
        path.unlink(missing_ok=True)
        return
    text = json.dumps(retry_not_before, sort_keys=True, indent=2) + "\n"
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    write_text_atomic(path, text)


def held_dir(posts_dir: Path) -> Path:
    """Where posts held for review are written (issue #15).

    A folder inside the posts folder: the site reads only ``posts/*.md``, so nothing here is
    published, while the daily workflow, which commits the posts folder, keeps these files too.
    """
    return posts_dir / "held"


def journal_path(state_path: Path) -> Path:
    return state_path.with_name(state_path.name + JOURNAL_SUFFIX)


def feed_record(state: IngestState, feed_id: str, posts: dict[str, str] | None = None) -> dict[str, object]:
    """One feed's part of the state, as one journal line holds it (``posts``: post id → file name)."""
    return {
        "feed": feed_id,
        "state": state.feed(feed_id).to_json(),
        "identities": {kind: dict(keys) for kind, keys in state.index(feed_id).items() if keys},
        "posts": dict(posts or {}),
    }


def apply_record(state: IngestState, record: dict[str, Any]) -> None:
    """Put one journal line back into ``state``; applying a line twice changes nothing more."""
    fields = set(FeedState.__dataclass_fields__)
    # Everything is read before anything is changed, so a malformed line changes nothing.
    feed_id = str(record["feed"])
    feed_state = FeedState(**{f: v for f, v in record["state"].items() if f in fields})
    index = {kind: dict(keys) for kind, keys in record["identities"].items() if kind in IDENTITY_KINDS}
    posts = {str(pid): str(name) for pid, name in record["posts"].items()}
    state.feeds[feed_id] = feed_state
    state.identities[feed_id] = index
    state.posts.update(posts)


class StateJournal:
    """Appends each finished feed's part of the state to ``state.json.journal``, flushed to disk.

    ``finish`` writes the whole state to ``state.json`` once and removes the journal. Nothing is
    created when no feed changed anything, so a run over unchanged feeds writes no file.
    """

    def __init__(self, state_path: Path) -> None:
        self.state_path = state_path
        self.path = journal_path(state_path)
        self._fd: int | None = None

    def record(self, state: IngestState, feed_id: str, posts: dict[str, str] | None = None) -> None:
        line = json.dumps(feed_record(state, feed_id, posts), sort_keys=True, ensure_ascii=False) + "\n"
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        data = line.encode("utf-8")
        while data:
            data = data[os.write(self._fd, data) :]
        os.fsync(self._fd)

    def finish(self, state: IngestState) -> None:
        """Save ``state.json``, make the rename durable, then drop the journal it now contains."""
        self.close()
        save_state(state, self.state_path)
        if self.path.exists():
            _fsync_folder(self.state_path.parent)
            self.path.unlink()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows cannot open a folder; its renames are durable
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _replay_journal(state: IngestState, path: Path) -> int:
    """Apply each whole line of a journal a killed run left; a torn last line is the feed it was writing."""
    replayed = 0
    for line in path.read_bytes().split(b"\n"):
        try:
            record = json.loads(line)
            apply_record(state, record)
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
        replayed += 1
    return replayed


def load_state(path: Path, posts_dir: Path) -> tuple[IngestState, str | None]:
    """The saved state (with any journal a killed run left replayed), or one rebuilt from the post files.

    The second value explains a rebuild or a replay.
    """
    state, note = _load_saved_state(path, posts_dir)
    journal = journal_path(path)
    if journal.exists():
        replayed = f"replayed {_replay_journal(state, journal)} feeds from {journal.name}, left by an interrupted run"
        note = f"{note}; {replayed}" if note else replayed
    return state, note


def _load_saved_state(path: Path, posts_dir: Path) -> tuple[IngestState, str | None]:
    if path.exists():
        try:
            return IngestState.loads(path.read_text(encoding="utf-8")), None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            note = f"{path.name} could not be read ({exc}); rebuilt the identity index from the post files"
    else:
        note = None
    state = IngestState()
    # Posts held for review too: otherwise their entries would come back as new (issue #15).
    for stored in [*iter_posts(posts_dir), *iter_posts(held_dir(posts_dir))]:
        register(state, stored.post, Path(stored.path).name)
    if state.posts and note is None:
        note = f"{path.name} was missing; rebuilt the identity index from {len(state.posts)} post files"
    return state, note


def iter_posts(posts_dir: Path) -> Iterator[StoredPost]:
    """Every readable post file (unreadable ones are reported by ``councillor-hub check``)."""
    if not posts_dir.is_dir():
        return
    for path in sorted(posts_dir.glob("*.md")):
        stored, _ = parse_post_file(path, path.as_posix())
        if stored is not None:
            yield stored


def register(state: IngestState, post: Post, filename: str, keys: dict[str, str | None] | None = None) -> None:
    """Record a post's file and every key it can be recognised by."""
    index = state.index(post.feed)
    if keys is None:
        keys = {
            "guid": guid_key(post.guid),
            "link": link_key(post.link),
            "title_date": title_date_key(post.title, post.published),
        }
    for kind, key in keys.items():
        if key:
            index[kind].setdefault(key, post.id)
    state.posts[post.id] = filename


def write_post(posts_dir: Path, filename: str, post: Post, body_html: str) -> bool:
    """Write one post file atomically if its bytes change; True when it was written."""
    path = posts_dir / filename
    text = render_post_file(post, body_html)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    write_text_atomic(path, text)
    return True


def read_post(posts_dir: Path, filename: str) -> StoredPost | None:
    path = posts_dir / filename
    if not path.is_file():
        return None
    stored, _ = parse_post_file(path, path.as_posix())
    return stored


def remove_stale_temp_files(*folders: Path) -> list[Path]:
    """Delete ``.<name>.<random>.tmp`` files a killed run left behind (``files.write_bytes_atomic``)."""
    removed = []
    for folder in (*folders, *(held_dir(f) for f in folders)):
        if folder.is_dir():
            for path in folder.glob(".*.tmp"):
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


class AlreadyRunning(Exception):
    pass


@contextmanager
def run_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock for the whole run, so two ingests never write at once.

    The operating system drops the lock when the process dies, so a killed run never leaves a
    lock behind that blocks the next one.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    handle = open(path, "a+b")  # noqa: SIM115 - held open for the lifetime of the lock
    try:
        try:
            _lock_file(handle.fileno())
        except OSError as exc:
            raise AlreadyRunning(f"another ingest run holds {path}; wait for it to finish") from exc
        yield
    finally:
        handle.close()


def _lock_file(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def posts_by_short_id(posts_dir: Path) -> dict[str, list[str]]:
    """File names grouped by the 6-character id suffix, to find files a killed run wrote."""
    out: dict[str, list[str]] = {}
    if posts_dir.is_dir():
        for name in sorted(os.listdir(posts_dir)):
            if name.endswith(".md") and not name.startswith("."):
                out.setdefault(name[:-3].rsplit("-", 1)[-1], []).append(name)
    return out


def find_post(posts_dir: Path, pid: str) -> tuple[str, StoredPost] | None:
    """The file name and contents of the post whose id is ``pid``, or starts with it.

    A prefix of at least six characters (the six at the end of every post's file name) is
    enough when only one post matches it. Raises ``LookupError`` when several do.
    """
    names = posts_by_short_id(posts_dir)
    matches = []
    for name in dict.fromkeys(names.get(pid[:6], []) + names.get(pid, [])):
        stored = read_post(posts_dir, name)
        if stored is not None and stored.post.id.startswith(pid) and len(pid) >= 6:
            matches.append((name, stored))
    if len(matches) > 1:
        ids = ", ".join(sorted(stored.post.id for _, stored in matches))
        raise LookupError(f"{pid!r} matches several posts ({ids}); give the full id")
    return matches[0] if matches else None


def retire_post(posts_dir: Path, pid: str, reason: str) -> Path:
    """Take a post off the site: set ``retired: true`` and the reason; the file stays as the record.

    Raises ``LookupError`` when no post has that id. The ingester never un-retires a post.
    """
    found = find_post(posts_dir, pid)
    if found is None:
        raise LookupError(f"no post with id {pid!r} in {posts_dir}")
    name, stored = found
    post = Post.model_validate({**stored.post.model_dump(), "retired": True, "retired_reason": reason})
    write_post(posts_dir, name, post, stored.body_html)
    return posts_dir / name
