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
import os
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .files import write_text_atomic

MANIFEST = "manifest.json"
T = TypeVar("T")


def digest(parts: Iterable[str]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def page_signature(content: str, meta: dict[str, Any], fragments: dict[str, str], edit_path: str | None) -> str:
    """Everything a generated page's output depends on that is the page's own (not the menu or theme)."""
    # repr, not JSON: ten times faster, and as stable, since the build makes meta in the same order each time.
    return digest([content, repr(meta), repr(fragments), str(edit_path)])


class PageCache:
    """Generated pages as files in ``folder`` (under ``Project.cache_dir``), rewritten only when they change.

    ``manifest.json`` remembers each file's signature, so a page whose fragments changed but whose
    Markdown did not (a post's body) is still rewritten, which makes MkDocs rebuild it. The
    manifest is read once per process (``PageCache.open``); a page whose signature is unchanged is
    not even looked at on disk.
    """

    _open: dict[Path, PageCache] = {}

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._folder = str(folder)
        try:
            self._old: dict[str, str] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._old = {}
        self._new: dict[str, str] = {}

    @classmethod
    def open(cls, folder: Path) -> PageCache:
        cache = cls._open.get(folder)
        if cache is None or not (folder / MANIFEST).is_file():
            cache = cls._open[folder] = cls(folder)
        cache._new = {}
        return cache

    def place(self, path: str, content: str, signature: str) -> str:
        """The file holding page ``path`` (a source path such as ``platforms/facebook.md``)."""
        # A string, not a Path: made for each of 10,000 posts on every save while serving.
        target = os.path.join(self._folder, path)
        if self._old.get(path) != signature:
            # No fsync (write_text_atomic): a cache file lost in a crash is only rewritten next time.
            os.makedirs(os.path.dirname(target), exist_ok=True)
            Path(target).write_text(content, encoding="utf-8")
        self._new[path] = signature
        return target

    def save(self) -> None:
        """Write the manifest and remove files of pages that no longer exist."""
        for gone in set(self._old) - set(self._new):
            (self.folder / gone).unlink(missing_ok=True)
        if self._new != self._old:
            write_text_atomic(self.folder / MANIFEST, json.dumps(self._new, sort_keys=True))
        self._old = self._new


def inputs_state(folders: Iterable[Path], files: Iterable[Path] = ()) -> tuple[tuple[Any, ...], ...]:
    """Every file under ``folders`` (templates, catalogues, content), and each of ``files``, as it
    stands (name, type, size, times, inode), without opening any: a key for what was made from
    them. A symbolic link counts as what it points to; a broken one or a missing file by its name."""
    paths = [path for folder in folders if folder.is_dir() for path in folder.rglob("*")]
    out: list[tuple[Any, ...]] = []
    for path in sorted([*paths, *files]):
        try:
            stat = path.stat()
        except OSError:
            out.append((str(path),))
            continue
        out.append((str(path), stat.st_mode, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino))
    return tuple(out)


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
    entry's ``location`` is the page's URL, optionally followed by ``#anchor``. Each page's entries
    are kept as the JSON text Material would write for them, so writing the whole index is a join.
    """

    by_page: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_index(cls, docs: list[dict[str, Any]], urls: Iterable[str]) -> SearchEntries:
        """Group a clean build's index by page."""
        grouped: dict[str, list[dict[str, Any]]] = {url: [] for url in urls}
        for doc in docs:
            grouped.setdefault(str(doc.get("location", "")).split("#", 1)[0], []).append(doc)
        return cls({url: _dump_docs(entries) for url, entries in grouped.items()})

    def update(self, url: str, entries: list[dict[str, Any]]) -> None:
        self.by_page[url] = _dump_docs(entries)

    def index(self, config_json: str, urls: Iterable[str]) -> str:
        """The whole index in page order (the order of a clean build), dropping pages that are gone."""
        order = list(urls)
        self.by_page = {url: self.by_page.get(url, "") for url in order}
        docs = ",".join(text for text in self.by_page.values() if text)
        return f'{{"config":{config_json},"docs":[{docs}]}}'


def _dump_docs(entries: list[dict[str, Any]]) -> str:
    """Entries as Material's search plugin writes them (same separators, ASCII escapes), without brackets."""
    return json.dumps(entries, separators=(",", ":"), default=str)[1:-1]


def search_index_config(index_text: str) -> str:
    """The ``config`` part of Material's index, as written, without reading its (long) ``docs``."""
    start = index_text.index(":") + 1
    _, end = json.JSONDecoder().raw_decode(index_text, start)
    return index_text[start:end]


class Memo:
    """Values kept from one build to the next (``mkdocs serve``), each under a key made of everything
    it is made from, so a rebuild makes only what changed. Keys may hold ``id()`` of objects kept
    while their files are unchanged (``learning_log``); ``anchor`` keeps those objects alive while
    the value is kept, and a build keeps only the values it used."""

    def __init__(self) -> None:
        self._previous: dict[Hashable, tuple[Any, Any]] = {}
        self._current: dict[Hashable, tuple[Any, Any]] = {}

    def start_build(self) -> None:
        self._previous, self._current = self._current, {}

    def keep(self, keys: Iterable[Hashable]) -> None:
        """Keep the values under ``keys`` for the next build, though this build did not use them."""
        for key in keys:
            if key not in self._current and key in self._previous:
                self._current[key] = self._previous[key]

    def has(self, key: Hashable) -> bool:
        return key in self._current or key in self._previous

    def get(self, key: Hashable, anchor: Any, render: Callable[[], T]) -> T:
        found = self._current.get(key) or self._previous.get(key)
        value: T = found[1] if found is not None else render()
        self._current[key] = (anchor, value)
        return value


@dataclass
class DirtyState:
    """What the previous build of one site folder left, for the next ``--dirty`` build in the same process."""

    fingerprint: str
    # src_uri -> the page's output file
    outputs: dict[str, str] = field(default_factory=dict)
    search: SearchEntries | None = None


class DirtyBuilds:
    """The ``--dirty`` builds of this process (``mkdocs serve``), one state per site folder.

    The hook tells it, per build: ``start`` (every page, and the fingerprint of everything shown on
    every page), ``rendered`` (each page MkDocs rendered, with its search entries) and
    ``complete_search_index`` (after Material wrote its index).
    """

    def __init__(self) -> None:
        self._states: dict[str, DirtyState] = {}
        self._order: list[str] = []  # every page's URL, in build order
        self._rendered: dict[str, list[dict[str, Any]]] = {}

    def start(self, site_dir: str, fingerprint: str, pages: list[tuple[str, str, str]], *, can_index: bool) -> bool:
        """``pages``: (src_uri, url, output file) of every page. True: empty the site folder first,
        because something on every page changed (or this is the process's first build of it).
        Otherwise the output of pages that are gone is deleted here."""
        self._order = [url for _, url, _ in pages]
        self._rendered = {}
        outputs = {src: output for src, _, output in pages}
        previous = self._states.get(site_dir)
        if previous is None or previous.fingerprint != fingerprint or not can_index:
            # Material's search index is complete and in order only on the process's first build
            # (afterwards it merges in its previous index); from then on every page is indexed here.
            search = None if not self._states else SearchEntries()
            self._states[site_dir] = DirtyState(fingerprint, outputs, search)
            return True
        for src, output in previous.outputs.items():
            if src not in outputs:
                Path(output).unlink(missing_ok=True)
        previous.outputs = outputs
        return False

    def indexes_pages(self, site_dir: str) -> bool:
        """Whether each rendered page's search entries must be handed to ``rendered``."""
        state = self._states.get(site_dir)
        return state is not None and state.search is not None

    def rendered(self, url: str, entries: list[dict[str, Any]]) -> None:
        self._rendered[url] = entries

    def complete_search_index(self, site_dir: Path) -> None:
        """Material indexes only the pages a --dirty build renders: add every other page's entries, in page order."""
        state = self._states[str(site_dir)]
        path = site_dir / "search" / "search_index.json"
        if not path.is_file():
            return  # no search plugin
        written = path.read_text(encoding="utf-8")
        if state.search is None:  # a clean build: Material's index has every page, in order
            state.search = SearchEntries.from_index(json.loads(written)["docs"], self._order)
        else:
            for url, entries in self._rendered.items():
                state.search.update(url, entries)
        path.write_text(state.search.index(search_index_config(written), self._order), encoding="utf-8")
