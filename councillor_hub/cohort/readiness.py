"""Readiness returns: what councillors send from a sprint page's "Send to my facilitator" step.

A return is a small JSON object (docs/assets/hub/readiness.js makes it)::

    {"format": "councillor-hub-readiness", "version": 1, "sprint": "sprint-1",
     "name": "Jane Smith", "date": "2027-02-20", "items": [...every item id...], "done": [...ticked ids...]}

It arrives as a ``.json`` file, or as the last line of an email a councillor wrote from the
page's text block. A pasted file may hold many emails: every return in it is found, even when an
email program has broken the line or quoted it with ``>``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, display_path
from ..models import Sprint
from ..toolkit import Toolkit
from .people import find_people, not_found_message
from .spreadsheets import clean_text, has_control_characters
from .store import Cohort, Person, ReadinessReturn

FORMAT = "councillor-hub-readiness"
VERSION = 1
MAX_BYTES = 2 * 1024 * 1024
_START = re.compile(r'\{\s*"format"\s*:\s*"' + FORMAT + '"')
_QUOTED = re.compile(r"^(?:\s*>)+ ?")


@dataclass(frozen=True)
class Sent:
    """One return as read, and where it was."""

    source: str
    line: int
    col: int
    data: object


def find_returns(text: str, source: str) -> list[Sent]:
    """Every return in ``text``: a whole JSON file (one return or a list), or returns inside an email."""
    stripped = text.lstrip("\ufeff").strip()
    if stripped.startswith(("{", "[")):
        try:
            whole = json.loads(stripped)
        except json.JSONDecodeError:
            pass
        else:
            items = whole if isinstance(whole, list) else [whole]
            return [Sent(source, 1, 1, item) for item in items]
    # Email text: take off quote marks, then join the lines (an email program may have broken the
    # long last line), remembering where each character came from.
    joined: list[str] = []
    origin: list[tuple[int, int]] = []
    for number, text_line in enumerate(text.splitlines(), start=1):
        prefix = _QUOTED.match(text_line)
        skip = prefix.end() if prefix else 0
        for col, ch in enumerate(text_line[skip:], start=skip + 1):
            joined.append(ch)
            origin.append((number, col))
    flat = "".join(joined)
    found = []
    decoder = json.JSONDecoder()
    for match in _START.finditer(flat):
        line, col = origin[match.start()]
        try:
            data, _ = decoder.raw_decode(flat, match.start())
        except json.JSONDecodeError as exc:
            data = exc
        found.append(Sent(source, line, col, data))
    return found


def read_return_file(
    path: Path, root: Path | None = None, *, source: str | None = None
) -> tuple[list[Sent], list[Problem]]:
    shown = source or display_path(path, root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [Problem(shown, 1, 1, "(file)", f"cannot open it: {exc.strerror or exc}")]
    if len(data) > MAX_BYTES:
        return [], [Problem(shown, 1, 1, "(file)", "it is over 2 MB, far bigger than any readiness return")]
    text = data.decode("utf-8-sig", errors="replace")
    sent = find_returns(text, shown)
    if not sent:
        return [], [
            Problem(
                shown, 1, 1, "(file)",
                "no readiness return in it; a return is the file saved from a sprint page's "
                "'Send to my facilitator' step, or an email with the line that starts {\"format\": ...",
            )
        ]  # fmt: skip
    return sent, []


@dataclass(frozen=True)
class Checked:
    person: Person
    item: ReadinessReturn


def check_returns(
    sent: Sequence[Sent], kit: Toolkit, councillors: Sequence[Person], day: dt.date
) -> tuple[list[Checked], list[Problem]]:
    """Match returns to councillors and check them against the sprints' readiness items."""
    sprints = {e.id: e.item for e in kit.entries_of("sprint")}
    checked: list[Checked] = []
    problems: list[Problem] = []
    for s in sent:

        def problem(name: str, message: str, s: Sent = s) -> None:
            problems.append(Problem(s.source, s.line, s.col, name, message))

        data = s.data
        if isinstance(data, json.JSONDecodeError):
            problem("(return)", f"the return is cut short or changed ({data.msg}); ask for it again")
            continue
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            problem("format", "this is not a readiness return")
            continue
        version = data.get("version")
        if not isinstance(version, int) or version > VERSION:
            problem("version", "it was made by a newer version of the hub; update the hub (git pull)")
            continue
        sprint_id = data.get("sprint")
        sprint: Sprint | None = sprints.get(sprint_id) if isinstance(sprint_id, str) else None
        if sprint is None or not sprint.readiness:
            problem("sprint", f"{sprint_id!r} is not a sprint with a readiness check in this hub")
            continue
        name = data.get("name")
        if not isinstance(name, str) or not name.strip() or has_control_characters(name) or len(name) > 120:
            problem("name", "the name is missing or not a name")
            continue
        found = find_people(councillors, name)
        if len(found) != 1:
            message = (
                f"{len(found)} councillors are called {name!r}; import this return with their email instead"
                if found
                else not_found_message(councillors, clean_text(name), "councillor")
                + " in this cohort; correct the name in the file, or add the councillor first"
            )
            problem("name", message)
            continue
        items = data.get("items")
        done = data.get("done")
        if not _ids(items) or not _ids(done) or not set(done) <= set(items):  # type: ignore[arg-type]
            problem("done", "the lists of items are damaged; ask for the return again")
            continue
        assert isinstance(items, list) and isinstance(done, list)
        try:
            sent_on = dt.date.fromisoformat(str(data.get("date")))
        except ValueError:
            problem("date", f"{data.get('date')!r} is not a date")
            continue
        if sent_on > day + dt.timedelta(days=1):
            problem("date", f"it is dated {sent_on.isoformat()}, after today")
            continue
        checked.append(Checked(found[0], ReadinessReturn(found[0].id, sprint.id, tuple(items), tuple(done), sent_on)))
    return checked, problems


def _ids(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) <= 100
        and all(isinstance(v, str) and re.fullmatch(r"[a-z0-9-]{1,60}", v) for v in value)
    )


# --- who is ready ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Readiness:
    person: Person
    sent: dt.date | None  # None: no return
    missing: tuple[str, ...]  # ids of items not done (of the check as it is now)

    @property
    def ready(self) -> bool:
        return self.sent is not None and not self.missing


def check_for(kit: Toolkit, cohort: Cohort, day: dt.date, sprint_id: str | None = None) -> Sprint | None:
    """The readiness check that matters now: the one on the page of the workshop before the next one.

    Between sprint 1 and sprint 2 that is sprint 1's ("Are you ready for sprint 2?").
    """
    order: list[Sprint] = [e.item for e in kit.ordered_sprints()]
    if sprint_id is not None:
        return next((s for s in order if s.id == sprint_id), None)
    upcoming = cohort.next_sprint(day)
    if upcoming is None:
        dated = [s for s in order if s.id in cohort.sprints and s.readiness]
        return dated[-1] if dated else None
    position = next((i for i, s in enumerate(order) if s.id == upcoming[0]), None)
    if not position:
        return None  # before the first workshop there is no check yet
    return order[position - 1]


def readiness_of(sprint: Sprint, councillors: Sequence[Person], returns: Sequence[ReadinessReturn]) -> list[Readiness]:
    """Each councillor's readiness for the check on ``sprint``'s page, the ready ones last."""
    latest = {r.person_id: r for r in returns if r.sprint == sprint.id}
    rows = []
    for person in councillors:
        r = latest.get(person.id)
        if r is None:
            rows.append(Readiness(person, None, tuple(i.id for i in sprint.readiness)))
        else:
            rows.append(Readiness(person, r.sent, tuple(i.id for i in sprint.readiness if i.id not in r.done)))
    return sorted(rows, key=lambda r: (r.ready, r.sent is not None, r.person.name.casefold()))
