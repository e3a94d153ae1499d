"""The learning log in the site: stored posts in, page objects out.

Posts are read from ``content/learning-log/posts/*.md`` (written by ``councillor-hub ingest``).
Everything that came from a feed is rendered by HTML templates with escaping and placed into
pages *after* Markdown has run (as fragments), so it can never act as Markdown, a snippet
include, an admonition or a template expression.

Cost grows linearly with the number of posts: one small Markdown page per post, index pages
of ``PER_PAGE`` posts, and a cache of parsed post files keyed on path, mtime and size so that
``mkdocs serve`` re-reads only files that changed.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from .errors import ContentError, Problem, display_path
from .posts import Post, parse_post_file

if TYPE_CHECKING:
    from .loading import Toolkit
    from .pages import Site
    from .rendering import Renderer

PER_PAGE = 50
EXCERPT_WORDS = 40
LOG_DIR = Path("content") / "learning-log"


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


_cache: dict[Path, tuple[int, int, LogEntry]] = {}


_TAG = re.compile(r"<[^>]*>")


def plain_text(body_html: str) -> str:
    """The words of a (sanitised) post body, for its excerpt; the template escapes the result."""
    return html.unescape(_TAG.sub(" ", body_html))


def _read_entry(path: Path, display: str) -> tuple[LogEntry | None, list[Problem]]:
    stat = path.stat()
    cached = _cache.get(path)
    if cached and cached[0] == stat.st_mtime_ns and cached[1] == stat.st_size:
        return cached[2], []
    stored, problems = parse_post_file(path, display)
    if stored is None:
        return None, problems
    words = plain_text(stored.body_html).split()
    excerpt = " ".join(words[:EXCERPT_WORDS]) + (" …" if len(words) > EXCERPT_WORDS else "")
    entry = LogEntry(stored.post, stored.body_html, display, path.stem, excerpt)
    _cache[path] = (stat.st_mtime_ns, stat.st_size, entry)
    return entry, []


def load_learning_log(root: Path, sprint_ids: Iterable[str] = ()) -> LearningLog:
    """Read the registry and every post; raise ``ContentError`` listing every fault."""
    from .ingest.registry import load_registry

    problems: list[Problem] = []
    log = LearningLog()
    registry_path = root / LOG_DIR / "feeds.yml"
    if registry_path.exists():
        try:
            registry = load_registry(registry_path, root)
        except ContentError as exc:
            problems.extend(exc.problems)
        else:
            log.feeds = {f.id: FeedInfo(f.id, f.name, f.site_url, f.licence, f.council) for f in registry.feeds}
            log.tag_names = {t.id: t.name for t in registry.tags}
    posts_dir = root / LOG_DIR / "posts"
    shown_dir = display_path(posts_dir, root)
    for path in sorted(posts_dir.glob("*.md")):
        entry, entry_problems = _read_entry(path, f"{shown_dir}/{path.name}")
        problems.extend(entry_problems)
        if entry is not None and not entry.post.retired:
            log.entries.append(entry)
    if problems:
        raise ContentError(problems)
    log.entries.sort(key=lambda e: (e.post.published, e.post.id), reverse=True)
    return log


def check_learning_log(root: Path) -> list[Problem]:
    try:
        load_learning_log(root)
    except ContentError as exc:
        return exc.problems
    return []


# --- pages -----------------------------------------------------------------------------------


def page_url(src: str) -> str:
    """The URL (relative to the site root) MkDocs gives a page, with directory URLs."""
    if src.endswith("index.md"):
        return src[: -len("index.md")]
    return src[: -len(".md")] + "/" if src.endswith(".md") else src


def relative_url(from_src: str, to_src: str) -> str:
    """A link from one page to another (or to ``page#anchor``), as it will be served.

    Plain string work (no ``os.path``): it runs for every link on every listing page.
    """
    target, _, anchor = to_src.partition("#")
    here = page_url(from_src).split("/")[:-1]
    there = page_url(target).split("/")
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    rel = "../" * (len(here) - common) + "/".join(there[common:])
    return (rel or "./") + (f"#{anchor}" if anchor else "")


def _page_meta(title: str, description: str | None = None, *, searchable: bool = True) -> dict[str, Any]:
    # Material prints titles and descriptions unescaped (nav, header, <h1>, <meta>), so
    # feed-derived text is HTML-escaped here, once. The hook sets these on the page directly;
    # no front matter is written, so nothing from a feed is ever parsed as YAML.
    meta: dict[str, Any] = {"title": str(escape(title))}
    if description:
        meta["description"] = str(escape(description))
    if not searchable:
        # Listing pages repeat excerpts of every post; search finds the posts themselves.
        meta["search"] = {"exclude": True}
    return meta


def learning_log_pages(site: Site, log: LearningLog, kit: Toolkit, r: Renderer, *, site_url: str = "") -> None:
    from .pages import GeneratedFile, fragment_marker

    def add_html_page(
        path: str, title: str, html: str, edit_path: str | None, description: str | None = None, *, listing: bool = True
    ) -> None:
        site.add(GeneratedFile(path, fragment_marker("main") + "\n", edit_path))
        site.page_meta[path] = _page_meta(title, description, searchable=not listing)
        site.fragments.setdefault(path, {})["main"] = html

    def listing(page: str, entries: list[LogEntry]) -> Markup:
        return Markup(r.render("learning-log-list.html.j2", posts=entries, log=log, page=page, href=relative_url))

    # Index, newest first, paginated.
    pages = [log.entries[i : i + PER_PAGE] for i in range(0, len(log.entries), PER_PAGE)] or [[]]
    page_paths = ["learning-log/index.md"] + [f"learning-log/page-{n}.md" for n in range(2, len(pages) + 1)]
    sprint_titles = {s.item.id: s.item.title for s in kit.sprints}
    by_feed = sorted(log.by_feed().items())
    by_tag = sorted(log.by_tag().items())
    for n, (path, entries) in enumerate(zip(page_paths, pages, strict=True), start=1):
        html = r.render(
            "learning-log-index.html.j2",
            log=log,
            listing=listing(path, entries),
            number=n,
            total=len(pages),
            previous=relative_url(path, page_paths[n - 2]) if n > 1 else None,
            next=relative_url(path, page_paths[n]) if n < len(pages) else None,
            feeds=[
                (log.feed(fid), len(items), relative_url(path, f"learning-log/facilitators/{fid}.md"))
                for fid, items in by_feed
            ]
            if n == 1
            else [],
            tags=[
                (
                    tag,
                    log.tag_names.get(tag) or sprint_titles.get(tag) or tag,
                    len(items),
                    relative_url(path, f"learning-log/tags/{tag}.md"),
                )
                for tag, items in by_tag
            ]
            if n == 1
            else [],
            feed_url=relative_url(path, "learning-log/feed.xml"),
            count=len(log.entries),
        )
        title = "Learning log" if n == 1 else f"Learning log, page {n} of {len(pages)}"
        add_html_page(path, title, html, "content/learning-log/feeds.yml")
    for feed_id, entries in by_feed:
        feed = log.feed(feed_id)
        path = f"learning-log/facilitators/{feed_id}.md"
        html = r.render(
            "learning-log-facilitator.html.j2", feed=feed, listing=listing(path, entries), count=len(entries)
        )
        add_html_page(path, f"Reflections by {feed.name}", html, log.registry_source)
    for tag, entries in by_tag:
        path = f"learning-log/tags/{tag}.md"
        name = log.tag_names.get(tag) or sprint_titles.get(tag) or tag
        sprint_link = relative_url(path, f"programme/{tag}.md") if tag in sprint_titles else None
        html = r.render(
            "learning-log-tag.html.j2",
            name=name,
            listing=listing(path, entries),
            count=len(entries),
            sprint_link=sprint_link,
        )
        add_html_page(path, f"Reflections tagged: {name}", html, log.registry_source)
    for entry in log.entries:
        feed = log.feed(entry.post.feed)
        html = r.render(
            "learning-log-post.html.j2",
            post=entry.post,
            feed=feed,
            body=Markup(entry.body_html),
            facilitator_url=relative_url(entry.page, f"learning-log/facilitators/{feed.id}.md"),
        )
        # The footer (source link, licence, topics) is the same on every post, so it goes in the
        # page template rather than the page content: search then indexes only what the author wrote.
        footer = r.render(
            "learning-log-post-footer.html.j2",
            post=entry.post,
            feed=feed,
            tags=[
                (
                    t,
                    log.tag_names.get(t) or sprint_titles.get(t) or t,
                    relative_url(entry.page, f"learning-log/tags/{t}.md"),
                )
                for t in entry.post.tags
            ],
            index_url=relative_url(entry.page, "learning-log/index.md"),
        )
        add_html_page(entry.page, entry.post.title, html, entry.source, entry.excerpt, listing=False)
        site.page_meta[entry.page] |= {"template": "learning-log-post.html", "hub_footer": footer}
    site.files.append(
        GeneratedFile(
            "learning-log/feed.xml",
            r.render(
                "learning-log-atom.xml.j2",
                log=log,
                entries=log.entries[:50],
                site_url=site_url.rstrip("/") + "/",
                updated=atom_updated(log),
            ),
        )
    )


def atom_updated(log: LearningLog) -> str:
    if not log.entries:
        return "1970-01-01T00:00:00Z"
    latest = max((e.post.updated or e.post.published) for e in log.entries)
    return latest.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
