"""Page objects: the files a build adds to the site, and how pages link to each other.

No MkDocs here: the hook wraps each ``GeneratedFile`` as a MkDocs file. Paths are source paths
(``platforms/facebook.md``); ``relative_url`` turns two of them into the link MkDocs would serve.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any


def fragment_marker(name: str) -> str:
    """Where a page's fragment ``name`` goes; ``HubBuild.place_fragments`` replaces it after Markdown."""
    return f"<!-- hub:fragment:{name} -->"


@dataclass(frozen=True)
class GeneratedFile:
    """One file of the site that exists only during the build."""

    path: str
    content: str
    edit_path: str | None = None
    title: str | None = None


# One page in a section of the menu: (title, path, group). Pages with a group sit in a subsection
# of that name after the section's other pages (the guides by audience, the worksheets).
MenuEntry = tuple[str, str, str | None]


@dataclass
class Site:
    # How pages are served: "x/" (MkDocs' directory URLs) or "x.html" (use_directory_urls: false,
    # which Material's offline plugin sets so that the offline copy works from file://).
    directory_urls: bool = True
    # Built as the offline copy of the hub (scripts/build; see councillor_hub.offline).
    offline: bool = False
    files: list[GeneratedFile] = field(default_factory=list)
    # section index path -> its pages in the menu, in order
    sections: dict[str, list[MenuEntry]] = field(default_factory=dict)
    # page path -> {marker: html}: feed-derived HTML put in place after Markdown
    fragments: dict[str, dict[str, str]] = field(default_factory=dict)
    # page path -> meta set on the page by the hook (title and description escaped, never parsed)
    page_meta: dict[str, dict[str, Any]] = field(default_factory=dict)
    # site path -> a file published as it is (the PDF packs)
    static: dict[str, Path] = field(default_factory=dict)

    def add(
        self,
        file: GeneratedFile,
        *,
        section: str | None = None,
        group: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> None:
        self.files.append(file)
        if section is not None and file.title is not None:
            self.sections.setdefault(section, []).append((file.title, file.path, group))
        if meta:
            self.page_meta.setdefault(file.path, {}).update(meta)

    def url(self, from_src: str, to_src: str) -> str:
        """A link from one page to another, as this site serves them (see ``relative_url``)."""
        return relative_url(from_src, to_src, directory_urls=self.directory_urls)


def page_url(src: str, *, directory_urls: bool = True) -> str:
    """The URL (relative to the site root) MkDocs gives a page: ``x/``, or ``x.html`` without directory URLs."""
    if not src.endswith(".md"):
        return src
    if not directory_urls:
        return src[: -len(".md")] + ".html"
    if src.endswith("index.md"):
        return src[: -len("index.md")]
    return src[: -len(".md")] + "/"


@lru_cache(maxsize=1 << 16)  # listing pages ask the same links over and over
def relative_url(from_src: str, to_src: str, *, directory_urls: bool = True) -> str:
    """A link from one page to another (or to ``page#anchor``), as it will be served.

    Plain string work (no ``os.path``): it runs for every link on every listing page.
    """
    target, _, anchor = to_src.partition("#")
    here = page_url(from_src, directory_urls=directory_urls).split("/")[:-1]
    there = page_url(target, directory_urls=directory_urls).split("/")
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    rel = "../" * (len(here) - common) + "/".join(there[common:])
    return (rel or "./") + (f"#{anchor}" if anchor else "")


def relative_source(from_src: str, to_src: str) -> str:
    """A Markdown link from one source page to another (``../guides/x.md#a``), for MkDocs to resolve."""
    target, _, anchor = to_src.partition("#")
    here = from_src.split("/")[:-1]
    there = target.split("/")
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    rel = "../" * (len(here) - common) + "/".join(there[common:])
    return rel + (f"#{anchor}" if anchor else "")
