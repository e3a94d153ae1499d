"""Data protection's remaining promises, one at a time: what a subject access export says about
itself, a meeting whose mentor was erased, and the retention warning's wording for one cohort.

Each test pins a behaviour of ``cohort/protection.py`` that ``test_protection.py`` leaves open
(found by mutation testing, ``scripts/mutation``).
"""

from __future__ import annotations

import json

import pytest

from councillor_hub.cohort import protection
from councillor_hub.cohort.store import NewPerson, Store, StoreError

from .conftest import day
from .test_protection import two_cohorts


def test_the_export_says_what_it_is_and_what_it_holds(store: Store) -> None:
    two_cohorts(store)
    data = protection.export_person(store, "ann@council.example", day("2027-02-01"))
    assert data["version"] == 1
    assert data["explanation"] == (
        "Everything the programme store holds about this person, in every cohort: their details, "
        "skills or the help they asked for, consent, mentor pairings, meetings, readiness returns "
        "and questionnaire answers (on a scale of 1 to 5)."
    )
    returned = data["records"][0]["readiness_returns"][0]
    assert (returned["sprint"], returned["items"], returned["done"]) == ("masterclass", ["ready-2sv"], ["ready-2sv"])


def test_a_meeting_whose_mentor_was_erased_is_exported_without_them(store: Store) -> None:
    two_cohorts(store)
    protection.forget_person(store, "mina@council.example")
    data = protection.export_person(store, "ann@council.example", day("2027-02-01"))
    (meeting,) = data["records"][0]["meetings"]
    assert meeting["mentor"] is None
    assert meeting["councillor"] == {"name": "Ann Example", "role": "councillor"}
    assert "Mina" not in json.dumps(data)


def test_two_people_with_one_name_are_listed_so_the_lead_can_pick_one(store: Store) -> None:
    with store.transaction():
        cohort = store.create_cohort("Spring 2027", {}, day("2027-01-01"))
        store.add_or_update_people(cohort.id, "councillor", [
            NewPerson("Sam Twin", "sam.one@council.example"), NewPerson("Sam Twin", "sam.two@council.example"),
        ], day("2027-01-02"))  # fmt: skip
    with pytest.raises(StoreError) as caught:
        protection.export_person(store, "Sam Twin", day("2027-02-01"))
    assert str(caught.value) == (
        "'Sam Twin' names more than one person (#1 Sam Twin <sam.one@council.example>; "
        "#2 Sam Twin <sam.two@council.example>); use an email address or #id"
    )


def test_the_retention_warning_for_one_cohort_speaks_of_it(store: Store) -> None:
    two_cohorts(store)
    expired = protection.expired_cohorts(store, 2, day("2027-02-02"))
    assert protection.retention_warning(expired, 2) == (
        "warning: 1 cohort is past the retention period of 2 months after the last workshop: "
        "'Autumn 2026' (kept until 2027-02-01). Run `councillor-hub cohort purge` to erase it."
    )
