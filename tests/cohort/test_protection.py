"""Data protection: subject access export, erasure everywhere, retention and purge."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from councillor_hub.cohort import protection
from councillor_hub.cohort.store import NewMeeting, NewPerson, ReadinessReturn, Store, StoreError, SurveyAnswer

from .conftest import day


def two_cohorts(store: Store) -> None:
    """Ann is a councillor in two cohorts; Mina mentors her in the first."""
    with store.transaction():
        autumn = store.create_cohort("Autumn 2026", {"masterclass": day("2026-09-15"), "sprint-3": day("2026-12-01")},
                                     day("2026-09-01"))  # fmt: skip
        spring = store.create_cohort("Spring 2027", {"masterclass": day("2027-01-12")}, day("2027-01-01"))
        store.add_or_update_people(autumn.id, "councillor", [
            NewPerson("Ann Example", "ann@council.example", "Riverside", ("Short videos",), True),
            NewPerson("Bilal Sample", "bilal@council.example", "Oakfield", (), True),
        ], day("2026-09-02"))  # fmt: skip
        store.add_or_update_people(autumn.id, "mentor", [NewPerson("Mina Officer", "mina@council.example", "Comms",
                                                                   ("Short videos",))], day("2026-09-02"))  # fmt: skip
        store.add_or_update_people(spring.id, "councillor", [NewPerson("Ann Example", "ANN@council.example")],
                                   day("2027-01-02"))  # fmt: skip
        people = {(p.cohort_id, p.name): p.id for p in store.people()}
        ann, bilal, mina = (
            people[autumn.id, "Ann Example"],
            people[autumn.id, "Bilal Sample"],
            people[autumn.id, "Mina Officer"],
        )
        store.set_pair(ann, mina, day("2026-09-15"))
        store.set_pair(bilal, mina, day("2026-09-15"))
        store.add_meetings([NewMeeting(ann, mina, day("2026-09-20"), 30, "talked about 2SV"),
                            NewMeeting(bilal, mina, day("2026-09-21"), 45)])  # fmt: skip
        store.save_readiness([ReadinessReturn(ann, "masterclass", ("ready-2sv",), ("ready-2sv",), day("2026-10-01"))],
                             day("2026-10-02"))  # fmt: skip
        store.save_answers([SurveyAnswer(ann, "confidence", "setting-up", "before", 2)], day("2026-09-15"))


def test_export_holds_everything_about_the_person_in_every_cohort(store: Store) -> None:
    two_cohorts(store)
    data = protection.export_person(store, "Ann@Council.example", day("2027-02-01"))
    json.dumps(data)  # it is JSON through and through
    assert (data["format"], data["exported"], data["about"]) == (
        "councillor-hub-subject-access",
        "2027-02-01",
        "ann@council.example",
    )
    autumn, spring = data["records"]
    assert autumn["person"][0]["name"] == "Ann Example" and autumn["cohort"][0]["name"] == "Autumn 2026"
    assert autumn["skills"] == [{"skill": "Short videos"}]
    assert autumn["consent"] == [{"given": True, "recorded": "2026-09-02", "how": ""}]
    assert autumn["pairings"][0]["mentor"] == {"name": "Mina Officer", "role": "mentor"}
    ann = {"name": "Ann Example", "role": "councillor"}
    mina = {"name": "Mina Officer", "role": "mentor"}
    assert autumn["meetings"] == [
        {"id": 1, "date": "2026-09-20", "note": "talked about 2SV", "minutes": 30, "councillor": ann, "mentor": mina}
    ]
    assert autumn["readiness_returns"][0]["done"] == ["ready-2sv"]
    assert autumn["questionnaire_answers"] == [
        {
            "questionnaire": "confidence",
            "question": "setting-up",
            "timing": "before",
            "value": 2,
            "imported": "2026-09-15",
        }
    ]
    assert spring["cohort"][0]["name"] == "Spring 2027" and spring["meetings"] == []
    assert "Bilal" not in json.dumps(data), "nothing about anyone else"


def test_forget_erases_a_person_everywhere_and_says_what_went(store: Store) -> None:
    two_cohorts(store)
    erased = protection.forget_person(store, "ann@council.example")
    assert [(p.name, counts["people"]) for p, counts in erased] == [("Ann Example", 1), ("Ann Example", 1)]
    first = erased[0][1]
    assert (first["skills or help requests"], first["pairings"], first["meetings"], first["consent records"],
            first["readiness returns"], first["questionnaire answers"]) == (1, 1, 1, 1, 1, 1)  # fmt: skip
    assert {p.name for p in store.people()} == {"Bilal Sample", "Mina Officer"}
    raw = store.path.read_bytes().lower()
    assert b"ann@council.example" not in raw and b"ann example" not in raw and b"talked about 2sv" not in raw
    with pytest.raises(StoreError, match="nobody in the programme store matches"):
        protection.export_person(store, "ann@council.example", day("2027-02-01"))


def test_forgetting_a_mentor_keeps_the_councillors_meetings_without_the_mentor(store: Store) -> None:
    two_cohorts(store)
    ((mina, counts),) = protection.forget_person(store, "Mina Officer")
    assert counts["meetings kept without the mentor's name"] == 2 and counts["pairings"] == 2
    autumn = store.cohort_named("Autumn 2026")
    assert autumn is not None
    assert [(m.date, m.mentor_id) for m in store.meetings(autumn.id)] == [
        (day("2026-09-20"), None),
        (day("2026-09-21"), None),
    ]
    assert store.pairings(autumn.id) == []
    assert b"mina" not in store.path.read_bytes().lower()


def test_a_name_shared_by_two_people_is_refused(store: Store) -> None:
    with store.transaction():
        cohort = store.create_cohort("Spring 2027", {}, day("2027-01-01"))
        store.add_or_update_people(cohort.id, "councillor", [
            NewPerson("Sam Twin", "sam.one@council.example"), NewPerson("Sam Twin", "sam.two@council.example"),
        ], day("2027-01-02"))  # fmt: skip
    with pytest.raises(StoreError, match="more than one person .*use an email address or #id"):
        protection.forget_person(store, "Sam Twin")
    assert len(store.people()) == 2


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [("2026-12-01", 24, "2028-12-01"), ("2027-01-31", 1, "2027-02-28"), ("2028-01-31", 1, "2028-02-29"),
     ("2026-11-15", 2, "2027-01-15")],
)  # fmt: skip
def test_months_are_added_as_a_person_would(start: str, months: int, end: str) -> None:
    assert protection.add_months(day(start), months) == day(end)


@pytest.mark.parametrize(("today", "purged"), [("2028-12-01", []), ("2028-12-02", ["Autumn 2026"])])
def test_purge_erases_cohorts_once_their_retention_period_is_over(store: Store, today: str, purged: list[str]) -> None:
    # Autumn 2026's last workshop was on 1 December 2026: kept 24 months, until 1 December 2028.
    two_cohorts(store)
    assert [e.cohort.name for e in protection.expired_cohorts(store, 24, day(today))] == purged
    erased = protection.purge(store, 24, day(today))
    assert [e.cohort.name for e, _ in erased] == purged
    remaining = {c.name for c in store.cohorts()}
    assert remaining == {"Autumn 2026", "Spring 2027"} - set(purged)
    if purged:
        assert erased[0][1]["people"] == 3 and erased[0][1]["meetings"] == 2
        assert b"bilal" not in store.path.read_bytes().lower()


def test_the_retention_warning_names_each_cohort_and_the_command(store: Store) -> None:
    two_cohorts(store)
    expired = protection.expired_cohorts(store, 1, dt.date(2027, 6, 1))
    assert protection.retention_warning(expired, 1) == (
        "warning: 2 cohorts are past the retention period of 1 month after the last workshop: "
        "'Autumn 2026' (kept until 2027-01-01), 'Spring 2027' (kept until 2027-02-12). "
        "Run `councillor-hub cohort purge` to erase them."
    )
