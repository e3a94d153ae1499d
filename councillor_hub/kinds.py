"""The one table of content kinds.

Loading, id and reference checks, staleness, place tokens, the council's overlay, translations,
schemas, links and page building all loop over ``KINDS``; adding a kind of content is one entry
here (plus its model, and its template if it has pages of its own).

A kind's items live in one of three ways (its ``Source``):

* ``folder``: one item per file (``platforms/facebook.yml``);
* ``listed``: a list inside a file shared with other kinds (``tools.yml`` has ``categories`` and
  ``tools``), validated as the file's ``container`` model;
* ``single``: one item, one file (``start.yml``).

The same layout is used under ``council/content/`` for a council's new items.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import (
    Category,
    Guide,
    Material,
    Model,
    Persona,
    Platform,
    Programme,
    Questionnaire,
    Sprint,
    StartQuiz,
    Tool,
    ToolCatalogue,
)


@dataclass(frozen=True)
class Source:
    """Where a kind's items are stored, relative to ``content/toolkits`` (or ``council/content``)."""

    path: str
    layout: str  # "folder", "listed" or "single"
    schema: str  # the JSON Schema its files name on line 1: schemas/<schema>.schema.json
    container: type[Model] | None = None  # listed: the model of the whole file
    field: str | None = None  # listed: the list's field in the file
    exclude: tuple[str, ...] = ()  # folder: file names that belong to another kind


@dataclass(frozen=True)
class Kind:
    name: str  # as written in references: platform:facebook
    model: type[Model]
    source: Source
    title: Callable[[Any], str]
    page: str | None = None  # the page (and anchor) an item is found at; {id} is the item's id
    template: str | None = None  # the template of an item's own page, if it has one
    section: str | None = None  # the index page under which its pages sit in the menu
    plural: str = ""
    sort: Callable[[Any], Any] | None = None  # order on index pages and in the menu; default: as loaded
    hideable: bool = True  # whether a council may hide an item of this kind

    def page_for(self, item_id: str) -> str | None:
        return self.page.format(id=item_id) if self.page else None


def sprint_label(sprint: Sprint) -> str:
    """ "Sprint 2: Shape your network"; the masterclass is just its title (never "Masterclass: Skills masterclass")."""
    return sprint.title if sprint.kind == "masterclass" else f"Sprint {sprint.number}: {sprint.title}"


_TOOLS = "tools.yml"

KINDS: tuple[Kind, ...] = (
    Kind(
        "platform",
        Platform,
        Source("platforms", "folder", "platform"),
        title=lambda p: p.name,
        page="platforms/{id}.md",
        template="platform.md.j2",
        section="platforms/index.md",
        plural="platforms",
        sort=lambda p: p.name.lower(),
    ),
    Kind(
        "category",
        Category,
        Source(_TOOLS, "listed", "tools", ToolCatalogue, "categories"),
        title=lambda c: c.name,
        page="tools/index.md#{id}",
        plural="tool categories",
    ),
    Kind(
        "tool",
        Tool,
        Source(_TOOLS, "listed", "tools", ToolCatalogue, "tools"),
        title=lambda t: t.name,
        page="tools/index.md#tool-{id}",
        plural="tools",
    ),
    Kind(
        "programme",
        Programme,
        Source("lessons/programme.yml", "single", "programme"),
        title=lambda p: p.title,
        page="programme/index.md",
        plural="programmes",
        hideable=False,
    ),
    Kind(
        "sprint",
        Sprint,
        Source("lessons", "folder", "sprint", exclude=("programme.yml",)),
        title=sprint_label,
        page="programme/{id}.md",
        template="sprint.md.j2",
        section="programme/index.md",
        plural="sprints",
    ),
    Kind(
        "questionnaire",
        Questionnaire,
        Source("questionnaires", "folder", "questionnaire"),
        title=lambda q: q.title,
        page="programme/questionnaires/{id}.md",
        template="questionnaire.md.j2",
        section="programme/index.md",
        plural="questionnaires",
    ),
    Kind(
        "material",
        Material,
        Source("materials", "folder", "material"),
        title=lambda m: m.title,
        page="programme/materials/{id}.md",
        template="material.md.j2",
        plural="materials",
    ),
    Kind(
        "guide",
        Guide,
        Source("guides", "folder", "guide"),
        title=lambda g: g.title,
        page="guides/{id}.md",
        template="guide.md.j2",
        section="guides/index.md",
        plural="guides",
        sort=lambda g: g.title.lower(),
    ),
    Kind(
        "persona",
        Persona,
        Source("personas", "folder", "persona"),
        title=lambda p: p.name,
        page="start/{id}.md",
        template="persona.md.j2",
        section="start/index.md",
        plural="personas",
        sort=lambda p: p.order,
    ),
    Kind(
        "quiz",
        StartQuiz,
        Source("start.yml", "single", "start"),
        title=lambda q: q.title,
        page="start/index.md",
        plural="quizzes",
        hideable=False,
    ),
)

BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}


def kind(name: str) -> Kind:
    return BY_NAME[name]


def sources() -> list[Source]:
    """Each distinct source once, in table order (tools.yml holds two kinds)."""
    seen: dict[str, Source] = {}
    for k in KINDS:
        seen.setdefault(k.source.path, k.source)
    return list(seen.values())


def kinds_in(source: Source) -> list[Kind]:
    return [k for k in KINDS if k.source.path == source.path]


def source_model(source: Source) -> type[Model]:
    """The model a whole file of this source validates as."""
    if source.layout == "listed":
        assert source.container is not None
        return source.container
    return kinds_in(source)[0].model
