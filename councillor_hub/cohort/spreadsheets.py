"""Reading the CSV files a programme lead has, and writing CSV files that are safe to open.

Reading: exports of Microsoft Forms (``ID, Start time, Completion time, Email, Name``, then a
column per question, several ticked answers joined by ``;``), Google Forms (``Timestamp,
Email Address``, then a column per question, ticked answers joined by ``, ``) and sheets typed
in Excel. Columns are found by name, case-insensitively and whatever the spacing, with a
UTF-8 byte-order mark or none; a file Excel saved as plain "CSV" (Windows-1252) is read too.
Every problem is located as ``file.csv:row:column: field: message``, with rows numbered as a
spreadsheet numbers them (the header is row 1).

Writing: every cell that a spreadsheet would run as a formula (one starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) gets a leading apostrophe, so a name such as
``=HYPERLINK(...)`` typed into a sign-up form stays text (OWASP: CSV injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem, display_path
from ..files import write_bytes_atomic

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# Excel on Windows writes UTF-8 with a byte-order mark ("CSV UTF-8"); this reads it without one too.
BOM = "\ufeff"
# Cells in exports that are not people's answers (Microsoft Forms and Google Forms add these).
FORM_COLUMNS = {
    "id",
    "start time",
    "completion time",
    "last modified time",
    "timestamp",
    "total points",
    "quiz feedback",
    "score",
}


class ImportProblems(Exception):
    """A file has problems; nothing from it was imported. ``problems`` are located."""

    def __init__(self, problems: Iterable[Problem], source: str) -> None:
        self.problems = sorted(set(problems))
        self.source = source
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        lines = [str(p) for p in self.problems]
        lines.append(
            f"{count} problem{'s' if count != 1 else ''} in {self.source}; nothing was imported. "
            "Fix the file and run the command again."
        )
        return "\n".join(lines)


def normalise(text: str) -> str:
    """Text as compared: case-folded, one space between words, no invisible characters."""
    text = unicodedata.normalize("NFKC", text).replace(BOM, "").replace("\u200b", "")
    return " ".join(text.casefold().split())


def normalise_header(text: str) -> str:
    """A column name as compared: ``"  Email Address: "`` and ``"email address"`` are the same column.

    Trailing punctuation (``?``, ``:``, ``*`` for a required question, a full stop) and leading
    question numbers (``1.``, ``Q1``) are ignored, since forms add them and people type them.
    """
    text = normalise(text)
    text = re.sub(r"^(?:q(?:uestion)?\s*)?\d+\s*[.):-]\s*", "", text)
    return text.strip(" ?:*.").strip()


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet numbers it: the header is row 1
    cells: tuple[str, ...]

    def get(self, column: int | None) -> str:
        if column is None or column >= len(self.cells):
            return ""
        return self.cells[column]


@dataclass
class Table:
    """A CSV file's header and rows, with where each came from."""

    source: str  # the file as shown in messages
    headers: list[str]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)

    def column(self, *names: str) -> int | None:
        """The first column whose name matches one of ``names`` (tried in order), or None."""
        wanted = [normalise_header(n) for n in names]
        normalised = [normalise_header(h) for h in self.headers]
        for name in wanted:
            if name in normalised:
                return normalised.index(name)
        return None

    def columns(self, *names: str) -> list[int]:
        """Every column matching one of ``names``, in the order of ``names``."""
        normalised = [normalise_header(h) for h in self.headers]
        found: list[int] = []
        for name in (normalise_header(n) for n in names):
            found += [i for i, h in enumerate(normalised) if h == name and i not in found]
        return found

    def problem(self, row: int, column: int | None, name: str, message: str) -> Problem:
        return Problem(self.source, row, (column or 0) + 1, name, message)


def _decode(data: bytes, notes: list[str]) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append("read as Windows-1252 (Excel's plain 'CSV' format); save as 'CSV UTF-8' to keep every character")
        return data.decode("cp1252", errors="replace")


def _delimiter(first_line: str) -> str:
    """Comma, or the semicolon or tab some spreadsheets use when a comma is the decimal point."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def read_table(path: Path, *, root: Path | None = None, source: str | None = None) -> Table:
    """Read a CSV file; raises ``ImportProblems`` if it cannot be read as a table at all."""
    shown = source or display_path(path, root)

    def fail(message: str, row: int = 1, col: int = 1) -> ImportProblems:
        return ImportProblems([Problem(shown, row, col, "(file)", message)], shown)

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise fail(f"cannot open it: {exc.strerror or exc}") from None
    if size > MAX_BYTES:
        raise fail(f"it is {size // 1024 // 1024} MB; a programme's CSV is far smaller (at most 10 MB)")
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        raise fail("this is an Excel workbook (.xlsx), not a CSV file: open it in Excel and 'Save As' CSV UTF-8")
    notes: list[str] = []
    text = _decode(data, notes)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise fail("it contains a NUL character, so it is not a text CSV file (was it saved as CSV?)", line)
    if not text.strip():
        raise fail("the file is empty; it needs a header row and one row per person")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]), strict=True)
    rows: list[Row] = []
    headers: list[str] | None = None
    number = 0
    problems: list[Problem] = []
    try:
        for cells in reader:
            number += 1
            if headers is None:
                headers = [c.replace(BOM, "").strip() for c in cells]
                continue
            if not any(c.strip() for c in cells):
                continue  # blank rows at the end of a sheet
            if number > MAX_ROWS:
                raise fail(f"it has more than {MAX_ROWS} rows", number)
            extra = [c for c in cells[len(headers) :] if c.strip()]
            if extra:
                problems.append(
                    Problem(
                        shown, number, len(headers) + 1, "(row)",
                        f"this row has {len(cells)} cells but the header row names {len(headers)} columns; "
                        "is a comma missing from a quoted cell?",
                    )
                )  # fmt: skip
            padded = [*cells[: len(headers)], *[""] * (len(headers) - len(cells))]
            rows.append(Row(number, tuple(c.strip() for c in padded)))
    except csv.Error as exc:
        raise fail(f"it is not a valid CSV file here: {exc}", reader.line_num or number) from None
    if problems:
        raise ImportProblems(problems, shown)
    assert headers is not None
    return Table(shown, headers, rows, notes)


# --- values ---------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$")
ANONYMOUS = {"anonymous", "anon"}


def has_control_characters(text: str) -> bool:
    """Control characters and text-direction overrides (which can disguise a name) are never valid."""
    return bool(_CONTROL.search(text))


def clean_text(text: str) -> str:
    """One line, single spaces."""
    return " ".join(text.split())


def is_anonymous(text: str) -> bool:
    return normalise(text) in ANONYMOUS


_MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


def parse_date(text: str, *, month_first: bool = False) -> dt.date:
    """A date as people and forms write it: 2027-02-10, 10/02/2027, 10/2/27, 10 February 2027.

    Numbers with slashes are day first, as in the UK, unless ``month_first`` (for a form owned by
    a US-English account, whose exports read 2/10/2027). A time after the date is ignored.
    Raises ``ValueError`` with a message a person can act on.
    """
    value = text.strip()
    value = re.split(r"[T ](?=\d{1,2}:\d{2})", value, maxsplit=1)[0].strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value)
        match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})", value)
        if match:
            first, second, year = int(match[1]), int(match[2]), int(match[3])
            year += 2000 if year < 100 else 0
            day, month = (second, first) if month_first else (first, second)
            try:
                return dt.date(year, month, day)
            except ValueError:
                if not month_first and first <= 12 < second:
                    raise ValueError(
                        f"{text!r} is not a date with the day first; if the file writes the month first "
                        "(2/10/2027 for 10 February), add --month-first"
                    ) from None
                raise
        match = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+),? (\d{4})", value)
        if match and match[2].casefold() in _MONTHS:
            return dt.date(int(match[3]), _MONTHS[match[2].casefold()], int(match[1]))
    except ValueError as exc:
        if "--month-first" in str(exc):
            raise
        raise ValueError(f"{text!r} is not a real date") from None
    raise ValueError(f"{text!r} is not a date; write it like 2027-02-10 or 10/02/2027")


# --- writing --------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value: object) -> object:
    """A cell that no spreadsheet will run as a formula. Numbers stay numbers."""
    if isinstance(value, str) and value.lstrip(" ").startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise("" if v is None else v) for v in row])
    return buffer.getvalue()


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write a CSV that Excel opens as UTF-8 (with a byte-order mark), formulas neutralised, atomically.

    The file is readable by its owner only: everything this package writes is private.
    """
    write_bytes_atomic(path, (BOM + csv_text(header, rows)).encode("utf-8"))
    os.chmod(path, 0o600)
