"""Slide decks in real Chromium: present from a sprint page, move with the keyboard, full screen,
the speaker view, every slide fits, no requests off the site, and no serious axe violations."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect

from councillor_hub.slides import session_deck
from councillor_hub.toolkit import Toolkit

from .conftest import new_context
from .test_accessibility import report, scan

pytestmark = pytest.mark.browser

SLIDE_HEIGHT = 720  # docs/assets/hub/slides.js: Reveal.initialize({height})


def current(page: Page) -> str:
    """The heading of the slide on screen (inner text: without the hidden heading anchor)."""
    return page.locator(".slides > section.present :is(h1, h2)").first.inner_text()


def expect_slide(page: Page, heading: str) -> None:
    expect(page.locator(".slides > section.present h2")).to_have_text(heading, use_inner_text=True)


def open_deck(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.locator("[data-hub-deck-ready]")).to_have_count(1)


@pytest.fixture
def requests(page: Page, site_url: str) -> Iterator[list[str]]:
    """Every request the page makes that is not to the site itself."""
    off_site: list[str] = []

    def note(request: Request) -> None:
        if not request.url.startswith(site_url):
            off_site.append(request.url)

    page.on("request", note)
    yield off_site


def test_present_a_session_and_move_on_with_the_keyboard(page: Page, kit: Toolkit, requests: list[str]) -> None:
    sprint = next(s for s in kit.items("sprint") if s.id == "sprint-1")
    first = sprint.sessions[0]
    deck = session_deck(sprint, first)

    page.goto(f"programme/{sprint.id}/")
    page.get_by_role("link", name="Present the slides").first.click()
    expect(page.locator("[data-hub-deck-ready]")).to_have_count(1)
    assert page.url.endswith(f"programme/{sprint.id}/slides/{first.id}/")

    deck_element = page.locator("[data-hub-deck]")
    # hakimel/reveal.js#3772: role=application keeps screen readers out of browse mode.
    expect(deck_element).to_have_attribute("role", "region")
    expect(page.locator("[role=application]")).to_have_count(0)
    expect(page.locator(".slides > section")).to_have_count(len(deck.slides))
    assert current(page) == first.title
    expect(page.locator(".slides > section.present h1")).to_be_visible()

    page.keyboard.press("ArrowRight")
    expect_slide(page, "Questions this workshop answers")
    expect(page).to_have_url(re.compile(r"#/1$"))  # a reload stays on the slide
    page.keyboard.press("Space")
    expect_slide(page, "By the end you will be able to")
    page.keyboard.press("ArrowLeft")
    expect_slide(page, "Questions this workshop answers")
    page.keyboard.press("End")
    expect_slide(page, "Key points" + (" (continued)" if deck.slides[-1].part > 1 else ""))

    # Speaker notes: in the markup of every slide, hidden from the audience.
    notes = page.locator(".slides > section > aside.notes")
    expect(notes).to_have_count(len(deck.slides))
    texts = notes.evaluate_all("all => all.map(n => n.textContent.trim())")
    assert all(texts), "a slide has empty speaker notes"
    assert first.activities[0].facilitator_notes[0] in " ".join(texts)
    expect(notes.first).to_be_hidden()

    # reveal.js's English words are replaced through hub.t.
    expect(page.locator(".controls .navigate-right")).to_have_attribute("aria-label", "Next slide")
    expect(page.locator("[data-hub-deck-keys]")).to_be_visible()

    # The text version: the session on the sprint page.
    page.get_by_role("link", name="Text version of these slides").click()
    expect(page.locator(f"#{first.id}")).to_be_visible()
    assert requests == []


def test_f_makes_the_deck_full_screen(page: Page) -> None:
    open_deck(page, "programme/sprint-1/slides/sprint-1-footprint/")
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement !== null")
    assert page.evaluate("document.fullscreenElement.hasAttribute('data-hub-deck')")
    page.keyboard.press("Escape")


def test_s_opens_the_speaker_view_with_the_notes(context: BrowserContext, page: Page, kit: Toolkit) -> None:
    sprint = next(s for s in kit.items("sprint") if s.id == "sprint-1")
    activity = sprint.sessions[0].activities[0]
    index = next(i for i, s in enumerate(session_deck(sprint, sprint.sessions[0]).slides) if s.activity == activity)
    open_deck(page, f"programme/sprint-1/slides/{sprint.sessions[0].id}/#/{index}")
    with context.expect_page() as opened:
        page.keyboard.press("s")
    speaker_view = opened.value
    expect(speaker_view.locator(".speaker-controls-notes")).to_contain_text(activity.facilitator_notes[0])
    speaker_view.close()


def test_every_slide_of_every_deck_fits(page: Page, kit: Toolkit) -> None:
    too_tall = []
    for sprint in kit.items("sprint"):
        for s in sprint.sessions:
            open_deck(page, f"programme/{sprint.id}/slides/{s.id}/")
            heights = page.evaluate(
                "() => Array.from(document.querySelectorAll('.slides > section'))"
                ".map((slide, i) => { Reveal.slide(i); return slide.scrollHeight; })"
            )
            assert len(heights) == len(session_deck(sprint, s).slides)
            too_tall += [f"{sprint.id}/{s.id} slide {i + 1}: {h}px" for i, h in enumerate(heights) if h > SLIDE_HEIGHT]
    assert too_tall == [], "make councillor_hub.slides.LINES_PER_SLIDE smaller, or the type in slides.css"


def test_deck_reads_as_a_page_without_javascript(browser: Browser, site_url: str) -> None:
    context = new_context(browser, site_url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("programme/sprint-1/slides/sprint-1-footprint/")
        sections = page.locator("[data-hub-slides] > section")
        assert sections.count() > 5
        for section in sections.all():
            expect(section).to_be_visible()
        expect(page.locator("aside.notes").first).to_be_hidden()
        expect(page.get_by_role("link", name="Text version of these slides")).to_be_visible()
        expect(page.locator("[data-hub-deck-keys]")).to_be_hidden()
    finally:
        context.close()


def test_decks_in_use_have_no_serious_violations(page: Page, axe_source: str) -> None:
    failures = {}
    open_deck(page, "programme/sprint-1/slides/sprint-1-footprint/")
    page.keyboard.press("ArrowRight")
    failures["second slide"] = scan(page, axe_source)
    page.keyboard.press("Escape")  # the overview of all slides
    expect(page.locator(".reveal.overview")).to_have_count(1)
    failures["overview"] = scan(page, axe_source)
    page.keyboard.press("Escape")
    open_deck(page, "programme/sprint-1/slides/sprint-1-footprint/?showNotes=true#/4")
    expect(page.locator(".speaker-notes")).to_be_visible()
    failures["notes beside the slides"] = scan(page, axe_source)
    page.set_viewport_size({"width": 375, "height": 740})  # phones: reveal.js turns the deck into a scroll view
    open_deck(page, "programme/sprint-1/slides/sprint-1-footprint/")
    failures["phone"] = scan(page, axe_source)
    failures = {k: v for k, v in failures.items() if v}
    assert failures == {}, report(failures)
