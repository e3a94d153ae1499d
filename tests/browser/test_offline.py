"""The offline copy from a USB stick: opened from file:// in Chromium with the network switched off.

The archive is made by the publishing build's own step and unzipped (``offline_copy`` in
tests/conftest.py). The browser is offline and every http(s) request is refused and recorded: a
test fails if any was even attempted. Pages are reached by clicking, as a facilitator would, so
the links are tested too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from councillor_hub.slides import session_deck
from councillor_hub.toolkit import Toolkit

from .conftest import PageErrors

pytestmark = pytest.mark.browser


@dataclass
class Stick:
    page: Page
    root: str  # file:///…/councillor-hub/
    attempted: list[str] = field(default_factory=list)

    def open(self, path: str) -> None:
        self.page.goto(self.root + path)


@pytest.fixture
def stick(browser: Browser, offline_copy: Path) -> Iterator[Stick]:
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    usb = Stick(page, offline_copy.as_uri() + "/")

    def refuse(route: Route) -> None:
        usb.attempted.append(route.request.url)
        route.abort()

    context.route(re.compile(r"^(https?|wss?)://"), refuse)
    errors = PageErrors(page)
    yield usb
    context.close()
    assert errors.errors == [], "scripts failed from file://"
    assert usb.attempted == [], "the offline copy asked the network for something"


def test_home_page_opens_from_file_and_says_it_is_the_offline_copy(stick: Stick) -> None:
    stick.open("index.html")
    expect(stick.page.get_by_text("This is the offline copy of the hub")).to_be_visible()
    stick.page.get_by_role("link", name="The programme").click()
    assert stick.page.url.endswith("/programme/index.html")


def test_search_finds_words_without_a_server(stick: Stick) -> None:
    page = stick.page
    stick.open("index.html")
    page.locator(".md-search__input").click()
    page.keyboard.type("footprint")
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    assert results.count() >= 2
    page.locator(".md-search-result__link").first.click()
    assert re.search(r"\.html(#.*)?$", page.url), page.url
    expect(page.locator("article h1")).to_be_visible()


def test_worksheets_keep_answers_in_the_browser(stick: Stick, kit: Toolkit) -> None:
    sprint = next(s.item for s in kit.ordered_sprints() if any(w.kind == "form" for w in s.item.worksheets))
    sheet = next(w for w in sprint.worksheets if w.kind == "form")
    field_id = next(
        f"{section.id}--{prompt.id}"
        for section in sheet.sections
        for prompt in section.prompts
        if prompt.kind == "long-text"
    )
    page = stick.page
    stick.open("index.html")
    page.get_by_role("link", name="The programme").click()
    page.locator("article").get_by_role("link", name=re.compile(re.escape(sprint.title))).first.click()
    page.locator("article").get_by_role("link", name=sheet.title, exact=True).first.click()
    assert page.url.endswith(f"/programme/{sprint.id}/{sheet.id}.html")
    page.locator(f"#{field_id}").fill("Written on the train, no signal")
    expect(page.locator("[data-hub-saved-note]")).to_contain_text("Saved in this browser at")
    page.reload()
    expect(page.locator(f"#{field_id}")).to_have_value("Written on the train, no signal")


def test_every_interactive_tool_works_from_file(stick: Stick, kit: Toolkit) -> None:
    page = stick.page

    stick.open("start/index.html")
    for fieldset in page.locator("form[data-hub-quiz] fieldset").all():
        fieldset.locator("input").first.check()
    page.get_by_role("button", name="Show my starting point").click()
    expect(page.locator(".hub-quiz__result")).to_contain_text("Your starting point")
    page.locator(".hub-quiz__result a").first.click()
    assert re.search(r"/start/[a-z-]+\.html", page.url), page.url

    sprint = next(s.item for s in kit.ordered_sprints() if s.item.readiness)
    stick.open(f"programme/{sprint.id}.html")
    page.locator(f"#ready-{sprint.readiness[0].id}").check()
    page.reload()
    expect(page.locator(f"#ready-{sprint.readiness[0].id}")).to_be_checked()

    sheet = next((s.item, w) for s in kit.ordered_sprints() for w in s.item.worksheets if w.kind == "network-map")
    stick.open(f"programme/{sheet[0].id}/{sheet[1].id}.html")
    page.locator("#hub-map-entry-name").fill("Riverside residents' group")
    page.locator("#hub-map-layer-offline").check()
    page.get_by_role("button", name="Add to map").click()
    expect(page.locator(".hub-map-entry")).to_have_count(1)
    page.reload()
    expect(page.locator(".hub-map-entry")).to_have_count(1)

    stick.open("tools/index.html")
    visible = page.locator(".hub-tool:visible")
    expect(visible).to_have_count(len(kit.items("tool")))
    page.get_by_label("What do you need to do?").select_option(index=1)
    expect(page.locator(".hub-tool-finder__count")).not_to_be_empty()
    assert 0 < visible.count() < len(kit.items("tool"))


def test_slides_present_from_the_stick(stick: Stick, kit: Toolkit) -> None:
    sprint = kit.ordered_sprints()[0].item
    session = sprint.sessions[0]
    page = stick.page
    stick.open(f"programme/{sprint.id}.html")
    page.get_by_role("link", name="Present the slides").first.click()
    assert page.url.endswith(f"/programme/{sprint.id}/slides/{session.id}.html")
    expect(page.locator("[data-hub-deck-ready]")).to_have_count(1)
    expect(page.locator(".slides > section")).to_have_count(len(session_deck(sprint, session).slides))
    page.keyboard.press("ArrowRight")
    expect(page.locator(".slides > section.present h2")).to_have_text(
        "Questions this workshop answers", use_inner_text=True
    )
    with page.context.expect_page() as opened:  # the speaker view works from file:// in Chromium too
        page.keyboard.press("s")
    expect(opened.value.locator(".speaker-controls-notes")).to_contain_text("earlier today")
    opened.value.close()
    page.get_by_role("link", name="Text version of these slides").click()
    assert page.url.endswith(f"/programme/{sprint.id}.html#{session.id}")
