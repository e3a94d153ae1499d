"""Validate one parsed YAML document against a model, with every fault located.

Used for content files, the council's settings, its overlay, translations, the feeds registry
and learning-log posts, so every file a council edits reports problems the same way:
``path:line:col: field: message``, with a "did you mean" where one helps.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .yaml_source import FieldPath, YamlDocument

M = TypeVar("M", bound=BaseModel)


def validate_document(doc: YamlDocument, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Validate one parsed document against a model; all problems, located, never raised."""
    problems = list(doc.problems)
    if doc.fatal:
        return None, problems
    if not isinstance(doc.data, dict):
        got = "an empty file" if doc.data is None else f"a {type(doc.data).__name__}"
        return None, [*problems, doc.problem((), f"expected a mapping of fields at the top level, found {got}")]
    try:
        item = model.model_validate(doc.data)
    except ValidationError as exc:
        # A duplicate key or a refused tag is reported where it is; the rest of the file is still
        # checked, so one slip never hides the file's other faults (issue 13).
        flagged = [p.field for p in problems]
        for err in exc.errors():
            problem = problem_from_error(doc, model, err)
            if not any(problem.field == f or problem.field.startswith((f + ".", f + "[")) for f in flagged):
                problems.append(problem)
        return None, problems
    return (item, []) if not problems else (None, problems)


def problem_from_error(doc: YamlDocument, model: type[BaseModel], err: Any, *, prefix: FieldPath = ()) -> Problem:
    """One pydantic error as a located problem; ``prefix`` is where the model's data sits in ``doc``."""
    loc = _data_path(err["loc"], doc.data, prefix)
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
    return doc.problem((*prefix, *loc), message, at_key=kind == "extra_forbidden")


def _data_path(err_loc: tuple[Any, ...], data: Any, prefix: FieldPath) -> FieldPath:
    """A pydantic error location as a path into the data: union members' names dropped, keys kept.

    A key is kept whatever it looks like: a file with a key ``i[`` once lost its key here (it
    looked like a union member's name) and crashed the check (found by fuzzing, issue #15).
    """
    current = data
    for part in prefix:
        current = _child(current, part)
    loc: list[str | int] = []
    for part in err_loc:
        is_key = isinstance(current, dict) and part in current
        if not is_key and _is_union_tag(part):
            continue
        loc.append(part)
        current = _child(current, part)
    return tuple(loc)


def _child(data: Any, part: Any) -> Any:
    if isinstance(data, dict):
        return data.get(part)
    if isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
        return data[part]
    return None


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
