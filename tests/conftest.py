"""Shared helpers: real MkDocs builds of real project folders into temporary directories."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SITE_PARTS = ("mkdocs.yml", "docs", "overrides", "hooks")


def make_project(dest: Path, content: Path | None = None) -> Path:
    """A copy of the hub's site skeleton, with ``content`` (default: the repository's own)."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in SITE_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        else:
            shutil.copy2(src, dest / part)
    shutil.copytree(content or REPO / "content", dest / "content")
    return dest


def mkdocs_build(project: Path, site_dir: Path, *, strict: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build`` exactly as a council would, and return the finished process."""
    args = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site_dir)]
    if strict:
        args.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=project, timeout=600)


@pytest.fixture(scope="session")
def repo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own hub, built once with ``--strict`` for the whole test session."""
    site = tmp_path_factory.mktemp("repo-site")
    result = mkdocs_build(REPO, site)
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
