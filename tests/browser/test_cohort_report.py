"""The private cohort report, built from fixture data, opened from disk in real Chromium: no serious axe failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Request, expect

from councillor_hub.cohort.report import build_report, render_report, write_report
from councillor_hub.cohort.store import Store
from councillor_hub.i18n import ENGLISH
from councillor_hub.rendering import Renderer
from councillor_hub.toolkit import Toolkit

from ..cohort.conftest import day, load_fixture_cohort
from ..conftest import REPO
from .conftest import PageErrors
from .test_accessibility import scan

pytestmark = pytest.mark.browser


def test_the_report_opens_from_disk_with_no_serious_violations(
    browser: Browser, axe_source: str, upstream_kit: Toolkit, tmp_path: Path
) -> None:
    with Store.open(tmp_path / "programme.sqlite3") as store:
        cohort_id = load_fixture_cohort(store, upstream_kit)
        report = build_report(store, upstream_kit, store.cohort_by_id(cohort_id), day("2027-02-20"), ENGLISH)
    html = render_report(report, upstream_kit, Renderer([REPO / "overrides" / "hub"], root=REPO), ENGLISH)
    page_file = write_report(report, html, tmp_path / "report")[0]

    requests: list[str] = []
    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        errors = PageErrors(page)

        def record(request: Request) -> None:
            if not request.url.startswith("file://"):
                requests.append(request.url)

        page.on("request", record)
        page.goto(page_file.as_uri())
        expect(page.get_by_role("heading", level=1)).to_have_text("Programme report: Spring 2027")
        chart = page.get_by_role("img", name="Using social media safely (masterclass)")
        expect(chart).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "nothing wider than the screen"
        expect(page.get_by_role("table", name="Using social media safely (masterclass): figures")).to_be_visible()
        assert scan(page, axe_source) == [], f"the report fails axe-core at {width}px wide"
        assert errors.errors == []
        context.close()
    assert requests == [], "the report must be self-contained: it fetched " + ", ".join(requests)
