"""The meeting log's and the flagging rules' remaining promises, one at a time.

Each test pins a behaviour of ``cohort/meetings.py`` that ``test_meetings.py`` leaves open (found by
mutation testing, ``scripts/mutation``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from councillor_hub.cohort.meetings import pair_statuses, parse_minutes, read_meeting_log, workshop_window
from councillor_hub.cohort.spreadsheets import ImportProblems, Table, read_table
from councillor_hub.cohort.store import Meeting, Pairing, Person

from .conftest import day
from .test_meetings import ANN, COHORT, LOG_PEOPLE, MINA, OMAR, PEOPLE


def log(tmp_path: Path, text: str) -> Table:
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    return read_table(path, source="log.csv")


def problems_of(tmp_path: Path, text: str, pairs: dict[int, int] | None = None) -> list[str]:
    with pytest.raises(ImportProblems) as caught:
        read_meeting_log(log(tmp_path, text), LOG_PEOPLE, pairs or {}, day("2027-02-20"))
    assert caught.value.source == "log.csv"
    return [str(p) for p in caught.value.problems]


# --- the log ----------------------------------------------------------------------------------


def test_a_log_without_the_columns_it_needs_says_every_name_it_would_take(tmp_path: Path) -> None:
    assert problems_of(tmp_path, "Who,Day\nann@council.example,20/01/2027\n") == [
        "log.csv:1:1: councillor: no column for the councillor; name one of: councillor, councillor name, "
        "councillor's name, councillor email, councillor's email, who did you meet, name of councillor",
        "log.csv:1:1: date: no column for the date; name one of: date, meeting date, date of meeting, "
        "date of the meeting, when did you meet, when",
    ]


def test_a_bad_name_is_located_in_its_own_column_wherever_that_is(tmp_path: Path) -> None:
    assert problems_of(
        tmp_path,
        "Date,Councillor,Mentor\n20/01/2027,Anne Example,Mina Officer\n20/01/2027,ann@council.example,Nobody Here\n",
    ) == [
        "log.csv:2:2: councillor: no councillor called 'Anne Example'; did you mean 'Ann Example'?",
        "log.csv:3:3: mentor: no mentor called 'Nobody Here'",
    ]


def test_a_councillor_with_no_mentor_is_located_at_the_councillor(tmp_path: Path) -> None:
    assert problems_of(tmp_path, "Date,Councillor\n20/01/2027,bilal@council.example\n") == [
        "log.csv:2:2: mentor: Bilal Sample has no mentor yet; pair them first, or add a Mentor column"
    ]


def test_a_meeting_today_is_not_in_the_future(tmp_path: Path) -> None:
    table = log(tmp_path, "Councillor,Date\nann@council.example,20/02/2027\n")
    (meeting,) = read_meeting_log(table, LOG_PEOPLE, {ANN.id: MINA.id}, day("2027-02-20"))
    assert meeting.date == day("2027-02-20")


def test_month_first_dates_are_read_when_asked(tmp_path: Path) -> None:
    table = log(tmp_path, "Councillor,Date\nann@council.example,2/13/2027\n")
    (meeting,) = read_meeting_log(table, LOG_PEOPLE, {ANN.id: MINA.id}, day("2027-02-20"), month_first=True)
    assert meeting.date == day("2027-02-13")


def test_the_note_is_kept_on_one_line(tmp_path: Path) -> None:
    table = log(tmp_path, 'Councillor,Date,Notes\nann@council.example,20/01/2027,"Two-step\n  sign-in, done"\n')
    (meeting,) = read_meeting_log(table, LOG_PEOPLE, {ANN.id: MINA.id}, day("2027-02-20"))
    assert meeting.note == "Two-step sign-in, done"


@pytest.mark.parametrize(
    ("note", "refused"),
    [("x" * 500, False), ("x" * 501, True), ("short but \u202egnidnah", True)],
)
def test_a_note_is_at_most_500_characters_with_no_control_characters(tmp_path: Path, note: str, refused: bool) -> None:
    text = f"Councillor,Date,Notes\nann@council.example,20/01/2027,{note}\n"
    if not refused:
        (meeting,) = read_meeting_log(log(tmp_path, text), LOG_PEOPLE, {ANN.id: MINA.id}, day("2027-02-20"))
        assert meeting.note == note
    else:
        assert problems_of(tmp_path, text, {ANN.id: MINA.id}) == [
            "log.csv:2:3: note: has control characters or is over 500 characters"
        ]


@pytest.mark.parametrize(("text", "minutes"), [("1", 1), ("600", 600), ("10 hours", 600), ("2 min", 2)])
def test_meeting_lengths_run_from_one_minute_to_ten_hours(text: str, minutes: int) -> None:
    assert parse_minutes(text) == minutes


def test_an_impossible_length_says_the_range() -> None:
    with pytest.raises(ValueError, match="'11 hours' is not a meeting length between 1 minute and 10 hours"):
        parse_minutes("11 hours")


# --- the rules --------------------------------------------------------------------------------


def test_on_a_workshop_day_there_is_no_window() -> None:
    assert workshop_window(COHORT, day("2027-02-02")) is None
    assert workshop_window(COHORT, day("2027-02-03")) == (
        ("sprint-1", day("2027-02-02")),
        ("sprint-2", day("2027-03-02")),
    )
    assert workshop_window(COHORT, day("2027-03-01")) == (
        ("sprint-1", day("2027-02-02")),
        ("sprint-2", day("2027-03-02")),
    )


def test_a_meeting_today_counts() -> None:
    meeting = Meeting(1, ANN.id, MINA.id, day("2027-02-10"), 30, "")
    (status,) = pair_statuses(
        COHORT, PEOPLE, [Pairing(ANN.id, MINA.id, "accepted", day("2027-01-12"))], [meeting], day("2027-02-10")
    )
    assert (status.meetings, status.last_meeting, status.quiet_days) == (1, day("2027-02-10"), 0)
    assert status.not_met_since is None and status.mentor == MINA


def test_a_pair_whose_mentor_has_left_is_not_listed_and_the_others_still_are() -> None:
    bilal = Person(4, 1, "councillor", "Bilal Sample", "bilal@council.example", "", day("2027-01-01"))
    pairs = [
        Pairing(ANN.id, 99, "accepted", day("2027-01-12")),  # the mentor was erased
        Pairing(bilal.id, OMAR.id, "accepted", day("2027-01-12")),
    ]
    statuses = pair_statuses(COHORT, [*PEOPLE, bilal], pairs, [], day("2027-02-10"))
    assert [(s.councillor.name, s.mentor.name) for s in statuses] == [("Bilal Sample", "Omar Officer")]


def test_flagged_pairs_come_first_then_by_name() -> None:
    people = [
        *PEOPLE,
        Person(4, 1, "councillor", "zoe Quiet", "zoe@council.example", "", day("2027-01-01")),
        Person(5, 1, "councillor", "Bea Fine", "bea@council.example", "", day("2027-01-01")),
        Person(6, 1, "councillor", "Cat Fine", "cat@council.example", "", day("2027-01-01")),
    ]
    pairs = [Pairing(i, MINA.id, "accepted", day("2027-01-12")) for i in (6, 5, 4, ANN.id)]
    met = [Meeting(i, c, MINA.id, day("2027-02-08"), 30, "") for i, c in enumerate((5, 6))]
    statuses = pair_statuses(COHORT, people, pairs, met, day("2027-02-10"))
    assert [(s.councillor.name, s.flagged) for s in statuses] == [
        ("Ann Example", True),
        ("zoe Quiet", True),
        ("Bea Fine", False),
        ("Cat Fine", False),
    ]


def test_the_next_workshop_is_named_before_the_first_and_between_two() -> None:
    (before,) = pair_statuses(
        COHORT, PEOPLE, [Pairing(ANN.id, MINA.id, "accepted", day("2027-01-02"))], [], day("2027-01-05")
    )
    assert before.next_sprint == ("masterclass", day("2027-01-12"))
    (between,) = pair_statuses(
        COHORT, PEOPLE, [Pairing(ANN.id, MINA.id, "accepted", day("2027-01-12"))], [], day("2027-02-10")
    )
    assert between.next_sprint == ("sprint-2", day("2027-03-02"))
