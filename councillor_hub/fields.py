"""Walk the fields of validated content by what they mean, not by their names.

Two markers, placed in the models' type annotations, tell the rest of the package what a field is:

* ``RefersTo(kind)`` marks a field that names another item by id (``Tool.platforms``), or, with
  ``kind=None``, one written ``kind:id`` (``PathStep.ref``). Reference checks, hiding items in a
  council's overlay and link building all find references through ``iter_refs``.
* ``TRANSLATABLE`` marks human-readable text (the ``Text`` type). Place tokens, readability,
  translations and the parity check all find text through ``iter_texts`` and ``map_texts``.

So a new field, or a new kind of content, is covered everywhere by its annotation alone.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class RefersTo:
    """This value is the id of an item of ``kind`` (or ``kind:id`` when ``kind`` is None)."""

    kind: str | None


class _Translatable:
    def __repr__(self) -> str:
        return "TRANSLATABLE"


TRANSLATABLE = _Translatable()


@dataclass(frozen=True)
class Reference:
    """One reference found in an item: where it is, what it points at, and how it is held."""

    path: FieldPath
    kind: str
    id: str
    # "value": the field itself; "element": an item of a list (or the object holding the ref
    # inside a list); "key": a key of a mapping. Hiding the target drops the reference in
    # the way that suits each.
    holder: str
    drop_path: FieldPath


def _split_annotated(annotation: Any) -> tuple[Any, tuple[Any, ...]]:
    metadata: tuple[Any, ...] = ()
    while typing.get_origin(annotation) is typing.Annotated:
        args = typing.get_args(annotation)
        annotation, metadata = args[0], metadata + tuple(args[1:])
    return annotation, metadata


def _non_none(annotation: Any) -> list[Any]:
    return [a for a in typing.get_args(annotation) if a is not type(None)]


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _option_for(annotation: Any, value: Any) -> Any:
    """The member of a union that ``value`` was validated as (``MaterialUse | Text`` holds either)."""
    options = _non_none(annotation)
    for option in options:
        base, _ = _split_annotated(option)
        origin = typing.get_origin(base) or base
        if isinstance(origin, type) and isinstance(value, origin):
            return option
    return options[0]


def iter_refs(model: BaseModel, path: FieldPath = ()) -> Iterator[Reference]:
    """Every reference in ``model`` and the models inside it, with its field path."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        yield from _refs(info.annotation, tuple(info.metadata), value, (*path, name), None)


def _refs(
    annotation: Any, metadata: tuple[Any, ...], value: Any, path: FieldPath, element: FieldPath | None
) -> Iterator[Reference]:
    if value is None:
        return
    annotation, more = _split_annotated(annotation)
    metadata = metadata + more
    for marker in metadata:
        if isinstance(marker, RefersTo) and isinstance(value, str):
            kind, _, item_id = value.partition(":") if marker.kind is None else (marker.kind, "", value)
            holder = "element" if element is not None else "value"
            yield Reference(path, kind, item_id, holder, element if element is not None else path)
            return
    origin = typing.get_origin(annotation)
    if origin in (list, tuple) and isinstance(value, list | tuple):
        (inner,) = typing.get_args(annotation)[:1]
        for index, item in enumerate(value):
            yield from _refs(inner, (), item, (*path, index), (*path, index))
    elif origin is dict and isinstance(value, dict):
        key_type, value_type = typing.get_args(annotation)
        for key, item in value.items():
            for ref in _refs(key_type, (), key, (*path, key), None):
                yield Reference(ref.path, ref.kind, ref.id, "key", (*path, key))
            yield from _refs(value_type, (), item, (*path, key), None)
    elif _is_union(annotation):
        yield from _refs(_option_for(annotation, value), (), value, path, element)
    elif isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            yield from _refs(info.annotation, tuple(info.metadata), getattr(value, name), (*path, name), element)


def _is_text(annotation: Any, metadata: tuple[Any, ...]) -> bool:
    return any(m is TRANSLATABLE for m in metadata)


def iter_texts(model: BaseModel, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    """Every human-readable text field (marked ``TRANSLATABLE``) in ``model``, in field order."""
    for name, info in type(model).model_fields.items():
        yield from _texts(info.annotation, tuple(info.metadata), getattr(model, name), (*path, name))


def _texts(annotation: Any, metadata: tuple[Any, ...], value: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    if value is None:
        return
    annotation, more = _split_annotated(annotation)
    metadata = metadata + more
    if _is_union(annotation):
        yield from _texts(_option_for(annotation, value), metadata, value, path)
        return
    if isinstance(value, str):
        if _is_text(annotation, metadata):
            yield path, value
        return
    origin = typing.get_origin(annotation)
    if origin in (list, tuple) and isinstance(value, list | tuple):
        inner = typing.get_args(annotation)[0]
        for index, item in enumerate(value):
            yield from _texts(inner, (), item, (*path, index))
    elif origin is dict and isinstance(value, dict):
        value_type = typing.get_args(annotation)[1]
        for key, item in value.items():
            yield from _texts(value_type, (), item, (*path, key))
    elif isinstance(value, BaseModel):
        yield from iter_texts(value, path)


TextMapper = Callable[[FieldPath, str], str]


def map_texts(model: BaseModel, fn: TextMapper, path: FieldPath = ()) -> Any:
    """A copy of ``model`` with every text field replaced by ``fn(path, text)``.

    Models are frozen, so this builds new objects with ``model_copy`` (no re-validation: the
    mapper must return text that is still valid, which place tokens and translations are).
    Objects whose texts are all unchanged are returned as they are.
    """
    updates: dict[str, Any] = {}
    for name, info in type(model).model_fields.items():
        old = getattr(model, name)
        new = _map(info.annotation, tuple(info.metadata), old, (*path, name), fn)
        if new is not old:
            updates[name] = new
    return model.model_copy(update=updates) if updates else model


def _map(annotation: Any, metadata: tuple[Any, ...], value: Any, path: FieldPath, fn: TextMapper) -> Any:
    if value is None:
        return value
    annotation, more = _split_annotated(annotation)
    metadata = metadata + more
    if _is_union(annotation):
        return _map(_option_for(annotation, value), metadata, value, path, fn)
    if isinstance(value, str):
        if _is_text(annotation, metadata):
            new = fn(path, value)
            return value if new == value else new
        return value
    origin = typing.get_origin(annotation)
    if origin in (list, tuple) and isinstance(value, list | tuple):
        inner = typing.get_args(annotation)[0]
        items = [_map(inner, (), item, (*path, index), fn) for index, item in enumerate(value)]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else type(value)(items)
    if origin is dict and isinstance(value, dict):
        value_type = typing.get_args(annotation)[1]
        mapped = {key: _map(value_type, (), item, (*path, key), fn) for key, item in value.items()}
        return value if all(mapped[k] is value[k] for k in value) else mapped
    if isinstance(value, BaseModel):
        return map_texts(value, fn, path)
    return value


def get_at(model: Any, path: FieldPath) -> Any:
    """The value at ``path`` inside a model (attributes, list indexes and mapping keys)."""
    current = model
    for part in path:
        current = getattr(current, str(part)) if isinstance(current, BaseModel) else current[part]
    return current
