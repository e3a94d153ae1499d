"""Long pages read well on a laptop and a phone (issue 13).

The platform comparison is one card per platform on a phone and a table on a wide screen, with
nothing cut off; a table that is still wider than the screen says so and can be scrolled from
the keyboard; long pages open with "Do this first"; folded detail opens on request and on paper.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from councillor_hub.toolkit import Toolkit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SMALLEST = {"width": 320, "height": 640}  # WCAG 1.4.10 reflow: 320 CSS px wide


def overflowing(page: Page) -> list[str]:
    """Elements of the page's content that stick out past the right edge of the window."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("article *"))
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                         && !e.closest(".md-typeset__scrollwrap"))
            .map(e => e.tagName + " " + (e.textContent || "").trim().slice(0, 40))"""
    )


@pytest.mark.parametrize("size", [PHONE, SMALLEST], ids=["390px", "320px"])
def test_comparison_is_a_card_per_platform_on_a_phone(page: Page, kit: Toolkit, size: dict[str, int]) -> None:
    page.set_viewport_size(size)
    page.goto("platforms/")
    platforms = kit.items("platform")
    rows = page.locator(".hub-compare__table tbody tr")
    expect(rows).to_have_count(len(platforms))
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    assert overflowing(page) == []

    first = rows.first
    expect(first).to_have_css("display", "block")  # a card, not a table row
    box = first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= size["width"]
    # Each card names its platform and labels each fact, as the column headers do on a wide screen.
    expect(first.get_by_role("link", name=platforms[0].name)).to_be_visible()
    for label in ("Who in your ward is there", "How posts spread", "Best for", "Effort"):
        expect(first.locator(".hub-compare__label", has_text=label)).to_be_visible()
    expect(first).to_contain_text(platforms[0].at_a_glance.residents)
    # Screen readers still meet a table: a header per column, a row per platform.
    expect(page.get_by_role("table", name="Platforms compared")).to_have_count(1)
    expect(page.get_by_role("columnheader")).to_have_count(6)
    expect(page.get_by_role("rowheader")).to_have_count(len(platforms))


def test_comparison_is_a_table_on_a_wide_screen(page: Page, kit: Toolkit) -> None:
    page.goto("platforms/")
    table = page.locator(".hub-compare__table")
    expect(table).to_have_css("display", "table")
    expect(table.locator("thead")).to_be_visible()
    expect(table.locator(".hub-compare__label").first).to_be_hidden()
    box = table.bounding_box()
    content = page.locator("article").bounding_box()
    assert box is not None and content is not None
    assert box["x"] + box["width"] <= content["x"] + content["width"] + 1, "the table fits beside the menu"
    assert overflowing(page) == []


def test_a_table_wider_than_the_screen_says_it_scrolls(page: Page, kit: Toolkit) -> None:
    """At 320 px, a platform's four-column table of figures is wider than the screen."""
    page.set_viewport_size(SMALLEST)
    platform = kit.items("platform")[0]
    page.goto(f"platforms/{platform.id}/")
    figures = page.locator("details", has=page.locator("table")).first
    figures.locator("summary").click()
    box = figures.locator(".md-typeset__scrollwrap")
    expect(box).to_have_attribute("role", "region")
    expect(box).to_have_attribute("tabindex", "0")
    expect(box).to_have_accessible_name("Table: The numbers to watch. Scroll sideways to see all of it.")
    hint = figures.locator(".hub-scroll-hint")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("scroll sideways")

    # The keyboard scrolls it.
    box.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert box.evaluate("b => b.scrollLeft") > 0

    # On a wide screen the same table fits: no hint, no extra tab stop.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(hint).to_be_hidden()
    expect(box).not_to_have_attribute("tabindex", "0")


def test_long_pages_open_with_do_this_first(page: Page, kit: Toolkit) -> None:
    page.set_viewport_size(PHONE)
    for path in ("platforms/facebook/", "guides/first-steps/", "programme/sprint-1/", "tools/", "platforms/"):
        page.goto(path)
        box = page.locator(".hub-do-first")
        expect(box.get_by_role("heading", name="Do this first")).to_be_in_viewport()
        assert 1 <= box.locator("ol > li").count() <= 5, path


def test_folded_detail_opens_on_request_and_prints_open(page: Page, kit: Toolkit) -> None:
    platform = next(p for p in kit.items("platform") if p.id == "facebook")
    page.goto(f"platforms/{platform.id}/")
    figures = page.locator("details", has=page.locator("table"))
    expect(figures.locator("summary")).to_have_text(
        f"Show the {len(platform.metrics)} figures, what each tells you and where to find them"
    )
    first_figure = figures.locator("tbody tr").first
    expect(first_figure).to_be_hidden()
    sources = page.locator("#sources + details")
    expect(sources.locator("summary")).to_have_text(f"Show the {len(platform.sources)} sources")
    expect(sources.locator("li").first).to_be_hidden()
    expect(page.locator(".hub-reviewed").last).to_be_visible()  # the review date stays in view

    figures.locator("summary").click()
    expect(first_figure).to_be_visible()
    expect(first_figure).to_contain_text(platform.metrics[0].name)

    page.emulate_media(media="print")
    expect(sources.locator("li").first).to_be_visible()
