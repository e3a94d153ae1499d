"""OPML export and import of the feeds registry (the format every feed reader speaks).

Import only ever adds feeds: a feed whose URL is already in the registry is left alone, and
nothing is removed. The new entries are inserted as text at the end of the ``feeds:`` list, so
the rest of the file, comments included, stays exactly as it was. The result is checked with
``load_registry`` before it replaces the file.

OPML carries no consent or licence, so the person importing states them (``--consent``,
``--licence``); every imported feed still needs the facilitator's agreement first.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import ContentError, Problem, display_path
from ..feeds import FeedRegistry, load_registry
from ..files import write_text_atomic
from ..project import Project
from .identity import normalise_link, slugify

MAX_OPML_BYTES = 2 * 1024 * 1024


def export_opml(registry: FeedRegistry, title: str = "Councillor Hub learning log") -> str:
    """An OPML 2.0 document listing every feed that is not retired."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for feed in registry.feeds:
        if feed.retired:
            continue
        attributes = {"type": "rss", "text": feed.name, "title": feed.name, "xmlUrl": feed.url}
        if feed.site_url:
            attributes["htmlUrl"] = feed.site_url
        ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


@dataclass(frozen=True)
class OpmlFeed:
    name: str
    url: str
    site_url: str | None


def read_opml(text: str) -> list[OpmlFeed]:
    """Every outline with an ``xmlUrl``, at any depth (readers nest feeds in folders)."""
    if len(text) > MAX_OPML_BYTES:
        raise ValueError("the OPML file is larger than 2 MiB")
    # No DTDs or entities: an OPML file has no use for them, and they are how XML bombs work.
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        raise ValueError("the OPML file declares a DOCTYPE or entities, which are not accepted")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ValueError(f"not valid OPML: {exc}") from exc
    found = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or "").strip()
        if not url:
            continue
        name = (outline.get("text") or outline.get("title") or url).strip()
        site = (outline.get("htmlUrl") or "").strip() or None
        found.append(OpmlFeed(" ".join(name.split()), url, site))
    return found


def _unique_id(base: str, taken: set[str]) -> str:
    base = slugify(base, 50)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _last_scalar_end(node: yaml.Node) -> int:
    """Where the last scalar inside ``node`` ends (collections' own end marks overshoot comments)."""
    if isinstance(node, yaml.ScalarNode):
        return node.end_mark.index
    children: list[yaml.Node] = []
    if isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    elif isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    return max((_last_scalar_end(c) for c in children), default=node.start_mark.index)


def _insertion(text: str) -> tuple[str, int, int]:
    """(text with ``feeds: []`` opened up, offset to insert new items at, indentation of items)."""
    node = yaml.compose(text, Loader=yaml.SafeLoader) if text.strip() else None
    if node is None or not isinstance(node, yaml.MappingNode):
        prefix = text if not text or text.endswith("\n") else text + "\n"
        return prefix + "feeds:\n", len(prefix) + len("feeds:\n"), 2
    for key, value in node.value:
        if key.value != "feeds":
            continue
        if isinstance(value, yaml.SequenceNode) and value.flow_style:
            if value.value:
                raise ValueError("write the feeds list one item per line (not [a, b]) before importing")
            # `feeds: []` → `feeds:` followed by the new items on the next lines.
            start, end = value.start_mark.index, value.end_mark.index
            line_end = text.find("\n", end)
            line_end = len(text) if line_end == -1 else line_end
            opened = text[:start].rstrip(" ") + text[end:line_end] + "\n"
            new_text = opened + text[line_end + 1 :]
            return new_text, len(opened), 2
        if isinstance(value, yaml.SequenceNode):
            # After the last line of the last item, before any comment or key that follows.
            last_end = _last_scalar_end(value)
            if last_end and text[last_end - 1] == "\n":
                insert_at = last_end
            else:
                line_end = text.find("\n", last_end)
                if line_end == -1:
                    text += "\n"
                    line_end = len(text) - 1
                insert_at = line_end + 1
            return text, insert_at, value.start_mark.column
        if value.tag.endswith(":null") or value.value in ("", None):
            line_end = text.find("\n", key.end_mark.index)
            insert_at = len(text) if line_end == -1 else line_end + 1
            if line_end == -1:
                text += "\n"
                insert_at = len(text)
            return text, insert_at, 2
        raise ValueError("`feeds:` must be a list")
    prefix = text if text.endswith("\n") else text + "\n"
    return prefix + "feeds:\n", len(prefix) + len("feeds:\n"), 2


def import_opml(
    registry_path: Path,
    project: Project,
    opml_text: str,
    *,
    licence: str,
    consent: str,
    tags: list[str] | None = None,
) -> list[str]:
    """Add the OPML's feeds that the registry lacks; returns the new feed ids.

    Raises ``ValueError`` for unusable OPML and ``ContentError`` if the registry (before or after)
    has problems; in both cases the registry file is not changed.
    """
    text = registry_path.read_text(encoding="utf-8") if registry_path.exists() else ""
    registry = load_registry(registry_path, project) if text.strip() else FeedRegistry()
    known_urls = {normalise_link(f.url) for f in registry.feeds}
    taken = {f.id for f in registry.feeds}
    items = []
    for entry in read_opml(opml_text):
        key = normalise_link(entry.url)
        if key is None or key in known_urls:
            continue
        known_urls.add(key)
        item: dict[str, object] = {"id": _unique_id(entry.name, taken), "name": entry.name, "url": entry.url}
        if entry.site_url and entry.site_url.startswith(("https://", "http://")):
            item["site_url"] = entry.site_url
        if tags:
            item["tags"] = list(tags)
        item["licence"] = licence
        item["consent"] = consent
        items.append(item)
    if not items:
        return []
    new_text, offset, indent = _insertion(text)
    dumped = yaml.safe_dump(items, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)
    block = "".join(" " * indent + line + "\n" for line in dumped.splitlines())
    result = new_text[:offset] + block + new_text[offset:]
    # Check the result before it replaces the file.
    check_path = registry_path.with_name(f".{registry_path.name}.import-check.yml")
    try:
        check_path.write_text(result, encoding="utf-8")
        load_registry(check_path, project)
    except ContentError as exc:
        display = display_path(registry_path, project.root)
        raise ContentError(Problem(display, p.line, p.col, p.field, p.message) for p in exc.problems) from exc
    finally:
        check_path.unlink(missing_ok=True)
    write_text_atomic(registry_path, result)
    return [str(item["id"]) for item in items]
