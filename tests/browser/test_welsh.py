"""The hub in Welsh, in real Chromium: every Welsh page passes axe, the tools speak Welsh, and a
Welsh speaker goes from "Ble ydw i'n dechrau?" to a persona's pathway in Welsh (issue 10)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from councillor_hub.project import Project

from ..conftest import make_project, mkdocs_build
from .conftest import OFF_SITE, PageErrors, new_context, serve
from .test_accessibility import scan

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def welsh_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Project]:
    project_dir = make_project(tmp_path_factory.mktemp("welsh") / "hub")
    (project_dir / "council.yml").write_text("languages: [en, cy]\n", encoding="utf-8")
    site = project_dir.parent / "site"
    result = mkdocs_build(project_dir, site)
    assert result.returncode == 0, result.stderr
    return site, Project.load(project_dir)


@pytest.fixture(scope="module")
def welsh_url(welsh_site: tuple[Path, Project]) -> Iterator[str]:
    site, project = welsh_site
    server, url = serve(site, project)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture
def cy_page(browser: Browser, welsh_url: str) -> Iterator[Page]:
    context = new_context(browser, welsh_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = PageErrors(page)
    yield page
    context.close()
    assert errors.errors == []


def test_every_welsh_page_has_no_serious_violations(
    browser: Browser, welsh_site: tuple[Path, Project], welsh_url: str, axe_source: str
) -> None:
    site, _ = welsh_site
    pages = sorted(p.relative_to(site).as_posix().removesuffix("index.html") for p in (site / "cy").rglob("*.html"))
    assert len(pages) > 50
    context = browser.new_context(base_url=welsh_url, viewport={"width": 1280, "height": 900})
    context.route(OFF_SITE, lambda route: route.abort())
    page = context.new_page()
    failures: dict[str, list[dict[str, Any]]] = {}
    try:
        for path in pages:
            page.goto(path)
            assert page.evaluate("document.documentElement.lang") == "cy", path
            found = scan(page, axe_source)
            if found:
                failures[path] = found
    finally:
        context.close()
    assert failures == {}, json.dumps(failures, indent=2)


def test_a_welsh_speaker_finds_their_route_in_welsh(cy_page: Page) -> None:
    page = cy_page
    page.goto("cy/start/")
    expect(page.locator("h1")).to_contain_text("Ble ydw i'n dechrau?")
    page.get_by_role("button", name="Dangos fy man cychwyn").click()
    expect(page.locator(".hub-quiz__result")).to_contain_text("Atebwch bob cwestiwn")
    for fieldset in page.locator("form[data-hub-quiz] fieldset").all():
        fieldset.locator("input").first.check()
    page.get_by_role("button", name="Dangos fy man cychwyn").click()
    result = page.locator(".hub-quiz__result")
    expect(result).to_contain_text("Eich man cychwyn:")
    result.get_by_role("link").click()
    page.wait_for_url("**/cy/start/*/")
    assert page.evaluate("document.documentElement.lang") == "cy"
    expect(page.locator("h2#your-path-through-the-hub")).to_have_count(1)
    expect(page.locator("h2#your-path-through-the-hub")).not_to_contain_text("Your path")
    # The persona's own words are Welsh: its summary has nothing marked as English.
    expect(page.locator("article h1 + p")).not_to_be_empty()
    expect(page.locator("article h1 + p [lang=en]")).to_have_count(0)


def test_tools_speak_welsh(cy_page: Page) -> None:
    page = cy_page
    page.goto("cy/tools/")
    page.get_by_label("Beth sydd angen i chi ei wneud?").select_option(index=1)
    count = page.locator(".hub-tool-finder__count")
    expect(count).not_to_contain_text("tools match")
    expect(count).not_to_be_empty()
    page.goto("cy/programme/sprint-1/network-map/")
    page.get_by_role("button", name="Ychwanegu at y map").click()
    expect(page.locator("#hub-map-entry-name-error")).to_be_visible()
    expect(page.locator("#hub-map-entry-name-error")).not_to_contain_text("Enter a name")


def test_language_switcher_goes_to_the_same_page(cy_page: Page) -> None:
    page = cy_page
    page.goto("platforms/facebook/")
    page.locator(".hub-language-switch").get_by_role("link", name="Cymraeg").click()
    assert page.url.endswith("/cy/platforms/facebook/")
    assert page.evaluate("document.documentElement.lang") == "cy"
    page.locator(".hub-language-switch").get_by_role("link", name="English").click()
    assert page.url.endswith("/platforms/facebook/") and "/cy/" not in page.url


def test_welsh_search_finds_welsh_pages_only(cy_page: Page) -> None:
    page = cy_page
    page.goto("cy/")
    page.locator(".md-search__input").click()
    page.keyboard.type("cychwyn")
    results = page.locator(".md-search-result__link")
    expect(results.first).to_be_visible(timeout=15000)
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    assert hrefs and all("/cy/" in href for href in hrefs), hrefs
