"""The learning log's data: the feeds registry and every stored post, read for the site build.

Posts are read from the project's posts folder (written by ``councillor-hub ingest``); the
pages are built by ``learning_log_pages``. Parsed post files are cached on path, mtime and size,
so ``mkdocs serve`` re-reads only files that changed.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, Problem
from .feeds import load_registry
from .parallel import run_split
from .posts import Post, parse_post_file
from .project import Project

EXCERPT_WORDS = 40


@dataclass(frozen=True)
class LogEntry:
    post: Post
    body_html: str
    source: str
    stem: str
    excerpt: str

    @property
    def page(self) -> str:
        return f"learning-log/posts/{self.stem}.md"


@dataclass
class FeedInfo:
    id: str
    name: str
    site_url: str | None = None
    licence: str | None = None
    council: str | None = None
    language: str = "en"


@dataclass
class LearningLog:
    entries: list[LogEntry] = field(default_factory=list)
    feeds: dict[str, FeedInfo] = field(default_factory=dict)
    tag_names: dict[str, str] = field(default_factory=dict)
    registry_source: str = "content/learning-log/feeds.yml"

    def feed(self, feed_id: str) -> FeedInfo:
        return self.feeds.get(feed_id) or FeedInfo(id=feed_id, name=feed_id)

    def tagged(self, tag: str) -> list[LogEntry]:
        return [e for e in self.entries if tag in e.post.tags]

    def by_feed(self) -> dict[str, list[LogEntry]]:
        out: dict[str, list[LogEntry]] = {}
        for e in self.entries:
            out.setdefault(e.post.feed, []).append(e)
        return out

    def by_tag(self) -> dict[str, list[LogEntry]]:
        out: dict[str, list[LogEntry]] = {}
        for e in self.entries:
            for tag in e.post.tags:
                out.setdefault(tag, []).append(e)
        return out


_cache: dict[str, tuple[int, int, LogEntry]] = {}


_TAG = re.compile(r"<[^>]*>")


def plain_text(body_html: str) -> str:
    """The words of a (sanitised) post body, for its excerpt; the template escapes the result."""
    return html.unescape(_TAG.sub(" ", body_html))


# A first build reads this many posts or more in several processes (councillor_hub/parallel.py).
READ_APART_FROM = 1000


def _read_entry(path: str, display: str) -> tuple[LogEntry | None, list[Problem]]:
    stored, problems = parse_post_file(Path(path), display)
    if stored is None:
        return None, problems
    words = plain_text(stored.body_html).split()
    excerpt = " ".join(words[:EXCERPT_WORDS]) + (" …" if len(words) > EXCERPT_WORDS else "")
    return LogEntry(stored.post, stored.body_html, display, Path(path).stem, excerpt), []


def _read_entries(todo: Sequence[tuple[str, str]]) -> list[tuple[LogEntry | None, list[Problem]]]:
    return [_read_entry(path, display) for path, display in todo]


def load_learning_log(project: Project, *, workers: int = 1) -> LearningLog:
    """Read the registry and every post; raise ``ContentError`` listing every fault.

    Posts unchanged since the last call (same time and size) are not read again (mkdocs serve);
    with ``workers`` above 1, a thousand or more posts to read are shared between processes.
    """
    problems: list[Problem] = []
    log = LearningLog(registry_source=project.display(project.registry_path))
    if project.registry_path.exists():
        try:
            registry = load_registry(project.registry_path, project)
        except ContentError as exc:
            problems.extend(exc.problems)
        else:
            log.feeds = {
                f.id: FeedInfo(f.id, f.name, f.site_url, f.licence, f.council, f.language) for f in registry.feeds
            }
            log.tag_names = {t.id: t.name for t in registry.tags}
    shown_dir = project.display(project.posts_dir)
    # os.scandir, not Path.glob: with 10,000 posts glob costs a third of a second on every serve rebuild.
    folder = project.posts_dir
    found: list[os.DirEntry[str]] = list(os.scandir(folder)) if folder.is_dir() else []
    posts = sorted((e for e in found if e.name.endswith(".md") and e.is_file()), key=lambda e: e.name)
    read: dict[str, tuple[LogEntry | None, list[Problem]]] = {}
    todo: list[tuple[str, str]] = []
    stats: dict[str, tuple[int, int]] = {}
    for post in posts:
        stat = post.stat()
        stats[post.path] = (stat.st_mtime_ns, stat.st_size)
        cached = _cache.get(post.path)
        if cached and cached[:2] == stats[post.path]:
            read[post.path] = (cached[2], [])
        else:
            todo.append((post.path, f"{shown_dir}/{post.name}"))
    shares = run_split(_read_entries, todo, workers if len(todo) >= READ_APART_FROM else 1) if todo else []
    for (path, _), (entry, entry_problems) in zip(todo, (result for share in shares for result in share), strict=True):
        read[path] = (entry, entry_problems)
        if entry is not None:
            _cache[path] = (*stats[path], entry)
    for post in posts:
        entry, entry_problems = read[post.path]
        problems.extend(entry_problems)
        if entry is not None and not entry.post.retired:
            log.entries.append(entry)
    if problems:
        raise ContentError(problems)
    log.entries.sort(key=lambda e: (e.post.published, e.post.id), reverse=True)
    return log


def check_learning_log(project: Project) -> list[Problem]:
    try:
        load_learning_log(project)
    except ContentError as exc:
        return exc.problems
    return []
