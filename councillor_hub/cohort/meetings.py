"""Mentor meetings: the log, and the two rules that catch meetings that have quietly stopped.

Rule 1, *gone quiet*: a pair is flagged when more than ``days`` days (21 by default) have passed
since their last meeting, or since they were paired if they have not met yet. On day 21 they
are not flagged; on day 22 they are.

Rule 2, *not met since the workshop*: between two workshops (after the last one's day, before
the next one's day), a pair is flagged when they have not met since the last workshop. A
meeting on the workshop day itself does not count: mentoring is the practice between
workshops. On the next workshop's day the rule stops, as that workshop has begun.

Only meetings between a councillor and their current mentor count for the pair.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import Problem
from .people import find_people
from .spreadsheets import ImportProblems, Table, clean_text, has_control_characters, parse_date
from .store import Cohort, Meeting, NewMeeting, Pairing, Person

DEFAULT_DAYS = 21

COUNCILLOR = (
    "councillor", "councillor name", "councillor's name", "councillor email", "councillor's email",
    "who did you meet", "name of councillor",
)  # fmt: skip
MENTOR = ("mentor", "mentor name", "mentor's name", "mentor email", "mentor's email", "officer mentor")
DATE = ("date", "meeting date", "date of meeting", "date of the meeting", "when did you meet", "when")
MINUTES = (
    "minutes", "length in minutes", "length (minutes)", "how long (minutes)", "how long", "duration",
    "duration (minutes)", "length",
)  # fmt: skip
NOTE = ("note", "notes", "what did you talk about")


def parse_minutes(text: str) -> int | None:
    """45, "45 minutes", "1 hour", "1.5 hours", "1:30" -> minutes; None when empty."""
    value = text.strip().casefold()
    if not value:
        return None
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(m|min|mins|minutes?|h|hr|hrs|hours?)?", value)
    if match:
        number = float(match[1])
        minutes = round(number * 60) if (match[2] or "").startswith("h") else round(number)
    elif re.fullmatch(r"\d{1,2}:\d{2}", value):
        hours, mins = value.split(":")
        minutes = int(hours) * 60 + int(mins)
    else:
        raise ValueError(f"{text!r} is not a length; write the minutes, like 45")
    if not 1 <= minutes <= 600:
        raise ValueError(f"{text!r} is not a meeting length between 1 minute and 10 hours")
    return minutes


def resolve(people: Sequence[Person], text: str, role: str) -> tuple[Person | None, str | None]:
    """The one person of ``role`` that ``text`` names, or None and why not."""
    candidates = [p for p in people if p.role == role]
    found = find_people(candidates, text)
    if len(found) == 1:
        return found[0], None
    if len(found) > 1:
        return None, f"{len(found)} {role}s are called {text!r}; use their email instead"
    from .people import not_found_message

    return None, not_found_message(candidates, text, role)


def read_meeting_log(
    table: Table, people: Sequence[Person], pairs: dict[int, int], day: dt.date, *, month_first: bool = False
) -> list[NewMeeting]:
    """Meetings from a log; raises ``ImportProblems`` (nothing imported) if any row is bad.

    ``pairs`` maps a councillor to their current mentor, used when the log has no mentor column.
    """
    problems: list[Problem] = []
    c_col = table.column(*COUNCILLOR)
    d_col = table.column(*DATE)
    m_col = table.column(*MENTOR)
    min_col = table.column(*MINUTES)
    note_col = table.column(*NOTE)
    if c_col is None:
        problems.append(
            table.problem(1, 0, "councillor", f"no column for the councillor; name one of: {', '.join(COUNCILLOR)}")
        )
    if d_col is None:
        problems.append(table.problem(1, 0, "date", f"no column for the date; name one of: {', '.join(DATE)}"))
    if problems:
        raise ImportProblems(problems, table.source)
    by_id = {p.id: p for p in people}
    meetings: list[NewMeeting] = []
    for row in table.rows:
        councillor, why = resolve(people, row.get(c_col), "councillor")
        if councillor is None:
            problems.append(table.problem(row.number, c_col, "councillor", why or "missing"))
        mentor: Person | None = None
        if m_col is not None and row.get(m_col).strip():
            mentor, why = resolve(people, row.get(m_col), "mentor")
            if mentor is None:
                problems.append(table.problem(row.number, m_col, "mentor", why or "missing"))
        elif councillor is not None:
            mentor_id = pairs.get(councillor.id)
            if mentor_id is None:
                problems.append(
                    table.problem(
                        row.number, c_col, "mentor",
                        f"{councillor.name} has no mentor yet; pair them first, or add a Mentor column",
                    )
                )  # fmt: skip
            else:
                mentor = by_id[mentor_id]
        when: dt.date | None = None
        try:
            when = parse_date(row.get(d_col), month_first=month_first)
            if when > day:
                problems.append(table.problem(row.number, d_col, "date", f"{when.isoformat()} is after today"))
        except ValueError as exc:
            problems.append(table.problem(row.number, d_col, "date", str(exc)))
        minutes: int | None = None
        try:
            minutes = parse_minutes(row.get(min_col))
        except ValueError as exc:
            problems.append(table.problem(row.number, min_col, "minutes", str(exc)))
        note = clean_text(row.get(note_col))
        if has_control_characters(note) or len(note) > 500:
            problems.append(
                table.problem(row.number, note_col, "note", "has control characters or is over 500 characters")
            )
        if councillor is not None and mentor is not None and when is not None:
            meetings.append(NewMeeting(councillor.id, mentor.id, when, minutes, note))
    if problems:
        raise ImportProblems(problems, table.source)
    return meetings


# --- the rules ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairStatus:
    councillor: Person
    mentor: Person
    since: dt.date  # when they were paired
    meetings: int
    last_meeting: dt.date | None
    quiet_days: int  # days since the last meeting (or since pairing)
    gone_quiet: bool  # rule 1
    not_met_since: tuple[str, dt.date] | None  # rule 2: the workshop they have not met since
    next_sprint: tuple[str, dt.date] | None

    @property
    def flagged(self) -> bool:
        return self.gone_quiet or self.not_met_since is not None


def workshop_window(cohort: Cohort, day: dt.date) -> tuple[tuple[str, dt.date], tuple[str, dt.date]] | None:
    """The last workshop before ``day`` and the next after it, when ``day`` falls between two (not on one)."""
    if day in cohort.sprints.values():
        return None
    before = [(d, s) for s, d in cohort.sprints.items() if d < day]
    after = [(d, s) for s, d in cohort.sprints.items() if d > day]
    if not before or not after:
        return None
    last, upcoming = max(before), min(after)
    return (last[1], last[0]), (upcoming[1], upcoming[0])


def pair_statuses(
    cohort: Cohort,
    people: Sequence[Person],
    pairings: Sequence[Pairing],
    meetings: Sequence[Meeting],
    day: dt.date,
    *,
    days: int = DEFAULT_DAYS,
) -> list[PairStatus]:
    """Every accepted pair with its meetings and flags, as of ``day``."""
    by_id = {p.id: p for p in people}
    window = workshop_window(cohort, day)
    statuses = []
    for pair in pairings:
        if pair.status != "accepted" or pair.councillor_id not in by_id or pair.mentor_id not in by_id:
            continue
        since = pair.since or day
        theirs = [
            m.date
            for m in meetings
            if m.councillor_id == pair.councillor_id and m.mentor_id == pair.mentor_id and m.date <= day
        ]
        last = max(theirs) if theirs else None
        quiet = (day - (last or since)).days
        not_met_since = None
        if window is not None:
            (sprint, sprint_day), _ = window
            if not any(d > sprint_day for d in theirs):
                not_met_since = (sprint, sprint_day)
        statuses.append(
            PairStatus(
                councillor=by_id[pair.councillor_id],
                mentor=by_id[pair.mentor_id],
                since=since,
                meetings=len(theirs),
                last_meeting=last,
                quiet_days=max(quiet, 0),
                gone_quiet=quiet > days,
                not_met_since=not_met_since,
                next_sprint=window[1] if window else cohort.next_sprint(day),
            )
        )
    return sorted(statuses, key=lambda s: (not s.flagged, s.councillor.name.casefold()))
