"""The strict YAML reader: traps, locations and refusals."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from councillor_hub.yaml_source import YamlDocument, format_field, parse_yaml, read_yaml


def parse(text: str) -> YamlDocument:
    return parse_yaml(text, YamlDocument(path=Path("x.yml"), display="x.yml", data=None))


def test_plain_scalars_stay_strings_so_yaml_11_traps_cannot_fire() -> None:
    doc = parse("country: NO\nenabled: on\ntime: 12:30\nversion: 1.10\npostcode: 01234\nphone: +441234567890\n")
    assert doc.data == {
        "country": "NO",
        "enabled": "on",
        "time": "12:30",
        "version": "1.10",
        "postcode": "01234",
        "phone": "+441234567890",
    }
    assert doc.problems == []


def test_impossible_date_is_a_string_not_a_crash() -> None:
    doc = parse("date: 2024-02-30\n")
    assert doc.data == {"date": "2024-02-30"}


def test_nulls_and_quoted_nulls() -> None:
    doc = parse('a:\nb: ~\nc: "null"\n')
    assert doc.data == {"a": None, "b": None, "c": "null"}


def test_duplicate_key_names_both_lines() -> None:
    doc = parse("title: One\nsummary: x\ntitle: Two\n")
    assert [str(p) for p in doc.problems] == ["x.yml:3:1: title: duplicate key (first set on line 1); keep only one"]


def test_syntax_error_is_located() -> None:
    doc = parse("id: a\ntitle: Councillor training: the basics\n")
    (problem,) = doc.problems
    assert (problem.line, problem.col, problem.field) == (2, 27, "(syntax)")
    assert "mapping values are not allowed" in problem.message


def test_python_tags_are_refused() -> None:
    doc = parse('x: !!python/object/apply:os.system ["id"]\n')
    (problem,) = doc.problems
    assert problem.field == "x" and "not allowed" in problem.message


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(8):
        name, prev = chr(98 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 5) + "]")
    bomb = "\n".join(lines) + "\n"
    start = time.perf_counter()
    doc = parse(bomb)
    assert time.perf_counter() - start < 1.0
    assert doc.problems and all("anchors and aliases" in p.message for p in doc.problems)


def test_merge_keys_are_refused() -> None:
    doc = parse("base: {a: 1}\nother:\n  <<: {a: 2}\n")
    assert any("merge keys" in p.message for p in doc.problems)


def test_locations_are_recorded_for_nested_values() -> None:
    doc = parse("steps:\n  - title: A\n    detail: B\n")
    assert doc.locate(("steps", 0, "detail")) == (3, 13)
    assert doc.locate(("steps", 0, "missing")) == (2, 5)


def test_format_field() -> None:
    assert format_field(("steps", 2, "title")) == "steps[2].title"
    assert format_field(()) == "(file)"


# --- Only ordinary files are read (issue #15, finding 11) -------------------------------------------


def only_problem(doc: YamlDocument) -> str:
    assert doc.fatal and doc.data is None
    (problem,) = doc.problems
    assert (problem.line, problem.col, problem.field) == (1, 1, "(file)")
    return problem.message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_refused_before_it_is_read() -> None:
    start = time.perf_counter()
    assert "is not an ordinary file" in only_problem(read_yaml(Path("/dev/zero")))
    assert time.perf_counter() - start < 1.0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_pipe_is_refused_without_opening_it(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.yml")
    # Opening a pipe with no writer blocks for ever; stat is checked first, so this returns at once.
    # Read in a daemon thread, so a regression fails here instead of hanging the test run.
    docs: list[YamlDocument] = []
    reader = threading.Thread(target=lambda: docs.append(read_yaml(tmp_path / "x.yml")), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert docs, "read_yaml blocked on a named pipe"
    assert "is not an ordinary file" in only_problem(docs[0])


def test_a_file_over_one_megabyte_is_refused(tmp_path: Path) -> None:
    (tmp_path / "big.yml").write_bytes(b"#" * 1_000_001)
    assert "1,000,001 bytes, over the 1,000,000-byte limit" in only_problem(read_yaml(tmp_path / "big.yml"))


def test_a_folder_named_like_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.yml").mkdir()
    assert "is a folder" in only_problem(read_yaml(tmp_path / "x.yml"))


def test_with_a_root_every_symlink_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "hub"
    (root / "content").mkdir(parents=True)
    (root / "content/real.yml").write_text("id: a\n")
    (root / "content/inside.yml").symlink_to("real.yml")
    (tmp_path / "outside.yml").write_text("id: b\n")
    (root / "content/outside.yml").symlink_to(tmp_path / "outside.yml")
    (root / "content/loop.yml").symlink_to("loop.yml")
    assert read_yaml(root / "content/real.yml", root=root).data == {"id": "a"}
    assert "symbolic link (to content/real.yml)" in only_problem(read_yaml(root / "content/inside.yml", root=root))
    assert "outside the project" in only_problem(read_yaml(root / "content/outside.yml", root=root))
    assert "symbolic link" in only_problem(read_yaml(root / "content/loop.yml", root=root))


def test_line_endings_read_the_same_as_text_mode(tmp_path: Path) -> None:
    (tmp_path / "crlf.yml").write_bytes(b"a: 1\r\nb: [x\r\n")
    doc = read_yaml(tmp_path / "crlf.yml")
    assert doc.text == "a: 1\nb: [x\n"
    assert doc.problems[0].line == 3


# --- Found by the fuzz layer (tests/fuzz, issue #15): every fault is one located line ------------


def test_a_forbidden_character_is_located_on_one_line() -> None:
    doc = parse("a: b\nééé: \x1f\n")
    (problem,) = doc.problems
    assert str(problem) == (
        "x.yml:2:6: (syntax): the character U+001F is not allowed in a YAML file "
        "(control characters are not allowed); delete it"
    )


def test_a_lone_surrogate_is_a_located_problem_not_a_crash() -> None:
    doc = parse("a: b\nc: \ud800\n")
    assert [str(p) for p in doc.problems] == [
        "x.yml:2:4: (syntax): the character U+D800 is not allowed in a YAML file; delete it"
    ]


def test_an_unexpected_end_of_file_is_located_inside_the_file() -> None:
    (problem,) = parse("a: [b").problems
    assert (problem.line, problem.col) == (1, 6)


def test_a_key_with_a_line_break_is_quoted_in_the_field_name() -> None:
    doc = parse('"a\\nb": 1\n"a\\nb": 2\n')
    assert [str(p) for p in doc.problems] == ["x.yml:2:1: 'a\\nb': duplicate key (first set on line 1); keep only one"]


def test_an_empty_document_is_located_inside_the_file() -> None:
    # libyaml marks the empty value of "---" on line 2 of a one-line file.
    assert parse("---").locate(()) == (1, 4)
