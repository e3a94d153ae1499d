"""Questionnaire answers from Microsoft Forms and Google Forms exports, matched to questions by their words."""

from __future__ import annotations

from pathlib import Path

import pytest

from councillor_hub.cohort.spreadsheets import ImportProblems, read_table
from councillor_hub.cohort.store import Person
from councillor_hub.cohort.surveys import match_questions, parse_answer, read_answers, template_header
from councillor_hub.models import Questionnaire, Scale
from councillor_hub.toolkit import Toolkit

from .conftest import FIXTURES, day

NAMES = [
    "Ann Example", "Bilal Sample", "Carys Test", "Dev Placeholder", "Efa Dummy", "Femi Fixture", "Gwen Mock",
    "Hari Stub", "Ifan Proto", "Jo Specimen", "Kit Trial", "Lowri Demo",
]  # fmt: skip
COUNCILLORS = [
    Person(i, 1, "councillor", n, n.lower().replace(" ", ".") + "@council.example", "", day("2027-01-01"))
    for i, n in enumerate(NAMES, start=1)
]
MASTERCLASS = ["setting-up", "privacy", "posting", "photos-alt-text", "handling-rudeness"]


@pytest.fixture
def confidence(upstream_kit: Toolkit) -> Questionnaire:
    entry = upstream_kit.get("questionnaire", "confidence")
    assert entry is not None
    return entry.item  # type: ignore[no-any-return]


def test_microsoft_forms_likert_columns_and_answers_as_words(confidence: Questionnaire) -> None:
    table = read_table(FIXTURES / "confidence-before-microsoft-forms.csv")
    assert sorted(match_questions(table, confidence).values()) == sorted(MASTERCLASS)
    result = read_answers(table, confidence, "before", COUNCILLORS)
    assert (result.people, result.questions, len(result.answers)) == (11, 5, 55)
    ann = {a.question: a.value for a in result.answers if a.person_id == 1}
    assert ann == {"setting-up": 1, "privacy": 2, "posting": 3, "photos-alt-text": 2, "handling-rudeness": 1}
    assert {a.timing for a in result.answers} == {"before"} and result.notes == []


def test_google_forms_grid_columns_and_a_second_answer_replacing_the_first(confidence: Questionnaire) -> None:
    table = read_table(FIXTURES / "confidence-after-google-forms.csv")
    result = read_answers(table, confidence, "after", COUNCILLORS)
    assert (result.people, len(result.answers)) == (10, 50)
    bilal = {a.question: a.value for a in result.answers if a.person_id == 2}
    assert bilal["setting-up"] == 4, "the later of Bilal's two rows counts"
    assert result.notes == [
        "row 4 replaces row 3: both are Bilal Sample's answers",
        "columns that match no question (check their words): 'Anything else you want to tell us?'",
    ]


@pytest.mark.parametrize(
    "header",
    [
        "I know what people find when they search for me.",
        "i know what people find when they search for me",
        "4. I know what people  find when they search for me?",
        "How confident are you? [I know what people find when they search for me.]",
        "search-footprint",
    ],
)
def test_a_question_is_found_by_its_words_or_its_id(confidence: Questionnaire, header: str, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(f'Email,"{header}"\n', encoding="utf-8")
    assert match_questions(read_table(path), confidence) == {1: "search-footprint"}


@pytest.mark.parametrize(
    ("answer", "value"),
    [("1", 1), ("5.0", 5), ("4 - Confident", 4), ("1 Not at all confident", 1), ("not at all confident", 1),
     ("Very confident", 5), ("3 (unsure)", 3), ("", None)],
)  # fmt: skip
def test_answers_as_the_scales_numbers_or_words(confidence: Questionnaire, answer: str, value: int | None) -> None:
    assert parse_answer(answer, confidence.scale) == value


def test_words_for_every_point_when_the_questionnaire_gives_them() -> None:
    scale = Scale(points=3, low="No", high="Yes", labels=["No", "Partly", "Yes"])
    assert [parse_answer(w, scale) for w in ("no", "Partly", "YES")] == [1, 2, 3]


@pytest.mark.parametrize("answer", ["6", "0", "4.5", "Quite", "=1+1"])
def test_answers_off_the_scale_are_refused(confidence: Questionnaire, answer: str) -> None:
    with pytest.raises(ValueError, match="scale"):
        parse_answer(answer, confidence.scale)


def test_every_bad_row_is_located_and_nothing_is_imported(confidence: Questionnaire, tmp_path: Path) -> None:
    path = tmp_path / "after.csv"
    path.write_text(
        "Timestamp,Email Address,I can explain what co-production is.,I know how to hand over a group so it carries on"
        " without me.\n"
        "01/04/2027 10:00,ann.example@council.example,4,Quite\n"
        "01/04/2027 10:01,anonymous,3,3\n"
        "01/04/2027 10:02,zed@council.example,3,3\n"
        "01/04/2027 10:03,bilal.sample@council.example,9,2\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportProblems) as caught:
        read_answers(read_table(path, source="after.csv"), confidence, "after", COUNCILLORS)
    assert [str(p) for p in caught.value.problems] == [
        "after.csv:2:4: hand-over: 'Quite' is not on the scale: use a number from 1 to 5, "
        "'Not at all confident' (1) or 'Very confident' (5)",
        "after.csv:3:2: who: the row says nothing about who answered (the form was anonymous)",
        "after.csv:4:2: who: no councillor called 'zed@council.example' in this cohort",
        "after.csv:5:3: explain-co-production: '9' is outside the scale of 1 to 5",
    ]


def test_an_export_with_no_question_or_no_respondent_is_refused(confidence: Questionnaire, tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("Timestamp,How was lunch?\n01/04/2027,Fine\n", encoding="utf-8")
    with pytest.raises(ImportProblems) as caught:
        read_answers(read_table(path, source="other.csv"), confidence, "before", COUNCILLORS)
    messages = [p.message for p in caught.value.problems]
    assert any(m.startswith("no column asks a question of the 'Confidence questionnaire'") for m in messages)
    assert any(m.startswith("no Email or Name column, so answers cannot be paired") for m in messages)


def test_the_paper_form_template_has_a_column_per_question(confidence: Questionnaire) -> None:
    header = template_header(confidence)
    assert header[:2] == ["Email", "Name"] and len(header) == 2 + len(confidence.questions())
