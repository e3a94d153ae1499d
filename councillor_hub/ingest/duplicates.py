"""The same thing twice, published once (issue #15, findings 6 and 10).

* **Inside one feed**: a feed that lists two entries under one guid used to have them take turns
  at being the post ("0 new, 2 updated" on every full fetch). The first entry with a guid wins;
  later ones are dropped and the run reports how many.
* **One feed registered twice**: two registry entries whose addresses are the same once
  normalised (case of the host, ``www.``, http/https, a trailing slash, the default port,
  tracking parameters) are fetched once, under the first; the other is reported.
* **Two feeds, one post**: an entry whose guid or link is already a post of another feed is not
  published again (the feed registered first wins, see ``run._Writer``); the run reports it.
  Only guids that are unique across the web count here (a URL, ``tag:``/``urn:`` or a long
  id): two blogs may both number their posts 1, 2, 3.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from ..feeds import Feed
from .identity import normalise_link

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


def duplicate_registrations(feeds: Iterable[Feed]) -> dict[str, str]:
    """Feed id → id of the earlier feed with the same address once normalised (active feeds only)."""
    first: dict[str, str] = {}
    duplicates = {}
    for feed in feeds:
        if feed.retired:
            continue
        key = normalise_link(feed.url) or feed.url
        if key in first:
            duplicates[feed.id] = first[key]
        else:
            first[key] = feed.id
    return duplicates


def is_global_guid(guid_key: str) -> bool:
    """True for guids that name one post on the whole web, not just within one blog."""
    return guid_key.startswith(("//", "sha256:")) or ":" in guid_key or len(guid_key) >= 20


class CrossFeedKeys:
    """Which feed published each guid and link, across all feeds (first registered wins)."""

    KINDS = ("guid", "link")

    def __init__(self, feed_order: Iterable[str], identities: dict[str, dict[str, dict[str, str]]]) -> None:
        self.owner: dict[tuple[str, str], str] = {}
        for feed_id in feed_order:  # registry order, so an earlier feed owns keys both have
            for kind in self.KINDS:
                for key in identities.get(feed_id, {}).get(kind, {}):
                    self.claim(feed_id, kind, key)

    def _counts(self, kind: str, key: str) -> bool:
        return kind == "link" or (kind == "guid" and is_global_guid(key))

    def claim(self, feed_id: str, kind: str, key: str) -> None:
        if kind in self.KINDS and self._counts(kind, key):
            self.owner.setdefault((kind, key), feed_id)

    def published_by_another(self, feed_id: str, keys: dict[str, str | None]) -> str | None:
        """The id of another feed that already published an entry with these keys, if any."""
        for kind in self.KINDS:
            key = keys.get(kind)
            owner = self.owner.get((kind, key)) if key and self._counts(kind, key) else None
            if owner is not None and owner != feed_id:
                return owner
        return None
