"""Turn validated content into page objects, for every language of the hub. No MkDocs here.

Each kind with a template (``kinds.KINDS``) gets one page per item; the section index pages list
them. Before rendering, every text field has its place tokens filled in with the council's places.

Markdown pages never contain text that arrived from a feed. Feed-derived HTML is rendered
separately into *fragments* and put in place after Markdown has run (see ``Site.fragments``),
so nothing a blog author writes is ever interpreted as Markdown, a snippet or a template.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import accumulate
from typing import Any

from .i18n import SOURCE_LANGUAGE, Language
from .kinds import BY_NAME, KINDS, Kind, sprint_label
from .learning_log import LearningLog
from .learning_log_pages import learning_log_pages
from .loading import fill_texts
from .models import Sprint
from .places import PlaceNames
from .project import Project, today
from .rendering import Renderer
from .site import GeneratedFile, Site, relative_source, relative_url
from .toolkit import Entry, Toolkit
from .translations import LanguageTranslations, translate

# A sprint page shows the newest reflections; the tag page lists them all.
LATEST_REFLECTIONS = 10
AUDIENCES = ("councillors", "everyone", "facilitators", "officers")
SECTION_INDEXES = ("start/index.md", "platforms/index.md", "tools/index.md", "programme/index.md", "guides/index.md")
HOME = "index.md"
# How the markdown finaliser marks text shown in the source language (see rendering.py).
FALLBACK_MARK = f'<span lang="{SOURCE_LANGUAGE}">'


def schedule(sprint: Sprint) -> list[dict[str, Any]]:
    """Each session's activities with start and end offsets in minutes."""
    out = []
    for session in sprint.sessions:
        ends = list(accumulate(a.minutes for a in session.activities))
        rows = [
            {"activity": a, "start": end - a.minutes, "end": end}
            for a, end in zip(session.activities, ends, strict=True)
        ]
        out.append({"session": session, "rows": rows, "total": ends[-1] if ends else 0})
    return out


class PageBuilder:
    """Builds every page of one language."""

    def __init__(
        self,
        project: Project,
        kit: Toolkit,
        log: LearningLog,
        renderer: Renderer,
        lang: Language,
        site: Site,
        translations: LanguageTranslations | None = None,
    ) -> None:
        self.project = project
        self.places = PlaceNames.from_settings(project.settings, lang.code)
        if lang.code != SOURCE_LANGUAGE and translations is not None:
            kit = translate(kit, translations)
        self.kit = fill_texts(kit, lambda _entry, _path, text: self.places.fill(text))
        self.log = log
        self.r = renderer
        self.lang = lang
        self.site = site

    def render(self, template: str, **context: Any) -> str:
        return self.r.render(template, self.lang, **context)

    def add(
        self,
        path: str,
        template: str,
        *,
        edit: str | None,
        title: str | None = None,
        section: str | None = None,
        group: str | None = None,
        hide: tuple[str, ...] = (),
        **context: Any,
    ) -> None:
        """Render a page. ``group`` puts it in a subsection of its section's menu; ``hide`` is
        Material's front matter of that name (``navigation``, ``toc``)."""
        src = self.lang.path(path)
        content = self.render(template, page=src, link=lambda to: relative_source(src, self.lang.path(to)), **context)
        meta: dict[str, Any] = {"hub_lang": self.lang.code}
        if FALLBACK_MARK in content:
            meta["hub_untranslated"] = "part"  # the page says so, visibly (overrides/main.html)
        if hide:
            meta["hide"] = list(hide)
        self.site.add(
            GeneratedFile(src, content, edit, title),
            section=self.lang.path(section) if section else None,
            group=group,
            meta=meta,
        )

    def build(self) -> None:
        for kind in KINDS:
            if kind.template:
                entries = self.kit.entries_of(kind.name)
                if kind.name == "guide":
                    # In the menu, guides sit in groups by audience, councillors' first (stable sort:
                    # the kind's own order within each group).
                    entries = sorted(entries, key=lambda e: AUDIENCES.index(e.item.audience))
                for entry in entries:
                    self.item_page(kind, entry)
        self.index_pages()
        self.hidden_pages()
        if not (self.project.has_overlay and (self.project.overlay_docs_dir / HOME).is_file()):
            settings = self.project.settings
            self.add(
                HOME,
                "home.md.j2",
                edit=None,
                # The home page's cards are the routes; the full menu stays in the header's drawer.
                hide=("navigation", "toc"),
                settings=settings,
                hub_name=settings.hub_name(self.lang.code),
                day=today(),
                election_periods=[
                    {"name": e.name, "from": e.notice_of_election.isoformat(), "to": e.polling_day.isoformat()}
                    for e in settings.elections
                ],
                pre_election_guide="guides/pre-election-period.md"
                if self.kit.get("guide", "pre-election-period")
                else None,
            )
        learning_log_pages(
            self.site,
            self.log,
            self.kit,
            self.r,
            self.lang,
            site_url=self.project.site_url,
            hub_name=self.project.settings.hub_name(self.lang.code),
            posts=self.lang.is_default,
        )

    # --- one page per item ----------------------------------------------------------------------

    def item_page(self, kind: Kind, entry: Entry) -> None:
        assert kind.page is not None and kind.template is not None
        extra: Callable[[Entry], dict[str, Any]] = getattr(self, f"_{kind.name}_context", lambda _e: {})
        self.add(
            kind.page.format(id=entry.id),
            kind.template,
            edit=entry.source,
            title=entry.title,
            section=kind.section,
            group=self.audience_title(entry.item.audience) if kind.name == "guide" else None,
            **{kind.name: entry.item},
            **extra(entry),
        )

    def audience_title(self, audience: str) -> str:
        """The heading of an audience's guides, on the guides page and in the menu."""
        _ = self.lang.gettext
        titles = {
            "councillors": _("For councillors"),
            "everyone": _("For everyone"),
            "facilitators": _("For facilitators and mentors"),
            "officers": _("For officers"),
        }
        return titles[audience]

    def _platform_context(self, entry: Entry) -> dict[str, Any]:
        platform = entry.item
        tools = [t for t in self.kit.items("tool") if platform.id in t.platforms]
        accounts = [a for a in self.project.settings.official_accounts if a.platform == platform.id]
        searches = []
        if platform.local_search:
            for place in self.places.all_places()[:8]:
                searches.append(
                    {
                        "place": place,
                        "links": [
                            {
                                "label": q.replace("{place}", place),
                                "url": platform.local_search.url_for(q.replace("{place}", place)),
                            }
                            for q in platform.local_search.queries
                        ]
                        if platform.local_search.search_url
                        else [],
                    }
                )
        return {
            "tools": tools,
            "accounts": accounts,
            "searches": searches,
            "council": self.project.settings.council_name(self.lang.code),
        }

    def _sprint_context(self, entry: Entry) -> dict[str, Any]:
        sprints = self.kit.ordered_sprints()
        position = next(i for i, s in enumerate(sprints) if s.id == entry.id) if entry in sprints else len(sprints)
        reflections = self.log.tagged(entry.id)
        path = self.lang.path(f"programme/{entry.id}.md")
        if reflections:
            self.site.fragments.setdefault(path, {})["reflections"] = self.r.render(
                "learning-log-list.html.j2",
                self.lang,
                posts=reflections[:LATEST_REFLECTIONS],
                log=self.log,
                page=path,
                href=relative_url,
            )
        for worksheet in entry.item.worksheets:
            self.add(
                f"programme/{entry.id}/{worksheet.id}.md",
                "worksheet.md.j2",
                edit=entry.source,
                title=worksheet.title,
                section="programme/index.md",
                group=self.lang.gettext("Worksheets and planning sheets"),
                sprint=entry.item,
                worksheet=worksheet,
                label=sprint_label(entry.item),
            )
        return {
            "next_sprint": sprints[position + 1].item if position + 1 < len(sprints) else None,
            "schedule": schedule(entry.item),
            "reflection_count": len(reflections),
            "latest_shown": min(len(reflections), LATEST_REFLECTIONS),
            "label": sprint_label(entry.item),
        }

    def _persona_context(self, entry: Entry) -> dict[str, Any]:
        steps = [
            {"step": step, "link": self.kit.page(step.ref), "title": self.kit.title(step.ref)}
            for step in entry.item.pathway
        ]
        return {"steps": steps}

    # --- index pages ----------------------------------------------------------------------------

    def index_pages(self) -> None:
        kit = self.kit
        self.add(
            "platforms/index.md",
            "platforms-index.md.j2",
            edit=None,  # built from every platform file; each platform page edits its own
            hide=("toc",),  # room for the comparison table
            platforms=kit.items("platform"),
        )
        tools_entry = kit.entries_of("tool")[0] if kit.entries_of("tool") else None
        categories = kit.items("category")
        tools = kit.items("tool")
        self.add(
            "tools/index.md",
            "tools-index.md.j2",
            edit=tools_entry.source if tools_entry and tools_entry.origin == "upstream" else None,
            groups=[(c, [t for t in tools if t.category == c.id]) for c in categories],
            tools=tools,
            platform_names={p.id: p.name for p in kit.items("platform")},
        )
        programme = kit.one_entry("programme")
        if programme is not None:
            sprints = [e.item for e in kit.ordered_sprints()]
            self.add(
                "programme/index.md",
                "programme-index.md.j2",
                edit=programme.source,
                programme=programme.item,
                sprints=sprints,
                schedules={s.id: schedule(s) for s in sprints},
                labels={s.id: sprint_label(s) for s in sprints},
            )
        quiz = kit.one_entry("quiz")
        self.add(
            "start/index.md",
            "start-index.md.j2",
            edit=quiz.source if quiz else None,
            quiz=quiz.item if quiz else None,
            personas=kit.items("persona"),
        )
        guides = kit.items("guide")
        self.add(
            "guides/index.md",
            "guides-index.md.j2",
            edit=None,
            groups=[(audience, [g for g in guides if g.audience == audience]) for audience in AUDIENCES],
            headings={audience: self.audience_title(audience) for audience in AUDIENCES},
            has_first_steps=any(g.id == "first-steps" for g in guides),
        )

    def hidden_pages(self) -> None:
        """A short page where a hidden item's page was, so links to it (and bookmarks) still work."""
        for ref, replacement in self.kit.hidden.items():
            kind, _, item_id = ref.partition(":")
            page = BY_NAME[kind].page
            if page is None or "#" in page:
                continue
            src = self.lang.path(page.format(id=item_id))
            self.site.add(
                GeneratedFile(
                    src,
                    self.render(
                        "hidden.md.j2",
                        hub_name=self.project.settings.hub_name(self.lang.code),
                        replacement=relative_source(src, self.lang.path(self.kit.page(replacement)))
                        if replacement
                        else None,
                        replacement_title=self.kit.title(replacement) if replacement else None,
                        home=relative_source(src, self.lang.path(HOME)),
                    ),
                ),
                meta={"hub_lang": self.lang.code, "search": {"exclude": True}, "robots": "noindex"},
            )


def build_site(
    project: Project,
    kit: Toolkit,
    log: LearningLog,
    renderer: Renderer,
    languages: list[Language],
    translations: dict[str, LanguageTranslations] | None = None,
) -> Site:
    """Every generated page, in every language of the hub."""
    site = Site()
    for lang in languages:
        PageBuilder(project, kit, log, renderer, lang, site, (translations or {}).get(lang.code)).build()
    return site
