"""The strict YAML reader: traps, locations and refusals."""

from __future__ import annotations

import time
from pathlib import Path

from councillor_hub.yaml_source import YamlDocument, format_field, parse_yaml


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
