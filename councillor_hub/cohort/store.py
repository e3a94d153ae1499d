"""The private programme store: one SQLite file in the project's private folder.

Writes happen inside ``Store.transaction()``: an import either lands whole or not at all
(SQLite rolls back on any error, including a crash half-way). Deletes overwrite the freed
space (``secure_delete``), so an erased person's details do not linger in the file.

The rows come back as small frozen dataclasses; nothing outside this module writes SQL.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..project import Project
from .migrations import migrate

DATABASE_NAME = "programme.sqlite3"
Role = Literal["councillor", "mentor"]
ROLES: tuple[Role, ...] = ("councillor", "mentor")


class StoreError(Exception):
    """Something the programme lead must put right; the message says what."""


@dataclass(frozen=True)
class Cohort:
    id: int
    name: str
    created: dt.date
    # sprint id -> date of its workshop, in date order
    sprints: dict[str, dt.date] = field(default_factory=dict)

    @property
    def last_sprint_date(self) -> dt.date | None:
        return max(self.sprints.values()) if self.sprints else None

    def previous_sprint(self, day: dt.date) -> tuple[str, dt.date] | None:
        """The latest workshop on or before ``day``."""
        past = [(d, s) for s, d in self.sprints.items() if d <= day]
        return (max(past)[1], max(past)[0]) if past else None

    def next_sprint(self, day: dt.date) -> tuple[str, dt.date] | None:
        """The first workshop after ``day``."""
        future = [(d, s) for s, d in self.sprints.items() if d > day]
        return (min(future)[1], min(future)[0]) if future else None


@dataclass(frozen=True)
class Person:
    id: int
    cohort_id: int
    role: Role
    name: str
    email: str
    detail: str  # a councillor's ward, a mentor's team
    added: dt.date
    skills: tuple[str, ...] = ()  # a mentor's skills, or the help a councillor asked for
    consent: bool | None = None  # None: not recorded
    consent_recorded: dt.date | None = None
    consent_how: str = ""


@dataclass(frozen=True)
class NewPerson:
    name: str
    email: str
    detail: str = ""
    skills: tuple[str, ...] | None = None  # None: leave as it is when updating
    consent: bool | None = None  # None: leave as it is


@dataclass(frozen=True)
class Pairing:
    councillor_id: int
    mentor_id: int
    status: Literal["suggested", "accepted"]
    since: dt.date | None


@dataclass(frozen=True)
class Meeting:
    id: int
    councillor_id: int
    mentor_id: int | None
    date: dt.date
    minutes: int | None
    note: str


@dataclass(frozen=True)
class NewMeeting:
    councillor_id: int
    mentor_id: int | None
    date: dt.date
    minutes: int | None = None
    note: str = ""


@dataclass(frozen=True)
class ReadinessReturn:
    person_id: int
    sprint: str
    items: tuple[str, ...]
    done: tuple[str, ...]
    sent: dt.date


@dataclass(frozen=True)
class SurveyAnswer:
    person_id: int
    questionnaire: str
    question: str
    timing: Literal["before", "after"]
    value: int


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def prepare_private_dir(project: Project) -> Path:
    """The private folder, created if needed: readable by its owner only, and git-ignored.

    /private/ is in the repository's .gitignore, but a council may name another folder in
    council.yml, so the folder also ignores itself (a .gitignore holding ``*``).
    """
    folder = project.private_dir
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text(
            "# Programme records: personal data. Never commit or publish anything in this folder.\n*\n",
            encoding="utf-8",
        )
    return folder


def database_path(project: Project) -> Path:
    return project.private_dir / DATABASE_NAME


class Store:
    """The programme store. Open it with ``Store.open``; close it (or use ``with``) when done."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
        new = not path.exists()
        if new:
            # The file holds personal data: only its owner may read it.
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        conn = sqlite3.connect(path, isolation_level=None, detect_types=0)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        try:
            migrate(conn)
        except BaseException:
            conn.close()
            raise
        return cls(conn, path)

    @classmethod
    def for_project(cls, project: Project) -> Store:
        prepare_private_dir(project)
        return cls.open(database_path(project))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: every write inside is committed together, or none is."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return list(self.conn.execute(sql, params).fetchall())

    # --- cohorts ----------------------------------------------------------------------------

    def cohorts(self) -> list[Cohort]:
        dates: dict[int, dict[str, dt.date]] = {}
        for row in self._rows("SELECT cohort_id, sprint, date FROM cohort_sprint ORDER BY date, sprint"):
            dates.setdefault(row["cohort_id"], {})[row["sprint"]] = dt.date.fromisoformat(row["date"])
        return [
            Cohort(row["id"], row["name"], dt.date.fromisoformat(row["created"]), dates.get(row["id"], {}))
            for row in self._rows("SELECT id, name, created FROM cohort ORDER BY created, name")
        ]

    def cohort_named(self, name: str) -> Cohort | None:
        return next((c for c in self.cohorts() if c.name.casefold() == name.strip().casefold()), None)

    def cohort_by_id(self, cohort_id: int) -> Cohort:
        return next(c for c in self.cohorts() if c.id == cohort_id)

    def create_cohort(self, name: str, sprints: dict[str, dt.date], day: dt.date) -> Cohort:
        if self.cohort_named(name) is not None:
            raise StoreError(f"there is already a cohort called {name!r}")
        cursor = self.conn.execute("INSERT INTO cohort (name, created) VALUES (?, ?)", (name, day.isoformat()))
        cohort_id = int(cursor.lastrowid or 0)
        self.set_sprint_dates(cohort_id, sprints)
        return self.cohort_by_id(cohort_id)

    def set_sprint_dates(self, cohort_id: int, sprints: dict[str, dt.date]) -> None:
        self.conn.executemany(
            "INSERT INTO cohort_sprint (cohort_id, sprint, date) VALUES (?, ?, ?) "
            "ON CONFLICT (cohort_id, sprint) DO UPDATE SET date = excluded.date",
            [(cohort_id, sprint, day.isoformat()) for sprint, day in sprints.items()],
        )

    def delete_cohort(self, cohort_id: int) -> dict[str, int]:
        """Erase a cohort and everything in it; returns how many records of each kind went."""
        people = [p.id for p in self.people(cohort_id)]
        counts = self._count_records(people)
        counts["cohorts"] = 1
        self.conn.execute("DELETE FROM cohort WHERE id = ?", (cohort_id,))
        return counts

    # --- people -----------------------------------------------------------------------------

    def people(self, cohort_id: int | None = None, role: Role | None = None) -> list[Person]:
        where: list[str] = []
        params: list[object] = []
        if cohort_id is not None:
            where.append("p.cohort_id = ?")
            params.append(cohort_id)
        if role is not None:
            where.append("p.role = ?")
            params.append(role)
        sql = (
            "SELECT p.*, c.given, c.recorded, c.how FROM person p LEFT JOIN consent c ON c.person_id = p.id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY p.cohort_id, p.role, p.name COLLATE NOCASE, p.id"
        )
        skills: dict[int, list[str]] = {}
        for row in self._rows("SELECT person_id, skill FROM person_skill ORDER BY rowid"):
            skills.setdefault(row["person_id"], []).append(row["skill"])
        return [
            Person(
                id=row["id"],
                cohort_id=row["cohort_id"],
                role=row["role"],
                name=row["name"],
                email=row["email"],
                detail=row["detail"],
                added=dt.date.fromisoformat(row["added"]),
                skills=tuple(skills.get(row["id"], ())),
                consent=None if row["given"] is None else bool(row["given"]),
                consent_recorded=_date(row["recorded"]),
                consent_how=row["how"] or "",
            )
            for row in self._rows(sql, params)
        ]

    def person(self, person_id: int) -> Person | None:
        return next((p for p in self.people() if p.id == person_id), None)

    def add_or_update_people(
        self, cohort_id: int, role: Role, people: Iterable[NewPerson], day: dt.date, *, how: str = ""
    ) -> tuple[int, int]:
        """Add people, or update those already in the cohort (matched by email); returns (added, updated)."""
        added = updated = 0
        existing = {p.email.casefold(): p for p in self.people(cohort_id)}
        for new in people:
            old = existing.get(new.email.casefold())
            if old is None:
                cursor = self.conn.execute(
                    "INSERT INTO person (cohort_id, role, name, email, detail, added) VALUES (?, ?, ?, ?, ?, ?)",
                    (cohort_id, role, new.name, new.email, new.detail, day.isoformat()),
                )
                person_id = int(cursor.lastrowid or 0)
                added += 1
            else:
                if old.role != role:
                    raise StoreError(f"{new.email} is already a {old.role} in this cohort")
                person_id = old.id
                self.conn.execute(
                    "UPDATE person SET name = ?, detail = ? WHERE id = ?",
                    (new.name, new.detail or old.detail, person_id),
                )
                updated += 1
            if new.skills is not None:
                self.set_skills(person_id, new.skills)
            if new.consent is not None:
                self.set_consent(person_id, new.consent, day, how)
        return added, updated

    def update_person(self, person_id: int, **changes: str) -> None:
        allowed = {"name", "email", "detail"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"cannot change {sorted(unknown)}")
        for column, value in changes.items():
            try:
                self.conn.execute(f"UPDATE person SET {column} = ? WHERE id = ?", (value, person_id))  # noqa: S608
            except sqlite3.IntegrityError:
                raise StoreError(f"someone in this cohort already has the {column} {value!r}") from None

    def set_skills(self, person_id: int, skills: Iterable[str]) -> None:
        self.conn.execute("DELETE FROM person_skill WHERE person_id = ?", (person_id,))
        self.conn.executemany(
            "INSERT OR IGNORE INTO person_skill (person_id, skill) VALUES (?, ?)",
            [(person_id, skill) for skill in skills],
        )

    def set_consent(self, person_id: int, given: bool, day: dt.date, how: str) -> None:
        self.conn.execute(
            "INSERT INTO consent (person_id, given, recorded, how) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (person_id) DO UPDATE SET given = excluded.given, recorded = excluded.recorded, "
            "how = excluded.how",
            (person_id, int(given), day.isoformat(), how),
        )

    def delete_person(self, person_id: int) -> dict[str, int]:
        """Erase one person and every record about them; returns how many records of each kind went."""
        counts = self._count_records([person_id])
        # Meetings keep the councillor's side when a mentor is erased (mentor_id becomes NULL), so
        # count only the meetings that go: those of a councillor.
        self.conn.execute("DELETE FROM person WHERE id = ?", (person_id,))
        return counts

    def _count_records(self, person_ids: list[int]) -> dict[str, int]:
        if not person_ids:
            return {"people": 0}
        marks = ",".join("?" * len(person_ids))
        queries = {
            "people": f"SELECT COUNT(*) FROM person WHERE id IN ({marks})",
            "skills or help requests": f"SELECT COUNT(*) FROM person_skill WHERE person_id IN ({marks})",
            "pairings": f"SELECT COUNT(*) FROM pairing WHERE councillor_id IN ({marks}) OR mentor_id IN ({marks})",
            "meetings": f"SELECT COUNT(*) FROM meeting WHERE councillor_id IN ({marks})",
            "meetings kept without the mentor's name": (
                f"SELECT COUNT(*) FROM meeting WHERE mentor_id IN ({marks}) AND councillor_id NOT IN ({marks})"
            ),
            "consent records": f"SELECT COUNT(*) FROM consent WHERE person_id IN ({marks})",
            "readiness returns": f"SELECT COUNT(*) FROM readiness_return WHERE person_id IN ({marks})",
            "questionnaire answers": f"SELECT COUNT(*) FROM survey_answer WHERE person_id IN ({marks})",
        }
        counts = {}
        for name, sql in queries.items():
            params = person_ids * sql.count(marks)
            counts[name] = int(self.conn.execute(sql, params).fetchone()[0])
        return counts

    # --- pairings ---------------------------------------------------------------------------

    def pairings(self, cohort_id: int) -> list[Pairing]:
        rows = self._rows(
            "SELECT pa.* FROM pairing pa JOIN person p ON p.id = pa.councillor_id WHERE p.cohort_id = ? "
            "ORDER BY pa.councillor_id",
            (cohort_id,),
        )
        return [Pairing(r["councillor_id"], r["mentor_id"], r["status"], _date(r["since"])) for r in rows]

    def replace_suggestions(self, cohort_id: int, pairs: Iterable[tuple[int, int]]) -> None:
        """Drop the cohort's earlier suggestions and store these (accepted pairs are kept)."""
        self.conn.execute(
            "DELETE FROM pairing WHERE status = 'suggested' AND councillor_id IN "
            "(SELECT id FROM person WHERE cohort_id = ?)",
            (cohort_id,),
        )
        self.conn.executemany(
            "INSERT INTO pairing (councillor_id, mentor_id, status, since) VALUES (?, ?, 'suggested', NULL)",
            list(pairs),
        )

    def accept_suggestions(self, cohort_id: int, day: dt.date) -> int:
        cursor = self.conn.execute(
            "UPDATE pairing SET status = 'accepted', since = ? WHERE status = 'suggested' AND councillor_id IN "
            "(SELECT id FROM person WHERE cohort_id = ?)",
            (day.isoformat(), cohort_id),
        )
        return cursor.rowcount

    def set_pair(self, councillor_id: int, mentor_id: int, day: dt.date) -> None:
        """Pair a councillor with a mentor from ``day`` (an unchanged accepted pair keeps its start date)."""
        current = self._rows("SELECT mentor_id, status FROM pairing WHERE councillor_id = ?", (councillor_id,))
        if current and current[0]["mentor_id"] == mentor_id and current[0]["status"] == "accepted":
            return
        self.conn.execute(
            "INSERT INTO pairing (councillor_id, mentor_id, status, since) VALUES (?, ?, 'accepted', ?) "
            "ON CONFLICT (councillor_id) DO UPDATE SET mentor_id = excluded.mentor_id, status = 'accepted', "
            "since = excluded.since",
            (councillor_id, mentor_id, day.isoformat()),
        )

    def unset_pair(self, councillor_id: int) -> bool:
        return self.conn.execute("DELETE FROM pairing WHERE councillor_id = ?", (councillor_id,)).rowcount > 0

    # --- meetings ---------------------------------------------------------------------------

    def add_meetings(self, meetings: Iterable[NewMeeting]) -> int:
        rows = [(m.councillor_id, m.mentor_id, m.date.isoformat(), m.minutes, m.note) for m in meetings]
        added = 0
        for row in rows:
            duplicate = self.conn.execute(
                "SELECT 1 FROM meeting WHERE councillor_id = ? AND mentor_id IS ? AND date = ?", row[:3]
            ).fetchone()
            if duplicate is None:  # importing the same log twice adds nothing
                self.conn.execute(
                    "INSERT INTO meeting (councillor_id, mentor_id, date, minutes, note) VALUES (?, ?, ?, ?, ?)", row
                )
                added += 1
        return added

    def meetings(self, cohort_id: int) -> list[Meeting]:
        rows = self._rows(
            "SELECT m.* FROM meeting m JOIN person p ON p.id = m.councillor_id WHERE p.cohort_id = ? "
            "ORDER BY m.date, m.id",
            (cohort_id,),
        )
        return [
            Meeting(
                r["id"], r["councillor_id"], r["mentor_id"], dt.date.fromisoformat(r["date"]), r["minutes"], r["note"]
            )
            for r in rows
        ]

    # --- readiness returns and questionnaire answers ----------------------------------------

    def save_readiness(self, returns: Iterable[ReadinessReturn], day: dt.date) -> int:
        """Store returns; a newer return from the same person for the same sprint replaces an older one."""
        saved = 0
        for r in returns:
            cursor = self.conn.execute(
                "INSERT INTO readiness_return (person_id, sprint, items, done, sent, imported) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (person_id, sprint) DO UPDATE SET items = excluded.items, "
                "done = excluded.done, sent = excluded.sent, imported = excluded.imported "
                "WHERE excluded.sent >= readiness_return.sent",
                (r.person_id, r.sprint, json.dumps(list(r.items)), json.dumps(list(r.done)), r.sent.isoformat(),
                 day.isoformat()),
            )  # fmt: skip
            saved += cursor.rowcount
        return saved

    def readiness(self, cohort_id: int) -> list[ReadinessReturn]:
        rows = self._rows(
            "SELECT r.* FROM readiness_return r JOIN person p ON p.id = r.person_id WHERE p.cohort_id = ? "
            "ORDER BY r.sprint, r.person_id",
            (cohort_id,),
        )
        return [
            ReadinessReturn(
                r["person_id"],
                r["sprint"],
                tuple(json.loads(r["items"])),
                tuple(json.loads(r["done"])),
                dt.date.fromisoformat(r["sent"]),
            )
            for r in rows
        ]

    def save_answers(self, answers: Iterable[SurveyAnswer], day: dt.date) -> int:
        """Store answers; answering the same question at the same time again replaces the earlier answer."""
        count = 0
        for a in answers:
            self.conn.execute(
                "INSERT INTO survey_answer (person_id, questionnaire, question, timing, value, imported) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (person_id, questionnaire, question, timing) "
                "DO UPDATE SET value = excluded.value, imported = excluded.imported",
                (a.person_id, a.questionnaire, a.question, a.timing, a.value, day.isoformat()),
            )
            count += 1
        return count

    def answers(self, cohort_id: int) -> list[SurveyAnswer]:
        rows = self._rows(
            "SELECT s.* FROM survey_answer s JOIN person p ON p.id = s.person_id WHERE p.cohort_id = ? "
            "ORDER BY s.questionnaire, s.question, s.timing, s.person_id",
            (cohort_id,),
        )
        return [SurveyAnswer(r["person_id"], r["questionnaire"], r["question"], r["timing"], r["value"]) for r in rows]

    # --- everything about one person (subject access) ---------------------------------------

    def records_about(self, person_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every row that mentions ``person_id``, table by table, as stored."""
        tables = {
            "person": "SELECT * FROM person WHERE id = ?",
            "cohort": "SELECT c.* FROM cohort c JOIN person p ON p.cohort_id = c.id WHERE p.id = ?",
            "skills": "SELECT skill FROM person_skill WHERE person_id = ?",
            "consent": "SELECT given, recorded, how FROM consent WHERE person_id = ?",
            "pairings": "SELECT * FROM pairing WHERE councillor_id = ?1 OR mentor_id = ?1",
            "meetings": "SELECT * FROM meeting WHERE councillor_id = ?1 OR mentor_id = ?1 ORDER BY date",
            "readiness_returns": "SELECT sprint, items, done, sent, imported FROM readiness_return WHERE person_id = ?",
            "questionnaire_answers": (
                "SELECT questionnaire, question, timing, value, imported FROM survey_answer WHERE person_id = ? "
                "ORDER BY questionnaire, question, timing"
            ),
        }
        return {name: [dict(row) for row in self._rows(sql, (person_id,))] for name, sql in tables.items()}

    def vacuum(self) -> None:
        """Rebuild the file so nothing erased survives in free pages (run after erasing)."""
        self.conn.execute("VACUUM")
