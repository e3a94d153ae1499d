"""Load every content file, validate it against its model, and check references between items.

``load_toolkit`` either returns a complete, consistent ``Toolkit`` or raises ``ContentError``
carrying *every* problem in *every* file, each located as ``path:line:col: field: message``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import ContentError, Problem, display_path
from .models import (
    Guide,
    Persona,
    Platform,
    Programme,
    Sprint,
    StartQuiz,
    ToolCatalogue,
)
from .yaml_source import FieldPath, YamlDocument, read_yaml

M = TypeVar("M", bound=BaseModel)
STALE_AFTER = dt.timedelta(days=365)


@dataclass(frozen=True)
class Sourced(typing.Generic[M]):
    """A validated item and the file it came from (for edit links and messages)."""

    item: M
    source: str


@dataclass
class Toolkit:
    """All validated content, ready to render."""

    root: Path
    platforms: list[Sourced[Platform]] = field(default_factory=list)
    tools: Sourced[ToolCatalogue] | None = None
    programme: Sourced[Programme] | None = None
    sprints: list[Sourced[Sprint]] = field(default_factory=list)
    guides: list[Sourced[Guide]] = field(default_factory=list)
    personas: list[Sourced[Persona]] = field(default_factory=list)
    quiz: Sourced[StartQuiz] | None = None
    warnings: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def ids(self, kind: str) -> dict[str, str]:
        """Every id of a kind mapped to its source file; ``kind`` as used in ``kind:id`` refs."""
        out: dict[str, str] = {}
        if kind == "platform":
            out = {p.item.id: p.source for p in self.platforms}
        elif kind == "tool" and self.tools:
            out = {t.id: self.tools.source for t in self.tools.item.tools}
        elif kind == "category" and self.tools:
            out = {c.id: self.tools.source for c in self.tools.item.categories}
        elif kind == "sprint":
            out = {s.item.id: s.source for s in self.sprints}
        elif kind == "session":
            out = {sess.id: s.source for s in self.sprints for sess in s.item.sessions}
        elif kind == "guide":
            out = {g.item.id: g.source for g in self.guides}
        elif kind == "persona":
            out = {p.item.id: p.source for p in self.personas}
        return out

    def ordered_sprints(self) -> list[Sourced[Sprint]]:
        if not self.programme:
            return list(self.sprints)
        by_id = {s.item.id: s for s in self.sprints}
        return [by_id[i] for i in self.programme.item.sprints if i in by_id]


def validate_document(doc: YamlDocument, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Validate one parsed document against a model; all problems, located, never raised."""
    problems = list(doc.problems)
    if problems:
        return None, problems
    if not isinstance(doc.data, dict):
        got = "an empty file" if doc.data is None else f"a {type(doc.data).__name__}"
        return None, [doc.problem((), f"expected a mapping of fields at the top level, found {got}")]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, [_problem_from_error(doc, model, err) for err in exc.errors()]


def _problem_from_error(doc: YamlDocument, model: type[BaseModel], err: Any) -> Problem:
    loc: FieldPath = tuple(part for part in err["loc"] if not _is_union_tag(part))
    kind = err["type"]
    message = err["msg"]
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        message = f"unknown field {loc[-1]!r}"
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        if close:
            message += f"; did you mean {close[0]!r}?"
        elif allowed:
            message += f"; allowed fields are {', '.join(sorted(allowed))}"
    elif kind == "missing":
        message = "required field is missing"
    elif kind == "value_error":
        message = str(err.get("ctx", {}).get("error", message))
    elif kind == "string_pattern_mismatch" and loc and loc[-1] in ("id",):
        message = "an id is lower-case letters and digits joined by single hyphens, like 'sprint-1'"
    elif kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        message = f"{message}; write dates as YYYY-MM-DD, for example 2026-11-23"
    if kind not in ("extra_forbidden", "missing") and "input" in err and isinstance(err["input"], str):
        shown = err["input"] if len(err["input"]) <= 40 else err["input"][:37] + "..."
        message += f" (got {shown!r})"
    message = message[:1].lower() + message[1:]
    return doc.problem(loc, message, at_key=kind == "extra_forbidden")


def _is_union_tag(part: Any) -> bool:
    # pydantic adds the union member's name ("str", "function-after[...]") into error locations.
    return isinstance(part, str) and (part in {"str", "int", "none"} or "[" in part)


def _fields_at(model: type[BaseModel], loc: FieldPath) -> list[str]:
    """Field names of the model reached by following ``loc`` (for "did you mean" hints)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            continue
        if isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """``list[X]``, ``X | None`` and ``Annotated[X, ...]`` → ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is typing.Annotated or origin in (list, tuple):
            annotation = args[0]
        elif origin in (typing.Union, types.UnionType):
            non_none = [a for a in args if a is not type(None)]
            annotation = non_none[0] if len(non_none) == 1 else annotation
            if len(non_none) != 1:
                return annotation
        else:
            return annotation


class _Loader:
    def __init__(self, content_dir: Path, project_root: Path) -> None:
        self.content_dir = content_dir
        self.root = project_root
        self.problems: list[Problem] = []
        self.docs: dict[str, YamlDocument] = {}
        self.files: list[Path] = []
        # Ids of items that failed validation: references to them are not reported as dangling,
        # so one broken file does not bury its real fault under a cascade of follow-on errors.
        self.failed_ids: set[str] = set()

    def load(self, path: Path, model: type[M]) -> Sourced[M] | None:
        display = display_path(path, self.root)
        self.files.append(path)
        doc = read_yaml(path, display)
        self.docs[display] = doc
        item, problems = validate_document(doc, model)
        self.problems.extend(problems)
        if item is None:
            self.failed_ids |= _raw_ids(doc.data) if doc.data is not None else _ids_in_text(path)
        return Sourced(item, display) if item is not None else None

    def load_each(self, folder: Path, model: type[M], skip: Iterable[str] = ()) -> list[Sourced[M]]:
        out = []
        for path in sorted(folder.glob("*.yml")):
            if path.name in skip:
                continue
            loaded = self.load(path, model)
            if loaded:
                out.append(loaded)
        return out

    def load_one(self, path: Path, model: type[M]) -> Sourced[M] | None:
        if not path.exists():
            self.problems.append(Problem(display_path(path, self.root), 1, 1, "(file)", "this file is missing"))
            return None
        return self.load(path, model)

    def problem_at(self, source: str, path: FieldPath, message: str) -> None:
        self.problems.append(self.docs[source].problem(path, message))

    def dangling(self, source: str, path: FieldPath, kind: str, ref_id: str, known: dict[str, str]) -> None:
        if ref_id in known or ref_id in self.failed_ids:
            return
        self.problem_at(source, path, _dangling(kind, ref_id, known))


def _raw_ids(data: Any) -> set[str]:
    """Every ``id`` value anywhere in unvalidated data."""
    found: set[str] = set()
    if isinstance(data, dict):
        if isinstance(data.get("id"), str):
            found.add(data["id"])
        for value in data.values():
            found |= _raw_ids(value)
    elif isinstance(data, list):
        for value in data:
            found |= _raw_ids(value)
    return found


def _ids_in_text(path: Path) -> set[str]:
    """Best-effort ids from a file that would not parse: lines like ``id: x`` or ``- id: x``."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return set()
    found = set()
    for line in lines:
        key, sep, value = line.strip().removeprefix("- ").partition(":")
        if sep and key.strip() == "id" and value.strip():
            found.add(value.strip().strip("'\""))
    return found


def load_toolkit(content_dir: Path, *, project_root: Path | None = None, today: dt.date | None = None) -> Toolkit:
    """Load and check everything under ``content/toolkits``; raise ``ContentError`` on any fault."""
    root = project_root or content_dir.parent.parent
    loader = _Loader(content_dir, root)
    kit = Toolkit(root=root)
    kit.platforms = sorted(loader.load_each(content_dir / "platforms", Platform), key=lambda s: s.item.name.lower())
    kit.tools = loader.load_one(content_dir / "tools.yml", ToolCatalogue)
    kit.programme = loader.load_one(content_dir / "lessons" / "programme.yml", Programme)
    kit.sprints = loader.load_each(content_dir / "lessons", Sprint, skip={"programme.yml"})
    kit.guides = sorted(loader.load_each(content_dir / "guides", Guide), key=lambda s: s.item.title.lower())
    kit.personas = sorted(loader.load_each(content_dir / "personas", Persona), key=lambda s: s.item.order)
    kit.quiz = loader.load_one(content_dir / "start.yml", StartQuiz)
    kit.files = loader.files
    _check_unique_ids(kit, loader)
    _check_references(kit, loader)
    _check_timings(kit, loader)
    if loader.problems:
        raise ContentError(loader.problems)
    kit.warnings = stale_warnings(kit, today or dt.date.today(), loader)
    return kit


def _check_unique_ids(kit: Toolkit, loader: _Loader) -> None:
    def check(entries: Iterable[tuple[str, str, FieldPath]], kind: str) -> None:
        seen: dict[str, str] = {}
        for item_id, source, path in entries:
            if item_id in seen:
                loader.problem_at(source, path, f"the {kind} id {item_id!r} is already used in {seen[item_id]}")
            else:
                seen[item_id] = source

    check(((p.item.id, p.source, ("id",)) for p in kit.platforms), "platform")
    check(((s.item.id, s.source, ("id",)) for s in kit.sprints), "sprint")
    check(((g.item.id, g.source, ("id",)) for g in kit.guides), "guide")
    check(((p.item.id, p.source, ("id",)) for p in kit.personas), "persona")
    check(
        ((sess.id, s.source, ("sessions", i, "id")) for s in kit.sprints for i, sess in enumerate(s.item.sessions)),
        "session",
    )
    if kit.tools:
        src = kit.tools.source
        check(((t.id, src, ("tools", i, "id")) for i, t in enumerate(kit.tools.item.tools)), "tool")
        check(((c.id, src, ("categories", i, "id")) for i, c in enumerate(kit.tools.item.categories)), "category")
    for s in kit.sprints:
        for name in ("worksheets", "between_sprint_tasks", "readiness", "evaluation"):
            check(((x.id, s.source, (name, i, "id")) for i, x in enumerate(getattr(s.item, name))), name[:-1])


def _check_references(kit: Toolkit, loader: _Loader) -> None:
    platforms = kit.ids("platform")
    if kit.tools:
        categories = kit.ids("category")
        for i, tool in enumerate(kit.tools.item.tools):
            loader.dangling(kit.tools.source, ("tools", i, "category"), "category", tool.category, categories)
            for j, platform in enumerate(tool.platforms):
                loader.dangling(kit.tools.source, ("tools", i, "platforms", j), "platform", platform, platforms)
    if kit.programme:
        sprints = kit.ids("sprint")
        for i, sprint_id in enumerate(kit.programme.item.sprints):
            loader.dangling(kit.programme.source, ("sprints", i), "sprint", sprint_id, sprints)
        for s in kit.sprints:
            if s.item.id not in kit.programme.item.sprints:
                loader.problem_at(
                    s.source, ("id",), f"sprint {s.item.id!r} is not listed in {kit.programme.source} under sprints"
                )
    for persona in kit.personas:
        for i, step in enumerate(persona.item.pathway):
            kind, _, ref_id = step.ref.partition(":")
            loader.dangling(persona.source, ("pathway", i, "ref"), kind, ref_id, kit.ids(kind))
    if kit.quiz:
        personas = kit.ids("persona")
        for qi, question in enumerate(kit.quiz.item.questions):
            for oi, option in enumerate(question.options):
                for persona_id in option.points:
                    path = ("questions", qi, "options", oi, "points", persona_id)
                    loader.dangling(kit.quiz.source, path, "persona", persona_id, personas)
    for s in kit.sprints:
        worksheets = {w.id: s.source for w in s.item.worksheets}
        for si, session in enumerate(s.item.sessions):
            for ai, activity in enumerate(session.activities):
                if activity.worksheet:
                    path = ("sessions", si, "activities", ai, "worksheet")
                    loader.dangling(s.source, path, "worksheet", activity.worksheet, worksheets)


def _dangling(kind: str, ref_id: str, known: dict[str, str] | Iterable[str]) -> str:
    """The message for a reference to an id that does not exist."""
    message = f"no {kind} has the id {ref_id!r}"
    close = difflib.get_close_matches(ref_id, list(known), n=1)
    return message + (f"; did you mean {close[0]!r}?" if close else "")


def _check_timings(kit: Toolkit, loader: _Loader) -> None:
    for s in kit.sprints:
        for si, session in enumerate(s.item.sessions):
            total = sum(a.minutes for a in session.activities)
            if total != session.minutes:
                loader.problem_at(
                    s.source,
                    ("sessions", si, "minutes"),
                    f"the session is {session.minutes} minutes but its activities add up to {total}",
                )


def stale_warnings(kit: Toolkit, today: dt.date, loader: _Loader) -> list[str]:
    """Items whose last review is more than a year old, located at their ``last_reviewed``.

    They are warnings: ``councillor-hub check`` lists them (and fails with ``--strict``), and
    ``mkdocs build --strict`` fails on them, so stale advice cannot be published unnoticed.
    """
    dated: list[tuple[str, FieldPath, str, dt.date]] = []
    dated += [(p.source, ("last_reviewed",), p.item.name, p.item.last_reviewed) for p in kit.platforms]
    dated += [(s.source, ("last_reviewed",), s.item.title, s.item.last_reviewed) for s in kit.sprints]
    dated += [(g.source, ("last_reviewed",), g.item.title, g.item.last_reviewed) for g in kit.guides]
    dated += [(p.source, ("last_reviewed",), p.item.name, p.item.last_reviewed) for p in kit.personas]
    if kit.tools:
        src = kit.tools.source
        dated += [
            (src, ("tools", i, "last_reviewed"), t.name, t.last_reviewed) for i, t in enumerate(kit.tools.item.tools)
        ]
    for single in (kit.programme, kit.quiz):
        if single:
            dated.append((single.source, ("last_reviewed",), single.item.title, single.item.last_reviewed))
    stale = sorted(
        loader.docs[source].problem(
            path,
            f"{name!r} was last reviewed on {reviewed.isoformat()}, over 12 months ago; "
            "check it is still accurate and update last_reviewed",
        )
        for source, path, name, reviewed in dated
        if today - reviewed > STALE_AFTER
    )
    return [str(problem) for problem in stale]
