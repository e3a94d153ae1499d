"""The programme store's schema, as numbered migrations (SQLite's ``user_version`` holds the number).

A database made by an older hub is brought up to date when it is opened, one migration at a
time, each in its own transaction: a migration that fails leaves the database exactly as it
was. A database made by a newer hub is refused rather than guessed at.

Never edit a migration once it has shipped: add the next one. Tests build a database at every
earlier version and migrate it (tests/cohort/test_store.py).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int
    summary: str
    script: str


# Version 1: cohorts and their sprint dates, people, skills (a mentor's) and help asked for
# (a councillor's), pairings and meetings. Consent was a column on person.
_V1 = """
CREATE TABLE cohort (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created TEXT NOT NULL
);
CREATE TABLE cohort_sprint (
    cohort_id INTEGER NOT NULL REFERENCES cohort(id) ON DELETE CASCADE,
    sprint TEXT NOT NULL,
    date TEXT NOT NULL,
    PRIMARY KEY (cohort_id, sprint)
);
CREATE TABLE person (
    id INTEGER PRIMARY KEY,
    cohort_id INTEGER NOT NULL REFERENCES cohort(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('councillor', 'mentor')),
    name TEXT NOT NULL,
    email TEXT NOT NULL COLLATE NOCASE,
    detail TEXT NOT NULL DEFAULT '',
    consent TEXT NOT NULL DEFAULT '',
    added TEXT NOT NULL,
    UNIQUE (cohort_id, email)
);
CREATE TABLE person_skill (
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    skill TEXT NOT NULL,
    PRIMARY KEY (person_id, skill)
);
CREATE TABLE pairing (
    councillor_id INTEGER PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
    mentor_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('suggested', 'accepted')),
    since TEXT
);
CREATE TABLE meeting (
    id INTEGER PRIMARY KEY,
    councillor_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    mentor_id INTEGER REFERENCES person(id) ON DELETE SET NULL,
    date TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX meeting_by_councillor ON meeting (councillor_id, date);
"""

# Version 2: consent gets its own table (with when and how it was recorded), meetings a length,
# and the store holds readiness returns and questionnaire answers.
_V2 = """
CREATE TABLE consent (
    person_id INTEGER PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
    given INTEGER NOT NULL CHECK (given IN (0, 1)),
    recorded TEXT NOT NULL,
    how TEXT NOT NULL DEFAULT ''
);
INSERT INTO consent (person_id, given, recorded, how)
    SELECT id, CASE consent WHEN 'yes' THEN 1 ELSE 0 END, added, 'recorded before schema version 2'
    FROM person WHERE consent IN ('yes', 'no');
ALTER TABLE person DROP COLUMN consent;
ALTER TABLE meeting ADD COLUMN minutes INTEGER CHECK (minutes IS NULL OR minutes BETWEEN 1 AND 600);
CREATE TABLE readiness_return (
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    sprint TEXT NOT NULL,
    items TEXT NOT NULL,
    done TEXT NOT NULL,
    sent TEXT NOT NULL,
    imported TEXT NOT NULL,
    PRIMARY KEY (person_id, sprint)
);
CREATE TABLE survey_answer (
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    questionnaire TEXT NOT NULL,
    question TEXT NOT NULL,
    timing TEXT NOT NULL CHECK (timing IN ('before', 'after')),
    value INTEGER NOT NULL,
    imported TEXT NOT NULL,
    PRIMARY KEY (person_id, questionnaire, question, timing)
);
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "cohorts, people, skills, pairings and meetings", _V1),
    Migration(2, "consent table, meeting length, readiness returns and questionnaire answers", _V2),
)
LATEST = MIGRATIONS[-1].version


class SchemaTooNew(Exception):
    """The database was made by a newer version of the hub."""


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, *, target: int = LATEST) -> list[Migration]:
    """Apply every migration after the database's version, up to ``target``; returns those applied.

    ``conn`` must be in autocommit mode (``isolation_level=None``) so each migration's
    ``BEGIN``/``COMMIT`` is its own.
    """
    current = schema_version(conn)
    if current > LATEST:
        raise SchemaTooNew(
            f"the programme database is at schema version {current}, but this hub knows only up to {LATEST}; "
            "update the hub (git pull) before using it"
        )
    applied = []
    for migration in MIGRATIONS:
        if current < migration.version <= target:
            # executescript would commit on its own; run the statements inside one transaction instead.
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(migration.script):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {int(migration.version)}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            applied.append(migration)
            current = migration.version
    return applied


def _statements(script: str) -> list[str]:
    """The statements of a migration script (none of ours has a semicolon inside a string)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete statement in migration: {buffer.strip()[:60]}")
    return statements
