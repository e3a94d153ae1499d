"""The project: where everything is, and the council's settings. Read once, passed down.

Nothing else in the package builds a path. The layout::

    mkdocs.yml                 upstream's site config (a fork never edits it)
    council.yml                the council's settings (``settings.CouncilSettings``)
    content/toolkits/          upstream content (YAML), its schemas and translations
    content/learning-log/      upstream's learning log (feeds.yml, posts/, state.json)
    docs/  overrides/  hooks/  upstream pages, theme overrides, MkDocs adapters
    council/                   the council's overlay (a fork's own files; upstream ships none):
      overlay.yml              hide upstream items, override their fields, by kind and id
      content/                 new items, laid out like content/toolkits
      translations/<lang>/     translations of upstream or council items
      docs/                    the council's own pages (one with an upstream page's name replaces it)
      templates/               overrides of overrides/hub templates, by file name
      theme/                   overrides of Material templates (partials, main.html)
      assets/                  logo and other files, published under assets/council/
      learning-log/            the council's own learning log (used once feeds.yml exists here)
    private/                   programme records (git-ignored; see settings.programme)

``Project.load(..., upstream=True)`` gives upstream's view, ignoring ``council.yml`` and
``council/``: the test suite uses it for facts about upstream's own content, so it passes on
every fork whatever the fork has changed.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import ContentError, Problem, display_path
from .settings import DEFAULT_SETTINGS, CouncilSettings
from .validation import validate_document
from .yaml_source import read_yaml

CONFIG_FILE = "mkdocs.yml"
SETTINGS_FILE = "council.yml"
OVERLAY_DIR = "council"
# Folders the site build reads: the private store must never be inside one of them.
_PUBLISHED = ("content", "docs", "overrides", "hooks", OVERLAY_DIR, "site")
# Set to a date (YYYY-MM-DD) to build as if it were that day: for checking the pre-election
# notice and review dates before they happen, and for tests.
TODAY_VARIABLE = "COUNCILLOR_HUB_TODAY"
# Set by the publishing workflow to the address the host gives the site (GitHub Pages' base URL),
# so a fork publishes with the right links before anyone edits site_url in council.yml.
SITE_URL_VARIABLE = "COUNCILLOR_HUB_SITE_URL"


def find_project_root(start: Path | str | None = None) -> Path:
    """The nearest folder at or above ``start`` (a folder or a file in it) holding mkdocs.yml."""
    here = Path(start or Path.cwd()).resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise SystemExit(f"councillor-hub: no {CONFIG_FILE} here or in any parent folder; run it inside the hub")


def today() -> dt.date:
    """Today, or the date in COUNCILLOR_HUB_TODAY (YYYY-MM-DD) when it is set."""
    value = os.environ.get(TODAY_VARIABLE, "").strip()
    if value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise SystemExit(f"councillor-hub: {TODAY_VARIABLE}={value!r} is not a date like 2027-04-01") from None
    return dt.date.today()


@dataclass(frozen=True)
class Project:
    root: Path
    settings: CouncilSettings
    # False: upstream's view (no council.yml, no overlay).
    with_overlay: bool = True

    @classmethod
    def load(cls, start: Path | str | None = None, *, upstream: bool = False) -> Project:
        """Find the project from ``start`` and read its settings; raise ``ContentError`` if they are wrong."""
        root = find_project_root(start)
        settings_path = root / SETTINGS_FILE
        if upstream or not settings_path.exists():
            return cls(root, DEFAULT_SETTINGS, with_overlay=not upstream)
        doc = read_yaml(settings_path, SETTINGS_FILE, root=root)
        if doc.data is None and not doc.problems:
            return cls(root, DEFAULT_SETTINGS)  # every line commented out: upstream's defaults
        settings, problems = validate_document(doc, CouncilSettings)
        if settings is not None:
            problems += _check_settings_paths(root, settings, doc)
        if problems or settings is None:
            raise ContentError(problems)
        return cls(root, settings)

    # --- upstream ---------------------------------------------------------------------------

    @property
    def config_file(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def settings_file(self) -> Path:
        return self.root / SETTINGS_FILE

    @property
    def toolkit_dir(self) -> Path:
        return self.root / "content" / "toolkits"

    @property
    def schemas_dir(self) -> Path:
        return self.toolkit_dir / "schemas"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def theme_dir(self) -> Path:
        return self.root / "overrides"

    @property
    def templates_dir(self) -> Path:
        return self.theme_dir / "hub"

    @property
    def upstream_learning_log_dir(self) -> Path:
        return self.root / "content" / "learning-log"

    # --- the council's overlay ----------------------------------------------------------------

    @property
    def overlay_dir(self) -> Path:
        return self.root / OVERLAY_DIR

    @property
    def has_overlay(self) -> bool:
        return self.with_overlay and self.overlay_dir.is_dir()

    @property
    def overlay_file(self) -> Path:
        return self.overlay_dir / "overlay.yml"

    @property
    def overlay_toolkit_dir(self) -> Path:
        return self.overlay_dir / "content"

    @property
    def overlay_docs_dir(self) -> Path:
        return self.overlay_dir / "docs"

    @property
    def overlay_assets_dir(self) -> Path:
        return self.overlay_dir / "assets"

    @property
    def overlay_theme_dir(self) -> Path:
        return self.overlay_dir / "theme"

    def translations_dirs(self, language: str) -> list[Path]:
        """Where translations into ``language`` live: upstream's, then the council's (which win)."""
        dirs = [self.toolkit_dir / "translations" / language]
        if self.has_overlay:
            dirs.append(self.overlay_dir / "translations" / language)
        return dirs

    @property
    def template_dirs(self) -> list[Path]:
        """Where generated pages' templates are looked up, first match wins (council, then upstream)."""
        council = self.overlay_dir / "templates"
        return ([council] if self.has_overlay and council.is_dir() else []) + [self.templates_dir]

    @property
    def theme_dirs(self) -> list[Path]:
        """Theme override folders to put before Material's: the council's first."""
        council = self.overlay_theme_dir
        return ([council] if self.has_overlay and council.is_dir() else []) + [self.theme_dir]

    # --- the learning log ---------------------------------------------------------------------

    @cached_property
    def learning_log_dir(self) -> Path:
        """The council's own learning log once ``council/learning-log/feeds.yml`` exists, else upstream's."""
        council = self.overlay_dir / "learning-log"
        if self.has_overlay and (council / "feeds.yml").is_file():
            return council
        return self.upstream_learning_log_dir

    @property
    def registry_path(self) -> Path:
        return self.learning_log_dir / "feeds.yml"

    @property
    def posts_dir(self) -> Path:
        return self.learning_log_dir / "posts"

    @property
    def state_path(self) -> Path:
        return self.learning_log_dir / "state.json"

    # --- private records and caches -----------------------------------------------------------

    @property
    def private_dir(self) -> Path:
        return self.root / self.settings.programme.private_dir

    def is_published(self, path: Path) -> bool:
        """True for a path inside a folder the site build reads (content/, docs/, council/, site/, ...)."""
        try:
            relative = path.resolve().relative_to(self.root.resolve())
        except ValueError:
            return False
        return bool(relative.parts) and relative.parts[0] in _PUBLISHED

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache" / "councillor-hub"

    @property
    def prebuilt_dir(self) -> Path:
        """Files made before a build, laid out as published (the PDF packs of ``councillor-hub pack --all``).

        A build publishes those that are still up to date (see ``packs``)."""
        return self.cache_dir / "prebuilt"

    # --- the site -------------------------------------------------------------------------------

    @property
    def site_dir(self) -> Path:
        """Where the publishing build writes the site (MkDocs' default site_dir)."""
        return self.root / "site"

    @property
    def site_url(self) -> str:
        """Where the hub is published: council.yml's site_url, unless the host says otherwise."""
        url = os.environ.get(SITE_URL_VARIABLE, "").strip() or self.settings.site_url
        return url if url.endswith("/") else url + "/"

    @property
    def languages(self) -> list[str]:
        return list(self.settings.languages)

    @property
    def default_language(self) -> str:
        return self.settings.default_language

    def edit_url(self, relative_path: str) -> str:
        """The web address that opens ``relative_path`` (from the project root) for editing."""
        return f"{self.settings.repo_url.rstrip('/')}/edit/{self.settings.edit_branch}/{relative_path}"

    def display(self, path: Path) -> str:
        """A path as a council officer would type it: relative to the project."""
        return display_path(path, self.root)


def _check_settings_paths(root: Path, settings: CouncilSettings, doc: object) -> list[Problem]:
    from .yaml_source import YamlDocument

    assert isinstance(doc, YamlDocument)
    problems = []
    if settings.logo and not (root / settings.logo).is_file():
        problems.append(doc.problem(("logo",), f"there is no file {settings.logo}; put the logo in council/assets/"))
    private = Path(settings.programme.private_dir)
    if private.is_absolute() or ".." in private.parts or (private.parts and private.parts[0] in _PUBLISHED):
        problems.append(
            doc.problem(
                ("programme", "private_dir"),
                "programme records must stay out of the published site: use a folder of its own at the top "
                f"of the project, such as 'private' (not inside {', '.join(_PUBLISHED)})",
            )
        )
    for index, link in enumerate(settings.nav):
        if not (root / OVERLAY_DIR / "docs" / link.page).is_file():
            problems.append(doc.problem(("nav", index, "page"), f"there is no page council/docs/{link.page}"))
    for language in settings.languages:
        if (
            language != "en"
            and not (root / "overrides" / "locale" / f"{language}.po").is_file()
            and not (root / OVERLAY_DIR / "locale" / f"{language}.po").is_file()
        ):
            problems.append(
                doc.problem(
                    ("languages",),
                    f"the hub has no translation of its pages' words into {language!r} "
                    "(overrides/locale/<language>.po); available: en, cy",
                )
            )
    return problems
