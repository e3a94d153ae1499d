"""One build of the hub: everything the MkDocs hooks need, computed once per build.

The hooks create a new ``HubBuild`` in ``on_config`` on every build (and every ``mkdocs serve``
rebuild), so no state leaks from one build into the next. Parsed learning-log posts are cached
across builds by path, mtime and size (see ``learning_log``), which is safe because a changed
file always misses the cache.

Nothing here imports MkDocs: ``config_changes`` says what the hook should set on MkDocs' config,
and ``theme_context`` is what the theme templates see as ``hub``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ContentError
from .i18n import Language, make_languages
from .learning_log import LearningLog, load_learning_log
from .loading import load_toolkit
from .navigation import expand_nav
from .pages import build_site
from .project import Project, today
from .rendering import Renderer, TemplateProblem
from .settings import mix
from .site import Site, fragment_marker, page_url
from .toolkit import Toolkit

LOGO_FOLDER = "assets/council"


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


def _failure(report: str) -> HubBuildError:
    return HubBuildError(
        "The hub's content has problems, so the site was not built.\n"
        f"{report}\nFix each line above (file:line:column: field: message), "
        "or run `councillor-hub check` to see the same list."
    )


@dataclass
class HubBuild:
    project: Project
    toolkit: Toolkit
    log: LearningLog
    site: Site
    languages: list[Language]
    nav: Any
    day: dt.date
    memo: RenderMemo = field(default_factory=RenderMemo)

    @classmethod
    def load(
        cls, config_file: str | Path, *, nav: Any = None, directory_urls: bool = True, offline: bool = False
    ) -> HubBuild:
        """Everything for one build. ``directory_urls``: MkDocs' ``use_directory_urls`` as the build has
        it (the offline plugin turns it off); ``offline``: this is the offline copy of the hub."""
        problems = []
        try:
            project = Project.load(config_file)
        except ContentError as exc:
            raise _failure(exc.report()) from None
        toolkit = log = None
        try:
            toolkit = load_toolkit(project)
        except ContentError as exc:
            problems.extend(exc.problems)
        try:
            log = load_learning_log(project)
        except ContentError as exc:
            problems.extend(exc.problems)
        if problems or toolkit is None or log is None:
            raise _failure(ContentError(problems).report())
        languages = make_languages(project.languages, catalogue_paths(project))
        renderer = Renderer(project.template_dirs, root=project.root)
        try:
            site = build_site(
                project, toolkit, log, renderer, languages, directory_urls=directory_urls, offline=offline
            )
        except TemplateProblem as exc:
            raise HubBuildError(f"A template has a mistake, so the site was not built.\n{exc}") from None
        return cls(project, toolkit, log, site, languages, expand_nav(nav, site.sections), today())

    @property
    def warnings(self) -> list[str]:
        return [str(w) for w in self.toolkit.warnings]

    @property
    def notes(self) -> list[str]:
        return [str(n) for n in self.toolkit.notes]

    def config_changes(self, *, serving: bool) -> dict[str, Any]:
        """MkDocs settings that come from council.yml (the hook sets them; mkdocs.yml never changes)."""
        settings = self.project.settings
        changes: dict[str, Any] = {
            "site_name": settings.hub_name(self.project.default_language),
            "repo_url": settings.repo_url,
            "repo_name": settings.repo_url.rstrip("/").rsplit("/", 1)[-1],
            "edit_uri": f"edit/{settings.edit_branch}/",
        }
        if not serving:
            # While serving, MkDocs uses its own local address; a build uses the council's.
            changes["site_url"] = self.project.site_url
        if settings.council_name():
            changes["copyright"] = (
                f"{settings.council_name()}. Content licensed under CC BY 4.0 unless a page says otherwise."
            )
        return changes

    def theme_changes(self) -> dict[str, Any]:
        settings = self.project.settings
        changes: dict[str, Any] = {"language": self.project.default_language}
        if settings.logo:
            changes["logo"] = f"{LOGO_FOLDER}/{Path(settings.logo).name}"
        return changes

    def theme_context(self) -> dict[str, Any]:
        """What the theme templates see as ``hub``."""
        settings = self.project.settings
        election = settings.pre_election(self.day)
        guide = self.toolkit.get("guide", "pre-election-period")
        by_code = {lang.code: lang for lang in self.languages}

        def translate(code: str, message: str) -> str:
            lang = by_code.get(code)
            return lang.gettext(message) if lang else message

        return {
            "settings": settings,
            "colours": settings.colours,
            "colour_light": mix(settings.colours.primary, "#ffffff", 0.15),
            "colour_dark": mix(settings.colours.primary, "#000000", 0.3),
            "languages": self.languages,
            "elections": settings.elections,
            "election_periods": [
                {"name": e.name, "from": e.notice_of_election.isoformat(), "to": e.polling_day.isoformat()}
                for e in settings.elections
            ],
            "election_now": election,
            "pre_election_guide": page_url("guides/pre-election-period.md", directory_urls=self.site.directory_urls)
            if guide
            else None,
            "day": self.day,
            "t": translate,
            "prefix": lambda code: by_code[code].prefix if code in by_code else "",
        }

    def overlay_files(self) -> list[tuple[str, Path, str | None]]:
        """(site path, file, edit path) of the council's own pages and assets, to add to MkDocs' files."""
        project = self.project
        if not project.has_overlay:
            return []
        found: list[tuple[str, Path, str | None]] = []
        if project.overlay_docs_dir.is_dir():
            for path in sorted(project.overlay_docs_dir.rglob("*")):
                if path.is_file():
                    edit = project.display(path) if path.suffix == ".md" else None
                    found.append((path.relative_to(project.overlay_docs_dir).as_posix(), path, edit))
        if project.overlay_assets_dir.is_dir():
            for path in sorted(project.overlay_assets_dir.rglob("*")):
                if path.is_file():
                    found.append(
                        (f"{LOGO_FOLDER}/{path.relative_to(project.overlay_assets_dir).as_posix()}", path, None)
                    )
        return found

    def is_build_input(self, path: str) -> bool:
        """True for files in the theme folders that the build reads but must not publish (templates, catalogues)."""
        file = Path(path).resolve()
        inputs = [*self.project.template_dirs, self.project.theme_dir / "locale", self.project.overlay_dir / "locale"]
        return file.suffix in (".j2", ".po", ".pot") or any(file.is_relative_to(d.resolve()) for d in inputs)

    def docs_edit_path(self, src_uri: str) -> str:
        council = self.project.overlay_docs_dir / src_uri
        if self.project.has_overlay and council.is_file():
            return self.project.display(council)
        return self.project.display(self.project.docs_dir / src_uri)

    def page_meta(self, src_uri: str) -> dict[str, Any]:
        """Meta of a generated page set by the hook (titles of pages with no front matter, language)."""
        return self.site.page_meta.get(src_uri, {})

    def place_fragments(self, src_uri: str, html: str) -> str:
        """Put feed-derived HTML into a rendered page, at its markers (never through Markdown)."""
        for name, fragment in self.site.fragments.get(src_uri, {}).items():
            marker = fragment_marker(name)
            if marker not in html:
                raise HubBuildError(f"{src_uri}: the template lost its {marker} marker")
            html = html.replace(marker, fragment, 1)
        return html


def catalogue_paths(project: Project) -> dict[str, list[Path]]:
    """Each language's PO catalogues: upstream's, then the council's."""
    out = {}
    for code in project.languages:
        paths = [project.theme_dir / "locale" / f"{code}.po"]
        if project.has_overlay:
            paths.append(project.overlay_dir / "locale" / f"{code}.po")
        out[code] = paths
    return out
