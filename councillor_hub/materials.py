"""Materials: the handouts, cards and forms the hub provides, and how activities name them.

An activity's ``materials`` list mixes two things (``models.Materials``): references to what
the hub provides (``material: scenario-cards``), and plain text for what people bring or the
venue has ("Sticky notes", "Your phone"). ``text_problem`` is the check that keeps the two
apart: text that names something the hub should provide (slides, cards, a form, a log...) must
be a reference, so every handout a lesson plan asks for exists and is in the printed pack.

``map_layout`` places the worked example network map's names in the regions of its three
circles, for the SVG the templates draw.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .models import Activity, ExampleMap, Material, MaterialUse, Session, Sprint

# Words that mark a handout, slide deck or form: text naming one should be a reference instead.
# Each kind of item contributes its words while it is in the table of kinds (kinds.KINDS).
HANDOUT_WORDS: dict[str, tuple[str, ...]] = {
    "material": (
        "slide", "slides", "deck", "card", "cards", "worksheet", "worksheets", "form", "forms", "log", "logs",
        "sheet", "sheets", "map", "maps", "checklist", "checklists", "handout", "handouts", "ladder",
        "questionnaire", "questionnaires",
    ),
    "questionnaire": ("confidence question", "confidence questions"),
}  # fmt: skip
# Text starting with these is something participants bring (their own map, their phone).
BRING_PREFIXES = ("your ",)
# Phrases with a handout word that name no handout: the hub's learning log, a plain sheet of paper.
NOT_HANDOUTS = re.compile(r"\b(learning log|sheets? of paper)\b", re.IGNORECASE)
# The pack prints materials grouped by kind, in this order; within a kind, in order of first use.
PACK_ORDER = (
    "example-map", "cards", "start-quiz", "form", "log", "readiness-checklist", "mentor-briefing", "sheet", "slides",
)  # fmt: skip
_COMMON = {"a", "an", "the", "of", "for", "and", "or", "with", "on", "in", "to", "from", "each", "made", "up"}


def handout_words(kinds: Iterable[str]) -> re.Pattern[str]:
    words = sorted({w for k in kinds for w in HANDOUT_WORDS.get(k, ())}, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def is_brought(text: str) -> bool:
    return text.lower().startswith(BRING_PREFIXES)


def text_problem(
    text: str,
    words: re.Pattern[str],
    materials: dict[str, str],
    *,
    worksheet: str | None,
    worksheets: list[str],
    questionnaires: dict[str, str] | None = None,
) -> str | None:
    """Why ``text`` should be a reference to a material, or None when plain text is right.

    ``materials`` and ``questionnaires`` map ids to titles; ``worksheet`` is the activity's worksheet.
    """
    if is_brought(text):
        return None
    found = [m.group(1).lower() for m in words.finditer(NOT_HANDOUTS.sub("", text))]
    if not found:
        return None
    word = next((w for w in found if w.startswith("worksheet")), found[0])
    quoted = repr(text) if len(text) <= 60 else repr(text[:57] + "...")
    if word.startswith("worksheet"):
        if worksheet:
            return (
                f"{quoted} names a worksheet; the activity's worksheet ({worksheet}) is listed with its materials, "
                "so remove this line"
            )
        return f"{quoted} names a worksheet; set the activity's worksheet: to its id ({', '.join(worksheets)})"
    if questionnaires and (word in HANDOUT_WORDS["questionnaire"] or word.startswith("questionnaire")):
        example = f"questionnaire: {closest_material(text, questionnaires) or next(iter(questionnaires))}"
    else:
        suggestion = closest_material(text, materials)
        example = f"material: {suggestion}" if suggestion else "material: <id> (see content/toolkits/materials/)"
    return (
        f"{quoted} names something the hub provides ({word}); write it as {example}, "
        "with any detail as its note, or start it with 'Your' if people bring their own"
    )


def closest_material(text: str, materials: dict[str, str]) -> str | None:
    """The material whose id and title share the most words with ``text``."""
    wanted = _words(text)
    scored = [(len(wanted & (_words(title) | _words(mid.replace("-", " ")))), mid) for mid, title in materials.items()]
    best = max(scored, default=(0, ""))
    return best[1] if best[0] else None


def _words(text: str) -> set[str]:
    found = {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z]+", text)}
    return found - _COMMON


# --- what a sprint hands out -----------------------------------------------------------------


@dataclass
class Use:
    """Where a material is used: the session and activity (none for the whole day), and its note."""

    session: Session | None
    activity: Activity | None
    note: str | None


@dataclass
class Handout:
    """A material (or questionnaire) a sprint uses, with every place it is used."""

    ref: str
    title: str
    material: Material | None  # None for a questionnaire, which is printed from its own page
    uses: list[Use] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.ref.partition(":")[2]


def material_uses(sprint: Sprint) -> Iterable[tuple[Session | None, Activity | None, MaterialUse]]:
    """Every reference to a material in ``sprint``: the day's first, then each activity's in order."""
    order = sprint.running_order
    for use in order.materials if order else []:
        if isinstance(use, MaterialUse):
            yield None, None, use
    for session in sprint.sessions:
        for activity in session.activities:
            for use in activity.materials:
                if isinstance(use, MaterialUse):
                    yield session, activity, use


def text_materials(sprint: Sprint) -> list[str]:
    """Every plain-text material of ``sprint`` once, in order of first mention."""
    order = sprint.running_order
    lists = [order.materials if order else []] + [a.materials for s in sprint.sessions for a in s.activities]
    seen: dict[str, str] = {}
    for materials in lists:
        for text in materials:
            if isinstance(text, str):
                seen.setdefault(text.lower(), text)
    return list(seen.values())


def handouts(sprint: Sprint, titles: dict[str, str], materials: dict[str, Material]) -> list[Handout]:
    """The materials ``sprint`` uses, in the pack's order (``PACK_ORDER``, then first use).

    ``titles`` maps every ``kind:id`` a sprint may name to its title; ``materials`` maps
    material ids to the (place-filled) materials.
    """
    found: dict[str, Handout] = {}
    for session, activity, use in material_uses(sprint):
        ref = use.ref
        if ref not in found:
            found[ref] = Handout(ref, titles.get(ref, ref), materials.get(use.material or ""))
        found[ref].uses.append(Use(session, activity, use.note))

    def rank(handout: Handout) -> int:
        kind = handout.material.kind if handout.material else "questionnaire"
        return PACK_ORDER.index(kind) if kind in PACK_ORDER else len(PACK_ORDER)

    return sorted(found.values(), key=rank)  # sorted() is stable: first use within a kind


# --- the worked example network map ----------------------------------------------------------

# A 600 x 620 drawing: three overlapping circles (offline, online, aspirational), as on paper.
WIDTH, HEIGHT = 600, 620
CIRCLES = {"offline": (210, 230, 190), "online": (390, 230, 190), "aspirational": (300, 395, 190)}
LINE_HEIGHT = 14
NAME_GAP = 5  # extra space between two names, so a wrapped name reads as one
MAX_LINES_PER_REGION = 7
WRAP_AT = 18  # characters on a line of a name, at the drawing's font size


@functools.cache
def region_anchors() -> dict[frozenset[str], tuple[int, int]]:
    """The middle of each region of the circles (the points inside exactly those circles)."""
    sums: dict[frozenset[str], list[int]] = {}
    for x in range(0, WIDTH, 4):
        for y in range(0, HEIGHT, 4):
            inside = frozenset(k for k, (cx, cy, r) in CIRCLES.items() if (x - cx) ** 2 + (y - cy) ** 2 < r * r)
            if inside:
                total = sums.setdefault(inside, [0, 0, 0])
                total[0] += x
                total[1] += y
                total[2] += 1
    return {region: (sx // n, sy // n) for region, (sx, sy, n) in sums.items()}


def wrap(name: str) -> list[str]:
    """A name on lines of about ``WRAP_AT`` characters, broken at spaces."""
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= WRAP_AT:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


@dataclass(frozen=True)
class PlacedName:
    text: str
    x: int
    y: int
    region: frozenset[str]  # the layers whose circles it sits in


@dataclass(frozen=True)
class MapLayout:
    lines: list[PlacedName]  # each line of each name
    more: list[PlacedName]  # "and 2 more" where a region is full (the table beside the map has everyone)


def map_layout(example: ExampleMap) -> MapLayout:
    """Where each name goes: its lines stacked around the middle of the region of its layers."""
    regions: dict[frozenset[str], list[list[str]]] = {}
    for person in example.people:
        regions.setdefault(frozenset(person.layers), []).append(wrap(person.name))
    anchors = region_anchors()
    lines: list[PlacedName] = []
    more: list[PlacedName] = []
    for region, names in regions.items():
        x, y = anchors[region]
        shown: list[list[str]] = []
        for name in names:
            if sum(len(n) for n in shown) + len(name) > MAX_LINES_PER_REGION:
                break
            shown.append(name)
        hidden = len(names) - len(shown)
        count = sum(len(n) for n in shown) + (1 if hidden else 0)
        height = (count - 1) * LINE_HEIGHT + (len(shown) - 1) * NAME_GAP
        at = y - height // 2 + 4
        for name in shown:
            for text in name:
                lines.append(PlacedName(text, x, at, region))
                at += LINE_HEIGHT
            at += NAME_GAP
        if hidden:
            more.append(PlacedName(str(hidden), x, at, region))
    return MapLayout(lines, more)
