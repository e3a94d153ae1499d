"""The running order's rules, one at a time, on sprints built in the test (no YAML, no project).

Each test pins a promise of ``running_order.py`` that the YAML-based tests in
``test_running_order.py`` leave open (found by mutation testing, ``scripts/mutation``).
"""

from __future__ import annotations

from councillor_hub.models import (
    Activity,
    Part,
    Programme,
    ReadinessItem,
    RunningOrder,
    Session,
    Split,
    Sprint,
    Workshops,
)
from councillor_hub.running_order import Block, Row, plan, running_order_of, running_order_problems, staffing_of
from councillor_hub.settings import WorkshopSettings


def activity(id: str, minutes: int, kind: str = "exercise") -> Activity:
    return Activity(id=id, title=id.title(), kind=kind, minutes=minutes, description="What happens.")  # type: ignore[arg-type]


def session(id: str, *activities: Activity) -> Session:
    minutes = sum(a.minutes for a in activities)
    return Session(id=id, title=id.title(), minutes=minutes, summary="A session.", activities=list(activities))


def sprint(*sessions: Session, order: RunningOrder | None = None) -> Sprint:
    # Only the sessions and the running order matter here; the rest of a sprint is checked elsewhere.
    return Sprint.model_construct(id="sprint-9", sessions=list(sessions), running_order=order)


def programme(workshops: Workshops) -> Programme:
    return Programme.model_construct(id="programme", workshops=workshops)


def outline(items: list[Block | Row]) -> list[tuple[str, int, int]]:
    out = []
    for item in items:
        if isinstance(item, Block):
            out += [(row.activity.id if row.activity else "?", row.start, row.minutes) for row in item.rows]
        else:
            out.append((item.kind, item.start, item.minutes))
    return out


# --- the default running order ----------------------------------------------------------------


def test_one_session_is_one_part_that_cannot_split() -> None:
    (part,) = running_order_of(sprint(session("only", activity("talk", 60)))).parts
    assert (part.sessions, part.split, part.lunch_after) == (["only"], None, None)


def test_two_sessions_split_between_them() -> None:
    bare = sprint(session("one", activity("a", 60)), session("two", activity("b", 90)))
    split = running_order_of(bare).parts[0].split
    assert split is not None and split.after == "one"


def test_the_default_split_is_the_session_end_nearest_the_middle_even_the_last_but_one() -> None:
    # 61 minutes, middle 30.5: after "one" is 20 (10.5 away), after "two" is 40 (9.5 away).
    bare = sprint(
        session("one", activity("a", 20)), session("two", activity("b", 20)), session("three", activity("c", 21))
    )
    split = running_order_of(bare).parts[0].split
    assert split is not None and split.after == "two"


# --- who is in the room -----------------------------------------------------------------------


def test_staffing_comes_from_the_programme_unless_the_running_order_says() -> None:
    kit = programme(Workshops(group_size=20, facilitators=4, mentors=5))
    one_part = [Part(sessions=["one"])]
    assert staffing_of(sprint(session("one", activity("a", 30))), kit) == staffing_of(
        sprint(session("one", activity("a", 30)), order=RunningOrder(parts=one_part)), kit
    )
    default = staffing_of(sprint(session("one", activity("a", 30)), order=RunningOrder(parts=one_part)), kit)
    assert (default.group_size, default.facilitators, default.mentors) == (20, 4, 5)
    own = RunningOrder(group_size=8, facilitators=1, mentors=2, parts=one_part)
    mine = staffing_of(sprint(session("one", activity("a", 30)), order=own), kit)
    assert (mine.group_size, mine.facilitators, mine.mentors) == (8, 1, 2)


def test_no_mentors_in_the_room_is_a_choice_not_a_gap() -> None:
    order = RunningOrder(mentors=0, parts=[Part(sessions=["one"])])
    staffing = staffing_of(sprint(session("one", activity("a", 30)), order=order), programme(Workshops(mentors=5)))
    assert staffing.mentors == 0


def test_without_a_programme_the_default_workshop_staffing_applies() -> None:
    staffing = staffing_of(sprint(session("one", activity("a", 30))), None)
    defaults = Workshops()
    assert (staffing.group_size, staffing.facilitators, staffing.mentors) == (
        defaults.group_size,
        defaults.facilitators,
        defaults.mentors,
    )


def test_the_plan_carries_its_variant_staffing_and_each_parts_minutes() -> None:
    order = RunningOrder(
        parts=[Part(sessions=["one", "two"], split=Split(after="one")), Part(title="Later", sessions=["three"])]
    )
    day = sprint(
        session("one", activity("a", 30)), session("two", activity("b", 40)), session("three", activity("c", 25)),
        order=order,
    )  # fmt: skip
    result = plan(day, "split", WorkshopSettings(), programme(Workshops(group_size=9)))
    assert result.variant == "split"
    assert result.staffing.group_size == 9
    assert result.part_minutes == [70, 25]


# --- sittings ---------------------------------------------------------------------------------


def test_each_half_day_knows_its_part_and_has_its_own_key() -> None:
    part = Part(sessions=["one", "two"], split=Split(after="one"))
    day = sprint(session("one", activity("a", 30)), session("two", activity("b", 40)), order=RunningOrder(parts=[part]))
    first, second = plan(day, "split", WorkshopSettings()).sittings
    assert (first.part, second.part) == (part, part)
    assert (first.key, second.key) == ("part-1-half-1", "part-1-half-2")


def test_a_part_without_a_split_has_no_lunch_in_the_split_variant() -> None:
    # The split variant is for councils that run half-days: nobody stays for lunch.
    order = RunningOrder(
        parts=[Part(sessions=["one"]), Part(sessions=["two", "three"], lunch_after="two")],
    )
    day = sprint(
        session("one", activity("a", 30)), session("two", activity("b", 40)), session("three", activity("c", 20)),
        order=order,
    )  # fmt: skip
    one_day = plan(day, "one-day", WorkshopSettings()).sittings[1]
    split = plan(day, "split", WorkshopSettings()).sittings[1]
    assert one_day.lunch is not None
    assert split.lunch is None and outline(split.items) == [("b", 0, 40), ("c", 40, 20)]


def test_breaks_between_sessions_stay_and_a_break_that_would_end_the_day_goes() -> None:
    day = sprint(
        session("one", activity("a", 30), activity("tea", 15, "break")),
        session("two", activity("b", 20)),
        session("three", activity("tea-2", 10, "break"), activity("c", 20), activity("goodbye", 10, "break")),
    )
    (sitting,) = plan(day, "one-day", WorkshopSettings()).sittings
    assert outline(sitting.items) == [("a", 0, 30), ("tea", 30, 15), ("b", 45, 20), ("tea-2", 65, 10), ("c", 75, 20)]
    assert sitting.length == 95 and sitting.lunch is None
    blocks = sitting.blocks
    assert [b.session.id for b in blocks] == ["one", "two", "three"]
    assert {row.kind for b in blocks for row in b.rows} == {"activity"}


# --- checks -----------------------------------------------------------------------------------


def test_a_split_after_the_last_session_is_reported_even_without_lunch() -> None:
    order = RunningOrder(parts=[Part(sessions=["one", "two"], split=Split(after="two"))])
    day = sprint(session("one", activity("a", 30)), session("two", activity("b", 30)), order=order)
    assert running_order_problems(day, WorkshopSettings()) == [
        (
            ("running_order", "parts", 0, "split", "after"),
            "the split into two half-days must come between two sessions; 'two' is this part's last",
        )
    ]


def test_a_readiness_item_used_twice_before_the_second_half_is_located() -> None:
    items = [ReadinessItem(id="bring-map", text="Bring it."), ReadinessItem(id="bring-map", text="Again.")]
    order = RunningOrder(parts=[Part(sessions=["one", "two"], split=Split(after="one", before_second_half=items))])
    day = sprint(session("one", activity("a", 30)), session("two", activity("b", 30)), order=order)
    assert running_order_problems(day, WorkshopSettings()) == [
        (("running_order", "parts", 0, "split", "before_second_half", 1, "id"), "'bring-map' is used twice")
    ]


def test_an_unknown_session_with_no_near_name_gets_no_guess() -> None:
    order = RunningOrder(parts=[Part(sessions=["one", "zzzz"], split=Split(after="one"))])
    day = sprint(session("one", activity("a", 30)), order=order)
    assert running_order_problems(day, WorkshopSettings()) == [
        (("running_order", "parts", 0, "sessions", 1), "no session of this sprint has the id 'zzzz'")
    ]


def test_length_problems_of_a_sprint_without_a_running_order_point_at_its_sessions() -> None:
    # No running_order in the YAML: the fault is in the sessions, so that is where it is located.
    day = sprint(session("one", activity("a", 100)), session("two", activity("b", 90)))
    assert running_order_problems(day, WorkshopSettings(half_day_minutes=90)) == [
        (("sessions",), "the day runs 3:10 with no lunch; add lunch_after: <session> (a day longer than 1:30 needs one)"),
        (("sessions",), "the first half-day runs 1:40, longer than the 1:30 set in council.yml "
         "(workshops.half_day_minutes); split after another session"),
    ]  # fmt: skip


def test_a_long_day_without_lunch_is_located_at_its_part() -> None:
    order = RunningOrder(parts=[Part(sessions=["one", "two"], split=Split(after="one"))])
    day = sprint(session("one", activity("a", 60)), session("two", activity("b", 70)), order=order)
    assert running_order_problems(day, WorkshopSettings(half_day_minutes=120)) == [
        (("running_order", "parts", 0), "the day runs 2:10 with no lunch; add lunch_after: <session> "
         "(a day longer than 2:00 needs one)"),
    ]  # fmt: skip


def test_every_limit_is_a_most_not_a_less_than() -> None:
    # A half-day, a day and a day without lunch that run exactly to their limits are all fine.
    order = RunningOrder(parts=[Part(sessions=["one", "two"], lunch_after="one", split=Split(after="one"))])
    day = sprint(session("one", activity("a", 60)), session("two", activity("b", 60)), order=order)
    assert running_order_problems(day, WorkshopSettings(half_day_minutes=60, lunch_minutes=60, day_minutes=180)) == []
    no_lunch = RunningOrder(parts=[Part(sessions=["one", "two"], split=Split(after="one"))])
    day = sprint(session("one", activity("a", 60)), session("two", activity("b", 60)), order=no_lunch)
    assert running_order_problems(day, WorkshopSettings(half_day_minutes=120)) == []
