"""Data protection: a subject access export, erasure, and the retention period.

* ``export_person``: everything the store holds about a person, in every cohort, as JSON.
* ``forget_person``: erase a person everywhere; says what went. A mentor's meetings stay on the
  councillor's record without the mentor (the councillor's history is theirs).
* Retention: a cohort's records are kept ``programme.retention_months`` (council.yml) after its
  last workshop; ``expired_cohorts`` finds those past it, and ``purge`` erases them.

After erasing, the database file is rebuilt (``VACUUM``) with ``secure_delete`` on, so nothing
erased survives inside the file.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .people import find_people
from .store import Cohort, Person, Store, StoreError

EXPORT_FORMAT = "councillor-hub-subject-access"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter: 31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retention_ends(cohort: Cohort, months: int) -> dt.date:
    """The last day a cohort's records are kept: ``months`` after its last workshop (or its creation)."""
    return add_months(cohort.last_sprint_date or cohort.created, months)


@dataclass(frozen=True)
class Expired:
    cohort: Cohort
    ended: dt.date  # the last day the records could be kept


def expired_cohorts(store: Store, months: int, day: dt.date) -> list[Expired]:
    """Cohorts whose retention period is over on ``day`` (the day after it ends, and later)."""
    found = []
    for cohort in store.cohorts():
        ends = retention_ends(cohort, months)
        if day > ends:
            found.append(Expired(cohort, ends))
    return found


def retention_warning(expired: Sequence[Expired], months: int) -> str:
    names = ", ".join(f"{e.cohort.name!r} (kept until {e.ended.isoformat()})" for e in expired)
    return (
        f"warning: {len(expired)} cohort{'s are' if len(expired) != 1 else ' is'} past the retention period of "
        f"{months} month{'s' if months != 1 else ''} after the last workshop: {names}. "
        "Run `councillor-hub cohort purge` to erase "
        f"{'them' if len(expired) != 1 else 'it'}."
    )


def purge(store: Store, months: int, day: dt.date) -> list[tuple[Expired, dict[str, int]]]:
    """Erase every cohort past its retention period; returns what went, cohort by cohort."""
    erased = []
    expired = expired_cohorts(store, months, day)
    with store.transaction():
        for item in expired:
            erased.append((item, store.delete_cohort(item.cohort.id)))
    if erased:
        store.vacuum()
    return erased


def people_named(store: Store, text: str) -> list[Person]:
    """Everyone ``text`` names, in every cohort: by email (the same person in several cohorts), id or name."""
    found = find_people(store.people(), text)
    if not found:
        raise StoreError(f"nobody in the programme store matches {text!r}; use their email address")
    if "@" not in text and len({p.email for p in found}) > 1:
        listed = "; ".join(f"#{p.id} {p.name} <{p.email}>" for p in found)
        raise StoreError(f"{text!r} names more than one person ({listed}); use an email address or #id")
    return found


def forget_person(store: Store, text: str) -> list[tuple[Person, dict[str, int]]]:
    """Erase the person ``text`` names, in every cohort; returns each record erased and its counts."""
    people = people_named(store, text)
    erased = []
    with store.transaction():
        for person in people:
            erased.append((person, store.delete_person(person.id)))
    store.vacuum()
    return erased


def export_person(store: Store, text: str, day: dt.date) -> dict[str, Any]:
    """Everything held about the person ``text`` names (a subject access request), ready for JSON."""
    people = people_named(store, text)
    everyone = {p.id: p for p in store.people()}
    records = []
    for person in people:
        raw = store.records_about(person.id)
        for table in ("pairings", "meetings"):
            for row in raw[table]:
                # Say who the other person is, by name and role, rather than by an internal number.
                for key in ("councillor_id", "mentor_id"):
                    other_id = row.pop(key, None)
                    other = everyone.get(other_id) if other_id is not None else None
                    row[key.removesuffix("_id")] = {"name": other.name, "role": other.role} if other else None
        for returned in raw["readiness_returns"]:
            returned["items"] = json.loads(returned["items"])
            returned["done"] = json.loads(returned["done"])
        for consent in raw["consent"]:
            consent["given"] = bool(consent["given"])
        records.append(raw)
    return {
        "format": EXPORT_FORMAT,
        "version": 1,
        "exported": day.isoformat(),
        "about": people[0].email,
        "explanation": (
            "Everything the programme store holds about this person, in every cohort: their details, "
            "skills or the help they asked for, consent, mentor pairings, meetings, readiness returns "
            "and questionnaire answers (on a scale of 1 to 5)."
        ),
        "records": records,
    }
