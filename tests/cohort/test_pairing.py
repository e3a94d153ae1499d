"""Pairing: balanced mentor loads first, then as much of the help asked for matched as possible."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest

from councillor_hub.cohort.pairing import assign, mentor_loads, shared_help, suggest_pairs
from councillor_hub.cohort.store import Person
from councillor_hub.cohort.vocabulary import Vocabulary, load_vocabulary
from councillor_hub.toolkit import Toolkit

SKILLS = ("Short videos", "Photos and alt text", "Privacy and security settings", "Handling rudeness and abuse")


def person(pid: int, role: str, name: str, *skills: str) -> Person:
    return Person(
        pid, 1, role, name, f"{name.lower().replace(' ', '.')}@council.example", "", dt.date(2027, 1, 1), skills
    )  # type: ignore[arg-type]


def loads(suggestions: list, fixed: dict[int, int], mentors: list[Person]) -> list[int]:  # type: ignore[type-arg]
    pairs = dict(fixed) | {s.councillor.id: s.mentor.id for s in suggestions}
    return list(mentor_loads(pairs, mentors).values())


def test_every_councillor_gets_a_mentor_and_help_is_matched() -> None:
    mentors = [
        person(10, "mentor", "Mina", "Short videos"),
        person(11, "mentor", "Omar", "Privacy and security settings"),
    ]
    councillors = [
        person(1, "councillor", "Ann", "Privacy and security settings"),
        person(2, "councillor", "Bilal", "Short videos"),
        person(3, "councillor", "Carys", "Short videos", "Photos and alt text"),
        person(4, "councillor", "Dev", "Privacy and security settings"),
    ]
    got = {s.councillor.name: (s.mentor.name, s.matched) for s in suggest_pairs(councillors, mentors)}
    assert got == {
        "Ann": ("Omar", ("Privacy and security settings",)),
        "Bilal": ("Mina", ("Short videos",)),
        "Carys": ("Mina", ("Short videos",)),
        "Dev": ("Omar", ("Privacy and security settings",)),
    }


def test_balance_beats_skills_when_everyone_wants_the_same_mentor() -> None:
    mentors = [person(10, "mentor", "Mina", "Short videos"), person(11, "mentor", "Omar"), person(12, "mentor", "Pat")]
    councillors = [person(i, "councillor", f"C{i}", "Short videos") for i in range(1, 8)]
    suggestions = suggest_pairs(councillors, mentors)
    assert sorted(loads(suggestions, {}, mentors)) == [2, 2, 3]
    assert sum(bool(s.matched) for s in suggestions) == 3, "Mina takes the most a balanced load allows"


def test_accepted_pairs_are_kept_and_count_towards_a_mentors_load() -> None:
    mentors = [person(10, "mentor", "Mina", "Short videos"), person(11, "mentor", "Omar", "Short videos")]
    councillors = [person(i, "councillor", f"C{i}", "Short videos") for i in range(1, 6)]
    fixed = {1: 10, 2: 10, 3: 10}
    suggestions = suggest_pairs(councillors, mentors, fixed)
    assert {s.councillor.id for s in suggestions} == {4, 5}
    assert {s.mentor.name for s in suggestions} == {"Omar"}
    assert loads(suggestions, fixed, mentors) == [3, 2]


def test_no_mentors_no_suggestions() -> None:
    assert suggest_pairs([person(1, "councillor", "Ann")], []) == []


def brute_force(councillors: list[Person], mentors: list[Person]) -> tuple[int, int]:
    """(spread of loads, skills matched) of the best pairing found by trying every one."""
    best: tuple[int, int] | None = None
    for choice in itertools.product(range(len(mentors)), repeat=len(councillors)):
        counts = [choice.count(m) for m in range(len(mentors))]
        balance = sum(c * (c + 1) // 2 for c in counts)
        matched = sum(len(shared_help(c, mentors[m])) for c, m in zip(councillors, choice, strict=True))
        key = (balance, -matched)
        best = key if best is None or key < best else best
    assert best is not None
    return best[0], -best[1]


@pytest.mark.parametrize("seed", range(12))
def test_suggestions_are_as_balanced_and_well_matched_as_any_pairing(seed: int) -> None:
    rng = random.Random(seed)
    mentors = [
        person(100 + m, "mentor", f"M{m}", *rng.sample(SKILLS, rng.randint(0, 3))) for m in range(rng.randint(1, 3))
    ]
    councillors = [
        person(c, "councillor", f"C{c}", *rng.sample(SKILLS, rng.randint(0, 3))) for c in range(rng.randint(1, 6))
    ]
    suggestions = suggest_pairs(councillors, mentors)
    counts = loads(suggestions, {}, mentors)
    assert max(counts) - min(counts) <= 1, counts
    best_balance, best_matched = brute_force(councillors, mentors)
    assert sum(c * (c + 1) // 2 for c in counts) == best_balance
    assert sum(len(s.matched) for s in suggestions) == best_matched
    assert suggest_pairs(list(reversed(councillors)), mentors) == suggestions, "the same people give the same pairs"


@pytest.mark.parametrize("seed", range(20))
def test_the_assignment_is_the_cheapest(seed: int) -> None:
    rng = random.Random(seed)
    rows, columns = rng.randint(1, 5), rng.randint(5, 7)
    cost = [[rng.randint(-9, 30) for _ in range(columns)] for _ in range(rows)]
    chosen = assign(cost)
    assert len(set(chosen)) == rows
    best = min(sum(cost[r][c] for r, c in enumerate(p)) for p in itertools.permutations(range(columns), rows))
    assert sum(cost[r][c] for r, c in enumerate(chosen)) == best


# --- the shared vocabulary --------------------------------------------------------------------


def test_the_skills_are_the_planning_sheets_help_checklist(upstream_kit: Toolkit) -> None:
    vocabulary = load_vocabulary(upstream_kit)
    sprint = upstream_kit.get("sprint", "sprint-1")
    assert sprint is not None
    sheet = next(w for w in sprint.item.worksheets if w.id == "digital-footprint")
    prompt = next(p for s in sheet.sections for p in s.prompts if p.id == "help-needed")
    assert prompt.kind == "checklist"
    assert vocabulary.options == tuple(prompt.options) and len(vocabulary.options) >= 8
    assert vocabulary.label == prompt.label


def test_ticked_answers_as_each_form_joins_them() -> None:
    vocabulary = Vocabulary(
        ("Short videos", "Partners, such as schools and police", "Photos and alt text"), "Help?", "x"
    )
    assert vocabulary.parse("Short videos;Photos and alt text;") == (["Short videos", "Photos and alt text"], [])
    assert vocabulary.parse("short  VIDEOS, Partners, such as schools and police, Photos and alt text") == (
        ["Short videos", "Partners, such as schools and police", "Photos and alt text"],
        [],
    ), "a Google Forms cell: an option holding a comma is rebuilt"
    assert vocabulary.parse("Short vidoes, Knitting") == ([], ["Short vidoes", "Knitting"])
    assert vocabulary.did_you_mean("Short vidoes") == "Short videos"
    assert vocabulary.did_you_mean("Knitting") is None
    assert vocabulary.parse("") == ([], [])
