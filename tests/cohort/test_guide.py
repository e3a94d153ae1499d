"""The programme leads' guide: published, plain English, and about every command there is."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from councillor_hub.cli import build_parser
from councillor_hub.readability import MAX_GRADE, fk_grade, html_text_blocks

from ..conftest import REPO

GUIDE = REPO / "docs" / "programme-leads-guide.md"


def cohort_commands() -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    cohort = sub.choices["cohort"]
    commands = next(a for a in cohort._actions if isinstance(a, argparse._SubParsersAction))
    return set(commands.choices)


def test_the_guide_shows_every_cohort_command() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    used = set(re.findall(r"councillor-hub cohort ([a-z]+)", text))
    assert cohort_commands() - used - {"cohorts", "meetings"} == set()
    assert "meetings import" in text and "readiness import" in text and "survey import" in text


def test_the_guide_holds_no_real_personal_data() -> None:
    emails = set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", GUIDE.read_text(encoding="utf-8")))
    assert emails and all(e.endswith("@council.example") for e in emails), emails


@pytest.mark.build
def test_the_guide_is_published_in_the_menu_and_reads_at_grade_9_or_below(upstream_site: Path) -> None:
    html = (upstream_site / "programme-leads-guide" / "index.html").read_text(encoding="utf-8")
    start = html.index('<article class="md-content__inner md-typeset">')
    main = html[start : html.index("</article>", start)]
    assert fk_grade(html_text_blocks(main)) <= MAX_GRADE
    home = (upstream_site / "index.html").read_text(encoding="utf-8")
    assert 'href="programme-leads-guide/"' in home, "the guide is in the menu under About the hub"
