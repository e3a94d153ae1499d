"""MkDocs adapter for the Councillor Hub. Events in, calls into ``councillor_hub``, nothing else.

Registered in mkdocs.yml under ``hooks:``. State lives on one ``HubBuild`` object that is
created afresh in ``on_config`` for every build, so ``mkdocs serve`` rebuilds never accumulate.
The one exception is ``--dirty`` (scripts/serve): what the previous build of a site folder left
(``DirtyState``: its fingerprint, outputs and search entries) is kept, one per folder, so the
next build can skip the pages that did not change (councillor_hub/incremental.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import clean_directory, get_build_date

from councillor_hub.build import HubBuild, HubBuildError, build_workers
from councillor_hub.incremental import DirtyBuilds
from councillor_hub.navigation import LANGUAGE_SECTION
from councillor_hub.offline import offline_plugin_enabled
from councillor_hub.parallel import WorkerFailed, can_fork, freeze, run_split, thaw
from councillor_hub.rendering import THEME_BYTECODE
from councillor_hub.site import fragment_marker

try:
    # Material's indexer of one page, to index each page a --dirty build renders (Material's own
    # dirty-reload merge assumes that only one page changed). Without it, --dirty rebuilds everything.
    from material.plugins.search.plugin import SearchIndex as SEARCH_INDEX_OF_ONE_PAGE
    from material.plugins.search.plugin import SearchPlugin
except ImportError:  # pragma: no cover - a Material release that moved it
    SEARCH_INDEX_OF_ONE_PAGE = SearchPlugin = None
try:
    # MkDocs' own step that renders one page and writes it: posts are rendered by it, several
    # processes at once (_render_posts_apart). Without it, MkDocs renders them one by one.
    from mkdocs.commands.build import _build_page as BUILD_ONE_PAGE
except ImportError:  # pragma: no cover - a MkDocs release that moved it
    BUILD_ONE_PAGE = None

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files

log = logging.getLogger("mkdocs.hooks.councillor_hub")
# MkDocs settings whose change shows on every page (with the theme's): a --dirty build then rebuilds all.
FINGERPRINT_SETTINGS = (
    "nav", "site_name", "site_url", "site_description", "site_author", "repo_url", "repo_name", "edit_uri",
    "copyright", "extra", "extra_css", "extra_javascript", "markdown_extensions", "mdx_configs",
    "use_directory_urls", "not_in_nav", "dev_addr",
)  # fmt: skip
# The settings MkDocs decides each page's inclusion from (File.inclusion).
INCLUSION = ("exclude_docs", "draft_docs", "not_in_nav")
_build: HubBuild | None = None
_workers = 1  # processes a build may use (councillor_hub/parallel.py)
_serving = False
_dirty = False
# --dirty only: what the previous builds of each site folder left (councillor_hub/incremental.py).
_dirty_builds = DirtyBuilds()
# The menu of each language, by language code (set in on_nav, read in on_page_context).
_menus: dict[str, Navigation] = {}
_site_nav: Navigation | None = None
# Each language's menu with every section folded to a link to its own page, for learning-log pages
# outside the menu (posts): see _folded.
_folded_menus: dict[str, Navigation] = {}
# --dirty only: each learning-log page's File (with its FragmentPage) from the previous build, by
# source path, under everything they were made from. Making 10,000 of them again on every save was
# a third of a rebuild (issue 14); an unchanged post keeps its objects, which MkDocs then skips.
_kept_pages: dict[str, tuple[tuple[str, ...], File]] = {}
# A build (not serving): every page, when the posts were rendered in on_env (_render_posts_apart)
# and then left out of MkDocs' own loop; the sitemap still lists them (on_template_context).
_all_pages: list[File] = []
# Fewer posts than this are not worth a second process.
POSTS_APART_FROM = 500


FRAGMENT_ONLY = fragment_marker("main")


class FragmentPage(Page):
    """A generated page whose Markdown is only its fragment's marker (learning-log posts and lists).

    Markdown returns the marker unchanged, and building a Markdown parser with every extension for
    each page was a third of a 10,000-post build (issue 14). MkDocs lets a plugin give a file its own
    Page class, as Material's blog plugin does for posts; any other Markdown renders as usual.
    """

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown is None or self.markdown.strip() != FRAGMENT_ONLY:
            super().render(config, files)
            return
        self.content = FRAGMENT_ONLY
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


class _DirtyNoticeFilter(logging.Filter):
    """MkDocs warns on every --dirty build that menus and links may go stale. DirtyBuilds rebuilds
    every page when something on every page changes (tests/test_incremental.py), so the warning
    would only alarm an editor on each save; it is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def on_startup(*, command: str, dirty: bool) -> None:
    global _serving, _dirty
    _serving = command == "serve"
    _dirty = dirty
    build_log = logging.getLogger("mkdocs.commands.build")
    if dirty and not any(isinstance(f, _DirtyNoticeFilter) for f in build_log.filters):
        build_log.addFilter(_DirtyNoticeFilter())


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build, _workers
    if _serving:
        freeze()  # until on_post_build: no full garbage collection of the last build's objects mid-rebuild
    try:
        _workers = build_workers()
        _build = HubBuild.load(
            config.config_file_path,
            nav=config.nav,
            directory_urls=config.use_directory_urls,  # Material's offline plugin has already set it
            offline=offline_plugin_enabled(config.plugins),
            workers=_workers,
        )
    except HubBuildError as exc:
        raise PluginError(str(exc)) from None
    for warning in _build.warnings:
        log.warning(warning)
    for note in _build.notes:
        log.info(note)
    for key, value in _build.config_changes(serving=_serving).items():
        config[key] = value
    for key, value in _build.theme_changes().items():
        config.theme[key] = value
    for folder in reversed(_build.project.theme_dirs):
        if str(folder) not in config.theme.dirs:
            config.theme.dirs.insert(0, str(folder))
    if _build.multilingual:
        # Material draws its language menu from extra.alternate; overrides/partials/alternate.html
        # points each entry at the same page in that language.
        config.extra["alternate"] = [
            {"name": lang.native_name, "link": f"hub-alternate:{lang.code}", "lang": lang.code}
            for lang in _build.languages
        ]
    config.nav = _build.nav
    if _serving:
        # Nobody previews the sitemap, and with 10,000 posts it is a tenth of every rebuild (issue 14).
        config.theme.static_templates.discard("sitemap.xml")
    return config


def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    assert _build is not None
    project = _build.project
    for path in (project.settings_file, project.overlay_dir):
        if path.exists():
            server.watch(str(path))
    return server


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    assert _build is not None
    if _dirty:
        # Pages that --dirty skipped were never read, but the menu of rebuilt pages shows their
        # titles (and Material reads their front matter: icon, status): read their sources again.
        for menu in [_site_nav, *_menus.values()]:
            for page in menu.pages if menu is not None else []:
                if page.markdown is None:
                    page.read_source(config)
                    _apply_page_meta(page)
    env.bytecode_cache = THEME_BYTECODE
    env.globals["hub_memo"] = _build.memo
    env.globals["hub"] = _build.theme_context()
    env.globals.update(_build.theme_gettext())
    _render_posts_apart(env, config, files)
    return env


def _renders_apart(file: File) -> bool:
    """Learning-log posts and listing pages: their own template, no Markdown, no menu entry."""
    assert _build is not None
    return isinstance(file.page, FragmentPage) and _build.reached_only_from_listings(file.src_uri)


def _render_posts_apart(env: Environment, config: MkDocsConfig, files: Files) -> None:
    """A build (not serving) renders the posts here, with MkDocs' own page step, split across the
    cores (councillor_hub/parallel.py; issue 14), then leaves them out of MkDocs' loop.

    They are the first pages (on_files puts them there), so Material's search index gets their
    entries first, in order, exactly as when MkDocs renders them (tests/test_parallel_build.py).
    """
    _all_pages.clear()
    if _serving or _dirty or BUILD_ONE_PAGE is None or _workers < 2:
        return
    pages = files.documentation_pages()
    apart = [f for f in pages if _renders_apart(f)]
    if len(apart) < POSTS_APART_FROM or apart != pages[: len(apart)]:
        return
    search = next((p.search_index for p in config.plugins.values() if _is_search(p)), None)
    before = len(search.entries) if search is not None else 0

    def render(share: Sequence[File]) -> list[Any]:
        start = len(search.entries) if search is not None else 0
        for file in share:
            assert BUILD_ONE_PAGE is not None and file.page is not None
            BUILD_ONE_PAGE(file.page, config, pages, _site_nav, env)
        return search.entries[start:] if search is not None else []

    shared = can_fork()
    try:
        entries = run_split(render, apart, _workers, logger="mkdocs")
    except WorkerFailed as exc:
        raise PluginError(f"A learning-log page could not be built:\n{exc}") from None
    if shared:
        log.info(f"Rendered {len(apart):,} learning-log pages in {len(entries)} processes")
    if search is not None:
        search.entries[before:] = [entry for share in entries for entry in share]
    _all_pages.extend(pages)
    for file in apart:
        file.inclusion = InclusionLevel.EXCLUDED  # written already: MkDocs' loop leaves them out


def _is_search(plugin: Any) -> bool:
    return SearchPlugin is not None and isinstance(plugin, SearchPlugin)


def on_template_context(context: dict[str, Any], *, template_name: str, config: MkDocsConfig) -> dict[str, Any]:
    if _all_pages:
        context["pages"] = _all_pages  # the sitemap lists the posts rendered apart
    return context


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    assert _build is not None
    for file in list(files):
        if file.abs_src_path and _build.is_build_input(file.abs_src_path):
            files.remove(file)  # page templates and translation catalogues are not for publishing
    for site_path, source, edit_path in _build.overlay_files():
        existing = files.get_file_from_path(site_path)
        if existing is not None:
            files.remove(existing)  # the council's page of the same name replaces upstream's
        file = File.generated(config, site_path, abs_src_path=str(source))
        file.edit_uri = edit_path
        files.append(file)
    written = [(f.src_uri, f.abs_src_path) for f in files.documentation_pages() if f.abs_src_path]
    twins, drop = _build.language_twins([(src, path) for src, path in written if path])
    for src in drop:
        found = files.get_file_from_path(src)
        if found is not None:
            files.remove(found)
    for src, path in twins:
        existing = files.get_file_from_path(src)
        if existing is not None:
            files.remove(existing)
        twin = File.generated(config, src, abs_src_path=path)
        twin.edit_uri = _build.project.display(Path(path))
        files.append(twin)
    cache = _build.page_cache() if _dirty else None
    made_with = _page_settings(config)
    kept = dict(_kept_pages)
    _kept_pages.clear()
    reused: list[File] = []
    for generated in _build.site.files:
        fragment_only = generated.content.strip() == FRAGMENT_ONLY
        if cache is not None and generated.path.endswith(".md"):
            # A file that changes only when the page does, so that --dirty skips unchanged pages.
            signature = _build.page_signature(generated)
            source = cache.place(generated.path, generated.content, signature)
            key = (signature, source, *made_with)
            previous = kept.get(generated.path) if fragment_only else None
            if previous is not None and previous[0] == key:
                file = previous[1]  # with its inclusion, made from the same settings (the key)
                files.append(file)
                _kept_pages[generated.path] = previous
                reused.append(file)
                continue
            file = File.generated(config, generated.path, abs_src_path=source)
            if fragment_only:
                _kept_pages[generated.path] = (key, file)
        else:
            file = File.generated(config, generated.path, content=generated.content)
        file.edit_uri = generated.edit_path
        files.append(file)
        if fragment_only:
            FragmentPage(None, file, config)
    if cache is not None:
        cache.save()
    for site_path, source in _build.site.static.items():
        files.append(File.generated(config, site_path, abs_src_path=str(source)))
    for file in files:
        if file.generated_by is None and not file.src_uri.startswith("assets/"):
            file.edit_uri = _build.docs_edit_path(file.src_uri)
    # Posts first (_render_posts_apart), each part in its own order.
    for file in [f for f in files if not _renders_apart(f)]:
        files.remove(file)
        files.append(file)
    _build.register_pages([f.src_uri for f in files.documentation_pages()])
    if _dirty:
        emptied = _start_dirty_build(files, config)
        for file in reused:
            if emptied:
                vars(file).pop("is_modified", None)  # MkDocs' own check: every output is gone
            else:
                # Unchanged, and written by an earlier build of this folder (a build that failed
                # keeps nothing: on_build_error). MkDocs would compare three file times to find that
                # out, twice, for each of 10,000 posts on every save.
                file.is_modified = _unchanged  # type: ignore[method-assign]
    return files


def _unchanged() -> bool:
    return False


def _page_settings(config: MkDocsConfig) -> tuple[str, ...]:
    """The settings a File and its Page are made from (paths, URLs, edit links, build date, and
    the patterns that decide whether a page is published and in the menu)."""
    keys = ("docs_dir", "site_dir", "use_directory_urls", "site_url", "repo_url", "edit_uri", "edit_uri_template")
    patterns = [[getattr(p, "pattern", p) for p in getattr(config.get(key), "patterns", ())] for key in INCLUSION]
    return (*(str(config.get(key)) for key in keys), get_build_date(), repr(patterns))


def _start_dirty_build(files: Files, config: MkDocsConfig) -> bool:
    """Empty the site folder when something on every page changed (True), or delete removed pages' output."""
    assert _build is not None
    pages = files.documentation_pages()
    settings = {key: config.get(key) for key in FINGERPRINT_SETTINGS}
    settings["theme"] = {key: config.theme.get(key) for key in config.theme} | {"dirs": config.theme.dirs}
    fingerprint = _build.global_fingerprint(
        settings, [f.src_uri for f in pages if not _build.reached_only_from_listings(f.src_uri)]
    )
    # Page.url is File.url, except "" for the home page (MkDocs' File says "./")
    listed = [(f.src_uri, "" if f.url in (".", "./") else f.url, f.abs_dest_path) for f in pages]
    if _dirty_builds.start(config.site_dir, fingerprint, listed, can_index=SEARCH_INDEX_OF_ONE_PAGE is not None):
        clean_directory(config.site_dir)
        return True
    # The 404 page shows only what every page shows (menu, theme): the one already written stands.
    config.theme.static_templates.discard("404.html")
    return False


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    """Lift each other language's menu out of the site's menu, so each page shows its own."""
    global _site_nav
    _menus.clear()
    _site_nav = nav
    assert _build is not None
    kept = []
    for item in nav.items:
        if isinstance(item, Section) and item.title.startswith(LANGUAGE_SECTION):
            code = item.title[len(LANGUAGE_SECTION) :]
            for child in item.children:
                child.parent = None
            language = next(lang for lang in _build.languages if lang.code == code)
            _menus[code] = _menu(item.children, language.path("index.md"), files)
        else:
            kept.append(item)
    nav.items = kept
    nav.pages = [p for p in nav.pages if _build.language_of(p.file.src_uri) is _build.languages[0]]
    _link_in_order(nav.pages)
    _folded_menus.clear()
    _folded_menus[_build.languages[0].code] = _folded(nav)
    for code, menu in _menus.items():
        _folded_menus[code] = _folded(menu)
    return nav


def _folded(menu: Navigation) -> Navigation:
    """``menu`` with each section that has its own page (navigation.indexes) shown as a link to it.

    Learning-log posts are outside the menu, so no section is open on them; Material would still
    write every folded section's pages into each post (30 KB of a 42 KB post, most of the build's
    writing and of the site's size at 10,000 posts; issue 14). Material's own navigation.prune
    does the same for the whole site.
    """
    items: list[Any] = []
    for item in menu.items:
        first = item.children[0] if isinstance(item, Section) and item.children else None
        if isinstance(first, Page) and first.is_index:
            items.append(Link(item.title, first.url))
        else:
            items.append(item)
    folded = Navigation(items, [i for i in items if isinstance(i, Page)])
    folded.homepage = menu.homepage
    return folded


def _menu(items: list[Any], home: str, files: Files) -> Navigation:
    pages = _pages_of(items)
    _link_in_order(pages)
    menu = Navigation(items, pages)
    home_file = files.get_file_from_path(home)
    if home_file is not None and isinstance(home_file.page, Page):
        menu.homepage = home_file.page
    return menu


def _pages_of(items: list[Any]) -> list[Page]:
    found: list[Page] = []
    for item in items:
        if isinstance(item, Page):
            found.append(item)
        elif isinstance(item, Section):
            found += _pages_of(item.children)
    return found


def _link_in_order(pages: list[Page]) -> None:
    for before, after in zip([None, *pages], [*pages, None], strict=True):
        if before is not None:
            before.next_page = after
        if after is not None:
            after.previous_page = before


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    _apply_page_meta(page)
    return markdown


def _apply_page_meta(page: Page) -> None:
    assert _build is not None
    meta = _build.page_meta(page.file.src_uri)
    if meta:
        page.meta.update(meta)
        if "title" in meta:
            page.title = meta["title"]  # type: ignore[misc]


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    assert _build is not None
    try:
        return _build.finish_page(page.file.src_uri, html)
    except HubBuildError as exc:
        raise PluginError(str(exc)) from None


@event_priority(50)  # before Material's search plugin indexes the page and strips its data-search marks
def on_page_context(context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    assert _build is not None
    code = _build.language_of(page.file.src_uri).code
    if code in _menus:
        context["nav"] = _menus[code]
    if _build.outside_menu(page.file.src_uri) and code in _folded_menus:
        context["nav"] = _folded_menus[code]
    if _dirty and SEARCH_INDEX_OF_ONE_PAGE is not None and _dirty_builds.indexes_pages(config.site_dir):
        index = SEARCH_INDEX_OF_ONE_PAGE()
        index.add_entry_from_context(page)
        _dirty_builds.rendered(page.url, index.entries)
    return context


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(*, config: MkDocsConfig) -> None:
    assert _build is not None
    if _dirty:
        _dirty_builds.complete_search_index(Path(config.site_dir))
    _build.split_search(Path(config.site_dir))
    thaw(collect_after=1.0 if _serving else None)


def on_build_error(*, error: Exception) -> None:
    _kept_pages.clear()  # a build that stopped half-way leaves nothing to trust
    thaw(collect_after=1.0 if _serving else None)
