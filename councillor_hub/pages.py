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

from markupsafe import Markup, escape

from .i18n import SOURCE_LANGUAGE, Language
from .kinds import BY_NAME, KINDS, Kind
from .learning_log import LearningLog
from .learning_log_pages import learning_log_pages, render_listing
from .loading import fill_texts
from .materials import CIRCLES, map_layout, material_uses
from .models import Sprint
from .packs import pack_page, pdf_path, print_css, quiz_context, read_manifest, render_pack
from .places import PlaceNames
from .project import Project, today
from .rendering import Renderer
from .running_order import DEFAULT_VARIANT, plan
from .site import GeneratedFile, Site, relative_source, relative_url
from .slides import sprint_decks
from .toolkit import Entry, Toolkit
from .translations import LanguageTranslations, ParityReport, translate

# A sprint page shows the newest reflections; the tag page lists them all.
LATEST_REFLECTIONS = 10
AUDIENCES = ("councillors", "everyone", "facilitators", "officers")
SECTION_INDEXES = ("start/index.md", "platforms/index.md", "tools/index.md", "programme/index.md", "guides/index.md")
HOME = "index.md"
STATUS_PAGE = "translation-status.md"
# How the markdown finaliser marks text shown in the source language (see rendering.py).
FALLBACK_MARK = f'<span lang="{SOURCE_LANGUAGE}">'


def for_place(query: str, place: str) -> str:
    """A local-search query for one place: ``{place}`` as written, ``{place:tag}`` as a hashtag word."""
    tag = "".join(ch for ch in place.title() if ch.isalnum())
    return query.replace("{place:tag}", tag).replace("{place}", place)


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
        status: list[tuple[ParityReport, int]] | None = None,
        workers: int = 1,
    ) -> None:
        self.project = project
        self.workers = workers
        self.status = status or []
        self.places = PlaceNames.from_settings(project.settings, lang.code)
        if lang.code != SOURCE_LANGUAGE and translations is not None:
            kit = translate(kit, translations)
        self.kit = fill_texts(kit, lambda _entry, _path, text: self.places.fill(text))
        self.log = log
        self.r = renderer
        self.lang = lang
        self.site = site
        self.pdf_manifest = read_manifest(project)
        self.print_css = print_css(project)

    def sprint_label(self, sprint: Sprint) -> str:
        """ "Sprint 2: Shape your network" in the page's language; the masterclass is just its title."""
        if sprint.kind == "masterclass":
            return sprint.title
        _ = self.lang.gettext
        return _("Sprint %(number)s: %(title)s") % {"number": sprint.number, "title": sprint.title}

    def title(self, entry: Entry) -> str:
        return self.sprint_label(entry.item) if entry.kind.name == "sprint" else entry.title

    def title_of(self, ref: str) -> str:
        entry = self.kit.get_ref(ref)
        if entry is None:
            raise KeyError(ref)
        return self.title(entry)

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
        meta: dict[str, Any] | None = None,
        group: str | None = None,
        hide: tuple[str, ...] = (),
        **context: Any,
    ) -> None:
        """Render a page. ``group`` puts it in a subsection of its section's menu; ``hide`` is
        Material's front matter of that name (``navigation``, ``toc``)."""
        src = self.lang.path(path)
        content = self.render(template, page=src, link=lambda to: relative_source(src, self.lang.path(to)), **context)
        page_meta: dict[str, Any] = {"hub_lang": self.lang.code, **(meta or {})}
        if FALLBACK_MARK in content:
            page_meta["hub_untranslated"] = "part"  # the page says so, visibly (overrides/main.html)
        if hide:
            page_meta["hide"] = list(hide)
        self.site.add(
            GeneratedFile(src, content, edit, title),
            section=self.lang.path(section) if section else None,
            group=group,
            meta=page_meta,
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
        if self.status:
            self.status_page()
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
                offline=self.site.offline,
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
            workers=self.workers,
        )

    # --- one page per item ----------------------------------------------------------------------

    def item_page(self, kind: Kind, entry: Entry) -> None:
        assert kind.page is not None and kind.template is not None
        extra: Callable[[Entry], dict[str, Any]] = getattr(self, f"_{kind.name}_context", lambda _e: {})
        self.add(
            kind.page.format(id=entry.id),
            kind.template,
            edit=entry.source,
            title=self.title(entry),
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
                                "label": for_place(q, place),
                                "url": platform.local_search.url_for(for_place(q, place)),
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
            self.site.fragments.setdefault(path, {})["reflections"] = render_listing(
                self.r, self.lang, self.log, path, reflections[:LATEST_REFLECTIONS], self.site.url
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
                label=self.sprint_label(entry.item),
            )
        return {
            "decks": self.slide_decks(entry),
            "questionnaire_links": self._questionnaire_links(entry.item),
            "next_sprint": sprints[position + 1].item if position + 1 < len(sprints) else None,
            "schedule": schedule(entry.item),
            "reflection_count": len(reflections),
            "latest_shown": min(len(reflections), LATEST_REFLECTIONS),
            "label": self.sprint_label(entry.item),
            "pack": self._pack(entry),
            "handout_links": {
                e.ref: {"title": e.title, "page": self.kit.page(e.ref)}
                for kind in ("material", "questionnaire")
                if kind in BY_NAME
                for e in self.kit.entries_of(kind)
            },
        }

    def slide_decks(self, entry: Entry) -> dict[str, str]:
        """A page of slides for each session of the sprint; returns {session id: its page}."""
        sprint = entry.item
        label = self.sprint_label(sprint)
        pages = {}
        for deck in sprint_decks(sprint):
            self.add(
                deck.path,
                "slides.md.j2",
                edit=entry.source,
                # The deck is a page of its own (overrides/slides.html), out of the menu and out of
                # search: the sprint page has the same words and is the deck's text version.
                meta={
                    "template": "slides.html",
                    "title": str(escape(self.lang.gettext("Slides: %(title)s") % {"title": deck.session.title})),
                    "search": {"exclude": True},
                },
                deck=deck,
                label=label,
                sprint_page=entry.kind.page_for(sprint.id),
            )
            pages[deck.session.id] = deck.path
        return pages

    def _questionnaire_links(self, sprint: Sprint) -> dict[str, dict[str, str]]:
        """Each evaluation measure asked by a questionnaire: its title and page, at this sprint's section."""
        links = {}
        for measure in sprint.evaluation:
            found = self.kit.get("questionnaire", measure.questionnaire) if measure.questionnaire else None
            if found is None:
                continue
            section = next((s for s in found.item.sections if s.sprint == sprint.id), None)
            anchor = f"#{found.item.uses[0]}-{section.id}" if section else ""
            links[measure.id] = {"title": found.title, "page": self.kit.page(found.ref) + anchor}
        return links

    def _questionnaire_context(self, entry: Entry) -> dict[str, Any]:
        return {"sprints": {s.id: s.item for s in self.kit.ordered_sprints()}}

    def _pack(self, entry: Entry) -> dict[str, Any]:
        """Add the sprint's printable pack page; what the sprint page says about it (issue 12)."""
        path = pack_page(entry.id)
        rendered = render_pack(self.project, self.kit, entry, self.r, self.lang)
        sprint_page = self.lang.path(f"programme/{entry.id}.md")
        pdfs = {}
        for variant in rendered.documents:
            site_path = pdf_path(self.lang, entry.id, variant)
            file = self.project.prebuilt_dir / site_path
            # Only a PDF made from exactly this pack is offered: a stale one would mislead on the day.
            if self.pdf_manifest.get(site_path) == rendered.digest(variant, self.print_css) and file.is_file():
                self.site.static[site_path] = file
                pdfs[variant] = site_path
        src = self.lang.path(path)
        self.site.fragments.setdefault(src, {})["pack"] = self.r.render(
            "pack-page.html.j2",
            self.lang,
            pack=rendered.context,
            body=Markup(rendered.body),
            pdfs={v: relative_url(src, p) for v, p in pdfs.items()},
        )
        self.add(
            path,
            "pack.md.j2",
            edit=entry.source,
            title=self.lang.gettext("Printable pack: %(sprint)s") % {"sprint": self.sprint_label(entry.item)},
            sprint=entry.item,
            label=self.sprint_label(entry.item),
        )
        self.site.page_meta.setdefault(src, {})["search"] = {"exclude": True}  # it repeats the sprint page
        return {
            "page": relative_source(sprint_page, src),
            "pdfs": {v: relative_source(sprint_page, p) for v, p in pdfs.items()},
            "plans": rendered.context["plans"],
            "staffing": rendered.context["plans"][0].staffing,
            "start": rendered.context["start"],
        }

    def _material_context(self, entry: Entry) -> dict[str, Any]:
        material = entry.item
        path = self.lang.path(entry.kind.page_for(entry.id) or "")
        self.site.fragments.setdefault(path, {})["material"] = self.r.render(
            "material-page.html.j2",
            self.lang,
            material=material,
            circles=CIRCLES,
            layout=map_layout(material.example) if material.example else None,
            **quiz_context(self.kit),
        )
        packs = [
            {"label": self.sprint_label(s.item), "page": pack_page(s.id)}
            for s in self.kit.ordered_sprints()
            if any(use.material == material.id for _s, _a, use in material_uses(s.item))
        ]
        # The session slides are one deck per session: list them all, by sprint.
        decks = (
            [
                {
                    "label": self.sprint_label(s.item),
                    "sessions": [{"title": d.session.title, "page": d.path} for d in sprint_decks(s.item)],
                }
                for s in self.kit.ordered_sprints()
            ]
            if material.kind == "slides"
            else []
        )
        return {"packs": packs, "decks": decks}

    def _persona_context(self, entry: Entry) -> dict[str, Any]:
        steps = [
            {"step": step, "link": self.kit.page(step.ref), "title": self.title_of(step.ref)}
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
            workshops = self.project.settings.workshops
            self.add(
                "programme/index.md",
                "programme-index.md.j2",
                edit=programme.source,
                programme=programme.item,
                sprints=sprints,
                schedules={s.id: schedule(s) for s in sprints},
                plans={s.id: plan(s, DEFAULT_VARIANT, workshops, programme.item) for s in sprints},
                labels={s.id: self.sprint_label(s) for s in sprints},
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

    def status_page(self) -> None:
        reports = []
        for report, furniture in self.status:
            rows = sorted(
                (item for item in report.items if item.entry.kind.page),
                key=lambda item: (item.translated / max(item.total, 1), item.entry.title),
            )
            reports.append(
                {
                    "name": Language(report.language).native_name,
                    "translated": report.translated,
                    "total": report.total,
                    "percent": report.percent(),
                    "missing": len(report.missing),
                    "stale": len(report.stale),
                    "furniture": furniture,
                    "unreviewed": len(report.unreviewed),
                    "rows": [
                        {
                            "title": item.entry.title,
                            "page": (item.entry.kind.page_for(item.entry.id) or "index.md").split("#")[0],
                            "translated": item.translated,
                            "total": item.total,
                            "stale": item.stale,
                        }
                        for item in rows
                    ],
                }
            )
        self.add(STATUS_PAGE, "translation-status.md.j2", edit=None, reports=reports)

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
                        replacement_title=self.title_of(replacement) if replacement else None,
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
    status: list[tuple[ParityReport, int]] | None = None,
    *,
    directory_urls: bool = True,
    offline: bool = False,
    workers: int = 1,
) -> Site:
    """Every generated page, in every language of the hub.

    ``status``: the translation-status page's figures; ``offline``: for the offline copy;
    ``workers``: how many processes may share the work (councillor_hub/parallel.py).
    """
    site = Site(directory_urls=directory_urls, offline=offline)
    for lang in languages:
        translated = (translations or {}).get(lang.code)
        PageBuilder(project, kit, log, renderer, lang, site, translated, status, workers).build()
    return site
