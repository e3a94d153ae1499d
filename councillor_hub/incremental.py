"""Incremental rebuilds for ``mkdocs serve --dirty`` (issue 14): rebuild only the pages that changed.

MkDocs' ``--dirty`` skips a page when its output is newer than its source (``File.is_modified``).
A generated page held in memory always counts as changed, so while serving, the build writes each
generated page to a file in a persistent cache folder (``PageCache``) and rewrites that file only
when the page's *signature* changes: its Markdown, the meta the hook sets on it, the fragments put
in after Markdown, and its edit link. A page whose signature is unchanged keeps its old file, so
MkDocs skips it. See docs/reference section 6 and mkdocs#1705, #2220 for what ``--dirty`` alone
gets wrong; this module covers each of those cases:

- **Changes that show on every page** (a menu title, the settings, a theme template, the set of
  pages): ``global_fingerprint`` hashes all of them. When it differs from the previous build of the
  same site folder, the hook empties the folder first, so every page is rebuilt.
- **The menu on rebuilt pages** shows the titles of skipped pages: the hook reads skipped pages'
  sources again (front matter only, no Markdown), and ``bare_nav_paths`` puts the text of
  hand-written menu pages whose title comes from their own heading into the fingerprint.
- **The search index** only gets entries for the pages Material renders in this build.
  ``SearchEntries`` keeps every page's entries from the previous builds and writes the index in
  page order, exactly as a clean build writes it.
- **Removed pages** have their old output deleted.

A full build after any sequence of incremental builds is byte-identical to a clean build:
``tests/test_incremental.py`` proves it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .files import write_text_atomic

MANIFEST = "manifest.json"


def digest(parts: Iterable[str]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def page_signature(content: str, meta: dict[str, Any], fragments: dict[str, str], edit_path: str | None) -> str:
    """Everything a generated page's output depends on that is the page's own (not the menu or theme)."""
    return digest(
        [content, json.dumps(meta, sort_keys=True, default=str), json.dumps(fragments, sort_keys=True), str(edit_path)]
    )


class PageCache:
    """Generated pages as files in ``folder`` (under ``Project.cache_dir``), rewritten only when they change.

    ``manifest.json`` remembers each file's signature, so a page whose fragments changed but whose
    Markdown did not (a post's body) is still rewritten, which makes MkDocs rebuild it.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        try:
            self._old: dict[str, str] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._old = {}
        self._new: dict[str, str] = {}

    def place(self, path: str, content: str, signature: str) -> Path:
        """The file holding page ``path`` (a source path such as ``platforms/facebook.md``)."""
        target = self.folder / path
        if self._old.get(path) != signature or not target.is_file():
            write_text_atomic(target, content)
        self._new[path] = signature
        return target

    def save(self) -> None:
        """Write the manifest and remove files of pages that no longer exist."""
        for gone in set(self._old) - set(self._new):
            (self.folder / gone).unlink(missing_ok=True)
        if self._new != self._old:
            write_text_atomic(self.folder / MANIFEST, json.dumps(self._new, sort_keys=True))
        self._old = dict(self._new)


def files_state(folders: Iterable[Path]) -> list[str]:
    """Name, size and modification time of every file under ``folders`` (templates, catalogues)."""
    out = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                out.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return out


def bare_nav_paths(nav: Any) -> list[str]:
    """Pages named in the menu without a title of their own (MkDocs takes the page's title)."""
    found: list[str] = []
    if isinstance(nav, str):
        found.append(nav)
    elif isinstance(nav, list):
        for item in nav:
            found += bare_nav_paths(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            if not isinstance(value, str):
                found += bare_nav_paths(value)
    return found


@dataclass
class SearchEntries:
    """Material's search index entries of every page, by page URL, kept across dirty rebuilds.

    Material writes entries for the pages it renders in a build, page by page in build order; each
    entry's ``location`` is the page's URL, optionally followed by ``#anchor``.
    """

    by_page: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def from_index(cls, docs: list[dict[str, Any]], urls: Iterable[str]) -> SearchEntries:
        """Group a clean build's index by page."""
        by_page: dict[str, list[dict[str, Any]]] = {url: [] for url in urls}
        for doc in docs:
            by_page.setdefault(str(doc.get("location", "")).split("#", 1)[0], []).append(doc)
        return cls(by_page)

    def docs(self, urls: Iterable[str]) -> list[dict[str, Any]]:
        """Every page's entries in page order (the order of a clean build), dropping pages that are gone."""
        order = list(urls)
        self.by_page = {url: self.by_page.get(url, []) for url in order}
        return [doc for url in order for doc in self.by_page[url]]


def dump_search_index(config: dict[str, Any], docs: list[dict[str, Any]]) -> str:
    """The index as Material's search plugin writes it (same separators, ASCII escapes)."""
    return json.dumps({"config": config, "docs": docs}, separators=(",", ":"), default=str)


@dataclass
class DirtyState:
    """What the previous build of one site folder left, for the next ``--dirty`` build in the same process."""

    fingerprint: str
    # src_uri -> the page's output file
    outputs: dict[str, str] = field(default_factory=dict)
    search: SearchEntries | None = None
