"""The running order: clock times, lunch, the split variant, and the check of its totals (issue 12)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from councillor_hub.loading import load_toolkit
from councillor_hub.models import Sprint
from councillor_hub.project import Project
from councillor_hub.running_order import Block, Row, Staffing, clock_of, minutes_of_day, plan, running_order_of
from councillor_hub.settings import WorkshopSettings
from councillor_hub.toolkit import Toolkit

from .conftest import make_project
from .test_loading import MINI, edit, problems

SPRINT = "content/toolkits/lessons/sprint-1.yml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "hub", MINI / "content")


def mini_sprint(project: Path) -> tuple[Sprint, Toolkit]:
    kit = load_toolkit(Project.load(project), on=dt.date(2026, 11, 30))
    entry = kit.get("sprint", "sprint-1")
    assert entry is not None
    return entry.item, kit


def outline(items: list[Block | Row]) -> list[tuple[str, int, int]]:
    """(what, start, minutes) for each row of a sitting."""
    out = []
    for item in items:
        if isinstance(item, Block):
            out += [(row.activity.id if row.activity else "?", row.start, row.minutes) for row in item.rows]
        else:
            out.append((item.kind, item.start, item.minutes))
    return out


def test_one_day_puts_lunch_after_its_session_and_drops_the_break_beside_it(project: Path) -> None:
    sprint, kit = mini_sprint(project)
    day, follow_up = plan(sprint, "one-day", WorkshopSettings(), kit.one("programme")).sittings
    # Session 2 opens with a 10-minute tea break; next to lunch it is left out.
    assert outline(day.items) == [("intro", 0, 15), ("map", 15, 30), ("lunch", 45, 45), ("sort", 90, 30)]
    assert (day.half, day.length, day.setup) == (0, 120, Row("setup", -30, 30))
    assert follow_up.part.title == "Follow-up meeting"
    assert outline(follow_up.items) == [("stories", 0, 20)]


def test_split_divides_where_the_yaml_says_with_the_readiness_between(project: Path) -> None:
    sprint, kit = mini_sprint(project)
    first, second, follow_up = plan(sprint, "split", WorkshopSettings(lunch_minutes=60), kit.one("programme")).sittings
    assert [(s.half, s.length) for s in (first, second, follow_up)] == [(1, 45), (2, 30), (0, 20)]
    assert outline(second.items) == [("sort", 0, 30)]  # no half-day starts with a tea break
    assert [item.id for item in second.before] == ["bring-map"]
    assert first.lunch is None and second.lunch is None


def test_lunch_length_and_setting_up_come_from_the_settings(project: Path) -> None:
    sprint, kit = mini_sprint(project)
    day = plan(sprint, "one-day", WorkshopSettings(lunch_minutes=30, setup_minutes=0), None).sittings[0]
    assert day.setup is None
    assert outline(day.items)[2] == ("lunch", 45, 30)


def test_a_sprint_without_a_running_order_splits_near_its_middle(project: Path) -> None:
    sprint, _ = mini_sprint(project)
    bare = sprint.model_copy(update={"running_order": None})
    (part,) = running_order_of(bare).parts
    assert part.sessions == ["sprint-1-mapping", "sprint-1-cards", "sprint-1-follow-up"]
    assert part.split is not None and part.split.after == "sprint-1-mapping"  # 45 | 40 + 20
    assert part.lunch_after is None


def test_staff_ratio_and_clock_arithmetic() -> None:
    assert Staffing(12, 2, 3).councillors_per_staff == "2.4"
    assert Staffing(8, 1, 1).councillors_per_staff == "4"
    assert minutes_of_day("09:30") == 570
    assert clock_of(570 + 265) == "13:55"
    assert clock_of(23 * 60 + 50 + 20) == "00:10"


def test_running_order_faults_are_located(project: Path) -> None:
    sprint = project / SPRINT
    edit(
        sprint,
        "    - sessions: [sprint-1-mapping, sprint-1-cards]",
        "    - sessions: [sprint-1-maping, sprint-1-cards]",
    )
    edit(sprint, "      lunch_after: sprint-1-mapping", "      lunch_after: sprint-1-cards")
    edit(sprint, "      sessions: [sprint-1-follow-up]", "      sessions: [sprint-1-follow-up, sprint-1-cards]")
    assert problems(project) == [
        f"{SPRINT}:111:5: running_order.parts: session 'sprint-1-mapping' is in no part of the running order; "
        "add it to one",
        f"{SPRINT}:111:18: running_order.parts[0].sessions[0]: no session of this sprint has the id "
        "'sprint-1-maping'; did you mean 'sprint-1-mapping'?",
        f"{SPRINT}:112:20: running_order.parts[0].lunch_after: lunch must come between two sessions; "
        "'sprint-1-cards' is this part's last",
        f"{SPRINT}:114:16: running_order.parts[0].split.after: 'sprint-1-mapping' is not one of this part's "
        "sessions (sprint-1-maping, sprint-1-cards)",
        f"{SPRINT}:120:38: running_order.parts[1].sessions[1]: session 'sprint-1-cards' is already in parts[0]",
    ]


def test_a_day_too_long_for_its_settings_is_reported_where_to_change_it(project: Path) -> None:
    (project / "council.yml").write_text(
        "workshops:\n  half_day_minutes: 60\n  day_minutes: 150\n  lunch_minutes: 60\n"
    )
    edit(project / SPRINT, "    minutes: 40\n    summary: Sort", "    minutes: 80\n    summary: Sort")
    edit(
        project / SPRINT,
        "        minutes: 30\n        description: Put",
        "        minutes: 70\n        description: Put",
    )
    assert problems(project) == [
        f"{SPRINT}:111:17: running_order.parts[0].sessions: the day runs 2:55 with lunch, longer than the 2:30 set "
        "in council.yml (workshops.day_minutes)",
        f"{SPRINT}:114:16: running_order.parts[0].split.after: the second half-day runs 1:10, longer than the "
        "1:00 set in council.yml (workshops.half_day_minutes); split after another session",
    ]


def test_a_long_day_needs_lunch_and_every_sprint_can_split(project: Path) -> None:
    (project / "council.yml").write_text("workshops:\n  half_day_minutes: 60\n")
    edit(project / SPRINT, "      lunch_after: sprint-1-mapping\n", "")
    edit(project / SPRINT, "      split:\n        after: sprint-1-mapping\n", "      when: Soon.\n")
    edit(
        project / SPRINT,
        "        before_second_half:\n          - id: bring-map\n            text: I will bring my map back.\n",
        "",
    )  # noqa: E501
    assert problems(project) == [
        f"{SPRINT}:111:5: running_order.parts: no part says where it splits into two half-days; "
        "add split: after: <session>",
    ]
