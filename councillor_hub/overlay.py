"""A council's overlay: hide upstream items and change their fields, by kind and id.

``council/overlay.yml``::

    hide:
      - platform:x                       # gone from every page and the menu
      - ref: tool:hootsuite
        replace_with: tool:buffer        # references to it point at this instead
        reason: We use Buffer.
    override:
      tool:canva:
        cost_note: The council has Canva for Teams. Ask the comms team for a seat.
      platform:facebook:
        at_a_glance:
          residents: Most households in Cardiff, across every age group.

An override replaces the fields it names; fields that hold a group of fields (``at_a_glance``)
are merged field by field, and lists are replaced whole. Nothing in upstream's files changes,
so a fork pulls upstream's updates without conflicts.

When a hidden item is referred to elsewhere, every reference is reported (as a note, located
where it is) and handled on the pages: a list entry is dropped or replaced, and an item that
cannot stand without it (a tool whose category is hidden) is hidden too.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Callable
from typing import Any

from pydantic import Field, ValidationError

from .errors import Problem
from .fields import Reference, iter_refs
from .kinds import BY_NAME
from .models import Model, Ref, Text
from .toolkit import Entry, Toolkit
from .validation import problem_from_error
from .yaml_source import YamlDocument


class HiddenItem(Model):
    ref: Ref
    replace_with: Ref | None = Field(default=None, description="Point references at this item instead.")
    reason: Text | None = Field(default=None, description="Why, for the record (not shown on the site).")


class Overlay(Model):
    """council/overlay.yml"""

    hide: list[Ref | HiddenItem] = Field(default_factory=list, description="Upstream items to leave out, as kind:id.")
    override: dict[Ref, dict[str, Any]] = Field(
        default_factory=dict, description="Fields to change in upstream items, under kind:id."
    )


def apply_overlay(kit: Toolkit, overlay: Overlay, doc: YamlDocument, problems: list[Problem]) -> None:
    """Apply overrides, then hides, to ``kit`` in place; faults go to ``problems``, effects to ``kit.notes``."""
    for ref, patch in overlay.override.items():
        _override(kit, ref, patch, doc, problems)
    hides: dict[str, str | None] = {}
    for index, entry in enumerate(overlay.hide):
        hidden = entry if isinstance(entry, HiddenItem) else HiddenItem(ref=entry)
        at = ("hide", index, "ref") if isinstance(entry, HiddenItem) else ("hide", index)
        if _check_hide(kit, hidden, at, doc, problems):
            hides[hidden.ref] = hidden.replace_with
    _hide(kit, hides, doc, overlay, problems)


def _known(
    kit: Toolkit, ref: str, doc: YamlDocument, at: tuple[Any, ...], problems: list[Problem], *, key: bool = False
) -> Entry | None:
    kind, _, item_id = ref.partition(":")
    if kind not in BY_NAME:
        close = difflib.get_close_matches(kind, list(BY_NAME), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f" (kinds: {', '.join(BY_NAME)})"
        problems.append(doc.problem(at, f"there is no kind of item called {kind!r}{hint}", at_key=key))
        return None
    entry = kit.get(kind, item_id)
    if entry is None:
        close = difflib.get_close_matches(item_id, list(kit.ids(kind)), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        was = " (upstream may have removed or renamed it)"
        problems.append(doc.problem(at, f"no {kind} has the id {item_id!r}{hint}{was}", at_key=key))
    return entry


def _override(kit: Toolkit, ref: str, patch: dict[str, Any], doc: YamlDocument, problems: list[Problem]) -> None:
    at = ("override", ref)
    entry = _known(kit, ref, doc, at, problems, key=True)
    if entry is None:
        return
    if "id" in patch:
        problems.append(doc.problem((*at, "id"), "an override cannot change an item's id", at_key=True))
        return
    merged = _deep_merge(entry.item.model_dump(mode="python"), patch)
    try:
        item = entry.kind.model.model_validate(merged)
    except ValidationError as exc:
        for err in exc.errors():
            problems.append(problem_from_error(doc, entry.kind.model, err, prefix=at))
        return
    paths = (*entry.override_paths, *_leaf_paths(patch))
    _replace_entry(kit, entry, entry.with_item(item, overridden_in=doc.display, override_paths=paths))


def _leaf_paths(patch: dict[str, Any], prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for key, value in patch.items():
        if isinstance(value, dict) and value:
            out += _leaf_paths(value, (*prefix, key))
        else:
            out.append((*prefix, key))
    return out


def _deep_merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _check_hide(
    kit: Toolkit, hidden: HiddenItem, at: tuple[Any, ...], doc: YamlDocument, problems: list[Problem]
) -> bool:
    entry = _known(kit, hidden.ref, doc, at, problems)
    if entry is None:
        return False
    if not entry.kind.hideable:
        problems.append(doc.problem(at, f"the {entry.kind.name} cannot be hidden; override its fields instead"))
        return False
    if hidden.replace_with:
        replacement = _known(kit, hidden.replace_with, doc, (*at[:-1], "replace_with"), problems)
        if replacement is None:
            return False
        if replacement.kind is not entry.kind:
            problems.append(
                doc.problem(
                    (*at[:-1], "replace_with"), f"a {entry.kind.name} can only be replaced by another {entry.kind.name}"
                )
            )
            return False
    return True


def _hide(
    kit: Toolkit, hides: dict[str, str | None], doc: YamlDocument, overlay: Overlay, problems: list[Problem]
) -> None:
    def invalid(entry: Entry, target: str, where: str, message: str) -> None:
        index = next(
            (i for i, h in enumerate(overlay.hide) if (h.ref if isinstance(h, HiddenItem) else h) == target), 0
        )
        problems.append(
            doc.problem(
                ("hide", index),
                f"hiding this leaves {entry.ref} ({entry.source}) invalid at {where}: {message}; "
                "give a replace_with, or override that field too",
            )
        )

    hide_items(kit, hides, {ref: f"hidden in {doc.display}" for ref in hides}, invalid)


InvalidHandler = Callable[[Entry, str, str, str], None]


def hide_items(kit: Toolkit, hides: dict[str, str | None], reasons: dict[str, str], invalid: InvalidHandler) -> None:
    """Remove items from ``kit``, then deal with every reference to them, cascading where needed.

    ``hides`` maps each ref to its replacement (or None); ``reasons`` says why, for the notes.
    ``invalid(entry, target, field, message)`` is called when dropping a reference would leave an
    item invalid (a persona's route shorter than its minimum), so the caller can say where to act.
    """
    reasons = dict(reasons)
    pending = dict(hides)
    while pending:
        for ref in pending:
            entry = kit.get_ref(ref)
            if entry is not None:
                kit.entries[entry.kind.name].remove(entry)
            kit.hidden[ref] = pending[ref]
        cascaded: dict[str, str | None] = {}
        for entry in kit.all_entries():
            refs = [r for r in iter_refs(entry.item) if f"{r.kind}:{r.id}" in kit.hidden]
            if not refs:
                continue
            blocking = [r for r in refs if r.holder == "value" and kit.hidden[f"{r.kind}:{r.id}"] is None]
            if blocking:
                target = f"{blocking[0].kind}:{blocking[0].id}"
                cascaded[entry.ref] = None
                reasons[entry.ref] = f"left out with {target}"
                kit.notes.append(
                    kit.locate(entry, blocking[0].path, f"left out as well, because {target} is {reasons[target]}")
                )
                continue
            _rewrite_refs(kit, entry, refs, reasons, invalid)
        pending = {ref: None for ref in cascaded if ref not in kit.hidden}


def _rewrite_refs(
    kit: Toolkit, entry: Entry, refs: list[Reference], reasons: dict[str, str], invalid: InvalidHandler
) -> None:
    data = entry.item.model_dump(mode="python")
    drops: list[tuple[Any, ...]] = []
    for ref in refs:
        target = f"{ref.kind}:{ref.id}"
        replacement = kit.hidden[target]
        if replacement is not None:
            if ref.holder == "key":
                parent = _at(data, ref.path[:-1])
                parent[replacement.partition(":")[2]] = parent.pop(ref.path[-1])
            else:
                written = _at(data, ref.path)
                _set(data, ref.path, replacement if ":" in written else replacement.partition(":")[2])
            kit.notes.append(
                kit.locate(entry, ref.path, f"now points at {replacement}, because {target} is {reasons[target]}")
            )
        else:
            drops.append(ref.drop_path)
            kit.notes.append(
                kit.locate(entry, ref.path, f"left out of the page, because {target} is {reasons[target]}")
            )
    # Drop from the end, so earlier list positions stay right.
    for path in sorted(
        set(drops), key=lambda p: [(0, x) if isinstance(x, int) else (1, str(x)) for x in p], reverse=True
    ):
        parent = _at(data, path[:-1])
        if isinstance(parent, list):
            del parent[path[-1]]
        else:
            parent.pop(path[-1], None)
    try:
        item = entry.kind.model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        invalid(entry, f"{refs[0].kind}:{refs[0].id}", where, first["msg"].lower())
        return
    _replace_entry(kit, entry, entry.with_item(item))


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    _at(data, path[:-1])[path[-1]] = value


def _replace_entry(kit: Toolkit, old: Entry, new: Entry) -> None:
    entries = kit.entries[old.kind.name]
    entries[entries.index(old)] = new
