"""Readiness returns: read from saved files and pasted emails, matched to councillors, summed up before a workshop."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from councillor_hub.cohort.readiness import check_for, check_returns, find_returns, read_return_file, readiness_of
from councillor_hub.cohort.store import Cohort, Person, ReadinessReturn
from councillor_hub.toolkit import Toolkit

from .conftest import FIXTURES, day

RETURNS = FIXTURES / "readiness"
COHORT = Cohort(
    1, "Spring 2027", day("2027-01-01"),
    {"masterclass": day("2027-01-12"), "sprint-1": day("2027-02-02"), "sprint-2": day("2027-03-02")},
)  # fmt: skip
NAMES = ["Ann Example", "Bilal Sample", "Carys Test", "Dev Placeholder", "Efa Dummy", "Femi Fixture", "Gwen Mock"]
COUNCILLORS = [
    Person(i, 1, "councillor", name, f"{name.split()[0].lower()}@council.example", "", day("2027-01-01"))
    for i, name in enumerate(NAMES, start=1)
]


def test_a_pasted_file_of_emails_gives_every_return_even_quoted_and_broken() -> None:
    sent, problems = read_return_file(RETURNS / "pasted-emails.txt", source="emails.txt")
    assert problems == []
    assert [(s.line, s.data["name"]) for s in sent] == [(20, "Efa Dummy"), (39, "Gwen Mock"), (63, "Femi Fixture")]  # type: ignore[index]
    gwen = sent[1].data
    assert isinstance(gwen, dict) and gwen["done"] == [
        "ready-account", "ready-2sv", "ready-privacy", "ready-following", "ready-safety", "ready-mentor",
        "ready-homework",
    ], "the line broken by the email program and quoted with > is whole again"  # fmt: skip


def test_saved_files_are_read_whole() -> None:
    sent, problems = read_return_file(RETURNS / "readiness-masterclass-bilal-sample.json", source="b.json")
    assert problems == [] and len(sent) == 1 and (sent[0].line, sent[0].col) == (1, 1)


def test_returns_are_matched_to_councillors_by_name(upstream_kit: Toolkit) -> None:
    sent = []
    for path in sorted(RETURNS.iterdir()):
        found, problems = read_return_file(path)
        assert problems == []
        sent += found
    checked, problems = check_returns(sent, upstream_kit, COUNCILLORS, day("2027-01-30"))
    assert problems == []
    assert sorted(c.person.name for c in checked) == sorted(NAMES), "case and extra spaces in a name do not matter"
    bilal = next(c.item for c in checked if c.person.name == "Bilal Sample")
    assert bilal.sprint == "masterclass" and "ready-mentor" not in bilal.done and len(bilal.items) == 9


def returns_from(data: object, text: str | None = None) -> list:  # type: ignore[type-arg]
    return find_returns(text if text is not None else json.dumps(data), "r.json")


GOOD = {
    "format": "councillor-hub-readiness", "version": 1, "sprint": "masterclass", "name": "Ann Example",
    "date": "2027-01-28", "items": ["ready-account", "ready-2sv"], "done": ["ready-2sv"],
}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            {"name": "Anne Exampel"},
            "r.json:1:1: name: no councillor called 'Anne Exampel'; did you mean 'Ann Example'?",
        ),
        ({"name": "Zed Nobody"}, "r.json:1:1: name: no councillor called 'Zed Nobody' in this cohort"),
        ({"name": ""}, "r.json:1:1: name: the name is missing or not a name"),
        ({"sprint": "sprint-9"}, "r.json:1:1: sprint: 'sprint-9' is not a sprint with a readiness check"),
        ({"version": 2}, "r.json:1:1: version: it was made by a newer version of the hub"),
        ({"done": ["ready-mentor"]}, "r.json:1:1: done: the lists of items are damaged"),
        ({"done": ["<script>"]}, "r.json:1:1: done: the lists of items are damaged"),
        ({"date": "yesterday"}, "r.json:1:1: date: 'yesterday' is not a date"),
        ({"date": "2027-03-01"}, "r.json:1:1: date: it is dated 2027-03-01, after today"),
    ],
)
def test_damaged_and_unknown_returns_are_located(upstream_kit: Toolkit, change: dict, problem: str) -> None:  # type: ignore[type-arg]
    checked, problems = check_returns(returns_from(GOOD | change), upstream_kit, COUNCILLORS, day("2027-01-30"))
    assert checked == []
    assert len(problems) == 1 and str(problems[0]).startswith(problem)


def test_a_return_cut_short_in_an_email_is_located(upstream_kit: Toolkit) -> None:
    text = "Hello\n\n" + json.dumps(GOOD)[:60] + "\n\nThanks, Ann\n"
    checked, problems = check_returns(returns_from(None, text), upstream_kit, COUNCILLORS, day("2027-01-30"))
    assert checked == [] and str(problems[0]).startswith("r.json:3:1: (return): the return is cut short")


def test_a_file_with_no_return_says_what_a_return_is(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Dear facilitator, I am ready.\n", encoding="utf-8")
    sent, problems = read_return_file(path, source="note.txt")
    assert sent == [] and "no readiness return in it" in str(problems[0])


@pytest.mark.parametrize(
    ("today", "check"),
    [
        ("2027-01-05", None),  # before the masterclass: no check yet
        ("2027-01-12", "masterclass"),  # the masterclass's day: its check is for sprint 1
        ("2027-02-01", "masterclass"),  # the day before sprint 1
        ("2027-02-02", "sprint-1"),  # sprint 1's day: now its check, for sprint 2
        ("2027-05-01", "sprint-2"),  # after the last dated workshop: its check stays
    ],
)
def test_the_check_that_matters_is_the_one_before_the_next_workshop(
    upstream_kit: Toolkit, today: str, check: str | None
) -> None:
    sprint = check_for(upstream_kit, COHORT, day(today))
    assert (sprint.id if sprint else None) == check


def test_who_is_ready_and_on_which_items(upstream_kit: Toolkit) -> None:
    masterclass = upstream_kit.get("sprint", "masterclass")
    assert masterclass is not None
    ids = tuple(i.id for i in masterclass.item.readiness)
    returns = [
        ReadinessReturn(1, "masterclass", ids, ids, day("2027-01-28")),
        ReadinessReturn(2, "masterclass", ids, ids[:-1], day("2027-01-28")),
        ReadinessReturn(3, "sprint-1", ids, ids, day("2027-01-28")),  # another check: not this one
    ]
    rows = {r.person.name: r for r in readiness_of(masterclass.item, COUNCILLORS[:3], returns)}
    assert rows["Ann Example"].ready and rows["Ann Example"].missing == ()
    assert not rows["Bilal Sample"].ready and rows["Bilal Sample"].missing == (ids[-1],)
    assert rows["Carys Test"].sent is None and not rows["Carys Test"].ready
    assert [r.person.name for r in readiness_of(masterclass.item, COUNCILLORS[:3], returns)][-1] == "Ann Example"
