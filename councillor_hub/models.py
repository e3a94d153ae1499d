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

from .fields import KEPT_IN_SOURCE_LANGUAGE, TRANSLATABLE, RefersTo

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
MaterialId = Annotated[Id, RefersTo("material")]
# The confidence questionnaire is its own kind (issue 11); a handout may name it like a material.
QuestionnaireId = Annotated[Id, RefersTo("questionnaire")]
ClockTime = Annotated[
    str,
    StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$"),
    Field(description="A time of day on the 24-hour clock, as HH:MM, for example 09:30."),
]


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


# The name of a document or organisation cited as it is: shown as written on pages in every language.
SourceName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), KEPT_IN_SOURCE_LANGUAGE]


class Source(Model):
    """Where a fact came from. Every guide cites at least one."""

    title: SourceName = Field(description="The document's own title, never translated.")
    publisher: Text = Field(description="Who published it; translate it where they have an official name.")
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


class MaterialUse(Model):
    """A handout or deck the hub provides, named by id: ``material: scenario-cards``.

    ``material: slides`` is the session's own slide deck. ``note`` says what matters here
    ("one set for each table", "with a made-up search results page").
    """

    material: MaterialId | None = Field(default=None, description="The id of a material in materials/.")
    questionnaire: QuestionnaireId | None = Field(default=None, description="The id of a questionnaire.")
    note: Text | None = None

    @model_validator(mode="after")
    def _names_one_thing(self) -> MaterialUse:
        if (self.material is None) == (self.questionnaire is None):
            raise ValueError("name one thing: either material: <id> or questionnaire: <id>")
        return self

    @property
    def ref(self) -> str:
        return f"material:{self.material}" if self.material else f"questionnaire:{self.questionnaire}"


Materials = Annotated[
    list[MaterialUse | Text],
    Field(
        description="What is needed. Something the hub provides is written 'material: <id>' (see materials/); "
        "plain text is for what people bring or the venue has (phones, sticky notes). Text that starts with "
        "'Your' is something participants bring.",
    ),
]


class Activity(Model):
    id: Id
    title: Text
    kind: Literal["presentation", "discussion", "exercise", "challenge", "reflection", "break"]
    minutes: int = Field(ge=1, le=480)
    description: Text
    steps: list[Text] = Field(default_factory=list)
    materials: Materials = Field(default_factory=list)
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
    questionnaire: QuestionnaireId | None = Field(
        default=None,
        description="The questionnaire that asks this measure's questions, by id (e.g. confidence); "
        "it must have a section for this sprint.",
    )


class Split(Model):
    """Where a part divides when the sprint runs as two half-days."""

    after: Id = Field(description="The session that ends the first half-day.")
    before_second_half: list[ReadinessItem] = Field(
        default_factory=list, description="What each councillor does or brings before the second half-day."
    )


class Part(Model):
    """Sessions held together: a workshop, or a meeting on another day (sprint 3's close)."""

    title: Text | None = Field(default=None, description="Leave out for the workshop itself.")
    when: Text | None = Field(default=None, description="When it happens, if not on the workshop day.")
    sessions: list[Id] = Field(min_length=1, description="Session ids in the order they run.")
    lunch_after: Id | None = Field(default=None, description="Run as one day: lunch comes after this session.")
    split: Split | None = Field(default=None, description="Run as two half-days: where the day divides.")


class RunningOrder(Model):
    """How the workshop day runs: its parts, lunch, the split into half-days, the room and the staff."""

    group_size: int | None = Field(default=None, ge=2, le=60, description="Default: the programme's.")
    facilitators: int | None = Field(default=None, ge=1, le=10, description="Default: the programme's.")
    mentors: int | None = Field(default=None, ge=0, le=30, description="Default: the programme's.")
    room: list[Text] = Field(default_factory=list, description="What this day's room needs, after the programme's.")
    materials: Materials = Field(
        default_factory=list, description="For the whole day, not one activity: sign-in sheet, feedback form."
    )
    parts: list[Part] = Field(min_length=1)


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
    running_order: RunningOrder | None = Field(
        default=None,
        description="How the day runs. Leave out to run every session as one part, split after the session "
        "nearest the middle, with no lunch.",
    )


class Workshops(Model):
    """What every workshop day needs, unless a sprint's running order says otherwise."""

    group_size: int = Field(default=12, ge=2, le=60, description="Councillors in one group.")
    facilitators: int = Field(default=2, ge=1, le=10, description="Facilitators for each group.")
    mentors: int = Field(default=3, ge=0, le=30, description="Officer mentors in the room, for each group.")
    room: list[Text] = Field(default_factory=list, description="What every workshop room needs.")


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
    workshops: Workshops = Field(default_factory=Workshops)
    last_reviewed: dt.date = Field(description="When a person last checked this item was accurate (YYYY-MM-DD).")


# --- Questionnaires ---------------------------------------------------------------------------


Timing = Literal["before", "after"]
_BOTH: list[Timing] = ["before", "after"]


class Scale(Model):
    """Whole numbers from 1 to ``points``, with words for the two ends (and, if wanted, every point)."""

    points: int = Field(default=5, ge=3, le=10)
    low: Text = Field(description="What 1 means, e.g. Not at all confident.")
    high: Text = Field(description="What the top of the scale means, e.g. Very confident.")
    labels: list[Text] = Field(
        default_factory=list,
        description="Optional: a word for every point, lowest first, when an online form shows words "
        "instead of numbers. Imports accept these words, the two ends' words and the numbers.",
    )

    @model_validator(mode="after")
    def _labels_fit(self) -> Scale:
        if self.labels and len(self.labels) != self.points:
            raise ValueError(f"labels needs one word for each of the {self.points} points, or none")
        return self

    @property
    def values(self) -> list[int]:
        return list(range(1, self.points + 1))


class Question(Model):
    id: Id = Field(description="Stable: before and after answers are paired by it. Never reuse one.")
    text: Text = Field(
        description="The statement as asked, e.g. I can set up an account safely. Online forms must use "
        "the same words as the question, so their exports can be matched to it."
    )
    short: Text = Field(description="A few words for charts and tables, e.g. Setting up an account.")


class QuestionnaireSection(Model):
    id: Id
    heading: Text
    sprint: SprintId | None = Field(default=None, description="The sprint whose measure these questions serve.")
    questions: list[Question] = Field(min_length=1)


class Questionnaire(Model):
    """Questions asked before and after a workshop, answered on a scale, on paper or in an online form."""

    id: Id
    title: Text
    purpose: Text = Field(description="Why it is asked, for facilitators and programme leads.")
    instructions: Text = Field(description="What the councillor reads before answering.")
    uses: list[Timing] = Field(default_factory=lambda: _BOTH.copy(), min_length=1, description="before, after or both.")
    scale: Scale
    sections: list[QuestionnaireSection] = Field(min_length=1)
    last_reviewed: dt.date = Field(description="When a person last checked these questions (YYYY-MM-DD).")

    @model_validator(mode="after")
    def _uses_once(self) -> Questionnaire:
        # Unique question ids are checked by the loader, which can point at the repeated one.
        if len(set(self.uses)) != len(self.uses):
            raise ValueError("uses lists each of before and after once")
        return self

    def questions(self) -> list[Question]:
        return [q for section in self.sections for q in section.questions]


# --- Materials ------------------------------------------------------------------------------


class Card(Model):
    """One card of a set, printed several to an A4 page with cut lines."""

    id: Id
    title: Text
    text: Text
    question: Text | None = Field(default=None, description="A question printed at the foot of the card.")
    answer: Text | None = Field(
        default=None, description="For the facilitator: printed in the answer key, never on the card."
    )


class Column(Model):
    """One column of a printed log or sign-in sheet."""

    heading: Text
    width: int = Field(default=1, ge=1, le=6, description="Relative width: 2 is twice as wide as 1.")


class MapPerson(Model):
    """Someone on the worked example network map."""

    name: Text = Field(description="Made up; use place tokens such as {street} so it feels local.")
    type: Literal["person", "group", "organisation"] = "person"
    layers: list[Literal["offline", "online", "aspirational"]] = Field(min_length=1, max_length=3)
    note: Text | None = None


class ExampleMap(Model):
    """A finished network map, made up for training, to put on the wall."""

    start_kind: Literal["local", "issue", "campaign"]
    start: Text = Field(description="The starting point in the middle of the map, such as {ward}.")
    people: list[MapPerson] = Field(min_length=3, max_length=30)


MaterialKind = Literal[
    "cards", "form", "log", "sheet", "example-map", "slides", "readiness-checklist", "mentor-briefing", "start-quiz"
]


class Material(Model):
    """Something the hub provides for a workshop: cards, a form, a log, a sheet, an example map.

    ``slides``, ``readiness-checklist`` and ``mentor-briefing`` are built from the session or
    sprint that uses them, and ``start-quiz`` from the hub's "Where do I start?" questions, so
    they hold only their words here.
    """

    id: Id
    title: Text
    kind: MaterialKind = Field(
        description="cards: a set of cards; form: questions to answer on paper; log: a table to fill in week "
        "by week; sheet: a statement and a table to sign; example-map: a worked network map; slides: the "
        "session's deck; readiness-checklist and mentor-briefing: built from the sprint; start-quiz: the "
        "'Where do I start?' questions on paper, with a scoring key."
    )
    summary: Text = Field(description="What it is and what it is for, in a sentence or two.")
    copies: Text | None = Field(default=None, description="How many to print, such as 'One for each councillor'.")
    how_to_use: list[Text] = Field(default_factory=list, description="Notes for the facilitator.")
    paragraphs: list[Text] = Field(default_factory=list, description="Text printed on the material itself.")
    cards: list[Card] = Field(default_factory=list)
    per_page: int = Field(default=6, ge=4, le=8, multiple_of=2, description="Cards on each A4 page: 4, 6 or 8.")
    sections: list[WorksheetSection] = Field(default_factory=list, description="A form's questions.")
    columns: list[Column] = Field(default_factory=list, description="A log's or sheet's columns.")
    rows: int = Field(default=0, ge=0, le=40, description="Blank rows to print in a log or sheet.")
    example: ExampleMap | None = None
    last_reviewed: dt.date = Field(description="When a person last checked this item was accurate (YYYY-MM-DD).")

    @model_validator(mode="after")
    def _has_what_its_kind_needs(self) -> Material:
        for name in ("cards", "sections", "columns", "example"):
            if getattr(self, name) and name not in _MATERIAL_PARTS.get(self.kind, ()):
                raise ValueError(f"a {self.kind} material takes no {name}")
        needs = {
            "cards": (len(self.cards) >= 2, "at least two cards"),
            "form": (bool(self.sections), "at least one section of questions"),
            "log": (len(self.columns) >= 2 and self.rows >= 1, "two or more columns and some rows"),
            "sheet": (len(self.columns) >= 2 and self.rows >= 1, "two or more columns and some rows"),
            "example-map": (self.example is not None, "an example map"),
        }
        ok, what = needs.get(self.kind, (True, ""))
        if not ok:
            raise ValueError(f"a {self.kind} material needs {what}")
        return self


# Which of a material's fields each kind uses.
_MATERIAL_PARTS: dict[str, tuple[str, ...]] = {
    "cards": ("cards",),
    "form": ("sections",),
    "log": ("columns",),
    "sheet": ("columns",),
    "example-map": ("example",),
}


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
