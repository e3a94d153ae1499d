"""Questionnaire answers from online form exports (or a sheet typed from paper forms).

Columns are matched to questions by the question's words, ignoring case, spacing, a question
number and end punctuation. Microsoft Forms' Likert question exports one column per statement,
headed with the statement; Google Forms' grid exports ``Title [Statement]``, so the words in
square brackets are matched too. A column may also be headed with the question's id.

Answers may be the scale's numbers (``4``, ``4.0``, ``4 - Confident``) or its words (the two
ends' words, and each point's word when the questionnaire gives them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import Problem
from ..models import Questionnaire, Scale, Timing
from .people import EMAIL_COLUMN, NAME, find_people, not_found_message
from .spreadsheets import FORM_COLUMNS, ImportProblems, Table, is_anonymous, normalise, normalise_header
from .store import Person, SurveyAnswer


def _statement_key(text: str) -> str:
    return normalise_header(text).rstrip(" .!?")


def match_questions(
    table: Table, questionnaire: Questionnaire, versions: Sequence[Questionnaire] = ()
) -> dict[int, str]:
    """Column index -> question id, for every column that asks one of the questionnaire's questions.

    ``versions`` are the questionnaire in the hub's other languages: a form set up in Welsh matches too.
    """
    by_text = {_statement_key(q.text): q.id for v in (questionnaire, *versions) for q in v.questions()}
    by_id = {q.id: q.id for q in questionnaire.questions()}
    matched: dict[int, str] = {}
    for index, header in enumerate(table.headers):
        keys = [_statement_key(header)]
        bracket = re.search(r"\[([^\[\]]+)\]\s*$", header)
        if bracket:
            keys.insert(0, _statement_key(bracket[1]))
        for key in keys:
            question = by_text.get(key) or by_id.get(key)
            if question:
                matched[index] = question
                break
    return matched


def parse_answer(text: str, scale: Scale, other_scales: Sequence[Scale] = ()) -> int | None:
    """The point on the scale an answer means; None when empty. Raises ValueError otherwise.

    ``other_scales`` are the same scale in the hub's other languages, whose words count too.
    """
    value = text.strip()
    if not value:
        return None
    match = re.fullmatch(r"(\d+)(?:\.0+)?(?:\s*(?:[-–:.(]\s*)?[^\d\s.].*)?", value)
    if match:
        number = int(match[1])
        if 1 <= number <= scale.points:
            return number
        raise ValueError(f"{value!r} is outside the scale of 1 to {scale.points}")
    words: dict[str, int] = {}
    for each in (*other_scales, scale):
        words |= {normalise(each.low): 1, normalise(each.high): each.points}
        words |= {normalise(label): index for index, label in enumerate(each.labels, start=1)}
    key = normalise(value).strip(" .")
    if key in words:
        return words[key]
    raise ValueError(
        f"{value!r} is not on the scale: use a number from 1 to {scale.points}, "
        f"{scale.low!r} (1) or {scale.high!r} ({scale.points})"
    )


@dataclass(frozen=True)
class SurveyImport:
    answers: list[SurveyAnswer]
    people: int
    questions: int
    notes: list[str]


def read_answers(
    table: Table,
    questionnaire: Questionnaire,
    timing: Timing,
    councillors: Sequence[Person],
    *,
    versions: Sequence[Questionnaire] = (),
) -> SurveyImport:
    """Every answer in an export; raises ``ImportProblems`` (nothing imported) if any row is bad."""
    problems: list[Problem] = []
    questions = match_questions(table, questionnaire, versions)
    other_scales = [v.scale for v in versions]
    emails = table.columns(*EMAIL_COLUMN.names)
    names = table.columns(*NAME.names)
    if not questions:
        problems.append(
            table.problem(
                1, 0, "(header)",
                f"no column asks a question of the {questionnaire.title!r}; head each column with the "
                "statement's words, as on the printed form (for example "
                f"{questionnaire.questions()[0].text!r})",
            )
        )  # fmt: skip
    if not emails and not names:
        problems.append(
            table.problem(
                1, 0, "(header)",
                "no Email or Name column, so answers cannot be paired before and after; "
                "set the form to record names, or ask for an email",
            )
        )  # fmt: skip
    if problems:
        raise ImportProblems(problems, table.source)
    notes = list(table.notes)
    by_row: dict[int, tuple[int, list[SurveyAnswer]]] = {}
    for row in table.rows:
        person: Person | None = None
        said = ""
        for column in [*emails, *names]:
            who = row.get(column)
            if not who or is_anonymous(who):
                continue
            said = said or who
            found = find_people(councillors, who)
            if len(found) == 1:
                person = found[0]
                break
        if person is None:
            column = (emails or names)[0]
            message = (
                "the row says nothing about who answered (the form was anonymous)"
                if not said
                else not_found_message(councillors, said, "councillor") + " in this cohort"
            )
            problems.append(table.problem(row.number, column, "who", message))
            continue
        answers = []
        for column, question in questions.items():
            try:
                value = parse_answer(row.get(column), questionnaire.scale, other_scales)
            except ValueError as exc:
                problems.append(table.problem(row.number, column, question, str(exc)))
                continue
            if value is not None:
                answers.append(SurveyAnswer(person.id, questionnaire.id, question, timing, value))
        if person.id in by_row:
            notes.append(f"row {row.number} replaces row {by_row[person.id][0]}: both are {person.name}'s answers")
        by_row[person.id] = (row.number, answers)
    if problems:
        raise ImportProblems(problems, table.source)
    unused = [
        h
        for i, h in enumerate(table.headers)
        if i not in questions and i not in emails and i not in names and normalise_header(h) not in FORM_COLUMNS
    ]
    if unused:
        notes.append("columns that match no question (check their words): " + ", ".join(repr(h) for h in unused))
    answers = [a for _, row_answers in by_row.values() for a in row_answers]
    return SurveyImport(answers, len(by_row), len(set(questions.values())), notes)


def template_header(questionnaire: Questionnaire) -> list[str]:
    """The header of a sheet for typing in paper answers: who, then each statement."""
    return ["Email", "Name", *(q.text for q in questionnaire.questions())]
