"""Strict YAML reading that keeps every value's location.

Council staff edit these files by hand, so the reader is deliberately unforgiving and precise:

* PyYAML's *safe* composer only; any explicit tag beyond the plain YAML types is refused
  (``!!python/object/apply`` never reaches a constructor).
* Anchors and aliases are refused, which also defuses "billion laughs" alias bombs.
* Duplicate keys are errors that name both lines (PyYAML silently keeps the last one).
* Only ordinary files of at most ``MAX_FILE_BYTES`` are opened. A pull request can carry a
  symlink to ``/dev/zero`` or a pipe named ``x.yml``; ``stat`` is checked before opening, so
  neither can exhaust memory or hang ``councillor-hub check`` (issue #15).
* Every plain scalar stays a string. YAML 1.1 would turn ``NO`` into ``False``, ``12:30`` into
  ``750`` and ``01234`` into ``668``; here the typed model decides what a value means, and
  reports a value it cannot accept, with its location.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

Location = tuple[int, int]
FieldPath = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_NULLS = {"", "~", "null", "Null", "NULL"}
MAX_NODES = 200_000
# The largest content file is about 55 kB (a sprint); 1 MB leaves room to grow while refusing a
# file that could only be a mistake or an attack (issue #15).
MAX_FILE_BYTES = 1_000_000
# libyaml's composer when PyYAML was built with it (the wheels on PyPI are): same safe rules,
# same nodes and marks, about ten times faster, which matters with thousands of learning-log posts.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class YamlDocument:
    """A parsed YAML file: plain data plus the location of every value in it."""

    path: Path
    display: str
    data: Any
    locations: dict[FieldPath, Location] = field(default_factory=dict)
    key_locations: dict[FieldPath, Location] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # True when the file could not be read or parsed at all, so there is nothing to validate.
    # Duplicate keys and refused tags are not fatal: the rest of the file is still checked.
    fatal: bool = False
    # The file's text as read (read_yaml only); None when it was refused or could not be read.
    # The loader looks for ids in it when the file will not parse, without opening the file again.
    text: str | None = None

    def locate(self, path: FieldPath) -> Location:
        """The location of ``path``, or of its nearest located ancestor."""
        probe = tuple(path)
        while probe and probe not in self.locations:
            probe = probe[:-1]
        return self.locations.get(probe, (1, 1))

    def value_at(self, path: FieldPath) -> Any:
        """The value at ``path`` as read (strings stay as written), or None if there is none."""
        current = self.data
        for part in path:
            if isinstance(current, dict) and isinstance(part, str):
                current = current.get(part)
            elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
                current = current[part]
            else:
                return None
        return current

    def problem(self, path: FieldPath, message: str, *, at_key: bool = False) -> Problem:
        """A problem located at ``path``'s value, or at its key when ``at_key`` (unknown fields)."""
        key_location = self.key_locations.get(path) if at_key else None
        line, col = key_location or self.locate(path)
        return Problem(self.display, line, col, format_field(path, self.data), message)


def format_field(path: FieldPath, data: Any = None) -> str:
    """``("tools", 51, "category")`` → ``tools[51, canva].category``; the empty path is ``(file)``.

    A list item that has an ``id`` is named by it as well as its position, because "tools[51]"
    means nothing to someone scrolling a 1,200-line file (issue 13).
    """
    out = ""
    current = data
    for part in path:
        if isinstance(part, int):
            item = current[part] if isinstance(current, list) and 0 <= part < len(current) else None
            item_id = item.get("id") if isinstance(item, dict) else None
            out += f"[{part}, {_printable(item_id)}]" if isinstance(item_id, str) and item_id else f"[{part}]"
            current = item
        else:
            out += f".{_printable(part)}" if out else _printable(part)
            current = current.get(part) if isinstance(current, dict) else None
    return out or "(file)"


def _printable(name: str) -> str:
    """A key or id as written, or quoted when it holds a line break or control character: a
    problem must stay on one line (a key like "a\\nb" broke it; found by fuzzing, issue #15)."""
    return name if name.isprintable() else repr(name)


def _mark(node: yaml.Node) -> Location:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Walker:
    def __init__(self, doc: YamlDocument, text: str) -> None:
        self.doc = doc
        lines = _LINE_BREAK.split(text)
        self.end: Location = (len(lines), len(lines[-1]) + 1)
        self.seen: set[int] = set()
        # Problems are named once the whole document is read, so list items can be named by id.
        self.found: list[tuple[Location, FieldPath, str]] = []

    def mark(self, node: yaml.Node) -> Location:
        # An empty value at the very end ("---", "key:") is marked one line past the last line by
        # libyaml; a location must be inside the file (found by fuzzing, issue #15).
        return min(_mark(node), self.end)

    def problem(self, node: yaml.Node, path: FieldPath, message: str) -> None:
        self.found.append((self.mark(node), path, message))

    def finish(self) -> None:
        for (line, col), path, message in self.found:
            self.doc.problems.append(Problem(self.doc.display, line, col, format_field(path, self.doc.data), message))

    def walk(self, node: yaml.Node, path: FieldPath) -> Any:
        # An alias is the same node object met twice; refusing it bounds the walk by file size.
        if id(node) in self.seen:
            self.problem(node, path, "anchors and aliases (&, *) are not allowed; write the value out")
            return None
        self.seen.add(id(node))
        if len(self.seen) > MAX_NODES:
            raise _TooBig
        self.doc.locations[path] = self.mark(node)
        if node.tag not in _PLAIN_TAGS:
            self.problem(node, path, f"the tag {node.tag!r} is not allowed in content files")
            return None
        if isinstance(node, yaml.ScalarNode):
            if not node.style and node.value in _NULLS:
                return None
            return node.value
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            first_seen: dict[str, yaml.Node] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problem(key_node, path, "a key must be a plain word, not a list or mapping")
                    continue
                key = key_node.value
                if key == "<<":
                    self.problem(key_node, path, "merge keys (<<) are not allowed; write the values out")
                    continue
                if key in first_seen:
                    first_line = first_seen[key].start_mark.line + 1
                    self.problem(
                        key_node,
                        (*path, key),
                        f"duplicate key (first set on line {first_line}); keep only one",
                    )
                    continue
                first_seen[key] = key_node
                self.doc.key_locations[(*path, key)] = self.mark(key_node)
                result[key] = self.walk(value_node, (*path, key))
                self.doc.locations.setdefault((*path, key), self.mark(value_node))
            return result
        raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover - PyYAML has 3 kinds


class _TooBig(Exception):
    pass


def read_yaml(path: Path, display: str | None = None, *, root: Path | None = None) -> YamlDocument:
    """Read one YAML file. Problems are recorded on the document, never raised.

    Only an ordinary file of at most ``MAX_FILE_BYTES`` is read. With ``root`` (the project), the
    file must also be reached without following a symlink: see ``symlink_problem``.
    """
    doc = YamlDocument(path=path, display=display or path.as_posix(), data=None)
    data = _read_content_file(path, root)
    if isinstance(data, str):
        doc.problems.append(Problem(doc.display, 1, 1, "(file)", data))
        doc.fatal = True
        return doc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        doc.problems.append(Problem(doc.display, 1, 1, "(file)", f"not valid UTF-8 text ({exc.reason})"))
        doc.fatal = True
        doc.text = data.decode("utf-8", errors="replace")  # still good enough to find its ids
        return doc
    # As text-mode reading does: every line ending becomes "\n", so lines count the same everywhere.
    doc.text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _parsed(doc)


# Each content file's parse, under its exact text: every serve rebuild reads all of them, and all
# but the one edited are as before (issue 14). Callers never change a document, so one is shared.
_PARSED: dict[tuple[str, str, str], YamlDocument] = {}
_PARSED_MAX = 2048


def _parsed(doc: YamlDocument) -> YamlDocument:
    assert doc.text is not None
    key = (str(doc.path), doc.display, doc.text)
    found = _PARSED.get(key)
    if found is None:
        found = parse_yaml(doc.text, doc)
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = found
    return found


def _read_content_file(path: Path, root: Path | None) -> bytes | str:
    """The file's bytes, or why it was not read (a message for the council officer)."""
    refused = (symlink_problem(path, root) if root is not None else None) or _file_problem(path)
    if refused is not None:
        return refused
    try:
        data = _read_capped(path)
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if data is None:
        return _not_ordinary()
    if len(data) > MAX_FILE_BYTES:
        return _too_big(len(data))
    return data


def symlink_problem(path: Path, root: Path) -> str | None:
    """Why ``path`` is not a plain file inside ``root``, or None.

    Content files are ordinary files, reached without any symlink (issue #15). A symlink can
    arrive in a pull request, and the diff shows only where it points, never what it reads, so
    we refuse every symlink, even one that stays inside the project: it could point at the
    private programme records, or at a file a reviewer never sees change.
    """
    real_root = root.resolve()
    try:
        lexical = real_root / path.absolute().relative_to(root.absolute())
    except ValueError:
        lexical = path.absolute()
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        return "is a symbolic link that loops back on itself; content files must be ordinary files"
    if not real.is_relative_to(real_root):
        return (
            "is a symbolic link to a place outside the project; content files must be ordinary files "
            "inside the project (replace the link with the file itself)"
        )
    if real == lexical:
        return None
    return (
        f"is a symbolic link (to {real.relative_to(real_root).as_posix()}); content files must be ordinary "
        "files (replace the link with a copy of the file)"
    )


def _file_problem(path: Path) -> str | None:
    """Why ``path`` must not be opened (checked with ``stat``, before any ``open``), or None."""
    try:
        info = os.stat(path)
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if stat.S_ISDIR(info.st_mode):
        return "is a folder, not a file; content files end in .yml only when they are files"
    if not stat.S_ISREG(info.st_mode):
        return _not_ordinary()
    if info.st_size > MAX_FILE_BYTES:
        return _too_big(info.st_size)
    return None


def _not_ordinary() -> str:
    return "is not an ordinary file (it is a device, a pipe or a socket); content files must be ordinary files"


def _too_big(size: int) -> str:
    return f"is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit for one file; split it into smaller files"


def _read_capped(path: Path) -> bytes | None:
    """At most ``MAX_FILE_BYTES + 1`` bytes of ``path``; None if it is not an ordinary file once open.

    The file may have been swapped since ``stat`` looked at it: opening without blocking and
    checking the open file again means a pipe put there in between still cannot hang the check.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        return handle.read(MAX_FILE_BYTES + 1)


def parse_yaml(text: str, doc: YamlDocument) -> YamlDocument:
    """Parse ``text`` into ``doc``. Problems are recorded on the document, never raised."""
    surrogate = _SURROGATE.search(text)
    if surrogate:
        # Text decoded from UTF-8 never has one, but parse_yaml also takes text from elsewhere;
        # libyaml would raise UnicodeEncodeError on it (found by the fuzz layer, issue #15).
        line, col = _line_and_col(text, surrogate.start())
        message = f"the character U+{ord(surrogate.group()):04X} is not allowed in a YAML file; delete it"
        doc.problems.append(Problem(doc.display, line, col, "(syntax)", message))
        doc.fatal = True
        return doc
    try:
        node = yaml.compose(text, Loader=_SAFE_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _inside(text, (mark.line + 1, mark.column + 1) if mark else (1, 1))
        message = exc.problem or str(exc)
        if exc.context:
            message = f"{message} ({exc.context})"
        started = exc.context_mark.line + 1 if exc.context_mark else None
        if started and started != line:
            # PyYAML often notices a mistake (an unclosed quote, a bad indent) lines after it.
            message += f"; the mistake may be earlier, between line {started} and here"
        lines = text.splitlines()
        bad_line = lines[line - 1] if 0 < line <= len(lines) else ""
        if "'\\t'" in (exc.problem or "") or "\t" in bad_line[: len(bad_line) - len(bad_line.lstrip())]:
            # PyYAML says "found character '\\t' that cannot start any token", which helps no one.
            message = "a tab is used to indent this line; YAML needs spaces (set your editor to indent with spaces)"
        else:
            message += "; check for an unclosed quote, a missing space after ':' or uneven indentation"
        doc.problems.append(Problem(doc.display, line, col, "(syntax)", _one_line(message)))
        doc.fatal = True
        return doc
    except yaml.reader.ReaderError as exc:
        # A character YAML forbids (a control character, a lone surrogate). PyYAML reports only its
        # offset, in two lines; the fuzz layer found this (issue #15). Say where it is, on one line.
        position = exc.position
        if _SAFE_LOADER is not yaml.SafeLoader:
            # libyaml counts the position in bytes of UTF-8, PyYAML in characters.
            position = len(text.encode("utf-8")[:position].decode("utf-8", errors="ignore"))
        line, col = _line_and_col(text, position)
        character = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        message = f"the character U+{character:04X} is not allowed in a YAML file ({exc.reason}); delete it"
        doc.problems.append(Problem(doc.display, line, col, "(syntax)", message))
        doc.fatal = True
        return doc
    except yaml.YAMLError as exc:
        doc.problems.append(Problem(doc.display, 1, 1, "(syntax)", _one_line(str(exc))))
        doc.fatal = True
        return doc
    if node is None:
        doc.data = None
        return doc
    walker = _Walker(doc, text)
    try:
        doc.data = walker.walk(node, ())
    except _TooBig:
        doc.problems.append(Problem(doc.display, 1, 1, "(file)", f"more than {MAX_NODES} values; split the file"))
        doc.data = None
        doc.fatal = True
        return doc
    walker.finish()
    return doc


def _one_line(message: str) -> str:
    """A problem is one line (``path:line:col: field: message``); PyYAML's messages may span several."""
    return " ".join(message.split())


def _inside(text: str, location: Location) -> Location:
    """``location`` moved inside ``text``: libyaml reports an unexpected end of the file one line
    past its last line when the file does not end with a line break (found by fuzzing, issue #15)."""
    lines = _LINE_BREAK.split(text)
    line = min(max(1, location[0]), len(lines))
    col = location[1] if line == location[0] else len(lines[line - 1]) + 1
    return line, min(max(1, col), len(lines[line - 1]) + 1)


def _line_and_col(text: str, position: int) -> Location:
    """The 1-based line and column of character ``position``, counting lines the way PyYAML does."""
    before = text[: max(0, position)]
    starts = [m.end() for m in _LINE_BREAK.finditer(before)]
    line_start = starts[-1] if starts else 0
    return len(starts) + 1, position - line_start + 1


# The line breaks PyYAML counts lines by (YAML 1.1): a problem's line must match its marks.
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")
