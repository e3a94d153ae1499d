"""Councillors and mentors: importing them from sign-up form exports, and finding them again.

A sign-up form export has one row per person. Columns are found by the names forms and people
give them (see ``COUNCILLOR_COLUMNS`` and ``MENTOR_COLUMNS``); Microsoft Forms' own ``Email`` and
``Name`` columns say "anonymous" when the form did not ask people to sign in, so a question such
as "Your email address" is used instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import Problem
from .spreadsheets import (
    EMAIL,
    FORM_COLUMNS,
    ImportProblems,
    Row,
    Table,
    clean_text,
    has_control_characters,
    is_anonymous,
    normalise,
    normalise_header,
)
from .store import NewPerson, Person, Role
from .vocabulary import Vocabulary

MAX_NAME = 120


@dataclass(frozen=True)
class Column:
    field: str  # as named in messages
    names: tuple[str, ...]  # column names it may have, most specific first
    required: bool = False


NAME = Column(
    "name",
    ("your full name", "your name", "full name", "what is your name", "name of councillor", "councillor", "name"),
    required=True,
)
EMAIL_COLUMN = Column(
    "email",
    (
        "your email address", "your email", "what is your email address", "council email", "work email",
        "email address", "e-mail address", "email", "e-mail",
    ),
    required=True,
)  # fmt: skip
WARD = Column("ward", ("ward", "your ward", "which ward do you represent", "ward or division", "division"))
TEAM = Column("team", ("team", "your team", "department", "service", "directorate", "job title"))
HELP_NAMES = (
    "help i would like",
    "what help would you like",
    "what help would you like from your mentor",
    "help needed",
    "help",
)
SKILL_NAMES = (
    "skills",
    "skills i can offer",
    "your skills",
    "what can you help with",
    "which of these can you help with",
    "what can you help councillors with",
)
CONSENT = Column("consent", ("consent", "i consent", "i agree", "do you agree", "data protection"))

_YES = {"yes", "y", "true", "1", "agree", "i agree", "agreed", "i consent", "consent given", "given", "x", "✓"}
_NO = {"no", "n", "false", "0", "disagree", "i do not agree", "not given", "refused"}


def parse_consent(text: str) -> bool | None:
    """yes / no from a consent cell; None when empty. Raises ValueError for anything else."""
    key = normalise(text).strip(" .")
    if not key:
        return None
    if key in _YES or key.startswith(("yes", "i agree", "i consent")):
        return True
    if key in _NO or key.startswith(("no", "i do not")):
        return False
    raise ValueError(f"{text!r} is not a yes or no answer")


def _consent_column(table: Table) -> int | None:
    found = table.column(*CONSENT.names)
    if found is not None:
        return found
    # A form's consent question is often the whole statement: "I agree to my details being kept ..."
    for index, header in enumerate(table.headers):
        key = normalise_header(header)
        if key.startswith(("i agree", "i consent", "consent")) or " consent" in key:
            return index
    return None


def _first_value(row: Row, columns: Sequence[int]) -> tuple[str, int | None]:
    """The first usable value among ``columns`` (skipping empty and "anonymous"), and its column."""
    for column in columns:
        value = row.get(column)
        if value.strip() and not is_anonymous(value):
            return value, column
    return "", columns[0] if columns else None


def check_name(value: str) -> str | None:
    """The problem with a person's name, or None."""
    if not value.strip():
        return "the name is empty"
    if has_control_characters(value):
        return "the name contains control characters; retype it"
    if len(clean_text(value)) > MAX_NAME:
        return f"the name is longer than {MAX_NAME} characters"
    if not any(ch.isalpha() for ch in value):
        return f"{value!r} does not look like a name"
    return None


def check_email(value: str) -> str | None:
    if not value.strip():
        return "the email is empty"
    if len(value) > 254 or not EMAIL.match(value.strip()):
        return f"{value!r} is not an email address"
    return None


def read_people(
    table: Table, role: Role, vocabulary: Vocabulary, existing: Sequence[Person]
) -> tuple[list[NewPerson], list[str]]:
    """People from a sign-up export, and notes for the lead; raises ``ImportProblems`` if any row is bad."""
    problems: list[Problem] = []
    names = table.columns(*NAME.names)
    emails = table.columns(*EMAIL_COLUMN.names)
    detail_column = table.column(*(WARD if role == "councillor" else TEAM).names)
    skills_names = HELP_NAMES + (vocabulary.label,) if role == "councillor" else SKILL_NAMES
    skills_column = table.column(*skills_names)
    consent_column = _consent_column(table)
    for column, columns in ((NAME, names), (EMAIL_COLUMN, emails)):
        if not columns:
            problems.append(
                table.problem(
                    1, 0, column.field, f"no column for the {column.field}; name one of: {', '.join(column.names)}"
                )
            )
    if role == "mentor" and skills_column is None:
        problems.append(
            table.problem(1, 0, "skills", f"no column for the mentor's skills; name one of: {', '.join(SKILL_NAMES)}")
        )
    if problems:
        raise ImportProblems(problems, table.source)

    by_email = {p.email.casefold(): p for p in existing}
    seen: dict[str, int] = {}
    people: list[NewPerson] = []
    for row in table.rows:
        name, name_column = _first_value(row, names)
        email, email_column = _first_value(row, emails)
        row_problems = []
        if (message := check_name(name)) is not None:
            row_problems.append(table.problem(row.number, name_column, "name", message))
        if (message := check_email(email)) is not None:
            row_problems.append(table.problem(row.number, email_column, "email", message))
        email = email.strip().lower()
        if email and not row_problems:
            if email in seen:
                row_problems.append(
                    table.problem(row.number, email_column, "email", f"{email} is already on row {seen[email]}")
                )
            other = by_email.get(email)
            if other is not None and other.role != role:
                row_problems.append(
                    table.problem(
                        row.number, email_column, "email",
                        f"{email} is already a {other.role} in this cohort ({other.name}); one person has one role",
                    )
                )  # fmt: skip
            seen.setdefault(email, row.number)
        detail = clean_text(row.get(detail_column))
        if has_control_characters(detail) or len(detail) > 200:
            field_name = WARD.field if role == "councillor" else TEAM.field
            message = "this cell has control characters or is over 200 characters"
            row_problems.append(table.problem(row.number, detail_column, field_name, message))
        skills: tuple[str, ...] | None = None
        if skills_column is not None:
            found, unknown = vocabulary.parse(row.get(skills_column))
            field = "help" if role == "councillor" else "skills"
            for fragment in unknown:
                row_problems.append(
                    table.problem(row.number, skills_column, field, vocabulary.unknown_message(fragment))
                )
            skills = tuple(found)
        consent: bool | None = None
        if consent_column is not None:
            try:
                consent = parse_consent(row.get(consent_column))
            except ValueError as exc:
                row_problems.append(
                    table.problem(row.number, consent_column, "consent", f"{exc}; write yes or no (or leave it empty)")
                )
        problems += row_problems
        if not row_problems:
            people.append(NewPerson(clean_text(name), email, detail, skills, consent))
    if problems:
        raise ImportProblems(problems, table.source)
    used = {c for c in (*names, *emails, detail_column, skills_column, consent_column) if c is not None}
    ignored = [
        h for i, h in enumerate(table.headers) if i not in used and h and normalise_header(h) not in FORM_COLUMNS
    ]
    notes = list(table.notes)
    if ignored:
        notes.append("columns not used: " + ", ".join(repr(h) for h in ignored))
    return people, notes


# --- finding people -------------------------------------------------------------------------


def _name_key(text: str) -> str:
    return normalise(text).strip(" .")


def _squashed(text: str) -> str:
    return "".join(ch for ch in normalise(text) if ch.isalnum())


def find_people(people: Sequence[Person], text: str) -> list[Person]:
    """People named by ``text``: an email, an id number (``#12`` or ``12``), or a name.

    A name matches ignoring case and spacing; if none does, a match ignoring every space and
    punctuation mark is tried (an email client may have broken a name across lines).
    """
    wanted = text.strip()
    if not wanted:
        return []
    if "@" in wanted:
        return [p for p in people if p.email.casefold() == wanted.casefold()]
    if wanted.lstrip("#").isdigit():
        number = int(wanted.lstrip("#"))
        return [p for p in people if p.id == number]
    exact = [p for p in people if _name_key(p.name) == _name_key(wanted)]
    if exact:
        return exact
    return [p for p in people if _squashed(p.name) == _squashed(wanted) and _squashed(wanted)]


def not_found_message(people: Sequence[Person], text: str, what: str = "person") -> str:
    import difflib

    message = f"no {what} called {text!r}"
    names = {p.name: p for p in people}
    close = difflib.get_close_matches(text, list(names), n=1, cutoff=0.6)
    return message + (f"; did you mean {close[0]!r}?" if close else "")
