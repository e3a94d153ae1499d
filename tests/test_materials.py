"""Materials: every handout a lesson plan names exists, and text never stands in for one (issue 12)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from councillor_hub.kinds import BY_NAME
from councillor_hub.loading import load_toolkit
from councillor_hub.materials import CIRCLES, handout_words, handouts, map_layout, text_problem
from councillor_hub.models import Material, MaterialUse
from councillor_hub.project import Project
from councillor_hub.toolkit import Toolkit

from .conftest import make_project
from .test_loading import MINI, edit, problems

SPRINT = "content/toolkits/lessons/sprint-1.yml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "hub", MINI / "content")


def load(project: Path) -> Toolkit:
    return load_toolkit(Project.load(project), on=dt.date(2026, 11, 30))


def test_text_naming_a_handout_must_be_a_reference(project: Path) -> None:
    edit(project / SPRINT, "          - Sticky notes\n", "          - Scenario cards for each table\n")
    edit(
        project / SPRINT,
        "        materials: [Sticky notes]",
        "        materials: [Network map worksheet, Sticky notes]",
    )
    assert problems(project) == [
        f"{SPRINT}:26:21: sessions[0, sprint-1-mapping].activities[1, map].materials[0]: 'Network map worksheet' "
        "names a worksheet; the activity's worksheet (network-map) is listed with its materials, so remove this line",
        f"{SPRINT}:53:13: sessions[1, sprint-1-cards].activities[1, sort].materials[3]: 'Scenario cards for each "
        "table' names something the hub provides (cards); write it as material: mini-cards, with any detail as "
        "its note, or start it with 'Your' if people bring their own",
    ]


def test_a_reference_to_a_missing_material_is_located(project: Path) -> None:
    edit(project / SPRINT, "material: mini-log", "material: mini-logg")
    assert problems(project) == [
        f"{SPRINT}:67:23: sessions[2, sprint-1-follow-up].activities[0, stories].materials[0].material: "
        "no material has the id 'mini-logg'; did you mean 'mini-log'?"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Your network map from sprint 1",
        "A large sheet of paper for each person",
        "How to add your blog to the learning log",
        "Sticky notes in three colours",
        "Flip chart",
    ],
)
def test_what_people_bring_and_the_venue_has_stays_text(text: str) -> None:
    words = handout_words(BY_NAME)
    assert text_problem(text, words, {"scenario-cards": "Scenario cards"}, worksheet=None, worksheets=[]) is None


def test_slides_are_a_material_of_the_session() -> None:
    words = handout_words(BY_NAME)
    message = text_problem(
        "Slides with a made-up search page", words, {"slides": "Session slides"}, worksheet=None, worksheets=[]
    )
    assert message is not None and "write it as material: slides, with any detail as its note" in message


def test_confidence_questions_point_to_the_questionnaire_once_it_is_a_kind() -> None:
    """Issue 11's questionnaire: when its kind is in the table, its words join the check."""
    words = handout_words(["material", "questionnaire"])
    message = text_problem(
        "Confidence questions, printed or online",
        words,
        {"slides": "Session slides"},
        worksheet=None,
        worksheets=[],
        questionnaires={"confidence": "Confidence questionnaire"},
    )
    assert message is not None and "write it as questionnaire: confidence" in message
    without = handout_words(["material"])
    assert text_problem("Confidence questions", without, {}, worksheet=None, worksheets=[]) is None


def test_a_material_use_names_exactly_one_thing() -> None:
    with pytest.raises(ValidationError, match="name one thing: either material: <id> or questionnaire: <id>"):
        MaterialUse.model_validate({"material": "slides", "questionnaire": "confidence"})
    with pytest.raises(ValidationError, match="name one thing"):
        MaterialUse.model_validate({"note": "One each"})


def test_the_confidence_questionnaire_is_accepted_by_reference(project: Path) -> None:
    """The questionnaire is its own kind (issue 11): a handout names it like a material."""
    use = MaterialUse.model_validate({"questionnaire": "confidence"})
    assert use.ref == "questionnaire:confidence"
    edit(project / SPRINT, "          - material: slides\n", "          - questionnaire: confidence\n")
    if "questionnaire" in BY_NAME:  # once the questionnaire kind is in the table, only the item can be missing
        assert "no questionnaire has the id 'confidence'" in "\n".join(problems(project))
    else:
        (problem,) = problems(project)
        assert problem.startswith(
            f"{SPRINT}:51:28: sessions[1, sprint-1-cards].activities[1, sort].materials[1].questionnaire:"
        )
        assert "there is no kind of item called 'questionnaire'" in problem


def test_a_material_has_what_its_kind_needs() -> None:
    base = {"id": "x", "title": "X", "summary": "S", "last_reviewed": "2026-11-23"}
    with pytest.raises(ValidationError, match="a cards material needs at least two cards"):
        Material.model_validate({**base, "kind": "cards"})
    with pytest.raises(ValidationError, match="a cards material takes no columns"):
        Material.model_validate({**base, "kind": "cards", "columns": [{"heading": "A"}, {"heading": "B"}]})
    with pytest.raises(ValidationError, match="a log material needs two or more columns and some rows"):
        Material.model_validate({**base, "kind": "log", "columns": [{"heading": "A"}, {"heading": "B"}]})
    assert Material.model_validate({**base, "kind": "slides"}).kind == "slides"


def test_handouts_come_in_pack_order_with_every_use(project: Path) -> None:
    kit = load(project)
    sprint = kit.items("sprint")[0]
    titles = {e.ref: e.title for e in kit.entries_of("material")}
    found = handouts(sprint, titles, {m.id: m for m in kit.items("material")})
    assert [h.ref for h in found] == [
        "material:mini-map",
        "material:mini-cards",
        "material:mini-log",
        "material:slides",
    ]
    cards = found[1]
    assert [(u.activity.id if u.activity else None, u.note) for u in cards.uses] == [("sort", "One set per table")]
    assert [u.activity for u in found[0].uses] == [None]  # for the whole day


def test_every_name_on_the_example_maps_sits_inside_exactly_its_circles(upstream_kit: Toolkit, project: Path) -> None:
    maps = [m for m in [*upstream_kit.items("material"), *load(project).items("material")] if m.example]
    assert len(maps) >= 2
    for material in maps:
        layout = map_layout(material.example)
        for placed in [*layout.lines, *layout.more]:
            inside = {k for k, (cx, cy, r) in CIRCLES.items() if (placed.x - cx) ** 2 + (placed.y - cy) ** 2 < r * r}
            assert inside == placed.region, (material.id, placed)
        shown = " ".join(p.text for p in layout.lines)
        assert all(person.name.split()[-1] in shown for person in material.example.people), material.id


def test_upstream_lesson_plans_name_every_handout_as_a_reference(upstream_kit: Toolkit) -> None:
    """The issue's list: each of these exists and some sprint uses it."""
    used = {
        use.material
        for sprint in upstream_kit.items("sprint")
        for session in sprint.sessions
        for activity in session.activities
        for use in activity.materials
        if isinstance(use, MaterialUse)
    } | {
        use.material
        for s in upstream_kit.items("sprint")
        for use in (s.running_order.materials if s.running_order else [])
        if isinstance(use, MaterialUse)
    }
    assert {
        "scenario-cards", "ladder-cards", "co-production-examples", "example-network-map", "posting-log",
        "feedback-form", "attendance-and-consent", "mentor-briefing", "readiness-checklist", "slides", "start-quiz",
    } <= used  # fmt: skip
    kinds = {m.id: m.kind for m in upstream_kit.items("material")}
    assert kinds["scenario-cards"] == kinds["ladder-cards"] == "cards"
    assert kinds["example-network-map"] == "example-map"
