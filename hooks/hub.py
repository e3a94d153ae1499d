"""MkDocs adapter for the Councillor Hub. Events in, calls into ``councillor_hub``, nothing else.

Registered in mkdocs.yml under ``hooks:``. State lives on one ``HubBuild`` object that is
created afresh in ``on_config`` for every build, so ``mkdocs serve`` rebuilds never accumulate.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from councillor_hub.build import HubBuild, HubBuildError

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.councillor_hub")
_build: HubBuild | None = None
_serving = False


def on_startup(*, command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    try:
        _build = HubBuild.load(config.config_file_path, nav=config.nav)
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
    config.nav = _build.nav
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
    env.globals["hub_memo"] = _build.memo
    env.globals["hub"] = _build.theme_context()
    return env


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
    for generated in _build.site.files:
        file = File.generated(config, generated.path, content=generated.content)
        file.edit_uri = generated.edit_path
        files.append(file)
    for site_path, source in _build.site.static.items():
        files.append(File.generated(config, site_path, abs_src_path=str(source)))
    for file in files:
        if file.generated_by is None and not file.src_uri.startswith("assets/"):
            file.edit_uri = _build.docs_edit_path(file.src_uri)
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    assert _build is not None
    meta = _build.page_meta(page.file.src_uri)
    if meta:
        page.meta.update(meta)
        if "title" in meta:
            page.title = meta["title"]  # type: ignore[misc]
    return markdown


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    assert _build is not None
    try:
        return _build.place_fragments(page.file.src_uri, html)
    except HubBuildError as exc:
        raise PluginError(str(exc)) from None
