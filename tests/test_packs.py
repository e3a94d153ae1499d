"""Printable packs for real: PDFs made by WeasyPrint, and published by a build only while fresh (issue 12)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import FIXTURES, make_project, mkdocs_build

pytestmark = pytest.mark.build

SPRINT = "content/toolkits/lessons/sprint-1.yml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "hub", FIXTURES / "mini" / "content")


def pack(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COUNCILLOR_HUB_TODAY": "2026-11-30"}
    return subprocess.run(
        [sys.executable, "-m", "councillor_hub.cli", "--project", str(project), "pack", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def test_the_pdf_holds_the_whole_pack_in_order_with_cards_four_to_a_page(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.pdf"
    result = pack(project, "sprint-1", "--variant", "split", "--start", "10:00", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {out} (13 pages, ")
    pages = page_texts(out)
    assert len(pages) == 13
    assert "Printable pack: Sprint 1: Map your network\nTwo half-days, starting at 10:00." in pages[0]
    running_order = pages[1]
    assert running_order.startswith("Running order\nRun as: Two half-days.\nFirst half-day")
    assert "10:00–10:15 Welcome (presentation) 15" in running_order
    assert "Second half-day" in running_order and "10:00–10:30 Sort the cards (exercise) 30" in running_order
    assert "Before the second half-day, each councillor ticks these off:" in running_order
    order = ["Running order", "Session plans", "Worksheets", "Readiness checklist", "Materials"]
    firsts = [next(i for i, text in enumerate(pages) if text.startswith(heading)) for heading in order]
    assert firsts == sorted(firsts)
    # The network map worksheet has its three circles to draw on.
    assert "Offline\nOnline\nAspirational" in pages[firsts[2]]
    # Five cards, four to an A4 page: two pages of cards, nothing else on them.
    card_pages = [text for text in pages if text.startswith("MINI CARDS")]
    assert [text.count("MINI CARDS") for text in card_pages] == [4, 1]
    assert '"I disagree about the bins on Mill Lane."' in card_pages[0]  # place tokens filled in
    assert "Fair disagreement." not in "".join(card_pages)  # answers are in the key, never on the cards
    assert pages[-1].rstrip().endswith("13 / 13")


def test_the_pack_command_explains_bad_input(project: Path) -> None:
    wrong = pack(project, "sprint-01")
    assert wrong.returncode == 2
    assert wrong.stderr == "councillor-hub pack: there is no sprint 'sprint-01'; did you mean 'sprint-1'?\n"
    late = pack(project, "sprint-1", "--start", "9.30")
    assert late.returncode == 2
    assert late.stderr == "councillor-hub pack: --start '9.30' is not a time like 09:30\n"


def test_a_build_publishes_and_links_only_pdfs_that_match_their_pack(project: Path, tmp_path: Path) -> None:
    made = pack(project, "--all")
    assert made.returncode == 0, made.stderr
    assert "2 PDFs in .cache/councillor-hub/prebuilt; the next build publishes them." in made.stdout
    site = tmp_path / "site"
    assert mkdocs_build(project, site, strict=False).returncode == 0
    pack_page = (site / "programme/sprint-1/pack/index.html").read_text()
    for variant in ("one-day", "split"):
        assert (site / f"downloads/sprint-1-{variant}.pdf").read_bytes()[:5] == b"%PDF-"
        assert f'data-hub-pdf="{variant}"' in pack_page
        assert f'href="../../../downloads/sprint-1-{variant}.pdf"' in pack_page
    assert "<p data-hub-print-hint hidden>" in pack_page
    sprint_page = (site / "programme/sprint-1/index.html").read_text()
    assert 'href="../../downloads/sprint-1-split.pdf"' in sprint_page

    # The lesson plan changes: the PDFs no longer match it, so they are neither linked nor published.
    yaml = project / SPRINT
    yaml.write_text(yaml.read_text().replace("Tell one story.", "Tell one short story."))
    assert mkdocs_build(project, site, strict=False).returncode == 0
    assert not (site / "downloads").exists()
    pack_page = (site / "programme/sprint-1/pack/index.html").read_text()
    assert "data-hub-pdf=" not in pack_page and "<p data-hub-print-hint>" in pack_page
    assert ".pdf" not in (site / "programme/sprint-1/index.html").read_text()
