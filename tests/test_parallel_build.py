"""A build shares reading and rendering the learning log between processes (issue 14) and gives the
very site that MkDocs gives rendering every page itself in one process, byte for byte."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from councillor_hub.learning_log import READ_APART_FROM
from councillor_hub.parallel import WORKERS_VARIABLE

from .conftest import FIXTURES, make_project, site_differences
from .test_learning_log_site import REGISTRY, post, write_posts

pytestmark = pytest.mark.build

# Enough posts that every shared step runs: reading them, rendering their content, building their pages.
POSTS = READ_APART_FROM


def _build(project: Path, site: Path, workers: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "COUNCILLOR_HUB_TODAY": "2026-11-30", WORKERS_VARIABLE: workers}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
        capture_output=True, text=True, env=env, cwd=project, timeout=900,
    )  # fmt: skip


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, subprocess.CompletedProcess[str]]]:
    root = tmp_path_factory.mktemp("parallel")
    project = make_project(root / "hub", FIXTURES / "mini" / "content")
    (project / "content" / "learning-log").mkdir(parents=True, exist_ok=True)
    (project / "content" / "learning-log" / "feeds.yml").write_text(REGISTRY, encoding="utf-8")
    feeds = ("jo-facilitator", "sam-mentor")
    write_posts(project, [post(n, feed=feeds[n % 2], tags=["rural"] if n % 3 else None) for n in range(POSTS)])
    out = {}
    for workers in ("1", "2", "3"):
        site = root / f"site-{workers}"
        out[workers] = (site, _build(project, site, workers))
    return out


@pytest.mark.parametrize("workers", ["2", "3"])
def test_several_processes_give_the_site_one_process_gives(builds, workers: str) -> None:  # type: ignore[no-untyped-def]
    one, done_alone = builds["1"]
    several, done_shared = builds[workers]
    assert done_alone.returncode == 0, done_alone.stderr[-3000:]
    assert done_shared.returncode == 0, done_shared.stderr[-3000:]
    # Every post and every numbered listing page.
    assert re.search(rf"Rendered 1,0\d\d learning-log pages in {workers} processes", done_shared.stderr)
    assert "learning-log pages in" not in done_alone.stderr  # MkDocs rendered every page itself
    assert site_differences(one, several) == []
    # What the comparison covers: every post's page, its search entry and its sitemap line.
    posts = [p for p in (several / "learning-log" / "posts").iterdir() if (p / "index.html").is_file()]
    assert len(posts) == POSTS
    index = (several / "search" / "search_index.json").read_text(encoding="utf-8")
    sitemap = (several / "sitemap.xml").read_text(encoding="utf-8")
    for folder in posts[:20]:
        assert f'"location":"learning-log/posts/{folder.name}/"' in index
        assert f"/learning-log/posts/{folder.name}/</loc>" in sitemap


def test_a_wrong_number_of_processes_is_a_clear_error(tmp_path: Path) -> None:
    project = make_project(tmp_path / "hub", FIXTURES / "mini" / "content")
    done = _build(project, tmp_path / "site", "two")
    assert done.returncode != 0
    assert f"{WORKERS_VARIABLE} must be a whole number of at least 1, not 'two'" in done.stderr
    assert "Traceback" not in done.stderr
