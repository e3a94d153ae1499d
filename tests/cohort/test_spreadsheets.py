"""Reading CSV exports as forms and spreadsheets write them, and writing CSV no spreadsheet runs as a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from councillor_hub.cohort.spreadsheets import (
    ImportProblems,
    csv_text,
    neutralise,
    normalise_header,
    parse_date,
    read_table,
    write_csv,
)

from .conftest import FIXTURES


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Email", "email"),
        ("  Email   Address: ", "email address"),
        ("\ufeffID", "id"),
        ("What help would you like?*", "what help would you like"),
        ("3. Your ward", "your ward"),
        ("Q4) Your ward", "your ward"),
        ("YOUR\u00a0NAME", "your name"),
    ],
)
def test_column_names_match_whatever_their_case_and_spacing(header: str, expected: str) -> None:
    assert normalise_header(header) == expected


def test_microsoft_forms_export_with_a_byte_order_mark(tmp_path: Path) -> None:
    table = read_table(FIXTURES / "councillors-microsoft-forms.csv", source="c.csv")
    assert table.headers[:5] == ["ID", "Start time", "Completion time", "Email", "Name"]
    assert table.column("email") == 3 and table.column("NAME") == 4
    assert table.rows[0].number == 2 and table.rows[0].get(4) == "Ann Example"
    assert table.notes == []


def test_google_forms_export_quotes_every_cell() -> None:
    table = read_table(FIXTURES / "mentors-google-forms.csv", source="m.csv")
    assert table.headers[:2] == ["Timestamp", "Email Address"]
    assert table.rows[1].get(table.column("email address")) == "nia.officer@council.example"


def test_a_file_excel_saved_as_plain_csv_is_read_as_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes("Name,Email\r\nSiân Jones,sian@council.example\r\n".encode("cp1252"))
    table = read_table(path)
    assert table.rows[0].cells == ("Siân Jones", "sian@council.example")
    assert "Windows-1252" in table.notes[0]


def test_semicolons_separate_cells_where_a_comma_is_the_decimal_point(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Name;Email\nAnn Example;ann@council.example\n", encoding="utf-8")
    assert read_table(path).rows[0].cells == ("Ann Example", "ann@council.example")


def test_multi_line_cells_keep_spreadsheet_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text('Name,Note\n"Ann","line one\nline two"\nBilal,x\n', encoding="utf-8")
    assert [r.number for r in read_table(path).rows] == [2, 3]


def test_blank_rows_at_the_end_are_ignored_and_short_rows_padded(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Name,Email,Ward\nAnn,ann@council.example\n,,\n\n", encoding="utf-8")
    assert [r.cells for r in read_table(path).rows] == [("Ann", "ann@council.example", "")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04rest of a zip", "Excel workbook"),
        (b"", "the file is empty"),
        (b"Name,Email\nAnn\x00,ann@x.example\n", "NUL character"),
        (b'Name,Email\n"Ann,ann@x.example\n', "not a valid CSV file"),
        (b'Name,Email\n"Ann"x,ann@x.example\n', "not a valid CSV file"),
    ],
)
def test_files_that_are_not_csv_tables_are_refused_with_a_reason(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(ImportProblems) as caught:
        read_table(path, source="broken.csv")
    (problem,) = caught.value.problems
    assert problem.path == "broken.csv" and message in problem.message
    assert "nothing was imported" in caught.value.report()


def test_a_row_with_more_cells_than_the_header_is_located(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Name,Email\nAnn,ann@x.example\nBilal,bilal@x.example,Oakfield, extra\n", encoding="utf-8")
    with pytest.raises(ImportProblems) as caught:
        read_table(path, source="people.csv")
    assert [str(p) for p in caught.value.problems] == [
        "people.csv:3:3: (row): this row has 4 cells but the header row names 2 columns; "
        "is a comma missing from a quoted cell?"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-02-10", "2027-02-10"),
        ("10/02/2027", "2027-02-10"),
        ("10/2/27", "2027-02-10"),
        ("10.02.2027", "2027-02-10"),
        ("10/02/2027 14:28:27", "2027-02-10"),
        ("2027-02-10T09:30:00", "2027-02-10"),
        ("10 February 2027", "2027-02-10"),
        ("10th Feb 2027", "2027-02-10"),
    ],
)
def test_dates_as_people_and_forms_write_them(text: str, expected: str) -> None:
    assert parse_date(text) == dt.date.fromisoformat(expected)


def test_month_first_dates_from_a_us_english_form() -> None:
    assert parse_date("2/10/2027 09:00", month_first=True) == dt.date(2027, 2, 10)
    with pytest.raises(ValueError, match="--month-first"):
        parse_date("2/13/2027")
    with pytest.raises(ValueError, match="not a real date"):
        parse_date("31/02/2027")
    with pytest.raises(ValueError, match="write it like"):
        parse_date("next Tuesday")


@pytest.mark.parametrize(
    "hostile",
    ["=1+1", "+44 20 7946 0000", "-2+3", "@SUM(A1:A2)", "\tTAB", "\rCR", ' =HYPERLINK("http://x")', "\uff1d1+1"],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(hostile: str) -> None:
    assert neutralise(hostile) == "'" + hostile
    (row,) = list(csv.reader(io.StringIO(csv_text(["name"], [[hostile]]))))[1:]
    assert row == ["'" + hostile]


def test_plain_text_and_numbers_are_written_as_they_are(tmp_path: Path) -> None:
    assert neutralise("Ann Example") == "Ann Example"
    assert neutralise(-3) == -3 and neutralise(2.5) == 2.5
    path = tmp_path / "out.csv"
    write_csv(path, ["=name", "score"], [["=cmd|' /C calc'!A0", -1], ["Bilal", None]])
    text = path.read_text(encoding="utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [["'=name", "score"], ["'=cmd|' /C calc'!A0", "-1"], ["Bilal", ""]]
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    assert path.stat().st_mode & 0o077 == 0, "private output is readable by its owner only"
