"""The same thing twice: entries repeated inside one feed (issue #15, finding 6).

A feed that lists two entries under one guid used to have them take turns at being the post
("0 new, 2 updated" on every full fetch). The first entry with a guid wins; later ones are
dropped and the run reports how many.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

Entry = TypeVar("Entry")


def first_of_each_guid(entries: Iterable[Entry], guid_of: Callable[[Entry], str | None]) -> tuple[list[Entry], int]:
    """The entries with every repeat of an earlier entry's guid removed, and how many were removed.

    Entries without a guid are all kept (they are told apart by link, or title and date).
    """
    seen: set[str] = set()
    kept: list[Entry] = []
    dropped = 0
    for entry in entries:
        guid = guid_of(entry)
        if guid is not None and guid in seen:
            dropped += 1
            continue
        if guid is not None:
            seen.add(guid)
        kept.append(entry)
    return kept, dropped
