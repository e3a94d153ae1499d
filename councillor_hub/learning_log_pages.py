"""The learning log's pages: index, facilitator and topic pages per language, one page per post.

Everything that came from a feed is rendered by HTML templates with escaping and placed into
pages *after* Markdown has run (as fragments), so it can never act as Markdown, a snippet
include, an admonition or a template expression.

Posts keep the language they were written in (their feed's ``language``) and are published once;
the listing pages exist in every language of the hub. Cost grows linearly with the number of
posts: one small page per post and index pages of ``PER_PAGE`` posts.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from .i18n import Language
from .incremental import Memo
from .learning_log import FeedInfo, LearningLog, LogEntry
from .parallel import run_split
from .rendering import Renderer, TemplateProblem
from .site import GeneratedFile, Site, fragment_marker
from .toolkit import Toolkit
from .xml_text import xml_safe

PER_PAGE = 50
OUTSIDE_MENU_TEMPLATE = "learning-log-page.html"
POST_TEMPLATE = "learning-log-post.html"
# Pages outside the menu (posts and listing pages after the first): they show the menu folded.
OUTSIDE_MENU_TEMPLATES = (OUTSIDE_MENU_TEMPLATE, POST_TEMPLATE)
INDEX = "learning-log/index.md"
# A build renders this many posts or more in several processes.
RENDER_APART_FROM = 500
FEED = "learning-log/feed.xml"
ATOM_TEMPLATE = "learning-log-atom.xml.j2"


# Rendered posts and list items, kept from one build to the next (mkdocs serve).
MEMO = Memo()


def render_listing(
    r: Renderer, lang: Language, log: LearningLog, page: str, entries: list[LogEntry], href: Callable[[str, str], str]
) -> Markup:
    """A list of posts on ``page``: each item rendered once and reused wherever it reads the same."""
    feeds = tuple(feed_key(f) for f in log.feeds.values())
    version = (lang.code, id(lang.translations), r.version, feeds)
    # The whole list while none of its posts changed (a YAML edit while serving); else item by item.
    html, item_keys = MEMO.get(
        ("listing", page, tuple(map(id, entries)), version),
        entries,
        lambda: _render_listing(r, lang, log, page, entries, href, version),
    )
    # Its items are kept too, though not rendered: after a few edits that leave the lists alone, a
    # new post, which moves every post along the numbered pages, needs them all (issue 14).
    MEMO.keep(item_keys)
    return html


def _render_listing(
    r: Renderer,
    lang: Language,
    log: LearningLog,
    page: str,
    entries: list[LogEntry],
    href: Callable[[str, str], str],
    version: tuple[Any, ...],
) -> tuple[Markup, list[tuple[Any, ...]]]:
    keys = []

    def item(entry: LogEntry) -> str:
        feed = log.feed(entry.post.feed)
        url = href(page, entry.page)
        key = ("list-item", id(entry), url, version)  # version holds every feed's details
        keys.append(key)
        return MEMO.get(
            key, entry, lambda: r.render("learning-log-list-item.html.j2", lang, entry=entry, feed=feed, url=url)
        )

    items = Markup("".join(item(e) for e in entries))
    return Markup(r.render("learning-log-list.html.j2", lang, items=items)), keys


def feed_key(feed: FeedInfo) -> tuple[Any, ...]:
    """Everything about a feed that shows on its posts (a plain tuple: ``astuple`` deep-copies)."""
    return tuple(vars(feed).values())


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


def learning_log_pages(
    site: Site,
    log: LearningLog,
    kit: Toolkit,
    r: Renderer,
    lang: Language,
    *,
    site_url: str,
    hub_name: str,
    posts: bool,
    workers: int = 1,
) -> None:
    """Add the learning log's pages in ``lang`` to ``site``; ``posts``: also each post's own page (once
    per hub). ``workers``: how many processes may share rendering the posts (councillor_hub/parallel.py)."""
    _ = lang.gettext
    relative_url = site.url  # as this build serves pages ("x.html" in the offline copy)

    def add_html_page(
        path: str,
        title: str,
        html: str,
        edit_path: str | None,
        description: str | None = None,
        *,
        listing: bool = True,
        in_menu: bool = False,
    ) -> None:
        site.add(GeneratedFile(path, fragment_marker("main") + "\n", edit_path))
        site.page_meta[path] = _page_meta(title, description, searchable=not listing) | {"hub_lang": lang.code}
        if not in_menu:
            # Renders Material's blocks once per depth for all such pages (overrides/learning-log-page.html).
            site.page_meta[path]["template"] = OUTSIDE_MENU_TEMPLATE
        site.fragments.setdefault(path, {})["main"] = html

    def listing(page: str, entries: list[LogEntry]) -> Markup:
        return render_listing(r, lang, log, page, entries, relative_url)

    sprint_titles = {e.id: e.item.title for e in kit.entries_of("sprint")}

    def tag_name(tag: str) -> str:
        return log.tag_names.get(tag) or sprint_titles.get(tag) or tag

    index = lang.path(INDEX)
    chunks = [log.entries[i : i + PER_PAGE] for i in range(0, len(log.entries), PER_PAGE)] or [[]]
    page_paths = [index] + [lang.path(f"learning-log/page-{n}.md") for n in range(2, len(chunks) + 1)]
    by_feed = sorted(log.by_feed().items())
    by_tag = sorted(log.by_tag().items())
    for n, (path, entries) in enumerate(zip(page_paths, chunks, strict=True), start=1):
        first = n == 1
        html = r.render(
            "learning-log-index.html.j2",
            lang,
            log=log,
            listing=listing(path, entries),
            number=n,
            total=len(chunks),
            previous=relative_url(path, page_paths[n - 2]) if n > 1 else None,
            next=relative_url(path, page_paths[n]) if n < len(chunks) else None,
            feeds=[
                (log.feed(fid), len(items), relative_url(path, lang.path(f"learning-log/facilitators/{fid}.md")))
                for fid, items in by_feed
            ]
            if first
            else [],
            tags=[
                (tag, tag_name(tag), len(items), relative_url(path, lang.path(f"learning-log/tags/{tag}.md")))
                for tag, items in by_tag
            ]
            if first
            else [],
            feed_url=relative_url(path, FEED),
            guide_url=relative_url(path, lang.path("learning-log-guide.md")),
            count=len(log.entries),
        )
        title = (
            _("Learning log")
            if first
            else _("Learning log, page %(number)s of %(total)s") % {"number": n, "total": len(chunks)}
        )
        add_html_page(path, title, html, log.registry_source, in_menu=first)
    for feed_id, entries in by_feed:
        feed = log.feed(feed_id)
        path = lang.path(f"learning-log/facilitators/{feed_id}.md")
        html = r.render(
            "learning-log-facilitator.html.j2", lang, feed=feed, listing=listing(path, entries), count=len(entries)
        )
        add_html_page(path, _("Reflections by %(name)s") % {"name": feed.name}, html, log.registry_source)
    for tag, entries in by_tag:
        path = lang.path(f"learning-log/tags/{tag}.md")
        sprint_link = relative_url(path, lang.path(f"programme/{tag}.md")) if tag in sprint_titles else None
        html = r.render(
            "learning-log-tag.html.j2",
            lang,
            name=tag_name(tag),
            listing=listing(path, entries),
            count=len(entries),
            sprint_link=sprint_link,
        )
        add_html_page(path, _("Reflections tagged: %(name)s") % {"name": tag_name(tag)}, html, log.registry_source)
    if not posts:
        return
    version = (lang.code, id(lang.translations), r.version, site.directory_urls)

    def render_post(entry: LogEntry, feed: FeedInfo, tags: tuple[tuple[str, str], ...]) -> tuple[str, str]:
        """The post's content, and its footer (source link, licence, topics). The footer is the same
        shape on every post, so it goes in the page template rather than the page content: search
        then indexes only what the author wrote."""
        page = entry.page
        body = r.render(
            "learning-log-post.html.j2",
            lang,
            post=entry.post,
            feed=feed,
            body=Markup(entry.body_html),
            facilitator_url=relative_url(page, lang.path(f"learning-log/facilitators/{feed.id}.md")),
        )
        footer = r.render(
            "learning-log-post-footer.html.j2",
            lang,
            post=entry.post,
            feed=feed,
            tags=[(t, name, relative_url(page, lang.path(f"learning-log/tags/{t}.md"))) for t, name in tags],
            index_url=relative_url(page, index),
        )
        return body, footer

    jobs = []
    for entry in log.entries:
        feed = log.feed(entry.post.feed)
        tags = tuple((t, tag_name(t)) for t in entry.post.tags)
        jobs.append((("post", id(entry), feed_key(feed), tags, version), entry, feed, tags))
    # Posts not rendered in an earlier build of this process (all of them, in `mkdocs build`) are
    # rendered by several processes when there are many (issue 14).
    missing = [job for job in jobs if not MEMO.has(job[0])]
    shares = run_split(
        lambda share: [render_post(entry, feed, tags) for _, entry, feed, tags in share],
        missing,
        workers if len(missing) >= RENDER_APART_FROM else 1,
    )
    rendered = dict(zip((job[0] for job in missing), (done for share in shares for done in share), strict=True))
    for key, entry, feed, tags in jobs:

        def make_page(
            entry: LogEntry = entry, feed: FeedInfo = feed, tags: tuple[tuple[str, str], ...] = tags, key: Any = key
        ) -> tuple[GeneratedFile, dict[str, Any], str]:
            body, footer = rendered.get(key) or render_post(entry, feed, tags)
            meta = _page_meta(entry.post.title, entry.excerpt) | {
                "hub_lang": lang.code,
                "template": POST_TEMPLATE,
                "hub_footer": footer,
            }
            return GeneratedFile(entry.page, fragment_marker("main") + "\n", entry.source), meta, body

        # The same objects from build to build while nothing about the post changed (mkdocs serve).
        file, meta, html = MEMO.get(key, entry, make_page)
        site.files.append(file)
        site.page_meta[entry.page] = meta
        site.fragments[entry.page] = {"main": html}
    atom = r.render(
        ATOM_TEMPLATE,
        lang,
        log=log,
        title=_("%(hub)s learning log") % {"hub": hub_name},
        entries=log.entries[:50],
        site_url=site_url,
        updated=atom_updated(log),
    )
    site.files.append(GeneratedFile(FEED, well_formed_xml(atom, ATOM_TEMPLATE)))


def well_formed_xml(text: str, template: str) -> str:
    """``text`` without XML-invalid characters; a ``TemplateProblem`` if it is still not well-formed
    (a council's template override with a mistake), so no reader is ever handed a broken feed."""
    text = xml_safe(text)
    try:
        ET.fromstring(text.encode("utf-8"))  # our own output: no DTD, and every & is escaped
    except ET.ParseError as exc:
        raise TemplateProblem(
            f"{template}: the learning log's Atom feed it makes ({FEED}) is not well-formed XML: {exc}"
        ) from None
    return text


def atom_updated(log: LearningLog) -> str:
    if not log.entries:
        return "1970-01-01T00:00:00Z"
    latest = max((e.post.updated or e.post.published) for e in log.entries)
    return latest.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
