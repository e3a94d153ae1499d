"""Slide decks: one per session of each sprint (issue 12), made from the sprint's own content.

A deck is plain data: which slides, in which order, with which items. ``overrides/hub/slides.md.j2``
writes the slides as reveal.js ``<section>`` elements (with the facilitator notes as speaker
notes, and the headings' words translated), and ``overrides/slides.html`` is the page around them.

Every deck stands on its own, so a session can be run on another day (a split sprint) or again:
it opens with the sprint's questions and objectives and closes with its key points.

Slides are a fixed size (reveal.js scales the whole slide to the screen), so long lists carry on
over more slides. The split is by an estimate of printed lines; tests/browser/test_slides.py checks
that every slide of the real content fits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Literal

from .models import Activity, Session, Sprint

DECK_PAGE = "programme/{sprint}/slides/{session}.md"
# What fits on a slide (the theme in docs/assets/hub/slides.css: 1280 x 720 at 32px type).
CHARACTERS_PER_LINE = 64
LINES_PER_SLIDE = 11

SlideKind = Literal["title", "questions", "objectives", "agenda", "activity", "challenge", "keypoints"]


@dataclass(frozen=True)
class AgendaRow:
    activity: Activity
    start: int  # minutes from the start of the session
    end: int


@dataclass(frozen=True)
class Slide:
    kind: SlideKind
    items: tuple[str, ...] = ()
    first: int = 1  # the number of the first item: numbered lists carry on over slides
    part: int = 1  # 2, 3, ... for the slides that carry a list on
    activity: Activity | None = None
    rows: tuple[AgendaRow, ...] = ()


@dataclass(frozen=True)
class Deck:
    sprint: Sprint
    session: Session
    number: int  # the session's place in the sprint, from 1
    sessions: int  # how many sessions the sprint has
    slides: tuple[Slide, ...]

    @property
    def path(self) -> str:
        return deck_page(self.sprint.id, self.session.id)


def deck_page(sprint_id: str, session_id: str) -> str:
    """The page (source path) of a session's slides."""
    return DECK_PAGE.format(sprint=sprint_id, session=session_id)


def lines(text: str) -> int:
    """Roughly how many printed lines ``text`` takes on a slide."""
    return max(1, -(-len(text) // CHARACTERS_PER_LINE))


def fit(items: Sequence[str], first_room: int = LINES_PER_SLIDE) -> list[tuple[str, ...]]:
    """``items`` in runs that each fit on a slide; the first slide has ``first_room`` lines free.

    An item too long for any slide still gets a slide of its own rather than being cut.
    """
    runs: list[tuple[str, ...]] = []
    run: list[str] = []
    room = first_room
    for item in items:
        need = lines(item)
        if run and need > room:
            runs.append(tuple(run))
            run, room = [], LINES_PER_SLIDE
        run.append(item)
        room -= need
    if run or not runs:
        runs.append(tuple(run))
    return runs


def _list_slides(kind: SlideKind, items: Sequence[str]) -> list[Slide]:
    slides = []
    first = 1
    for part, run in enumerate(fit(items), start=1):
        slides.append(Slide(kind, run, first=first, part=part))
        first += len(run)
    return slides


def _activity_slides(activity: Activity) -> list[Slide]:
    # The first slide also shows the kind, minutes and description; steps carry on after it.
    room = LINES_PER_SLIDE - 1 - lines(activity.description)
    slides = []
    first = 1
    for part, run in enumerate(fit(activity.steps, room), start=1):
        slides.append(Slide("activity", run, first=first, part=part, activity=activity))
        first += len(run)
    if activity.challenge:
        slides.append(Slide("challenge", activity=activity))
    return slides


def _agenda(session: Session) -> list[AgendaRow]:
    ends = list(accumulate(a.minutes for a in session.activities))
    return [AgendaRow(a, end - a.minutes, end) for a, end in zip(session.activities, ends, strict=True)]


def session_deck(sprint: Sprint, session: Session) -> Deck:
    """The slides for one session of ``sprint``."""
    rows = _agenda(session)
    agenda = [
        Slide("agenda", part=part, rows=tuple(rows[i : i + LINES_PER_SLIDE - 2]))
        for part, i in enumerate(range(0, len(rows), LINES_PER_SLIDE - 2), start=1)
    ]
    slides = [
        Slide("title"),
        *_list_slides("questions", sprint.questions),
        *_list_slides("objectives", sprint.objectives),
        *agenda,
        *(slide for activity in session.activities for slide in _activity_slides(activity)),
        *_list_slides("keypoints", sprint.keypoints),
    ]
    number = next(i for i, s in enumerate(sprint.sessions, start=1) if s.id == session.id)
    return Deck(sprint, session, number, len(sprint.sessions), tuple(slides))


def sprint_decks(sprint: Sprint) -> list[Deck]:
    """One deck per session, in the sprint's order."""
    return [session_deck(sprint, session) for session in sprint.sessions]
