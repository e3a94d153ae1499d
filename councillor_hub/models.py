"""The typed content model: one class per kind of content item.

Each class is the single declaration of its data shape. The JSON Schemas in
``content/toolkits/schemas/`` are generated from these classes (``councillor-hub schemas``),
never written by hand.

Design rules that later work depends on:

* Every item has a stable ``id`` (lower-case words joined by hyphens). Council overlays and
  Welsh translations will refer to items by kind and id, so an id never changes once published.
* Human-readable text fields use the ``Text`` type, which marks them ``x-translatable`` in
  the schema; a translation file will supply the same field for the same id.
* Models hold plain data only (no HTML). Templates decide how it looks.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from .fields import TRANSLATABLE, RefersTo

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=60),
    Field(description="Stable identifier: lower-case words joined by hyphens. Never change it once published."),
]
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    Field(json_schema_extra={"x-translatable": True}),
    TRANSLATABLE,
]
WebUrl = Annotated[
    str,
    StringConstraints(pattern=r"^https?://[^\s/$.?#][^\s]*$", max_length=500),
    Field(description="A full web address starting with https:// (or http://)."),
]
# The kind is checked against the table of kinds when content is loaded (with a "did you mean").
Ref = Annotated[
    str,
    StringConstraints(pattern="^[a-z]+:" + ID_PATTERN[1:]),
    Field(description="A link to another item, written kind:id, for example platform:facebook or sprint:sprint-1."),
    RefersTo(None),
]
PlatformId = Annotated[Id, RefersTo("platform")]
CategoryId = Annotated[Id, RefersTo("category")]
SprintId = Annotated[Id, RefersTo("sprint")]
PersonaId = Annotated[Id, RefersTo("persona")]


Nation = Literal["england", "wales", "scotland", "northern-ireland"]
Nations = Annotated[
    list[Nation],
    Field(
        description="The UK nations this applies to (england, wales, scotland, northern-ireland). "
        "Leave it out when it applies across the UK. A council's hub shows only its own nation's.",
    ),
]


DoThisFirst = Annotated[
    list[Text],
    Field(
        max_length=5,
        description="Up to five short first steps, shown in a box at the top of the page under the "
        "summary, for a reader who will not read the whole page yet. Give it to any page over about "
        "1,500 words; leave it out on short pages.",
    ),
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(Model):
    """Where a fact came from. Every guide cites at least one."""

    title: Text
    publisher: Text
    url: WebUrl
    published: str | None = Field(
        default=None,
        description="When the source was published, as written by its publisher (for example 2023 or 2023-05).",
    )
    accessed: dt.date = Field(description="When we last checked the source said this (YYYY-MM-DD).")


class Step(Model):
    title: Text
    detail: Text


class Reviewed(Model):
    last_reviewed: dt.date = Field(description="When a person last checked this item was accurate (YYYY-MM-DD).")
    sources: list[Source] = Field(min_length=1)


# --- Platforms -------------------------------------------------------------------------------


class Glance(Model):
    """One row of the side-by-side platform comparison."""

    residents: Text = Field(description="Who in a typical ward is there.")
    spreading: Text = Field(description="How a post travels beyond your own followers.")
    local_viral: Text = Field(description="What 'going viral' realistically looks like for a councillor.")
    best_for: Text
    effort: Literal["low", "medium", "high"]


class Metric(Model):
    id: Id
    name: Text
    kind: Literal["vanity", "reach", "engagement", "conversation", "action"] = Field(
        description="vanity: easy to count, says little; reach: how many people saw it; "
        "engagement: people reacted; conversation: people replied or discussed; action: people did something."
    )
    what_it_tells_you: Text
    where_to_find_it: Text


class Influencers(Model):
    who: Text
    how_to_find: list[Text] = Field(min_length=1)
    how_to_work_with: list[Text] = Field(min_length=1)


class Risk(Model):
    kind: Literal["abuse", "misinformation", "pre-election", "privacy", "legal", "wellbeing", "security"]
    title: Text
    detail: Text


class LocalSearch(Model):
    """Finding active citizens near you on this platform: the structured search of sprint 2.

    The platform page turns each query into a search link for each of the council's places.
    """

    search_url: Annotated[str, StringConstraints(pattern=r"^https://[^\s{}]*\{query\}[^\s{}]*$")] | None = Field(
        default=None,
        description="The platform's search address with {query} where the words go; leave out if it has none.",
    )
    queries: list[Text] = Field(
        default_factory=list, description="What to search for; {place} stands for each of the council's places."
    )
    steps: list[Text] = Field(min_length=1, description="How to search well here, step by step.")

    def url_for(self, query: str) -> str:
        from urllib.parse import quote_plus

        assert self.search_url is not None
        return self.search_url.replace("{query}", quote_plus(query))


class Platform(Reviewed):
    """A social media platform or online network, explained for councillors."""

    id: Id
    name: Text
    url: WebUrl
    summary: Text
    do_this_first: DoThisFirst = Field(default_factory=list)
    at_a_glance: Glance
    who_is_there: list[Text] = Field(min_length=1)
    how_content_spreads: list[Text] = Field(min_length=1)
    what_viral_means: list[Text] = Field(min_length=1)
    likes_versus_reach: list[Text] = Field(min_length=1)
    metrics: list[Metric] = Field(min_length=2)
    influencers: Influencers
    getting_started: list[Step] = Field(min_length=3)
    good_practice: list[Text] = Field(min_length=1)
    risks: list[Risk] = Field(min_length=1)
    accessibility: list[Text] = Field(min_length=1)
    local_search: LocalSearch | None = Field(default=None, description="How to find active citizens near you here.")


# --- Tools -----------------------------------------------------------------------------------


class Category(Model):
    id: Id
    name: Text
    summary: Text


class Tool(Model):
    id: Id
    name: Text
    url: WebUrl
    category: CategoryId = Field(description="The id of one of the catalogue's categories.")
    summary: Text = Field(description="What it helps a councillor do, in one or two sentences.")
    cost: Literal["free", "freemium", "paid"]
    cost_note: Text
    difficulty: Literal["beginner", "intermediate", "advanced"]
    platforms: list[PlatformId] = Field(
        default_factory=list, description="Ids of the platforms it works with; leave empty if it works on its own."
    )
    getting_started: list[Step] = Field(min_length=2)
    nations: Nations = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list, description="Where facts about the tool were checked.")
    last_reviewed: dt.date


class ToolCatalogue(Model):
    """tools.yml: the catalogue's categories and tools (a council's council/content/tools.yml adds to them)."""

    categories: list[Category] = Field(default_factory=list)
    tools: list[Tool] = Field(default_factory=list)


# --- Lessons ---------------------------------------------------------------------------------


class Challenge(Model):
    prompt: Text
    solution: Text


class Activity(Model):
    id: Id
    title: Text
    kind: Literal["presentation", "discussion", "exercise", "challenge", "reflection", "break"]
    minutes: int = Field(ge=1, le=480)
    description: Text
    steps: list[Text] = Field(default_factory=list)
    materials: list[Text] = Field(default_factory=list)
    facilitator_notes: list[Text] = Field(default_factory=list)
    challenge: Challenge | None = None
    worksheet: Id | None = Field(default=None, description="The id of a worksheet in this sprint used here.")


class Session(Model):
    id: Id
    title: Text
    minutes: int = Field(ge=5, le=480, description="Length of the session; the activities must add up to it.")
    summary: Text
    activities: list[Activity] = Field(min_length=1)


class Prompt(Model):
    id: Id
    label: Text
    hint: Text | None = None
    kind: Literal["text", "long-text", "choice", "checklist"] = "long-text"
    options: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _options_match_kind(self) -> Prompt:
        if self.kind in ("choice", "checklist") and len(self.options) < 2:
            raise ValueError(f"a {self.kind} prompt needs at least two options")
        if self.kind not in ("choice", "checklist") and self.options:
            raise ValueError(f"a {self.kind} prompt takes no options")
        return self


class WorksheetSection(Model):
    id: Id
    heading: Text
    help: Text | None = None
    prompts: list[Prompt] = Field(min_length=1)


class Worksheet(Model):
    """A planning sheet a councillor fills in, printed or in the browser."""

    id: Id
    title: Text
    kind: Literal["form", "network-map"] = "form"
    purpose: Text
    sections: list[WorksheetSection] = Field(default_factory=list)


class Task(Model):
    id: Id
    title: Text
    detail: Text


class ReadinessItem(Model):
    id: Id
    text: Text


class MentorGuide(Model):
    role: Text
    prompts: list[Text] = Field(min_length=1)
    warning_signs: list[Text] = Field(min_length=1, description="Signs that mentor meetings are not happening.")


class Measure(Model):
    id: Id
    measure: Text
    how: Text
    when: Literal["before", "after", "before-and-after"]


class Sprint(Reviewed):
    """One workshop and the weeks of practice that follow it."""

    id: Id
    number: int = Field(ge=0, le=20, description="0 for the pre-programme masterclass.")
    kind: Literal["masterclass", "sprint"] = "sprint"
    title: Text
    summary: Text
    do_this_first: DoThisFirst = Field(default_factory=list)
    weeks_until_next: int | None = Field(default=None, ge=1, le=26)
    questions: list[Text] = Field(min_length=1)
    objectives: list[Text] = Field(min_length=1)
    keypoints: list[Text] = Field(min_length=1)
    sessions: list[Session] = Field(min_length=1)
    worksheets: list[Worksheet] = Field(default_factory=list)
    between_sprint_tasks: list[Task] = Field(default_factory=list)
    readiness: list[ReadinessItem] = Field(default_factory=list)
    facilitator_notes: list[Text] = Field(default_factory=list)
    mentor: MentorGuide
    evaluation: list[Measure] = Field(min_length=1)


class Programme(Model):
    id: Id
    title: Text
    summary: Text
    how_it_works: list[Text] = Field(min_length=1)
    support_model: list[Text] = Field(min_length=1)
    sprints: list[SprintId] = Field(min_length=1, description="Sprint ids in the order they run.")
    sources: list[Source] = Field(
        default_factory=list, description="Where the programme's history and design come from."
    )
    last_reviewed: dt.date = Field(description="When a person last checked this item was accurate (YYYY-MM-DD).")


# --- Guides and personas ---------------------------------------------------------------------


class GuideSection(Model):
    id: Id
    heading: Text
    nations: Nations = Field(default_factory=list)
    paragraphs: list[Text] = Field(default_factory=list)
    steps: list[Text] = Field(default_factory=list)
    tips: list[Text] = Field(default_factory=list)


class Guide(Reviewed):
    """A how-to guide, for councillors or for the people who run the programme."""

    id: Id
    title: Text
    audience: Literal["councillors", "facilitators", "officers", "everyone"]
    nations: Nations = Field(default_factory=list)
    summary: Text
    do_this_first: DoThisFirst = Field(default_factory=list)
    sections: list[GuideSection] = Field(min_length=1)


class PathStep(Model):
    ref: Ref
    why: Text


class Persona(Reviewed):
    """One of the four councillor types, with a route through the hub."""

    id: Id
    order: int = Field(ge=0, description="Position in lists of personas, smallest first.")
    name: Text
    summary: Text
    do_this_first: DoThisFirst = Field(default_factory=list)
    recognise_yourself: list[Text] = Field(min_length=2)
    worries: list[Text] = Field(min_length=1)
    approach: Literal["context-first", "dive-in"]
    approach_note: Text
    pathway: list[PathStep] = Field(min_length=3)
    mentor_tip: Text


class QuizOption(Model):
    id: Id
    label: Text
    points: dict[PersonaId, int] = Field(
        min_length=1, description="Points this answer gives each persona, by persona id."
    )


class QuizQuestion(Model):
    id: Id
    text: Text
    options: list[QuizOption] = Field(min_length=2)


class StartQuiz(Model):
    """'Where do I start?': questions whose answers point a councillor to a persona."""

    title: Text
    intro: Text
    questions: list[QuizQuestion] = Field(min_length=2)
    last_reviewed: dt.date = Field(
        description="When a person last checked these questions still route well (YYYY-MM-DD)."
    )
