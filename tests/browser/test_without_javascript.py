"""With JavaScript off every page stays complete and readable; controls that need a script stay hidden."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from councillor_hub.toolkit import Toolkit

from .conftest import new_context

pytestmark = pytest.mark.browser


@pytest.fixture
def no_js_page(browser: Browser, site_url: str) -> Iterator[Page]:
    context = new_context(browser, site_url, java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_pages_stay_readable_without_javascript(no_js_page: Page, kit: Toolkit) -> None:
    page = no_js_page
    assert kit.items("tool")
    page.goto("tools/")
    expect(page.locator("[data-hub-tool-finder]")).to_be_hidden()
    expect(page.locator(".hub-tool:visible")).to_have_count(len(kit.items("tool")))

    page.goto("start/")
    expect(page.locator("form[data-hub-quiz] fieldset").first).to_be_visible()
    expect(page.locator("[data-persona]")).to_have_count(len(kit.items("persona")))
    expect(page.get_by_role("button", name="Show my starting point")).to_be_hidden()

    for s in kit.ordered_sprints():
        page.goto(f"programme/{s.item.id}/")
        if s.item.readiness:
            expect(page.locator(f"form[data-hub-readiness={s.item.id}] input[type=checkbox]")).to_have_count(
                len(s.item.readiness)
            )
        for w in s.item.worksheets:
            page.goto(f"programme/{s.item.id}/{w.id}/")
            expect(page.locator("[data-hub-worksheet-tools]")).to_be_hidden()
            if w.sections:
                expect(page.locator("form[data-hub-worksheet] fieldset").first).to_be_visible()
            if w.kind == "network-map":
                expect(page.locator(".hub-network-map__nojs")).to_be_visible()
                expect(page.locator(".hub-network-map__app")).to_be_hidden()
