"""Tool finder: filter by need, platform, cost and difficulty without a reload; the count is announced."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from councillor_hub.models import Tool
from councillor_hub.toolkit import Toolkit

pytestmark = pytest.mark.browser


def catalogue(kit: Toolkit) -> list[Tool]:
    assert kit.items("tool")
    return kit.items("tool")


def visible_tool_ids(page: Page) -> set[str]:
    ids = page.locator(".hub-tool:visible").evaluate_all("els => els.map(e => e.id)")
    return {i.removeprefix("tool-") for i in ids}


def test_filter_by_need_with_the_keyboard(page: Page, kit: Toolkit) -> None:
    tools = catalogue(kit)
    page.goto("tools/")
    count = page.locator(".hub-tool-finder__count")
    expect(count).to_have_attribute("role", "status")
    expect(count).to_have_text(f"Showing all {len(tools)} tools.")
    assert visible_tool_ids(page) == {t.id for t in tools}

    # The first need in the list, chosen with the arrow key as a keyboard user would.
    select = page.get_by_label("What do you need to do?")
    select.focus()
    page.keyboard.press("ArrowDown")
    category = select.input_value()
    wanted = {t.id for t in tools if t.category == category}
    expect(count).to_have_text(f"{len(wanted)} tool{'s match' if len(wanted) != 1 else ' matches'} your choices.")
    assert visible_tool_ids(page) == wanted
    expect(page.locator(f"[data-hub-tool-group={category}]")).to_be_visible()
    expect(page.locator("[data-hub-tool-group]:visible")).to_have_count(1)
    expect(page).to_have_url(re.compile(rf"\?category={category}$"))

    # The filtered address can be shared: opening it shows the same list.
    page.reload()
    expect(select).to_have_value(category)
    assert visible_tool_ids(page) == wanted


def test_combined_filters_and_show_all(page: Page, kit: Toolkit) -> None:
    tools = catalogue(kit)
    platform = next(p for t in tools for p in t.platforms)
    page.goto("tools/")
    page.get_by_label("Works with").select_option(platform)
    expect(page.locator(".hub-tool-finder__count")).to_contain_text("your choices")
    assert visible_tool_ids(page) == {t.id for t in tools if platform in t.platforms}

    cost = next(t.cost for t in tools if platform in t.platforms)
    page.get_by_label("Cost").select_option(cost)
    both = {t.id for t in tools if platform in t.platforms and t.cost == cost}
    expect(page.locator(".hub-tool:visible")).to_have_count(len(both))
    assert visible_tool_ids(page) == both

    level_values = page.get_by_label("Difficulty").locator("option").evaluate_all("os => os.map(o => o.value)")
    empty = next(
        (
            level
            for level in level_values
            if level and not any(platform in t.platforms and t.cost == cost and t.difficulty == level for t in tools)
        ),
        None,
    )
    if empty:
        page.get_by_label("Difficulty").select_option(empty)
        expect(page.locator(".hub-tool-finder__count")).to_have_text(
            "No tools match. Choose fewer filters, or Show all tools."
        )
        expect(page.locator(".hub-tool:visible")).to_have_count(0)

    page.get_by_role("button", name="Show all tools").click()
    expect(page.locator(".hub-tool-finder__count")).to_have_text(f"Showing all {len(tools)} tools.")
    expect(page.locator(".hub-tool:visible")).to_have_count(len(tools))
    expect(page).to_have_url(re.compile(r"/tools/$"))


def test_every_catalogue_value_is_offered(page: Page, kit: Toolkit) -> None:
    tools = catalogue(kit)
    page.goto("tools/")

    def values(label: str) -> set[str]:
        options = page.get_by_label(label).locator("option").evaluate_all("os => os.map(o => o.value)")
        return {v for v in options if v}

    assert values("What do you need to do?") == {t.category for t in tools}
    assert values("Works with") == {p for t in tools for p in t.platforms}
    assert values("Cost") == {t.cost for t in tools}
    assert values("Difficulty") == {t.difficulty for t in tools}


def contents_links(page: Page, where: str = ".md-sidebar--secondary") -> list[str]:
    """The page's table of contents as a reader sees it: the addresses of its visible links."""
    return page.locator(f"{where} .md-nav--secondary a.md-nav__link:visible").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )


def test_the_contents_list_follows_the_filter(page: Page, kit: Toolkit) -> None:
    """Issue 13: after filtering, the contents beside the page still listed all the tools."""
    tools = catalogue(kit)
    page.goto("tools/")
    every = {f"#tool-{t.id}-heading" for t in tools}
    assert every <= set(contents_links(page))

    category = kit.items("category")[0].id
    page.get_by_label("What do you need to do?").select_option(category)
    wanted = [f"#tool-{t.id}-heading" for t in tools if t.category == category]
    expect(page.locator(".hub-tool:visible")).to_have_count(len(wanted))
    categories = {f"#{c.id}" for c in kit.items("category")}
    catalogue_links = [link for link in contents_links(page) if link.startswith("#tool-") or link in categories]
    assert catalogue_links == [f"#{category}", *wanted]
    assert "#do-this-first" in contents_links(page), "the rest of the page's contents stays"

    # Material draws the contents a second time inside the phone's menu: it follows as well.
    hidden_in_menu = page.locator(".md-sidebar--primary .md-nav--secondary li[hidden] > a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert set(hidden_in_menu) == (every - set(wanted)) | (categories - {f"#{category}"})

    page.get_by_role("button", name="Show all tools").click()
    expect(page.locator(".hub-tool:visible")).to_have_count(len(tools))
    assert every <= set(contents_links(page))


def test_each_tools_steps_are_folded_until_asked_for(page: Page, kit: Toolkit) -> None:
    """Issue 13: the page was 26,700 px tall. Each tool's steps open on request (and for printing)."""
    tools = catalogue(kit)
    page.goto("tools/")
    tool = tools[0]
    steps = page.locator(f"#tool-{tool.id} details")
    expect(steps).to_have_count(1)
    expect(steps).not_to_have_attribute("open", "")
    summary = steps.locator("summary")
    expect(summary).to_have_text(f"Getting started with {tool.name}")
    first_step = steps.locator("li").first
    expect(first_step).to_be_hidden()
    summary.focus()
    page.keyboard.press("Enter")
    expect(first_step).to_be_visible()
    expect(first_step).to_contain_text(tool.getting_started[0].title)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 40 * len(tools) * 10, f"the catalogue is {height} px tall"

    page.emulate_media(media="print")
    expect(page.locator(f"#tool-{tools[1].id} details li").first).to_be_visible()
