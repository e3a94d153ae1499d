"""Golden files: the Markdown each template produces for the small fixture hub.

Each generated page of tests/fixtures/mini has its expected output in tests/golden/<path>.
Adding a page kind adds a golden file. After an intended template change, regenerate with:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py

and review the diff like any other change.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from councillor_hub.i18n import ENGLISH
from councillor_hub.learning_log import LearningLog
from councillor_hub.loading import load_toolkit
from councillor_hub.pages import build_site
from councillor_hub.project import Project
from councillor_hub.rendering import Renderer
from councillor_hub.settings import DEFAULT_SETTINGS
from councillor_hub.site import GeneratedFile

from .conftest import FIXTURES, REPO

GOLDEN = Path(__file__).parent / "golden"
MINI = FIXTURES / "mini"


def generated() -> dict[str, GeneratedFile]:
    project = Project(MINI, DEFAULT_SETTINGS)
    kit = load_toolkit(project, on=dt.date(2026, 11, 30))
    site = build_site(project, kit, LearningLog(), Renderer([REPO / "overrides" / "hub"]), [ENGLISH])
    return {f.path: f for f in site.files}


PAGES = sorted(generated())


def test_every_generated_page_has_a_golden_file() -> None:
    expected = sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file())
    if os.environ.get("UPDATE_GOLDEN"):
        pytest.skip("golden files being regenerated")
    assert expected == PAGES


@pytest.mark.parametrize("path", PAGES)
def test_page_matches_golden_file(path: str) -> None:
    page = generated()[path]
    golden = GOLDEN / path
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(page.content, encoding="utf-8")
    assert page.content == golden.read_text(encoding="utf-8")


def test_edit_paths_point_at_yaml_sources() -> None:
    files = generated()
    assert files["platforms/example.md"].edit_path == "content/toolkits/platforms/example.yml"
    assert files["programme/sprint-1.md"].edit_path == "content/toolkits/lessons/sprint-1.yml"
    assert files["programme/sprint-1/network-map.md"].edit_path == "content/toolkits/lessons/sprint-1.yml"
    assert files["tools/index.md"].edit_path == "content/toolkits/tools.yml"
    assert files["start/sceptic.md"].edit_path == "content/toolkits/personas/sceptic.yml"
    # Pages built from a whole folder have no single file to edit, so they show no edit button.
    assert files["platforms/index.md"].edit_path is None
    assert files["guides/index.md"].edit_path is None
