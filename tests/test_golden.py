"""Golden files: the Markdown each template produces for the small fixture hub.

Each generated page of tests/fixtures/mini has its expected output in tests/golden/<path>, each
HTML fragment placed into a page after Markdown (the printable pack, a material) in
tests/golden/fragments/<page>.<name>.html, and the document each pack's PDF is made from in
tests/golden/packs/<sprint>-<variant>-<start>.html. Adding a page kind adds a golden file.
After an intended template change, regenerate with:

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
from councillor_hub.pack_cli import filled
from councillor_hub.packs import pack_context, render_document
from councillor_hub.pages import build_site
from councillor_hub.project import Project
from councillor_hub.rendering import Renderer
from councillor_hub.running_order import Variant, minutes_of_day
from councillor_hub.settings import DEFAULT_SETTINGS
from councillor_hub.site import GeneratedFile, Site

from .conftest import FIXTURES, REPO

GOLDEN = Path(__file__).parent / "golden"
MINI = FIXTURES / "mini"


PROJECT = Project(MINI, DEFAULT_SETTINGS)
RENDERER = Renderer([REPO / "overrides" / "hub"])
# Each pack document: the default, and the split variant at another start time.
PACK_DOCUMENTS = [("sprint-1", "one-day", "09:30"), ("sprint-1", "split", "10:00")]


def generated_site() -> Site:
    kit = load_toolkit(PROJECT, on=dt.date(2026, 11, 30))
    return build_site(PROJECT, kit, LearningLog(), RENDERER, [ENGLISH])


def generated() -> dict[str, GeneratedFile]:
    return {f.path: f for f in generated_site().files}


def fragments() -> dict[str, str]:
    return {
        f"fragments/{page}.{name}.html": html
        for page, named in generated_site().fragments.items()
        for name, html in named.items()
    }


def pack_document(sprint: str, variant: Variant, start: str) -> str:
    kit = filled(PROJECT, load_toolkit(PROJECT, on=dt.date(2026, 11, 30)), ENGLISH)
    entry = kit.get("sprint", sprint)
    assert entry is not None
    context = pack_context(PROJECT, kit, entry, ENGLISH)
    return render_document(PROJECT, RENDERER, ENGLISH, context, variant, minutes_of_day(start))


PAGES = sorted(generated())
FRAGMENTS = sorted(fragments())
PACKS = [f"packs/{s}-{v}-{t.replace(':', '')}.html" for s, v, t in PACK_DOCUMENTS]


def compare(path: str, text: str) -> None:
    golden = GOLDEN / path
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_every_generated_page_has_a_golden_file() -> None:
    expected = sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file())
    if os.environ.get("UPDATE_GOLDEN"):
        pytest.skip("golden files being regenerated")
    assert expected == sorted(PAGES + FRAGMENTS + PACKS)


@pytest.mark.parametrize("path", PAGES)
def test_page_matches_golden_file(path: str) -> None:
    compare(path, generated()[path].content)


@pytest.mark.parametrize("path", FRAGMENTS)
def test_fragment_matches_golden_file(path: str) -> None:
    compare(path, fragments()[path])


@pytest.mark.parametrize(("sprint", "variant", "start"), PACK_DOCUMENTS)
def test_pack_document_matches_golden_file(sprint: str, variant: Variant, start: str) -> None:
    compare(f"packs/{sprint}-{variant}-{start.replace(':', '')}.html", pack_document(sprint, variant, start))


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
