"""Incremental rebuilds (``mkdocs serve --dirty``, issue 14) give exactly the site a clean build gives.

Each test edits a project between ``--dirty`` rebuilds in one process (tests/incremental_build.py,
as ``mkdocs serve`` does), then compares every file of the result with a clean build of the
edited project, byte for byte.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, REPO, make_project, site_differences
from .test_learning_log_site import REGISTRY, post, write_posts

pytestmark = pytest.mark.build

HELPER = REPO / "tests" / "incremental_build.py"
ABOUT = "docs/about.md"
PLATFORM = "content/toolkits/platforms/example.yml"


def _run(*args: str) -> str:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "COUNCILLOR_HUB_TODAY": "2026-11-30"}
    result = subprocess.run(
        [sys.executable, str(HELPER), *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=900
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stderr


def _project(dest: Path, *, languages: str | None = None) -> Path:
    project = make_project(dest, FIXTURES / "mini" / "content")
    (project / "content" / "learning-log").mkdir(parents=True, exist_ok=True)
    (project / "content" / "learning-log" / "feeds.yml").write_text(REGISTRY, encoding="utf-8")
    write_posts(project, [post(n, tags=["sprint-1"] if n % 3 == 0 else None) for n in range(1, 8)])
    if languages:
        (project / "council.yml").write_text(f"languages: {languages}\n", encoding="utf-8")
    return project


def _incremental_then_clean(tmp_path: Path, steps: list[list[dict[str, str | None]]], **kw: str) -> tuple[Path, Path]:
    project = _project(tmp_path / "hub", **kw)
    steps_file = tmp_path / "steps.json"
    steps_file.write_text(json.dumps(steps), encoding="utf-8")
    incremental, clean = tmp_path / "incremental", tmp_path / "clean"
    log = _run(str(project), str(incremental), str(steps_file))
    # MkDocs' warning that --dirty may leave stale links: the hub makes it safe, so it is dropped.
    assert "A 'dirty' build is being performed" not in log
    _run(str(project), str(clean), "--clean")
    return incremental, clean


def _edit(project_file: Path, old: str, new: str) -> dict[str, str | None]:
    text = project_file.read_text(encoding="utf-8")
    assert old in text
    return {"text": text.replace(old, new, 1)}


def _steps(tmp_path: Path) -> list[list[dict[str, str | None]]]:
    """One YAML item, one hand-written page, a new post, a post's body, a removed post, a menu title."""
    mini = FIXTURES / "mini" / "content"
    summary = _edit(mini / "toolkits/platforms/example.yml", "used by the tests.", "used by the tests, edited.")
    about = (REPO / ABOUT).read_text(encoding="utf-8") + "\nAn edited line.\n"
    staging = tmp_path / "staging"
    new_post = write_posts(staging, [post(50, tags=["rural"])])
    new_name = f"{next(iter(new_post.values()))}.md"
    new_text = (staging / "content/learning-log/posts" / new_name).read_text(encoding="utf-8")
    first = write_posts(staging, [post(1, tags=None)])
    first_name = f"{next(iter(first.values()))}.md"
    body = (staging / "content/learning-log/posts" / first_name).read_text(encoding="utf-8")
    renamed = _edit(mini / "toolkits/platforms/example.yml", "name: Example Network", "name: Example Network Renamed")
    posts = "content/learning-log/posts/"
    return [
        [{"path": PLATFORM, **summary}],
        [{"path": ABOUT, "text": about}],
        [{"path": posts + new_name, "text": new_text}],
        [{"path": posts + first_name, "text": body.replace("Networks matter.", "Networks matter a lot.")}],
        [{"path": posts + first_name, "text": None}],
        [{"path": PLATFORM, "text": renamed["text"]}],
    ]


def test_incremental_builds_give_the_clean_build_byte_for_byte(tmp_path: Path) -> None:
    incremental, clean = _incremental_then_clean(tmp_path, _steps(tmp_path))
    assert site_differences(incremental, clean) == []
    assert "Example Network Renamed" in (incremental / "index.html").read_text(encoding="utf-8")


def test_incremental_builds_in_two_languages_give_the_clean_build(tmp_path: Path) -> None:
    incremental, clean = _incremental_then_clean(tmp_path, _steps(tmp_path), languages="[en, cy]")
    assert site_differences(incremental, clean) == []
    assert (incremental / "cy" / "search" / "search_index.json").is_file()


def test_a_menu_title_change_reaches_every_page(tmp_path: Path) -> None:
    """A title in mkdocs.yml's menu shows on pages whose own sources did not change."""
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - About the hub: about.md" in config
    steps = [[{"path": "mkdocs.yml", "text": config.replace("About the hub: about.md", "About this hub: about.md")}]]
    incremental, clean = _incremental_then_clean(tmp_path, steps)
    assert site_differences(incremental, clean) == []
    unchanged_pages = [
        incremental / "guides" / "first-steps" / "index.html",
        *incremental.glob("learning-log/posts/*/index.html"),
    ]
    for page in unchanged_pages:
        html = page.read_text(encoding="utf-8")
        assert "About this hub" in html and "About the hub" not in html, page


def test_unchanged_pages_are_not_rebuilt(tmp_path: Path) -> None:
    """The point of it all: after one YAML edit, posts keep their output files untouched."""
    project = _project(tmp_path / "hub")
    steps_file = tmp_path / "steps.json"
    summary = _edit(project / PLATFORM, "used by the tests.", "used by the tests, edited.")
    steps_file.write_text(json.dumps([[{"path": PLATFORM, **summary}]]), encoding="utf-8")
    site = tmp_path / "site"
    _run(str(project), str(site), "--clean")  # a first build, to find the outputs' times
    shutil.rmtree(site)
    stderr = _run(str(project), str(site), str(steps_file))
    assert "A 'dirty' build is being performed" not in stderr  # the hub makes it safe: no alarm
    posts = sorted(site.glob("learning-log/posts/*/index.html"))
    platform = site / "platforms" / "example" / "index.html"
    assert posts and all(p.stat().st_mtime_ns < platform.stat().st_mtime_ns for p in posts)
    assert "used by the tests, edited." in platform.read_text(encoding="utf-8")


def test_a_theme_template_edit_reaches_every_page(tmp_path: Path) -> None:
    """Material's compiled templates are kept between rebuilds (rendering.THEME_BYTECODE): an edited
    template must be compiled afresh, on pages whose own sources did not change too."""
    template = (REPO / "overrides" / "main.html").read_text(encoding="utf-8")
    assert template.count(" - {{ config.site_name | e }}</title>") == 2
    edited = template.replace(" - {{ config.site_name | e }}</title>", " | {{ config.site_name | e }} (edited)</title>")
    incremental, clean = _incremental_then_clean(tmp_path, [[{"path": "overrides/main.html", "text": edited}]])
    assert site_differences(incremental, clean) == []
    for page in [
        incremental / "guides" / "first-steps" / "index.html",
        *incremental.glob("learning-log/posts/*/index.html"),
    ]:
        assert "(edited)</title>" in page.read_text(encoding="utf-8"), page
