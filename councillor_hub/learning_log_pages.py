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
from typing import Any

from markupsafe import Markup, escape

from .i18n import Language
from .learning_log import LearningLog, LogEntry
from .rendering import Renderer
from .site import GeneratedFile, Site, fragment_marker
from .toolkit import Toolkit

PER_PAGE = 50
INDEX = "learning-log/index.md"
FEED = "learning-log/feed.xml"


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
) -> None:
    """Add the learning log's pages in ``lang`` to ``site``; ``posts``: also each post's own page (once per hub)."""
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
    ) -> None:
        site.add(GeneratedFile(path, fragment_marker("main") + "\n", edit_path))
        site.page_meta[path] = _page_meta(title, description, searchable=not listing) | {"hub_lang": lang.code}
        site.fragments.setdefault(path, {})["main"] = html

    def listing(page: str, entries: list[LogEntry]) -> Markup:
        return Markup(r.render("learning-log-list.html.j2", lang, posts=entries, log=log, page=page, href=relative_url))

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
        add_html_page(path, title, html, log.registry_source)
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
    for entry in log.entries:
        feed = log.feed(entry.post.feed)
        page = entry.page
        html = r.render(
            "learning-log-post.html.j2",
            lang,
            post=entry.post,
            feed=feed,
            body=Markup(entry.body_html),
            facilitator_url=relative_url(page, lang.path(f"learning-log/facilitators/{feed.id}.md")),
        )
        # The footer (source link, licence, topics) is the same shape on every post, so it goes in
        # the page template rather than the page content: search then indexes only what the author wrote.
        footer = r.render(
            "learning-log-post-footer.html.j2",
            lang,
            post=entry.post,
            feed=feed,
            tags=[
                (t, tag_name(t), relative_url(page, lang.path(f"learning-log/tags/{t}.md"))) for t in entry.post.tags
            ],
            index_url=relative_url(page, index),
        )
        add_html_page(page, entry.post.title, html, entry.source, entry.excerpt, listing=False)
        site.page_meta[page] |= {"template": "learning-log-post.html", "hub_footer": footer}
    site.files.append(
        GeneratedFile(
            FEED,
            r.render(
                "learning-log-atom.xml.j2",
                lang,
                log=log,
                title=_("%(hub)s learning log") % {"hub": hub_name},
                entries=log.entries[:50],
                site_url=site_url,
                updated=atom_updated(log),
            ),
        )
    )


def atom_updated(log: LearningLog) -> str:
    if not log.entries:
        return "1970-01-01T00:00:00Z"
    latest = max((e.post.updated or e.post.published) for e in log.entries)
    return latest.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
