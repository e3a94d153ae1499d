"""Slide decks (issue 12): what goes on which slide, and the deck pages of the real build."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from councillor_hub.models import Activity, Challenge, Session, Sprint
from councillor_hub.slides import LINES_PER_SLIDE, deck_page, fit, lines, session_deck, sprint_decks
from councillor_hub.toolkit import Toolkit


def activity(id: str, *, steps: list[str] | None = None, challenge: bool = False, **fields: object) -> Activity:
    data: dict[str, object] = {
        "id": id,
        "title": id.replace("-", " ").capitalize(),
        "kind": "exercise",
        "minutes": 10,
        "description": "Do the thing.",
        "steps": steps or [],
        "facilitator_notes": [f"Note for {id}."],
        **fields,
    }
    if challenge:
        data["challenge"] = Challenge(prompt=f"What about {id}?", solution="This.")
    return Activity.model_validate(data)


def sprint_with(*sessions: Session, keypoints: list[str] | None = None) -> Sprint:
    return Sprint.model_validate(
        {
            "id": "sprint-9",
            "number": 9,
            "title": "Test sprint",
            "summary": "For tests.",
            "last_reviewed": "2026-11-01",
            "sources": [
                {"title": "T", "publisher": "P", "url": "https://example.org/", "accessed": "2026-11-01"},
            ],
            "questions": ["Why?"],
            "objectives": ["Do it."],
            "keypoints": keypoints or ["Remember it."],
            "sessions": list(sessions),
            "mentor": {"role": "Help.", "prompts": ["How?"], "warning_signs": ["None."]},
            "evaluation": [{"id": "m", "measure": "M", "how": "H", "when": "after"}],
        }
    )


def session(id: str, *activities: Activity) -> Session:
    return Session(
        id=id, title=id.capitalize(), minutes=sum(a.minutes for a in activities), summary="S.", activities=activities
    )


def test_a_deck_opens_with_the_sprint_and_closes_with_its_key_points() -> None:
    first = session("one", activity("warm-up"), activity("try-it", challenge=True))
    sprint = sprint_with(first, session("two", activity("more")))
    deck = session_deck(sprint, first)
    assert [s.kind for s in deck.slides] == [
        "title",
        "questions",
        "objectives",
        "agenda",
        "activity",
        "activity",
        "challenge",
        "keypoints",
    ]
    assert (deck.number, deck.sessions) == (1, 2)
    assert deck.path == "programme/sprint-9/slides/one.md" == deck_page("sprint-9", "one")
    assert [r.activity.id for r in deck.slides[3].rows] == ["warm-up", "try-it"]
    assert [(r.start, r.end) for r in deck.slides[3].rows] == [(0, 10), (10, 20)]
    assert deck.slides[6].activity is not None and deck.slides[6].activity.id == "try-it"


def test_every_session_gets_its_own_deck() -> None:
    sprint = sprint_with(session("one", activity("a")), session("two", activity("b")), session("three", activity("c")))
    decks = sprint_decks(sprint)
    assert [d.session.id for d in decks] == ["one", "two", "three"]
    assert [d.number for d in decks] == [1, 2, 3]
    assert all(any(s.activity and s.activity.id == d.session.activities[0].id for s in d.slides) for d in decks)


def test_long_steps_carry_on_with_their_numbers() -> None:
    steps = [f"Step {n}:" + " word" * 40 for n in range(1, 8)]
    deck = session_deck(sprint_with(s := session("one", activity("long", steps=steps))), s)
    parts = [slide for slide in deck.slides if slide.kind == "activity"]
    assert len(parts) > 1
    assert [p.part for p in parts] == list(range(1, len(parts) + 1))
    assert [step for p in parts for step in p.items] == steps
    assert [p.first for p in parts] == [1 + sum(len(q.items) for q in parts[:i]) for i in range(len(parts))]


def test_long_key_point_lists_carry_on() -> None:
    points = ["A point long enough to take two lines on a slide, or very nearly two of them."] * 9
    deck = session_deck(sprint_with(s := session("one", activity("a")), keypoints=points), s)
    keypoints = [slide for slide in deck.slides if slide.kind == "keypoints"]
    assert len(keypoints) == 2
    assert sum(len(k.items) for k in keypoints) == 9


def test_fit_never_cuts_an_item_and_never_leaves_a_slide_empty() -> None:
    huge = "word " * 400
    assert fit([huge, "short"]) == [(huge,), ("short",)]
    assert fit([]) == [()]
    assert fit(["a"] * (LINES_PER_SLIDE + 1)) == [("a",) * LINES_PER_SLIDE, ("a",)]
    assert lines("") == 1


# --- the real build -------------------------------------------------------------------------------


def deck_html(site: Path, sprint_id: str, session_id: str) -> str:
    return (site / f"programme/{sprint_id}/slides/{session_id}/index.html").read_text(encoding="utf-8")


def test_each_session_of_each_sprint_has_a_deck_with_speaker_notes(upstream_site: Path, upstream_kit: Toolkit) -> None:
    sprints = upstream_kit.items("sprint")
    assert sum(len(s.sessions) for s in sprints) >= 8
    for sprint in sprints:
        for s in sprint.sessions:
            html = deck_html(upstream_site, sprint.id, s.id)
            sections = html.count('<section class="hub-slide')
            assert sections == len(session_deck(sprint, s).slides)
            assert html.count('<aside class="notes">') == sections, f"{sprint.id}/{s.id}: a slide has no notes"
            for a in s.activities:
                assert a.title in html
                for note in a.facilitator_notes:
                    assert note.replace("'", "&#x27;") in html or note in html
            assert len(re.findall(r"<h1[ >]", html)) == 1
            # The text version: the session on the sprint page.
            assert f'href="../../#{s.id}"' in html


def test_decks_use_only_the_sites_own_classic_scripts(upstream_site: Path) -> None:
    html = deck_html(upstream_site, "sprint-1", "sprint-1-footprint")
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts and all(re.fullmatch(r'<script src="(\.\./)+assets/[^"]+\.js">', s) for s in scripts), scripts
    assert '<script src="../../../../assets/vendor/reveal/reveal.js">' in scripts
    assert "http://" not in html and "https://" not in html
    for path in ("assets/vendor/reveal/reveal.js", "assets/vendor/reveal/reveal.css", "assets/hub/slides.js"):
        assert (upstream_site / path).is_file()


def test_sprint_pages_link_each_session_to_its_deck(upstream_site: Path, upstream_kit: Toolkit) -> None:
    for sprint in upstream_kit.items("sprint"):
        html = (upstream_site / f"programme/{sprint.id}/index.html").read_text(encoding="utf-8")
        links = re.findall(r'<a class="md-button hub-present" href="([^"]+)">', html)
        assert links == [f"slides/{s.id}/" for s in sprint.sessions]


def test_decks_stay_out_of_search_and_the_menu(upstream_site: Path) -> None:
    index = json.loads((upstream_site / "search/search_index.json").read_text(encoding="utf-8"))
    deck = re.compile(r"programme/[^/]+/slides/[^/]+/")
    assert not [d["location"] for d in index["docs"] if deck.search(d["location"])]
    assert not deck.search((upstream_site / "about/index.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", ["assets/vendor/reveal", "assets/vendor/iframe-worker"])
def test_vendored_libraries_carry_their_licence(upstream_site: Path, path: str) -> None:
    assert "MIT" in (upstream_site / path / "LICENSE").read_text(encoding="utf-8")
