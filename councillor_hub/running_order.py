"""The running order of a workshop day: clock times for every activity, lunch, and the split variant.

A sprint's sessions are grouped into *parts* (``Sprint.running_order``): the workshop, and for
sprint 3 a closing meeting weeks later. Each part runs as one *sitting* (the one-day variant, with
lunch after the session its ``lunch_after`` names) or as two half-days (the ``split`` variant,
divided after ``split.after``). A part without a ``split`` is one sitting in both variants.

Times are minutes from the sitting's start, so one plan serves any start time: the pages print
them for the council's default start (``council.yml`` ``workshops.start``) and the pack page's
script adds a start the facilitator picks.

Breaks belong *between* sessions, but the lesson plans write them as activities at the start or
end of a session. Where such a break would open or close a sitting, or sit next to lunch, it is
left out of that sitting (nobody starts a half-day with a tea break).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from .fields import FieldPath
from .models import Activity, Part, Programme, ReadinessItem, RunningOrder, Session, Split, Sprint, Workshops
from .settings import WorkshopSettings

Variant = Literal["one-day", "split"]
VARIANTS: tuple[Variant, ...] = ("one-day", "split")
DEFAULT_VARIANT: Variant = "one-day"


def minutes_of_day(clock: str) -> int:
    """ "09:30" -> 570."""
    hours, _, minutes = clock.partition(":")
    return int(hours) * 60 + int(minutes)


def clock_of(minutes: int) -> str:
    """570 -> "09:30" (wrapping at midnight)."""
    hours, rest = divmod(minutes % (24 * 60), 60)
    return f"{hours:02d}:{rest:02d}"


def duration(minutes: int) -> str:
    """265 -> "4:25"."""
    hours, rest = divmod(minutes, 60)
    return f"{hours}:{rest:02d}"


@dataclass(frozen=True)
class Staffing:
    """Who is in the room: councillors, facilitators and officer mentors, per group."""

    group_size: int
    facilitators: int
    mentors: int

    @property
    def staff(self) -> int:
        return self.facilitators + self.mentors

    @property
    def councillors_per_staff(self) -> str:
        """ "2.4": councillors for each member of staff, to one decimal place ("3" when whole)."""
        ratio = round(self.group_size / self.staff, 1)
        return f"{ratio:g}"


@dataclass(frozen=True)
class Row:
    """One line of the running order: setting up, an activity, or lunch."""

    kind: Literal["setup", "activity", "lunch"]
    start: int  # minutes from the sitting's start (setting up is before it, so negative)
    minutes: int
    activity: Activity | None = None

    @property
    def end(self) -> int:
        return self.start + self.minutes


@dataclass(frozen=True)
class Block:
    """A session's activities within a sitting."""

    session: Session
    rows: list[Row]

    @property
    def start(self) -> int:
        return self.rows[0].start

    @property
    def end(self) -> int:
        return self.rows[-1].end


@dataclass(frozen=True)
class Sitting:
    """One day or half-day: sessions (and lunch) back to back, with setting up before them."""

    part: Part
    part_index: int
    half: int  # 0: the whole part; 1 or 2: the first or second half-day
    setup: Row | None
    items: list[Block | Row]  # session blocks, and lunch between them
    before: list[ReadinessItem] = field(default_factory=list)  # to do before the second half-day

    @property
    def key(self) -> str:
        """Unique within a plan: for ids and anchors."""
        return f"part-{self.part_index + 1}" + (f"-half-{self.half}" if self.half else "")

    @property
    def blocks(self) -> list[Block]:
        return [item for item in self.items if isinstance(item, Block)]

    @property
    def length(self) -> int:
        """From the start to the end of the last session, lunch included."""
        return self.items[-1].end if self.items else 0

    @property
    def lunch(self) -> Row | None:
        return next((i for i in self.items if isinstance(i, Row) and i.kind == "lunch"), None)


@dataclass(frozen=True)
class Plan:
    """A sprint's running order in one variant."""

    variant: Variant
    staffing: Staffing
    sittings: list[Sitting]
    # Each part's sessions as the lesson plan times them (breaks included, lunch left out): what
    # the programme page's time column shows, so sprint 3 reads "3:25; Closing meeting: 1:15".
    part_minutes: list[int]


def running_order_of(sprint: Sprint) -> RunningOrder:
    """The sprint's running order, or the default: every session in one part, split near the middle."""
    if sprint.running_order is not None:
        return sprint.running_order
    ids = [s.id for s in sprint.sessions]
    split = None
    if len(ids) > 1:
        total = sum(s.minutes for s in sprint.sessions)
        ends, running = [], 0
        for session in sprint.sessions[:-1]:
            running += session.minutes
            ends.append(abs(total / 2 - running))
        split = Split(after=ids[ends.index(min(ends))])
    return RunningOrder(parts=[Part(sessions=ids, split=split)])


def staffing_of(sprint: Sprint, programme: Programme | None) -> Staffing:
    defaults = programme.workshops if programme is not None else Workshops()
    order = running_order_of(sprint)
    return Staffing(
        order.group_size or defaults.group_size,
        order.facilitators or defaults.facilitators,
        order.mentors if order.mentors is not None else defaults.mentors,
    )


def plan(sprint: Sprint, variant: Variant, settings: WorkshopSettings, programme: Programme | None = None) -> Plan:
    """The running order of ``sprint`` in ``variant``; assumes ``running_order_problems`` found none."""
    by_id = {s.id: s for s in sprint.sessions}
    parts = running_order_of(sprint).parts
    sittings: list[Sitting] = []
    for index, part in enumerate(parts):
        sessions = [by_id[i] for i in part.sessions if i in by_id]
        if variant == "split" and part.split is not None:
            cut = part.sessions.index(part.split.after) + 1
            before = list(part.split.before_second_half)
            sittings.append(_sitting(part, index, 1, sessions[:cut], None, settings))
            sittings.append(_sitting(part, index, 2, sessions[cut:], None, settings, before))
        else:
            lunch = part.lunch_after if variant == "one-day" else None
            sittings.append(_sitting(part, index, 0, sessions, lunch, settings))
    totals = [sum(by_id[i].minutes for i in part.sessions if i in by_id) for part in parts]
    return Plan(variant, staffing_of(sprint, programme), sittings, totals)


def _sitting(
    part: Part,
    index: int,
    half: int,
    sessions: Sequence[Session],
    lunch_after: str | None,
    settings: WorkshopSettings,
    before: list[ReadinessItem] | None = None,
) -> Sitting:
    setup = Row("setup", -settings.setup_minutes, settings.setup_minutes) if settings.setup_minutes else None
    items: list[Block | Row] = []
    clock = 0
    for position, session in enumerate(sessions):
        activities = list(session.activities)
        lunch_before = position > 0 and sessions[position - 1].id == lunch_after
        if position == 0 or lunch_before:
            activities = _trim(activities, leading=True)
        if position == len(sessions) - 1 or session.id == lunch_after:
            activities = _trim(activities, leading=False)
        rows = []
        for activity in activities:
            rows.append(Row("activity", clock, activity.minutes, activity))
            clock += activity.minutes
        if rows:
            items.append(Block(session, rows))
        if session.id == lunch_after and position < len(sessions) - 1:
            items.append(Row("lunch", clock, settings.lunch_minutes))
            clock += settings.lunch_minutes
    return Sitting(part, index, half, setup, items, before or [])


def _trim(activities: list[Activity], *, leading: bool) -> list[Activity]:
    """``activities`` without the breaks at their start (``leading``) or end."""
    out = list(activities)
    while out and out[0 if leading else -1].kind == "break":
        out.pop(0 if leading else -1)
    return out


# --- checks ----------------------------------------------------------------------------------


def running_order_problems(
    sprint: Sprint, settings: WorkshopSettings, programme: Programme | None = None
) -> list[tuple[FieldPath, str]]:
    """Every fault in the sprint's running order, each with the field path it belongs to."""
    order = running_order_of(sprint)
    explicit = sprint.running_order is not None
    base: FieldPath = ("running_order",) if explicit else ("sessions",)
    ids = [s.id for s in sprint.sessions]
    problems: list[tuple[FieldPath, str]] = []
    placed: dict[str, int] = {}
    for pi, part in enumerate(order.parts):
        at: FieldPath = ("running_order", "parts", pi)
        for si, session_id in enumerate(part.sessions):
            if session_id not in ids:
                problems.append(((*at, "sessions", si), _no_session(session_id, ids)))
            elif session_id in placed:
                problems.append(
                    ((*at, "sessions", si), f"session {session_id!r} is already in parts[{placed[session_id]}]")
                )
            else:
                placed[session_id] = pi
        for name, value in (("lunch_after", part.lunch_after), ("split", part.split.after if part.split else None)):
            if value is None:
                continue
            where: FieldPath = (*at, name) if name == "lunch_after" else (*at, "split", "after")
            what = "lunch" if name == "lunch_after" else "the split into two half-days"
            if value not in part.sessions:
                listed = ", ".join(part.sessions)
                problems.append((where, f"{value!r} is not one of this part's sessions ({listed})"))
            elif value == part.sessions[-1]:
                problems.append((where, f"{what} must come between two sessions; {value!r} is this part's last"))
        if part.split:
            seen: set[str] = set()
            for ri, item in enumerate(part.split.before_second_half):
                if item.id in seen:
                    problems.append(((*at, "split", "before_second_half", ri, "id"), f"{item.id!r} is used twice"))
                seen.add(item.id)
    missing = [i for i in ids if i not in placed]
    if explicit and missing:
        problems.append(
            (("running_order", "parts"), f"session {missing[0]!r} is in no part of the running order; add it to one")
        )
    if explicit and not any(part.split for part in order.parts):
        problems.append(
            (("running_order", "parts"), "no part says where it splits into two half-days; add split: after: <session>")
        )
    if problems:
        return problems
    for variant in VARIANTS:
        for sitting in plan(sprint, variant, settings, programme).sittings:
            problems.extend(_length_problems(sitting, variant, settings, base if not explicit else None))
    return list(dict.fromkeys(problems))


def _no_session(session_id: str, ids: list[str]) -> str:
    close = difflib.get_close_matches(session_id, ids, n=1)
    return f"no session of this sprint has the id {session_id!r}" + (f"; did you mean {close[0]!r}?" if close else "")


def _length_problems(
    sitting: Sitting, variant: Variant, settings: WorkshopSettings, base: FieldPath | None
) -> list[tuple[FieldPath, str]]:
    at: FieldPath = ("running_order", "parts", sitting.part_index)
    length = sitting.length
    if sitting.half:
        if length <= settings.half_day_minutes:
            return []
        which = "first" if sitting.half == 1 else "second"
        where = base or (*at, "split", "after")
        return [
            (
                where,
                f"the {which} half-day runs {duration(length)}, longer than the {duration(settings.half_day_minutes)} "
                "set in council.yml (workshops.half_day_minutes); split after another session",
            )
        ]
    if variant != "one-day":
        return []
    if length > settings.day_minutes:
        return [
            (
                base or (*at, "sessions"),
                f"the day runs {duration(length)} with lunch, longer than the {duration(settings.day_minutes)} "
                "set in council.yml (workshops.day_minutes)",
            )
        ]
    if sitting.lunch is None and length > settings.half_day_minutes:
        return [
            (
                base or at,
                f"the day runs {duration(length)} with no lunch; add lunch_after: <session> "
                f"(a day longer than {duration(settings.half_day_minutes)} needs one)",
            )
        ]
    return []
