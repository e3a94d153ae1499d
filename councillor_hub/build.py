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
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import localedata
from jinja2 import pass_context
from markupsafe import escape

from .errors import ContentError
from .i18n import SOURCE_LANGUAGE, Language, make_languages, script_strings_file
from .incremental import Memo, PageCache, bare_nav_paths, digest, inputs_state, page_signature
from .learning_log import LearningLog, load_learning_log
from .learning_log_pages import MEMO as FRAGMENTS
from .learning_log_pages import OUTSIDE_MENU_TEMPLATES
from .loading import load_toolkit
from .navigation import expand_nav, language_section, translate_nav
from .pages import build_site
from .parallel import worker_count
from .project import Project, today
from .rendering import Renderer, TemplateProblem
from .search_index import split_search_index
from .settings import NavLink, mix
from .site import GeneratedFile, MenuEntry, Site, fragment_marker, page_url
from .toolkit import Toolkit
from .translations import LanguageTranslations, ParityReport, furniture_problems, load_translations, parity

LOGO_FOLDER = "assets/council"
# Generated pages' signatures, kept from one build to the next (mkdocs serve --dirty).
SIGNATURES = Memo()
# The translation-status page's figures, kept while the toolkit and translations are (mkdocs serve).
STATUS = Memo()
POSTS_FOLDER = "learning-log/posts/"
THEME_MEMO_VARIABLE = "COUNCILLOR_HUB_THEME_MEMO"
LISTING_PAGE = re.compile(r"learning-log/page-[0-9]+\.md")


class RenderMemo:
    """Theme fragments that are identical on many pages, rendered once per build.

    Learning-log posts are not in the navigation, have no table of contents and all sit at the
    same depth, so most of Material's page renders to the same HTML on every one of them; with
    thousands of posts those blocks are most of the build (issue 14). Templates ask
    ``has``/``put``/``get`` with a key that captures everything the fragment depends on (here: the
    page's depth and language). ``put_around`` keeps a fragment that differs from page to page by
    one value (the header's page title), split at that value's one place, found after an anchor
    with nothing but tags in between; if it is not there (a Material release changed its markup),
    that fragment is simply rendered on every page.

    A new memo is made for every build. ``COUNCILLOR_HUB_THEME_MEMO=off`` renders every block on
    every page (the test that the memo changes nothing compares the two).
    """

    def __init__(self, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self._store: dict[str, str | tuple[str, str | None]] = {}

    def has(self, key: str) -> bool:
        found = self._store.get(key)
        return self.enabled and found is not None and not (isinstance(found, tuple) and found[1] is None)

    def put(self, key: str, html: str) -> str:
        self._store[key] = html
        return ""

    def put_around(self, key: str, html: str, anchor: str, value: str) -> str:
        start = html.find(anchor) + len(anchor)
        at = html.find(value, start) if value and start >= len(anchor) else -1
        if at >= 0 and _ONLY_TAGS.fullmatch(html, start, at):
            self._store[key] = (html[:at], html[at + len(value) :])
        else:
            self._store[key] = (html, None)  # rendered again on every page
        return ""

    def get(self, key: str, value: str = "") -> str:
        found = self._store[key]
        if isinstance(found, str):
            return found
        before, after = found
        return before if after is None else before + value + after


# Between the anchor and the value only tags (and spaces) may stand, so the value is the fragment's first text there.
_ONLY_TAGS = re.compile(r'"?>(?:\s*<[a-zA-Z][^<>]*>)*\s*')


class HubBuildError(Exception):
    """Content problems, already formatted for a council officer to read."""


def _failure(report: str) -> HubBuildError:
    return HubBuildError(
        "The hub's content has problems, so the site was not built.\n"
        f"{report}\nFix each line above (file:line:column: field: message), "
        "or run `councillor-hub check` to see the same list."
    )


def build_workers() -> int:
    """How many processes a build may use: ``COUNCILLOR_HUB_BUILD_WORKERS`` or the cores (parallel.py)."""
    try:
        return worker_count()
    except ValueError as exc:
        raise HubBuildError(str(exc)) from None


def twin_language(src: str) -> str | None:
    """``about.cy.md`` -> ``"cy"``: the language of a hand-written page's twin (None for ``about.md``)."""
    name = src.rsplit("/", 1)[-1]
    if not name.endswith(".md") or name.count(".") < 2:
        return None
    code = name[: -len(".md")].rsplit(".", 1)[1]
    return code if localedata.exists(code) else None


@dataclass
class HubBuild:
    project: Project
    toolkit: Toolkit
    log: LearningLog
    site: Site
    languages: list[Language]
    nav: Any
    day: dt.date
    translations: dict[str, LanguageTranslations] = field(default_factory=dict)
    memo: RenderMemo = field(default_factory=RenderMemo)
    # Every page's source path, once MkDocs has all files (for language counterparts).
    pages: set[str] = field(default_factory=set)

    @classmethod
    def load(
        cls,
        config_file: str | Path,
        *,
        nav: Any = None,
        directory_urls: bool = True,
        offline: bool = False,
        workers: int = 1,
    ) -> HubBuild:
        """Everything for one build. ``directory_urls``: MkDocs' ``use_directory_urls`` as the build has
        it (the offline plugin turns it off); ``offline``: this is the offline copy of the hub;
        ``workers``: how many processes may share reading and rendering posts (``build_workers``)."""
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
            log = load_learning_log(project, workers=workers)
        except ContentError as exc:
            problems.extend(exc.problems)
        if problems or toolkit is None or log is None:
            raise _failure(ContentError(problems).report())
        languages = make_languages(project.languages, catalogue_paths(project))
        translations = {
            lang.code: load_translations(project, lang.code) for lang in languages if lang.code != SOURCE_LANGUAGE
        }
        broken = [p for t in translations.values() for p in t.problems]
        if broken:
            raise _failure(ContentError(broken).report())
        renderer = Renderer(project.template_dirs, root=project.root)
        FRAGMENTS.start_build()
        SIGNATURES.start_build()
        STATUS.start_build()
        status = translation_status(project, toolkit, translations)
        try:
            site = build_site(
                project,
                toolkit,
                log,
                renderer,
                languages,
                translations,
                status,
                directory_urls=directory_urls,
                offline=offline,
                workers=workers,
            )
        except TemplateProblem as exc:
            raise HubBuildError(f"A template has a mistake, so the site was not built.\n{exc}") from None
        for lang in languages:
            if lang.catalogue is not None:
                site.files.append(GeneratedFile(f"assets/hub/strings.{lang.code}.js", script_strings_file(lang)))
        menu = build_nav(nav, site.sections, languages, project.settings.nav)
        memo = RenderMemo(enabled=os.environ.get(THEME_MEMO_VARIABLE, "").strip().lower() != "off")
        return cls(project, toolkit, log, site, languages, menu, today(), translations, memo)

    @property
    def warnings(self) -> list[str]:
        return [str(w) for w in self.toolkit.warnings]

    @property
    def notes(self) -> list[str]:
        notes = [str(n) for n in self.toolkit.notes]
        for report in self.parity():
            if not report.complete:
                notes.append(
                    f"{report.language}: {report.percent()}% of the content is translated; "
                    f"{len(report.missing)} fields not yet translated and {len(report.stale)} out of date, shown in "
                    f"English with a notice (run `councillor-hub translations status --lang {report.language}`)"
                )
        return notes

    def parity(self) -> list[ParityReport]:
        return [parity(self.toolkit, t) for t in self.translations.values()]

    @property
    def multilingual(self) -> bool:
        return len(self.languages) > 1

    def language_of(self, src_uri: str) -> Language:
        for lang in self.languages[1:]:
            if src_uri.startswith(lang.prefix):
                return lang
        return self.languages[0]

    def language_twins(self, docs: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], set[str]]:
        """Each hand-written page in every language: ``(src_uri, file)`` to add, and src_uris to drop.

        ``docs/about.md`` is written in English; its Welsh twin is ``docs/about.cy.md``, published at
        ``cy/about/``. Where there is no twin yet, the English page is published there, marked as
        English (``lang="en"``) under a visible notice, never silently.
        """
        codes = {lang.code for lang in self.languages}
        written: dict[tuple[str, str], str] = {}
        drop: set[str] = set()
        for src, path in docs:
            code = twin_language(src)
            if code is None:
                continue
            drop.add(src)  # never a page of its own, even when the hub does not publish that language
            if code in codes:
                written[(src[: -len(f".{code}.md")] + ".md", code)] = path
        twins: list[tuple[str, str]] = []
        for src, path in docs:
            if src in drop:
                continue
            for lang in self.languages:
                own = written.get((src, lang.code)) if lang.code != SOURCE_LANGUAGE else path
                target = lang.path(src)
                if target == src and own == path:
                    continue  # the source-language page at its own place
                twins.append((target, own or path))
                meta: dict[str, Any] = {"hub_lang": lang.code}
                if own is None:
                    meta["hub_untranslated"] = "page"
                self.site.page_meta.setdefault(target, {}).update(meta)
        return twins, drop

    def register_pages(self, src_uris: list[str]) -> None:
        self.pages = set(src_uris)

    def alternates(self, src_uri: str) -> list[dict[str, str]]:
        """This page in each language of the hub (its counterpart, or that language's home page)."""
        here = self.language_of(src_uri)
        base = src_uri[len(here.prefix) :]
        out = []
        for lang in self.languages:
            target = lang.path(base)
            found = target in self.pages
            out.append(
                {
                    "code": lang.code,
                    "name": lang.native_name,
                    "url": page_url(target if found else lang.path("index.md")),
                    "current": "true" if lang is here else "",
                }
            )
        return out

    def split_search(self, site_dir: Path) -> dict[str, int]:
        return split_search_index(site_dir, self.languages)

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
        return changes

    def theme_changes(self) -> dict[str, Any]:
        settings = self.project.settings
        changes: dict[str, Any] = {"language": self.project.default_language}
        if settings.logo:
            changes["logo"] = f"{LOGO_FOLDER}/{Path(settings.logo).name}"
        return changes

    def theme_gettext(self) -> dict[str, Any]:
        """``_``, ``gettext`` and ``ngettext`` for theme templates, in the language of the page being rendered."""

        def language(context: Any) -> Language:
            page = context.get("page")
            file = getattr(page, "file", None)
            return self.language_of(file.src_uri) if file is not None else self.languages[0]

        @pass_context
        def gettext(context: Any, message: str, **variables: Any) -> str:
            text = language(context).gettext(message)
            return text % variables if variables else text

        @pass_context
        def ngettext(context: Any, singular: str, plural: str, count: int, **variables: Any) -> str:
            return language(context).ngettext(singular, plural, count) % {"num": count, **variables}

        return {"_": gettext, "gettext": gettext, "ngettext": ngettext}

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
            "multilingual": self.multilingual,
            "alternates": self.alternates,
            "language_of": lambda src: self.language_of(src).code,
            "site_url": self.project.site_url,
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

    # --- incremental rebuilds (mkdocs serve --dirty; see councillor_hub.incremental) ---------------

    def page_cache(self) -> PageCache:
        """Where generated pages are kept as files while serving; one folder per kind of build."""
        variant = ("offline" if self.site.offline else "online") + ("" if self.site.directory_urls else "-flat")
        return PageCache.open(self.project.cache_dir / "pages" / variant)

    def page_signature(self, file: GeneratedFile) -> str:
        meta, fragments = self.page_meta(file.path), self.site.fragments.get(file.path, {})
        # Memoised learning-log posts come back as the very same objects while unchanged.
        return SIGNATURES.get(
            (id(file), id(meta), id(fragments.get("main"))),
            (file, meta, fragments.get("main")),
            lambda: page_signature(file.content, meta, fragments, file.edit_path),
        )

    def global_fingerprint(self, config_values: dict[str, Any], pages: list[str]) -> str:
        """A hash of everything that shows on every page: when it changes, every page is rebuilt.

        ``config_values``: MkDocs' settings as the build has them (menu, theme, extra, ...);
        ``pages``: every page's source path, except those ``reached_only_from_listings`` (a new
        post shows on the listing pages, whose own signatures change with it, and on no other page).
        """
        project = self.project
        parts = [json.dumps(config_values, sort_keys=True, default=str), self.day.isoformat(), *pages]
        for path in (project.config_file, project.settings_file, project.overlay_file):
            parts.append(path.read_text(encoding="utf-8") if path.is_file() else "")
        parts += map(repr, inputs_state([*project.theme_dirs, project.overlay_dir / "locale"]))
        for src in bare_nav_paths(config_values.get("nav")):
            meta = self.page_meta(src)
            if "title" in meta:
                parts.append(f"{src}:{meta['title']}")
            else:  # a hand-written page: its title is its first heading
                source = project.overlay_docs_dir / src if project.has_overlay else None
                source = source if source is not None and source.is_file() else project.docs_dir / src
                parts.append(f"{src}:{source.read_text(encoding='utf-8') if source.is_file() else ''}")
        return digest(parts)

    def outside_menu(self, src_uri: str) -> bool:
        """Learning-log posts and listing pages outside the menu (they show it folded)."""
        return self.page_meta(src_uri).get("template") in OUTSIDE_MENU_TEMPLATES

    def reached_only_from_listings(self, src_uri: str) -> bool:
        """Learning-log posts and the numbered listing pages: only listing pages link to them, by
        links in their fragments (part of their signatures), and every language has the same ones."""
        base = src_uri[len(self.language_of(src_uri).prefix) :]
        return base.startswith(POSTS_FOLDER) or LISTING_PAGE.fullmatch(base) is not None

    def docs_edit_path(self, src_uri: str) -> str:
        council = self.project.overlay_docs_dir / src_uri
        if self.project.has_overlay and council.is_file():
            return self.project.display(council)
        return self.project.display(self.project.docs_dir / src_uri)

    def page_meta(self, src_uri: str) -> dict[str, Any]:
        """Meta of a generated page set by the hook (titles of pages with no front matter, language)."""
        return self.site.page_meta.get(src_uri, {})

    def finish_page(self, src_uri: str, html: str) -> str:
        """The page's content after Markdown: feed-derived fragments put in place, fallbacks marked."""
        for name, fragment in self.site.fragments.get(src_uri, {}).items():
            marker = fragment_marker(name)
            if marker not in html:
                raise HubBuildError(f"{src_uri}: the template lost its {marker} marker")
            html = html.replace(marker, fragment, 1)
        lang = self.language_of(src_uri)
        if lang.code != SOURCE_LANGUAGE:
            # The Markdown toc extension writes its English tooltip on every heading's anchor.
            _ = lang.gettext
            tooltip = escape(_("Permanent link"))
            html = html.replace('title="Permanent link"', f'title="{tooltip}"')
        if self.page_meta(src_uri).get("hub_untranslated") == "page":
            # A hand-written page with no translation yet: all of it is in the source language.
            html = f'<div lang="{SOURCE_LANGUAGE}">\n{html}\n</div>'
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


def build_nav(
    nav: list[Any] | None, sections: dict[str, list[MenuEntry]], languages: list[Language], council: list[NavLink]
) -> list[Any] | None:
    """The menu: mkdocs.yml's, the council's own pages at the end, then one section per other language."""
    if nav is None:
        return None
    base = [*nav, *({link.title: link.page} for link in council)]
    menu = list(expand_nav(base, sections) or [])
    for lang in languages[1:]:
        translated = translate_nav(base, lang.prefix, lang.gettext)
        menu.append({language_section(lang.code): expand_nav(translated, sections)})
    return menu


def translation_status(
    project: Project, kit: Toolkit, loaded: dict[str, LanguageTranslations]
) -> list[tuple[ParityReport, int]]:
    """For the translation-status page: every language the hub has words for, the hub's own or not."""
    codes = {p.stem for p in (project.theme_dir / "locale").glob("*.po")} | set(project.languages)
    used = {code: loaded.get(code) or load_translations(project, code) for code in sorted(codes - {SOURCE_LANGUAGE})}
    # The same toolkit and translations objects while their files are unchanged (mkdocs serve).
    key = (id(kit), tuple((code, id(t)) for code, t in used.items()), inputs_state([project.theme_dir / "locale"]))
    return STATUS.get(
        key,
        (kit, used),
        lambda: [(parity(kit, t), len(furniture_problems(project, code))) for code, t in used.items()],
    )
