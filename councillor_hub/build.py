"""One build of the hub: everything the MkDocs hooks need, computed once per build.

The hooks create a new ``HubBuild`` in ``on_config`` on every build (and every ``mkdocs serve``
rebuild), so no state leaks from one build into the next. Parsed learning-log posts are cached
across builds by path, mtime and size (see ``learning_log``), which is safe because a changed
file always misses the cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ContentError
from .learning_log import LearningLog, load_learning_log
from .loading import Toolkit, load_toolkit
from .navigation import expand_nav
from .pages import Site, build_site, fragment_marker
from .rendering import Renderer


class RenderMemo:
    """Theme fragments that are identical on many pages, rendered once per build.

    Learning-log posts are not in the navigation and all sit at the same depth, so Material's
    sidebar renders to the same HTML on every one of them; with thousands of posts that sidebar is
    most of the build. Templates ask ``has``/``put``/``get`` with a key that captures everything the
    fragment depends on (here: the page's depth). A new memo is made for every build.
    """

    def __init__(self) -> None:
        self._store: dict[str, str] = {}

    def has(self, key: str) -> bool:
        return key in self._store

    def put(self, key: str, html: str) -> str:
        self._store[key] = html
        return ""

    def get(self, key: str) -> str:
        return self._store[key]


class HubBuildError(Exception):
    """Content problems, already formatted for a council officer to read."""


@dataclass
class HubBuild:
    root: Path
    toolkit: Toolkit
    log: LearningLog
    site: Site
    nav: Any
    site_url: str
    memo: RenderMemo = field(default_factory=RenderMemo)

    @classmethod
    def load(cls, config_file: str | Path, *, nav: Any = None, site_url: str | None = None) -> HubBuild:
        root = Path(config_file).resolve().parent
        problems = []
        toolkit = log = None
        try:
            toolkit = load_toolkit(root / "content" / "toolkits", project_root=root)
        except ContentError as exc:
            problems.extend(exc.problems)
        try:
            log = load_learning_log(root)
        except ContentError as exc:
            problems.extend(exc.problems)
        if problems or toolkit is None or log is None:
            report = ContentError(problems).report()
            raise HubBuildError(
                "The hub's content has problems, so the site was not built.\n"
                f"{report}\nFix each line above (file:line:column: field: message), "
                "or run `councillor-hub check` to see the same list."
            )
        renderer = Renderer(root / "overrides" / "hub")
        site = build_site(toolkit, log, renderer, site_url=site_url or "")
        return cls(root, toolkit, log, site, expand_nav(nav, site.sections), site_url or "")

    @property
    def warnings(self) -> list[str]:
        return self.toolkit.warnings

    def docs_edit_path(self, src_uri: str) -> str:
        return f"docs/{src_uri}"

    def page_meta(self, src_uri: str) -> dict[str, Any]:
        """Title and description of a generated page that has no front matter of its own."""
        return self.site.page_meta.get(src_uri, {})

    def place_fragments(self, src_uri: str, html: str) -> str:
        """Put feed-derived HTML into a rendered page, at its markers (never through Markdown)."""
        for name, fragment in self.site.fragments.get(src_uri, {}).items():
            marker = fragment_marker(name)
            if marker not in html:
                raise HubBuildError(f"{src_uri}: the template lost its {marker} marker")
            html = html.replace(marker, fragment, 1)
        return html
