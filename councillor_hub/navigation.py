"""Navigation: hand-written order from mkdocs.yml, generated pages slotted in, one menu per language.

``mkdocs.yml`` lists each section once by its index page (``- Platforms: platforms/index.md``).
The build turns that entry into a section whose first page is the index and whose children are
the generated pages, in content order, then any groups of them as subsections (the guides by
audience, the programme's worksheets), so an open section stays short (issue 13). Material shows
the index as the section's own link (``navigation.indexes``) and keeps sections folded until
used. Everything else is left as mkdocs.yml has it.

A hub in several languages gets the same menu for each other language, with every path under
the language's folder (``cy/platforms/index.md``) and every title translated. MkDocs has one
menu per site, so each other language's menu is added as one extra section named
``language_section(code)``; the hook lifts it out again and gives each page its own language's
menu (see hooks/hub.py ``on_nav``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .site import MenuEntry

NavItem = Any
LANGUAGE_SECTION = "hub-language:"


def language_section(code: str) -> str:
    return LANGUAGE_SECTION + code


def expand_nav(nav: list[NavItem] | None, sections: dict[str, list[MenuEntry]]) -> list[NavItem] | None:
    if nav is None:
        return None
    return [_expand(item, sections) for item in nav]


def section_children(entries: list[MenuEntry]) -> list[NavItem]:
    """A section's pages in order, then each group of pages as a subsection (in order of first use)."""
    pages: list[NavItem] = [{title: path} for title, path, group in entries if group is None]
    groups: dict[str, list[NavItem]] = {}
    for title, path, group in entries:
        if group is not None:
            groups.setdefault(group, []).append({title: path})
    return pages + [{group: children} for group, children in groups.items()]


def _expand(item: NavItem, sections: dict[str, list[MenuEntry]]) -> NavItem:
    if isinstance(item, dict) and len(item) == 1:
        ((title, value),) = item.items()
        if isinstance(value, str) and value in sections:
            return {title: [value, *section_children(sections[value])]}
        if isinstance(value, list):
            return {title: [_expand(child, sections) for child in value]}
    return item


def translate_nav(nav: list[NavItem], prefix: str, title: Callable[[str], str]) -> list[NavItem]:
    """``nav`` with every page under ``prefix`` and every written title through ``title``."""
    out: list[NavItem] = []
    for item in nav:
        if isinstance(item, str):
            out.append(prefix + item if not _external(item) else item)
        elif isinstance(item, dict) and len(item) == 1:
            ((name, value),) = item.items()
            if isinstance(value, list):
                out.append({title(name): translate_nav(value, prefix, title)})
            else:
                out.append({title(name): prefix + value if not _external(value) else value})
        else:
            out.append(item)
    return out


def nav_titles(nav: list[NavItem] | None) -> list[str]:
    """Every title written in the menu (for the translation catalogue)."""
    found: list[str] = []
    for item in nav or []:
        if isinstance(item, dict) and len(item) == 1:
            ((name, value),) = item.items()
            found.append(name)
            if isinstance(value, list):
                found += nav_titles(value)
    return found


def _external(path: str) -> bool:
    return "://" in path or path.startswith("mailto:")
