"""Shared helpers: real MkDocs builds of real project folders into temporary directories.

Forks stay green: a council's fork changes only ``council.yml`` and ``council/``, so tests about
upstream's own content read upstream's files (``upstream_project``, ``upstream_kit``,
``upstream_site``: the repository without the council's settings and overlay). ``repo_site`` is
the hub exactly as this repository publishes it (a fork's own hub on a fork), for the checks
every published hub must pass (a strict build, accessibility of every page).
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from councillor_hub.loading import load_toolkit
from councillor_hub.project import OVERLAY_DIR, SETTINGS_FILE, Project
from councillor_hub.settings import DEFAULT_SETTINGS
from councillor_hub.toolkit import Toolkit

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Upstream's parts of a hub: a fork never changes these.
SITE_PARTS = ("mkdocs.yml", "docs", "overrides", "hooks")


def make_project(dest: Path, content: Path | None = None, *, council: bool = False) -> Path:
    """A copy of the hub's upstream parts with ``content`` (default: the repository's own).

    ``council=True`` also copies this repository's council.yml and council/ (if it has them).
    """
    dest.mkdir(parents=True, exist_ok=True)
    for part in SITE_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / part)
    shutil.copytree(content or REPO / "content", dest / "content")
    if council:
        if (REPO / SETTINGS_FILE).exists():
            shutil.copy2(REPO / SETTINGS_FILE, dest / SETTINGS_FILE)
        if (REPO / OVERLAY_DIR).is_dir():
            shutil.copytree(REPO / OVERLAY_DIR, dest / OVERLAY_DIR)
    return dest


def mkdocs_build(
    project: Path, site_dir: Path, *, strict: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build`` exactly as a council would, and return the finished process."""
    args = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site_dir)]
    if strict:
        args.append("--strict")
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(args, capture_output=True, text=True, env=full_env, cwd=project, timeout=900)


def site_differences(left: Path, right: Path) -> list[str]:
    """Every file that is in one built site only (named by its folder) or differs in content."""
    found = []
    stack = [("", filecmp.dircmp(left, right))]
    while stack:
        prefix, node = stack.pop()
        found += [f"only in {left.name}: {prefix}{name}" for name in node.left_only]
        found += [f"only in {right.name}: {prefix}{name}" for name in node.right_only]
        for name in node.common_files:
            if (Path(node.left) / name).read_bytes() != (Path(node.right) / name).read_bytes():
                found.append(f"differs: {prefix}{name}")
        stack += [(f"{prefix}{name}/", sub) for name, sub in node.subdirs.items()]
    return sorted(found)


def repo_is_upstream() -> bool:
    """True when this repository has no council overlay and default settings (upstream itself)."""
    if (REPO / OVERLAY_DIR).exists():
        return False
    return not (REPO / SETTINGS_FILE).exists() or Project.load(REPO).settings == DEFAULT_SETTINGS


@pytest.fixture(scope="session")
def upstream_project() -> Project:
    return Project.load(REPO, upstream=True)


@pytest.fixture(scope="session")
def upstream_kit(upstream_project: Project) -> Toolkit:
    """Upstream's content, loaded and checked (whatever a fork has hidden or changed)."""
    return load_toolkit(upstream_project)


@pytest.fixture(scope="session")
def repo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository's hub as it publishes it, built once with ``--strict`` for the whole session."""
    site = tmp_path_factory.mktemp("repo-site")
    result = mkdocs_build(REPO, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def upstream_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Upstream's hub (no council settings or overlay), built once with ``--strict``."""
    if repo_is_upstream():
        return Path(request.getfixturevalue("repo_site"))
    project = make_project(tmp_path_factory.mktemp("upstream") / "project")
    site = project.parent / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture hub (tests/fixtures/mini), built once (links to absent pages allowed)."""
    project = make_project(tmp_path_factory.mktemp("mini") / "project", FIXTURES / "mini" / "content")
    site = project.parent / "site"
    result = mkdocs_build(project, site, strict=False)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def offline_published(tmp_path_factory: pytest.TempPathFactory, upstream_site: Path) -> Path:
    """Upstream's published hub after scripts/build's last step (``councillor-hub offline-archive``).

    A copy of the built site, with a stand-in printable pack in downloads/ (which the offline copy
    must carry), then the step run through the project's own command, as scripts/build runs it.
    """
    from councillor_hub.cli import main

    site = tmp_path_factory.mktemp("published") / "site"
    shutil.copytree(upstream_site, site)
    (site / "downloads").mkdir(exist_ok=True)
    (site / "downloads" / "sprint-1-pack.pdf").write_bytes(b"%PDF-1.7\n% a stand-in for a printable pack\n")
    root = REPO if repo_is_upstream() else make_project(tmp_path_factory.mktemp("upstream-offline") / "project")
    assert main(["--project", str(root), "offline-archive", "--site", str(site)]) == 0
    return site


@pytest.fixture(scope="session")
def offline_copy(tmp_path_factory: pytest.TempPathFactory, offline_published: Path) -> Path:
    """The offline archive unzipped onto a "USB stick": the folder holding index.html."""
    from councillor_hub.offline import ARCHIVE, FOLDER

    stick = tmp_path_factory.mktemp("usb-stick")
    with zipfile.ZipFile(offline_published / "downloads" / ARCHIVE) as archive:
        archive.extractall(stick)
    return stick / FOLDER
