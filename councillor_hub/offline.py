"""The offline copy of the hub (issue 12): the whole site in one zip that works from a USB stick.

The publishing build (``scripts/build``) builds the hub a second time with Material's ``offline``
plugin switched on (``COUNCILLOR_HUB_OFFLINE=true``; see mkdocs.yml), into a temporary folder:

* the plugin turns ``use_directory_urls`` off, so every link names its file (``sprint-1.html``),
  which a browser opens from ``file://`` (a link to a folder would show a file listing). The
  hub's own links follow the build (``Site.directory_urls``);
* it writes ``search/search_index.js``, which Material loads with a ``<script>`` tag under
  ``file://``, where ``fetch`` is refused;
* it would add the iframe-worker shim from unpkg.com (Chromium runs no Web Worker from ``file://``,
  and search runs in one); hooks/offline_build.py lists the vendored copy (``SHIM``) first
  (squidfunk/mkdocs-material#6181), so the copy never touches the network.

Every script of the hub is a classic script (Chromium refuses ES modules from ``file://``), and the
worksheets keep answers in ``localStorage``, which Chromium keeps for ``file://`` pages as well.

``make_offline_archive`` zips that copy, with whatever the site already offers in ``downloads/``
(the printable packs), into ``site/downloads/``; ``announce_offline_archive`` then puts the
download link, with the archive's size, on the published home page in each language, at the
marker the home page template leaves for it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal

from .commands import load_project
from .i18n import Language
from .project import Project
from .rendering import Renderer
from .site import fragment_marker, page_url, relative_url

OFFLINE_VARIABLE = "COUNCILLOR_HUB_OFFLINE"  # read by mkdocs.yml: plugins: offline: enabled
SHIM = "assets/vendor/iframe-worker/shim.js"  # vendored by scripts/vendor-assets
OFFLINE_PLUGIN = "material/offline"
DOWNLOADS = "downloads"
FOLDER = "councillor-hub"  # the one folder inside the zip: unzipped, open councillor-hub/index.html
ARCHIVE = "councillor-hub-offline.zip"
MARKER = fragment_marker("offline-download")  # left by overrides/hub/_offline.md.j2 on the home page
HOME = "index.md"


class OfflineBuildError(Exception):
    """The offline copy could not be built; the message says why."""


def offline_plugin_enabled(plugins: Mapping[str, Any]) -> bool:
    """Whether this MkDocs build has Material's offline plugin switched on."""
    plugin = plugins.get(OFFLINE_PLUGIN)
    return bool(plugin is not None and plugin.config.enabled)


def build_offline_copy(project: Project, dest: Path) -> None:
    """Build the whole hub for ``file://`` into ``dest`` (``mkdocs build --strict``, offline plugin on)."""
    env = {**os.environ, OFFLINE_VARIABLE: "true", "NO_MKDOCS_2_WARNING": "1"}
    args = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(project.config_file), "-d", str(dest)]
    result = subprocess.run(args, capture_output=True, text=True, env=env, cwd=project.root, check=False)
    if result.returncode != 0:
        raise OfflineBuildError(f"The offline copy of the hub was not built:\n{result.stderr.strip()}")


def make_offline_archive(project: Project, site_dir: Path) -> Path:
    """Build the offline copy and zip it, with the site's other downloads, into ``site_dir/downloads/``."""
    downloads = site_dir / DOWNLOADS
    downloads.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="councillor-hub-offline-") as work:
        copy = Path(work) / FOLDER
        build_offline_copy(project, copy)
        # A web server shows 404.html for missing pages; from file:// nothing does, and its links are
        # absolute (from site_url), so it would only mislead.
        (copy / "404.html").unlink(missing_ok=True)
        # The printable packs belong on the USB stick too; an older archive does not.
        shutil.copytree(downloads, copy / DOWNLOADS, ignore=shutil.ignore_patterns(ARCHIVE), dirs_exist_ok=True)
        archive = shutil.make_archive(str(downloads / Path(ARCHIVE).stem), "zip", root_dir=work, base_dir=FOLDER)
    return Path(archive)


def megabytes(size: int, lang: Language) -> str:
    """A file size as the page's language writes it: "12.3" (megabytes, one decimal place)."""
    return format_decimal(size / 1_000_000, format="#,##0.0", locale=lang.code)


def announce_offline_archive(
    project: Project, site_dir: Path, archive: Path, languages: list[Language], renderer: Renderer
) -> list[Path]:
    """Put the download link, with the archive's size, on the home page of each language.

    Returns the pages changed. A home page without the marker (a council's own home page,
    ``council/docs/index.md``) is left as it is; it can carry the marker itself.
    """
    changed = []
    target = archive.resolve().relative_to(site_dir.resolve()).as_posix()
    for lang in languages:
        home = lang.path(HOME)
        page = site_dir / page_url(home) / "index.html"
        html = page.read_text(encoding="utf-8")
        if MARKER not in html:
            continue
        link = renderer.render(
            "offline-download.html.j2",
            lang,
            href=relative_url(home, target),
            size=megabytes(archive.stat().st_size, lang),
            folder=FOLDER,
        )
        page.write_text(html.replace(MARKER, link, 1), encoding="utf-8")
        changed.append(page)
    return changed


def cmd_offline_archive(args: argparse.Namespace) -> int:
    """Build the offline copy, zip it into the built site's downloads and link it from the home page."""
    from .build import catalogue_paths
    from .i18n import make_languages

    project = load_project(args)
    site_dir: Path = args.site or project.site_dir
    if not (site_dir / "index.html").is_file():
        print(
            f"offline-archive: {site_dir} has no built hub; build it first (scripts/build does both)", file=sys.stderr
        )
        return 1
    try:
        archive = make_offline_archive(project, site_dir)
    except OfflineBuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    languages = make_languages(project.languages, catalogue_paths(project))
    pages = announce_offline_archive(
        project, site_dir, archive, languages, Renderer(project.template_dirs, root=project.root)
    )
    size = megabytes(archive.stat().st_size, languages[0])
    print(f"offline-archive: {project.display(archive)} ({size} MB)")
    for page in pages:
        print(f"offline-archive: download link added to {project.display(page)}")
    if not pages:
        print(f"offline-archive: no home page has the marker {MARKER}, so none links to the archive")
    return 0


def register_offline_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = sub.add_parser(
        "offline-archive", help="zip an offline copy of the hub into the built site's downloads (after mkdocs build)"
    )
    command.add_argument("--site", type=Path, default=None, help="the built site (default: the project's site/)")
    command.set_defaults(func=cmd_offline_archive)
