"""The programme store: schema migrations from empty and from the previous version, atomic writes, erasure."""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
from pathlib import Path

import pytest

from councillor_hub.cohort import migrations
from councillor_hub.cohort.migrations import LATEST, MIGRATIONS, SchemaTooNew, migrate, schema_version
from councillor_hub.cohort.store import NewMeeting, NewPerson, Store, prepare_private_dir
from councillor_hub.project import Project

from .conftest import day

V2_TABLES = {
    "cohort", "cohort_sprint", "person", "person_skill", "pairing", "meeting", "consent",
    "readiness_return", "survey_answer",
}  # fmt: skip


def tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def test_an_empty_database_gets_every_migration(tmp_path: Path) -> None:
    path = tmp_path / "programme.sqlite3"
    with Store.open(path) as store:
        assert schema_version(store.conn) == LATEST == 2
        assert tables(store.conn) == V2_TABLES
        assert "consent" not in columns(store.conn, "person")
        assert "minutes" in columns(store.conn, "meeting")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600, "the database holds personal data: owner only"
    with Store.open(path) as store:  # opening again changes nothing
        assert schema_version(store.conn) == LATEST


def v1_database(path: Path) -> None:
    """A database as version 1 of the hub left it, with a cohort, people, a pairing and a meeting."""
    conn = sqlite3.connect(path, isolation_level=None)
    assert [m.version for m in migrate(conn, target=1)] == [1]
    conn.executescript(
        """
        INSERT INTO cohort (id, name, created) VALUES (1, 'Autumn 2026', '2026-09-01');
        INSERT INTO cohort_sprint VALUES (1, 'masterclass', '2026-09-15'), (1, 'sprint-1', '2026-10-06');
        INSERT INTO person (id, cohort_id, role, name, email, detail, consent, added) VALUES
            (1, 1, 'councillor', 'Ann Example', 'ann@council.example', 'Riverside', 'yes', '2026-09-02'),
            (2, 1, 'councillor', 'Bilal Sample', 'bilal@council.example', 'Oakfield', 'no', '2026-09-03'),
            (3, 1, 'councillor', 'Carys Test', 'carys@council.example', '', '', '2026-09-03'),
            (4, 1, 'mentor', 'Mina Officer', 'mina@council.example', 'Comms', 'yes', '2026-09-04');
        INSERT INTO person_skill VALUES (4, 'Short videos'), (1, 'Short videos');
        INSERT INTO pairing VALUES (1, 4, 'accepted', '2026-09-15');
        INSERT INTO meeting (councillor_id, mentor_id, date, note) VALUES (1, 4, '2026-09-22', 'first');
        """
    )
    conn.close()


def test_a_previous_schema_is_migrated_keeping_every_record(tmp_path: Path) -> None:
    path = tmp_path / "programme.sqlite3"
    v1_database(path)
    with Store.open(path) as store:
        assert schema_version(store.conn) == 2
        assert "consent" not in columns(store.conn, "person"), "consent moved to its own table"
        (cohort,) = store.cohorts()
        assert cohort.name == "Autumn 2026"
        assert cohort.sprints == {"masterclass": day("2026-09-15"), "sprint-1": day("2026-10-06")}
        people = {p.name: p for p in store.people(cohort.id)}
        assert people["Ann Example"].consent is True
        assert people["Ann Example"].consent_recorded == day("2026-09-02")
        assert people["Ann Example"].consent_how == "recorded before schema version 2"
        assert people["Bilal Sample"].consent is False
        assert people["Carys Test"].consent is None, "an empty v1 consent means never recorded"
        assert people["Mina Officer"].skills == ("Short videos",)
        (meeting,) = store.meetings(cohort.id)
        assert (meeting.date, meeting.minutes, meeting.note) == (day("2026-09-22"), None, "first")
        (pair,) = store.pairings(cohort.id)
        assert (pair.councillor_id, pair.mentor_id, pair.status) == (1, 4, "accepted")
        # Version 2's tables work on the migrated data.
        with store.transaction():
            store.add_meetings([NewMeeting(1, 4, day("2026-10-20"), 45)])
        assert [m.minutes for m in store.meetings(cohort.id)] == [None, 45]


def test_a_failed_migration_leaves_the_database_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "programme.sqlite3"
    v1_database(path)
    broken = migrations.Migration(2, "broken", MIGRATIONS[1].script + "\nINSERT INTO no_such_table VALUES (1);\n")
    monkeypatch.setattr(migrations, "MIGRATIONS", (MIGRATIONS[0], broken))
    with pytest.raises(sqlite3.OperationalError):
        Store.open(path)
    conn = sqlite3.connect(path)
    assert schema_version(conn) == 1
    assert "consent" in columns(conn, "person") and "consent" not in tables(conn)
    assert conn.execute("SELECT COUNT(*) FROM person").fetchone()[0] == 4
    conn.close()


def test_a_database_from_a_newer_hub_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "programme.sqlite3"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(SchemaTooNew, match="schema version 99.*update the hub"):
        Store.open(path)


def test_a_transaction_is_all_or_nothing(store: Store) -> None:
    with store.transaction():
        cohort = store.create_cohort("Spring 2027", {"masterclass": day("2027-01-12")}, day("2027-01-01"))
    people = [NewPerson("Ann Example", "ann@council.example"), NewPerson("Bilal Sample", "bilal@council.example")]
    with pytest.raises(RuntimeError), store.transaction():
        store.add_or_update_people(cohort.id, "councillor", people, day("2027-01-02"))
        raise RuntimeError("the import failed half-way")
    assert store.people(cohort.id) == []


def test_people_are_matched_by_email_on_a_second_import(store: Store) -> None:
    with store.transaction():
        cohort = store.create_cohort("Spring 2027", {}, day("2027-01-01"))
        first = store.add_or_update_people(
            cohort.id, "councillor", [NewPerson("Ann Example", "ann@council.example", "Riverside", ("Short videos",))],
            day("2027-01-02"),
        )  # fmt: skip
        second = store.add_or_update_people(
            cohort.id, "councillor", [NewPerson("Ann Exampleton", "ANN@council.example", "", None, True)],
            day("2027-01-03"),
        )  # fmt: skip
    assert (first, second) == ((1, 0), (0, 1))
    (ann,) = store.people(cohort.id)
    assert (ann.name, ann.detail, ann.skills, ann.consent) == ("Ann Exampleton", "Riverside", ("Short videos",), True)


def test_erased_details_do_not_linger_in_the_file(store: Store) -> None:
    with store.transaction():
        cohort = store.create_cohort("Spring 2027", {}, day("2027-01-01"))
        zebedee = NewPerson("Zebedee Uniquename", "zebedee.uniquename@council.example")
        store.add_or_update_people(cohort.id, "councillor", [zebedee], day("2027-01-02"))
    (person,) = store.people(cohort.id)
    assert b"zebedee.uniquename" in store.path.read_bytes()
    with store.transaction():
        store.delete_person(person.id)
    store.vacuum()
    assert b"zebedee" not in store.path.read_bytes().lower()


def test_the_private_folder_is_owner_only_and_ignores_itself(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    (tmp_path / "council.yml").write_text("programme:\n  private_dir: records/programme\n")
    project = Project.load(tmp_path)
    folder = prepare_private_dir(project)
    assert folder == tmp_path / "records" / "programme"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"


def test_dates_are_stored_as_dates(store: Store) -> None:
    with store.transaction():
        cohort = store.create_cohort("Spring 2027", {"sprint-1": day("2027-02-02")}, day("2027-01-01"))
    assert store.cohort_named("spring 2027") == cohort
    assert isinstance(cohort.created, dt.date) and cohort.last_sprint_date == day("2027-02-02")
