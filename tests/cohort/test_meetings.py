"""Meetings that stop: the two flagging rules on both sides of every boundary, and the meeting log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from councillor_hub.cohort.meetings import pair_statuses, parse_minutes, read_meeting_log, workshop_window
from councillor_hub.cohort.spreadsheets import ImportProblems, read_table
from councillor_hub.cohort.store import Cohort, Meeting, Pairing, Person

from .conftest import FIXTURES, day

# Masterclass 12 Jan, sprint 1 on 2 Feb, sprint 2 on 2 Mar, sprint 3 on 13 Apr.
COHORT = Cohort(
    1,
    "Spring 2027",
    day("2027-01-01"),
    {"masterclass": day("2027-01-12"), "sprint-1": day("2027-02-02"), "sprint-2": day("2027-03-02"),
     "sprint-3": day("2027-04-13")},
)  # fmt: skip
ANN = Person(1, 1, "councillor", "Ann Example", "ann@council.example", "", day("2027-01-01"))
MINA = Person(2, 1, "mentor", "Mina Officer", "mina@council.example", "", day("2027-01-01"))
OMAR = Person(3, 1, "mentor", "Omar Officer", "omar@council.example", "", day("2027-01-01"))
PEOPLE = [ANN, MINA, OMAR]


def status(today: str, meetings: list[str], *, paired: str = "2027-01-12", mentor: Person = MINA, days: int = 21):  # type: ignore[no-untyped-def]
    found = [Meeting(i, ANN.id, mentor.id, day(d), 30, "") for i, d in enumerate(meetings)]
    (result,) = pair_statuses(
        COHORT, PEOPLE, [Pairing(ANN.id, MINA.id, "accepted", day(paired))], found, day(today), days=days
    )
    return result


# --- rule 1: no meeting for more than N days ------------------------------------------------


@pytest.mark.parametrize(("today", "flagged"), [("2027-02-11", False), ("2027-02-12", True)])
def test_gone_quiet_after_21_days_since_the_last_meeting(today: str, flagged: bool) -> None:
    # Last met 21 January: on 11 February that is 21 days ago (fine), on 12 February 22 days (flagged).
    result = status(today, ["2027-01-14", "2027-01-21"])
    assert result.gone_quiet is flagged
    assert result.last_meeting == day("2027-01-21") and result.meetings == 2


@pytest.mark.parametrize(("today", "flagged"), [("2027-01-22", False), ("2027-01-23", True)])
def test_a_pair_that_never_met_counts_from_the_day_they_were_paired(today: str, flagged: bool) -> None:
    result = status(today, [], paired="2027-01-01")
    assert result.gone_quiet is flagged and result.last_meeting is None


@pytest.mark.parametrize(("days", "flagged"), [(7, True), (8, False)])
def test_the_number_of_days_is_the_leads_to_choose(days: int, flagged: bool) -> None:
    assert status("2027-01-29", ["2027-01-21"], days=days).gone_quiet is flagged


def test_meetings_with_a_former_mentor_do_not_count_for_the_new_pair() -> None:
    result = status("2027-01-25", ["2027-01-24"], paired="2027-01-01", mentor=OMAR)
    assert result.meetings == 0 and result.gone_quiet


# --- rule 2: no meeting since the last workshop, before the next ------------------------------


@pytest.mark.parametrize(
    ("meeting", "flagged"),
    [
        ("2027-02-02", True),  # on sprint 1's own day: not mentoring between workshops
        ("2027-02-03", False),  # the day after sprint 1
        ("2027-01-31", True),  # before sprint 1
    ],
)
def test_not_met_since_the_last_workshop(meeting: str, flagged: bool) -> None:
    result = status("2027-02-10", [meeting])
    assert (result.not_met_since == ("sprint-1", day("2027-02-02"))) is flagged
    assert result.next_sprint == ("sprint-2", day("2027-03-02"))


@pytest.mark.parametrize(
    ("today", "flagged"),
    [
        ("2027-02-02", False),  # sprint 1's day: the rule starts tomorrow
        ("2027-02-03", True),  # the day after sprint 1
        ("2027-03-01", True),  # the day before sprint 2
        ("2027-03-02", False),  # sprint 2 has begun
    ],
)
def test_the_rule_runs_between_workshops_only(today: str, flagged: bool) -> None:
    result = status(today, ["2027-01-20", "2027-02-01"], days=60)
    assert (result.not_met_since is not None) is flagged
    assert result.flagged is flagged


def test_after_the_last_workshop_only_the_first_rule_applies() -> None:
    result = status("2027-05-20", ["2027-04-10"], days=60)
    assert result.not_met_since is None and result.next_sprint is None and not result.flagged


def test_the_window_between_workshops() -> None:
    assert workshop_window(COHORT, day("2027-01-05")) is None
    assert workshop_window(COHORT, day("2027-02-10")) == (
        ("sprint-1", day("2027-02-02")),
        ("sprint-2", day("2027-03-02")),
    )


def test_suggested_pairs_are_not_checked_and_flagged_pairs_come_first() -> None:
    bilal = Person(4, 1, "councillor", "Bilal Sample", "bilal@council.example", "", day("2027-01-01"))
    pairs = [Pairing(1, 2, "accepted", day("2027-01-12")), Pairing(4, 3, "suggested", None)]
    assert [s.councillor.name for s in pair_statuses(COHORT, [*PEOPLE, bilal], pairs, [], day("2027-02-10"))] == [
        "Ann Example"
    ]


# --- the meeting log ------------------------------------------------------------------------

LOG_PEOPLE = [
    ANN,
    MINA,
    OMAR,
    Person(4, 1, "councillor", "Bilal Sample", "bilal@council.example", "", day("2027-01-01")),
    Person(5, 1, "councillor", "Sam Twin", "sam.one@council.example", "", day("2027-01-01")),
    Person(6, 1, "councillor", "Sam Twin", "sam.two@council.example", "", day("2027-01-01")),
]


def write_log(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_log_with_and_without_a_mentor_column(tmp_path: Path) -> None:
    path = write_log(
        tmp_path,
        "Councillor,Mentor,Date of meeting,Length (minutes)\n"
        "ann@council.example,Omar Officer,20/01/2027,1 hour\n"
        "bilal sample,,2027-01-21,45 mins\n",
    )
    meetings = read_meeting_log(read_table(path), LOG_PEOPLE, {4: MINA.id}, day("2027-02-01"))
    assert [(m.councillor_id, m.mentor_id, m.date, m.minutes) for m in meetings] == [
        (1, 3, day("2027-01-20"), 60),
        (4, 2, day("2027-01-21"), 45),
    ]


def test_every_bad_row_in_a_log_is_located(tmp_path: Path) -> None:
    path = write_log(
        tmp_path,
        "Councillor,Date,Minutes\n"
        "Anne Example,20/01/2027,30\n"  # a misspelt name
        "Sam Twin,20/01/2027,30\n"  # two councillors have this name
        "ann@council.example,2/13/2027,30\n"  # month first, without --month-first
        "ann@council.example,20/01/2027,an age\n"
        "ann@council.example,20/03/2027,30\n"  # after today
        "bilal@council.example,20/01/2027,30\n",  # no mentor yet
    )
    with pytest.raises(ImportProblems) as caught:
        read_meeting_log(read_table(path, source="log.csv"), LOG_PEOPLE, {1: MINA.id}, day("2027-02-20"))
    assert [str(p) for p in caught.value.problems] == [
        "log.csv:2:1: councillor: no councillor called 'Anne Example'; did you mean 'Ann Example'?",
        "log.csv:3:1: councillor: 2 councillors are called 'Sam Twin'; use their email instead",
        "log.csv:4:2: date: '2/13/2027' is not a date with the day first; if the file writes the month first "
        "(2/10/2027 for 10 February), add --month-first",
        "log.csv:5:3: minutes: 'an age' is not a length; write the minutes, like 45",
        "log.csv:6:2: date: 2027-03-20 is after today",
        "log.csv:7:1: mentor: Bilal Sample has no mentor yet; pair them first, or add a Mentor column",
    ]


def test_the_fixture_log_has_the_columns_a_lead_types() -> None:
    table = read_table(FIXTURES / "meetings-log.csv")
    assert [table.column(n) for n in ("councillor", "mentor", "date", "minutes", "notes")] == [0, 1, 2, 3, 4]
    assert len(table.rows) == 16  # imported end to end in test_cli.py


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("45", 45), ("45 mins", 45), ("1 hour", 60), ("1.5 hours", 90), ("1:30", 90), ("", None), (" 20 minutes ", 20)],
)
def test_meeting_lengths(text: str, minutes: int | None) -> None:
    assert parse_minutes(text) == minutes


@pytest.mark.parametrize("text", ["0", "601", "a while", "-5"])
def test_impossible_lengths(text: str) -> None:
    with pytest.raises(ValueError):
        parse_minutes(text)


def test_dates_are_plain_dates() -> None:
    assert isinstance(status("2027-02-10", []).since, dt.date)
