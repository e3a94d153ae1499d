"""Fuzzing the YAML reader and the content loader (issue #15).

Properties, over generated YAML-ish text and over upstream's real content files with random byte
and line mutations:

* reading and loading never raise: every fault comes back as a ``Problem``, never a traceback;
* every fault is located: ``path:line:col: field: message`` on one line, with the line and
  column inside the file that was read.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from councillor_hub.errors import ContentError, Problem
from councillor_hub.kinds import source_model, sources
from councillor_hub.loading import load_toolkit
from councillor_hub.project import Project
from councillor_hub.validation import validate_document
from councillor_hub.yaml_source import YamlDocument, parse_yaml, read_yaml

from ..conftest import REPO
from .conftest import scaled

UPSTREAM = REPO / "content" / "toolkits"
# PyYAML's line breaks: its marks count lines by these, so bounds are checked the same way.
_BREAKS = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")

# Pieces that make YAML parsers and our walker take their rarer paths.
FRAGMENTS = [
    "id",
    "title",
    "sections",
    "last_reviewed",
    ":",
    ": ",
    "-",
    "- ",
    " ",
    "  ",
    "    ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "'",
    '"',
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "!!python/object/apply:os.system ",
    "!x ",
    "<<: ",
    "# ",
    "|",
    ">-",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "? ",
    "\\",
    "\x00",
    "\ufeff",
    "\u2028",
    "\x85",
    "é",
    "\U0001f600",
    "2026-11-23",
    "NO",
    "~",
    "null",
    "12:30",
    "0x1F",
    "'a\nb'",
    '"\\u0000"',
    '"\\\n"',
    '"a\\nb": ',
    "- id: ",
]
yamlish = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=60).map("".join)


def assert_located(problem: Problem, text: str, path: str) -> None:
    """One line, naming ``path``, with line and column inside ``text``."""
    shown = str(problem)
    assert "\n" not in shown and "\r" not in shown, shown
    assert problem.path == path and problem.field and problem.message, shown
    lines = _BREAKS.split(text)
    assert 1 <= problem.line <= len(lines), (shown, len(lines))
    assert 1 <= problem.col <= len(lines[problem.line - 1]) + 1, (shown, lines[problem.line - 1])


@given(yamlish)
@settings(max_examples=scaled(150))
def test_parsing_any_text_never_raises_and_locates_every_fault(text: str) -> None:
    doc = parse_yaml(text, YamlDocument(path=Path("x.yml"), display="x.yml", data=None))
    for problem in doc.problems:
        assert_located(problem, text, "x.yml")
    if doc.fatal:
        assert doc.problems and doc.data is None


# --- Upstream's real files, mutated -----------------------------------------------------------


def _content_files() -> list[tuple[str, type]]:
    """Every upstream content file (relative to content/toolkits) with the model it validates as."""
    found = []
    for source in sources():
        location = UPSTREAM / source.path
        paths = sorted(location.glob("*.yml")) if source.layout == "folder" else [location]
        found += [
            (p.relative_to(UPSTREAM).as_posix(), source_model(source)) for p in paths if p.name not in source.exclude
        ]
    return found


CONTENT_FILES = _content_files()


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, type, bytes]:
    """A real upstream file with a few random byte and line mutations."""
    name, model = draw(st.sampled_from(CONTENT_FILES))
    data = (UPSTREAM / name).read_bytes()
    for _ in range(draw(st.integers(1, 4))):
        lines = data.split(b"\n")
        at = draw(st.integers(0, max(0, len(data) - 1)))
        line = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["byte", "insert", "truncate", "drop", "repeat", "swap", "indent", "dedent"]))
        if operation == "byte":
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
        elif operation == "insert":
            piece = draw(st.sampled_from(FRAGMENTS)).encode("utf-8", "surrogatepass")
            data = data[:at] + piece + data[at:]
        elif operation == "truncate":
            data = data[:at]
        elif operation == "drop":
            data = b"\n".join(lines[:line] + lines[line + 1 :])
        elif operation == "repeat":
            data = b"\n".join(lines[: line + 1] + lines[line:])
        elif operation == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[line], lines[other] = lines[other], lines[line]
            data = b"\n".join(lines)
        elif operation == "indent":
            lines[line] = draw(st.sampled_from([b"  ", b"\t", b" "])) + lines[line]
            data = b"\n".join(lines)
        else:
            lines[line] = lines[line][2:]
            data = b"\n".join(lines)
    return name, model, data


def text_of(data: bytes) -> str:
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


@given(mutated())
@settings(max_examples=scaled(120))
def test_reading_a_mutated_content_file_never_raises_and_locates_every_fault(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[str, type, bytes]
) -> None:
    name, model, data = case
    path = tmp_path_factory.getbasetemp() / "mutated.yml"
    path.write_bytes(data)
    doc = read_yaml(path, name)
    _, problems = validate_document(doc, model)
    for problem in problems:
        assert_located(problem, text_of(data), name)


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Upstream's content in a project of its own (only what loading reads), one per module."""
    root = tmp_path_factory.mktemp("fuzz-project")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(UPSTREAM, root / "content" / "toolkits", ignore=shutil.ignore_patterns("translations"))
    yield root


@given(case=mutated())
@settings(max_examples=scaled(12))
def test_loading_a_project_with_a_mutated_file_never_raises_and_locates_every_fault(
    project_copy: Path, case: tuple[str, type, bytes]
) -> None:
    name, _, data = case
    target = project_copy / "content" / "toolkits" / name
    original = target.read_bytes()
    target.write_bytes(data)
    try:
        load_toolkit(Project.load(project_copy, upstream=True))
    except ContentError as error:
        assert error.problems
        for problem in error.problems:
            file = project_copy / problem.path
            text = text_of(file.read_bytes()) if file.is_file() else ""
            assert_located(problem, text, problem.path)
    finally:
        target.write_bytes(original)
