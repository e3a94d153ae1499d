"""All validated content, by kind and id, with where each item came from.

``loading.load_toolkit`` builds a ``Toolkit``; page building, checks and translations read it.
Every item is an ``Entry``: the model, its file, and its place in that file, so any later check
(a council's overlay, a translation, a stale review date) can point at the exact line.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import Problem
from .fields import FieldPath
from .kinds import BY_NAME, KINDS, Kind
from .yaml_source import YamlDocument

UPSTREAM = "upstream"
COUNCIL = "council"


@dataclass(frozen=True)
class Entry:
    """One item of content and where it came from."""

    kind: Kind
    item: Any
    source: str  # the file, as shown in messages and edit links (relative to the project)
    path: FieldPath = ()  # where the item sits in that file: () for a whole file, ("tools", 3) in a list
    origin: str = UPSTREAM  # "upstream", or "council" for an item added by the council's overlay
    overridden_in: str | None = None  # the overlay file, when the council changed some of its fields
    # The fields the overlay set (as paths), so a problem in one is shown in the overlay, not upstream.
    override_paths: tuple[FieldPath, ...] = ()

    @property
    def id(self) -> str:
        return str(self.item.id) if hasattr(self.item, "id") else self.kind.name

    @property
    def ref(self) -> str:
        return f"{self.kind.name}:{self.id}"

    @property
    def title(self) -> str:
        return self.kind.title(self.item)

    def with_item(self, item: Any, **changes: Any) -> Entry:
        return replace(self, item=item, **changes)


@dataclass
class Toolkit:
    """Every item of every kind, in the order pages list them."""

    entries: dict[str, list[Entry]] = field(default_factory=lambda: {k.name: [] for k in KINDS})
    # "platform:x" -> the ref that replaces it ("platform:bluesky"), or None when just hidden.
    hidden: dict[str, str | None] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    # Things a council should know but need not act on (what hiding an item dropped).
    notes: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    docs: dict[str, YamlDocument] = field(default_factory=dict)

    def entries_of(self, kind: str) -> list[Entry]:
        return self.entries[kind]

    def items(self, kind: str) -> list[Any]:
        return [e.item for e in self.entries[kind]]

    def one(self, kind: str) -> Any | None:
        """The item of a single-file kind (the programme, the quiz), if there is one."""
        found = self.entries[kind]
        return found[0].item if found else None

    def one_entry(self, kind: str) -> Entry | None:
        found = self.entries[kind]
        return found[0] if found else None

    def get(self, kind: str, item_id: str) -> Entry | None:
        return next((e for e in self.entries.get(kind, []) if e.id == item_id), None)

    def get_ref(self, ref: str) -> Entry | None:
        kind, _, item_id = ref.partition(":")
        return self.get(kind, item_id)

    def ids(self, kind: str) -> dict[str, str]:
        """Every id of a kind mapped to its file."""
        return {e.id: e.source for e in self.entries.get(kind, [])}

    def title(self, ref: str) -> str:
        entry = self.get_ref(ref)
        if entry is None:
            raise KeyError(ref)
        return entry.title

    def page(self, ref: str) -> str:
        """The site path (with anchor) a ``kind:id`` reference points at."""
        kind, _, item_id = ref.partition(":")
        path = BY_NAME[kind].page_for(item_id)
        if path is None:
            raise KeyError(f"{kind} items have no page")
        return path

    def ordered_sprints(self) -> list[Entry]:
        """Sprints in the order the programme runs them."""
        programme = self.one("programme")
        sprints = self.entries["sprint"]
        if programme is None:
            return list(sprints)
        by_id = {e.id: e for e in sprints}
        return [by_id[i] for i in programme.sprints if i in by_id]

    def locate(self, entry: Entry, path: FieldPath, message: str) -> Problem:
        """A problem at ``path`` inside ``entry``: in the overlay if the council set that field, else in its file."""
        doc, full_path = self._written_in(entry, path)
        if doc is None:
            return Problem(entry.source, 1, 1, ".".join(str(p) for p in path) or "(file)", message)
        return doc.problem(full_path, message)

    def as_written(self, entry: Entry, path: FieldPath) -> Any:
        """The value at ``path`` inside ``entry`` as its file has it (before the model read it), or None."""
        doc, full_path = self._written_in(entry, path)
        return doc.value_at(full_path) if doc is not None else None

    def _written_in(self, entry: Entry, path: FieldPath) -> tuple[YamlDocument | None, FieldPath]:
        """The file that sets ``path`` of ``entry`` (the overlay, if the council set it) and the path in it."""
        if entry.overridden_in and any(path[: len(p)] == p for p in entry.override_paths):
            overlay = self.docs.get(entry.overridden_in)
            if overlay is not None:
                return overlay, ("override", entry.ref, *path)
        return self.docs.get(entry.source), (*entry.path, *path)

    def all_entries(self) -> list[Entry]:
        return [e for k in KINDS for e in self.entries[k.name]]
