"""Turn validated content into page objects. No MkDocs here: the hook wraps these as files.

Markdown pages never contain text that arrived from a feed. Feed-derived HTML is rendered
separately into *fragments* and put in place after Markdown has run (see ``Site.fragments``),
so nothing a blog author writes is ever interpreted as Markdown, a snippet or a template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from .learning_log import LearningLog, learning_log_pages, relative_url
from .loading import Toolkit
from .models import Sprint
from .rendering import Renderer

SECTION_INDEXES = {
    "start": "start/index.md",
    "platforms": "platforms/index.md",
    "tools": "tools/index.md",
    "programme": "programme/index.md",
    "guides": "guides/index.md",
    "learning-log": "learning-log/index.md",
}
# A sprint page shows the newest reflections; the tag page lists them all.
LATEST_REFLECTIONS = 10
AUDIENCE_HEADINGS = {
    "councillors": "For councillors",
    "everyone": "For everyone",
    "facilitators": "For facilitators and mentors",
    "officers": "For officers",
}


def fragment_marker(name: str) -> str:
    """Where a page's fragment ``name`` goes; ``HubBuild.place_fragments`` replaces it after Markdown."""
    return f"<!-- hub:fragment:{name} -->"


@dataclass(frozen=True)
class GeneratedFile:
    """One file of the site that exists only during the build."""

    path: str
    content: str
    edit_path: str | None = None
    title: str | None = None


@dataclass
class Site:
    files: list[GeneratedFile] = field(default_factory=list)
    # section index path -> [(title, path)] for the navigation, in order
    sections: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # page path -> {marker: html}: feed-derived HTML put in place after Markdown
    fragments: dict[str, dict[str, str]] = field(default_factory=dict)
    # page path -> title and description set on the page by the hook (escaped, never parsed)
    page_meta: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, file: GeneratedFile, *, section: str | None = None) -> None:
        self.files.append(file)
        if section is not None and file.title is not None:
            self.sections.setdefault(SECTION_INDEXES[section], []).append((file.title, file.path))


def link_for(ref: str) -> str:
    """The site path a ``kind:id`` reference points at."""
    kind, _, item_id = ref.partition(":")
    return {
        "platform": f"platforms/{item_id}.md",
        "tool": f"tools/index.md#tool-{item_id}",
        "category": f"tools/index.md#{item_id}",
        "sprint": f"programme/{item_id}.md",
        "guide": f"guides/{item_id}.md",
        "persona": f"start/{item_id}.md",
    }[kind]


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


def build_site(kit: Toolkit, log: LearningLog, renderer: Renderer, *, site_url: str = "") -> Site:
    site = Site()
    _platform_pages(site, kit, renderer)
    _tool_pages(site, kit, renderer)
    _programme_pages(site, kit, log, renderer)
    _start_pages(site, kit, renderer)
    _guide_pages(site, kit, renderer)
    learning_log_pages(site, log, kit, renderer, site_url=site_url)
    return site


def _platform_pages(site: Site, kit: Toolkit, r: Renderer) -> None:
    site.add(
        GeneratedFile(
            "platforms/index.md",
            r.render("platforms-index.md.j2", platforms=[p.item for p in kit.platforms]),
            edit_path=None,  # built from every platform file; each platform page edits its own
        )
    )
    tools_by_platform: dict[str, list[Any]] = {}
    if kit.tools:
        for tool in kit.tools.item.tools:
            for platform_id in tool.platforms:
                tools_by_platform.setdefault(platform_id, []).append(tool)
    for p in kit.platforms:
        content = r.render("platform.md.j2", platform=p.item, tools=tools_by_platform.get(p.item.id, []))
        site.add(GeneratedFile(f"platforms/{p.item.id}.md", content, p.source, p.item.name), section="platforms")


def _tool_pages(site: Site, kit: Toolkit, r: Renderer) -> None:
    if not kit.tools:
        return
    catalogue = kit.tools.item
    platform_names = {p.item.id: p.item.name for p in kit.platforms}
    groups = [(c, [t for t in catalogue.tools if t.category == c.id]) for c in catalogue.categories]
    content = r.render("tools-index.md.j2", groups=groups, platform_names=platform_names, catalogue=catalogue)
    site.add(GeneratedFile("tools/index.md", content, kit.tools.source))


def _programme_pages(site: Site, kit: Toolkit, log: LearningLog, r: Renderer) -> None:
    sprints = kit.ordered_sprints()
    if kit.programme:
        content = r.render(
            "programme-index.md.j2",
            programme=kit.programme.item,
            sprints=[s.item for s in sprints],
            schedules={s.item.id: schedule(s.item) for s in sprints},
        )
        site.add(GeneratedFile("programme/index.md", content, kit.programme.source))
    for position, s in enumerate(sprints):
        next_sprint = sprints[position + 1].item if position + 1 < len(sprints) else None
        path = f"programme/{s.item.id}.md"
        reflections = log.tagged(s.item.id)
        content = r.render(
            "sprint.md.j2",
            sprint=s.item,
            next_sprint=next_sprint,
            schedule=schedule(s.item),
            reflection_count=len(reflections),
            latest_shown=min(len(reflections), LATEST_REFLECTIONS),
        )
        site.add(
            GeneratedFile(path, content, s.source, f"{_sprint_label(s.item)}: {s.item.title}"), section="programme"
        )
        if reflections:
            site.fragments.setdefault(path, {})["reflections"] = r.render(
                "learning-log-list.html.j2",
                posts=reflections[:LATEST_REFLECTIONS],
                log=log,
                page=path,
                href=relative_url,
            )
        for worksheet in s.item.worksheets:
            ws_path = f"programme/{s.item.id}/{worksheet.id}.md"
            ws_content = r.render("worksheet.md.j2", sprint=s.item, worksheet=worksheet)
            site.add(GeneratedFile(ws_path, ws_content, s.source, worksheet.title), section="programme")


def _sprint_label(sprint: Sprint) -> str:
    return "Masterclass" if sprint.kind == "masterclass" else f"Sprint {sprint.number}"


def _start_pages(site: Site, kit: Toolkit, r: Renderer) -> None:
    personas = [p.item for p in kit.personas]
    titles = _ref_titles(kit)
    quiz = kit.quiz.item if kit.quiz else None
    content = r.render("start-index.md.j2", quiz=quiz, personas=personas)
    site.add(GeneratedFile("start/index.md", content, kit.quiz.source if kit.quiz else None))
    for p in kit.personas:
        steps = [{"step": step, "link": link_for(step.ref), "title": titles[step.ref]} for step in p.item.pathway]
        content = r.render("persona.md.j2", persona=p.item, steps=steps)
        site.add(GeneratedFile(f"start/{p.item.id}.md", content, p.source, p.item.name), section="start")


def _ref_titles(kit: Toolkit) -> dict[str, str]:
    titles = {f"platform:{p.item.id}": p.item.name for p in kit.platforms}
    titles |= {f"sprint:{s.item.id}": f"{_sprint_label(s.item)}: {s.item.title}" for s in kit.sprints}
    titles |= {f"guide:{g.item.id}": g.item.title for g in kit.guides}
    titles |= {f"persona:{p.item.id}": p.item.name for p in kit.personas}
    if kit.tools:
        titles |= {f"tool:{t.id}": t.name for t in kit.tools.item.tools}
        titles |= {f"category:{c.id}": c.name for c in kit.tools.item.categories}
    return titles


def _guide_pages(site: Site, kit: Toolkit, r: Renderer) -> None:
    groups = [
        (heading, [g.item for g in kit.guides if g.item.audience == audience])
        for audience, heading in AUDIENCE_HEADINGS.items()
    ]
    site.add(GeneratedFile("guides/index.md", r.render("guides-index.md.j2", groups=groups), None))
    for audience in AUDIENCE_HEADINGS:
        for g in kit.guides:
            if g.item.audience == audience:
                content = r.render("guide.md.j2", guide=g.item)
                site.add(GeneratedFile(f"guides/{g.item.id}.md", content, g.source, g.item.title), section="guides")
