"""The menu shows the few routes that matter first (issue 13: its 60 links dominated every page).

On the home page the cards are the routes and there is no menu beside them; elsewhere the menu
opens only the section being read. Every page stays reachable: the phone's menu has every section.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from councillor_hub.toolkit import Toolkit

pytestmark = pytest.mark.browser

MENU_LINKS = ".md-sidebar--primary .md-nav__link"
TOP_LEVEL = ["Home", "Where do I start?", "Platforms", "Guides", "Tools", "Programme", "Learning log"]


def visible_menu_links(page: Page) -> list[str]:
    """The menu's entries a sighted reader sees, once each (a section's link and toggle share a name)."""
    texts = page.locator(f"{MENU_LINKS}:visible").evaluate_all("els => els.map(e => e.textContent.trim())")
    return list(dict.fromkeys(" ".join(t.split()) for t in texts if t.strip()))


def test_home_page_shows_its_routes_and_no_menu_beside_them(page: Page) -> None:
    page.goto("./")
    assert visible_menu_links(page) == []
    cards = page.locator(".grid.cards > ul > li")
    expect(cards).to_have_count(6)
    expect(cards.first).to_contain_text("Where do I start?")
    expect(page.get_by_role("link", name="New here? Find your starting point in two minutes")).to_be_visible()


def test_the_menu_opens_only_the_section_being_read(page: Page, kit: Toolkit) -> None:
    page.goto("guides/staying-safe/")
    links = visible_menu_links(page)
    assert [link for link in links if link in TOP_LEVEL] == TOP_LEVEL
    assert len(links) <= 35, links
    assert "Staying safe online" in links
    assert not any(p.name in links for p in kit.items("platform")), "other sections stay folded"
    assert not any(w.title in links for s in kit.items("sprint") for w in s.worksheets)

    # A folded section opens in place, and its index is one click away.
    page.locator(".md-sidebar--primary").get_by_text("Platforms", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/platforms/$"))


def test_on_a_phone_the_home_page_menu_has_every_section(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("./")
    page.locator("label.md-header__button[for=__drawer]").click()
    drawer = page.locator(".md-sidebar--primary")
    for title in [*TOP_LEVEL, "How to use the hub", "About the hub"]:
        expect(drawer.locator(".md-nav__link", has_text=title).first).to_be_in_viewport()
