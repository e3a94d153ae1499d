"""Navigation: hand-written order from mkdocs.yml, generated pages slotted into their sections.

A council's ``mkdocs.yml`` lists each section once by its index page
(``- Platforms: platforms/index.md``). The build turns that entry into a section whose first
page is the index and whose children are the generated pages, in content order. Everything
else in the nav is left exactly as the council wrote it.
"""

from __future__ import annotations

from typing import Any

NavItem = Any


def expand_nav(nav: list[NavItem] | None, sections: dict[str, list[tuple[str, str]]]) -> list[NavItem] | None:
    if nav is None:
        return None
    return [_expand(item, sections) for item in nav]


def _expand(item: NavItem, sections: dict[str, list[tuple[str, str]]]) -> NavItem:
    if isinstance(item, dict) and len(item) == 1:
        ((title, value),) = item.items()
        if isinstance(value, str) and value in sections:
            return {title: [value, *({t: p} for t, p in sections[value])]}
        if isinstance(value, list):
            return {title: [_expand(child, sections) for child in value]}
    return item
