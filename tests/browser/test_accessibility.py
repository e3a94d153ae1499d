"""axe-core on every page of the built hub: no serious or critical WCAG 2.2 AA failures.

axe-core comes from npm (package.json pins it; scripts/install-browser runs npm ci) and is
injected by the test only; the site never loads it. All pages are scanned in one browser
context, one after another, because starting browsers is the expensive part.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, ViewportSize, expect

from councillor_hub.project import Project
from councillor_hub.toolkit import Toolkit

from .conftest import OFF_SITE, PageErrors, serve

pytestmark = pytest.mark.browser

# WCAG 2.2 AA, plus axe's best practices: aria-dialog-name (Material's unnamed search dialog,
# fixed in overrides/main.html) is filed under best-practice, not under a WCAG tag.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = {"serious", "critical"}
# No page may make a request off the site: no CDNs, no web fonts, and no GitHub API call for the
# repository's stars (overrides/partials/source.html drops the hook Material uses for that).
ALLOWED_OFF_SITE_HOSTS: set[str] = set()


def every_page(site: Path) -> list[str]:
    """Every HTML page of the built site, as a path relative to the site root."""
    pages = []
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        pages.append(rel.removesuffix("index.html"))
    return pages


def scan(page: Page, axe_source: str) -> list[dict[str, Any]]:
    """Serious and critical violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations)",
        WCAG_TAGS,
    )
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [{"target": n["target"], "summary": n["failureSummary"]} for n in v["nodes"][:5]],
        }
        for v in violations
        if v["impact"] in BLOCKING
    ]


def report(failures: dict[str, list[dict[str, Any]]]) -> str:
    return json.dumps(failures, indent=2)


# A laptop, and a phone (where tables scroll, the comparison turns into cards and the menu
# becomes a drawer: issue 13).
SCREENS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_page_has_no_serious_violations(
    browser: Browser, repo_site_url: str, repo_site: Path, axe_source: str, screen: str
) -> None:
    pages = every_page(repo_site)
    assert len(pages) >= 20, pages
    off_site_hosts: set[str] = set()

    def refuse(route: Route) -> None:
        off_site_hosts.add(urlsplit(route.request.url).hostname or route.request.url)
        route.abort()

    context = browser.new_context(base_url=repo_site_url, viewport=SCREENS[screen])
    context.route(OFF_SITE, refuse)
    page = context.new_page()
    errors = PageErrors(page)
    failures: dict[str, list[dict[str, Any]]] = {}
    try:
        for path in pages:
            page.goto(path)
            found = scan(page, axe_source)
            if found:
                failures[path] = found
    finally:
        context.close()
    assert failures == {}, f"{len(failures)} of {len(pages)} pages fail axe-core:\n{report(failures)}"
    assert errors.errors == []
    assert off_site_hosts <= ALLOWED_OFF_SITE_HOSTS, f"pages called out to {sorted(off_site_hosts)}"


def test_tools_in_use_have_no_serious_violations(page: Page, kit: Toolkit, axe_source: str) -> None:
    """The states the scripts create (results, errors, a drawn map, filters), on a phone-sized screen."""
    page.set_viewport_size({"width": 375, "height": 740})
    failures: dict[str, list[dict[str, Any]]] = {}

    page.goto("start/")
    page.get_by_role("button", name="Show my starting point").click()
    expect(page.locator(".hub-quiz__result")).to_contain_text("Still to answer")
    failures["start/ (missing answers)"] = scan(page, axe_source)
    for fieldset in page.locator("form[data-hub-quiz] fieldset").all():
        fieldset.locator("input").first.check()
    page.get_by_role("button", name="Show my starting point").click()
    expect(page.locator(".hub-quiz__result")).to_contain_text("Your starting point")
    failures["start/ (result)"] = scan(page, axe_source)

    page.goto("tools/")
    page.get_by_label("What do you need to do?").select_option(index=1)
    failures["tools/ (filtered)"] = scan(page, axe_source)

    for s in kit.ordered_sprints():
        for w in s.item.worksheets:
            if w.kind != "network-map":
                continue
            page.goto(f"programme/{s.id}/{w.id}/")
            page.get_by_role("button", name="Add to map").click()  # shows the field errors
            page.locator("#hub-map-entry-name").fill("Jane Smith")
            page.locator("#hub-map-layer-offline").check()
            page.locator("#hub-map-layer-online").check()
            page.get_by_role("button", name="Add to map").click()
            expect(page.locator(".hub-map-entry")).to_have_count(1)
            page.get_by_role("button", name="Add to map").click()
            failures[f"programme/{s.id}/{w.id}/ (map drawn, errors shown)"] = scan(page, axe_source)

    page.goto("programme/sprint-1/pack/")
    page.get_by_label("Two half-days").check()
    page.get_by_label("Start time").fill("")
    page.get_by_label("Start time").dispatch_event("change")
    failures["programme/sprint-1/pack/ (two half-days, start time error)"] = scan(page, axe_source)

    failures = {k: v for k, v in failures.items() if v}
    assert failures == {}, report(failures)


@pytest.fixture(scope="module")
def log_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A hub with a learning log of two numbered pages, a hostile post among them (the repository has none)."""
    from ..conftest import FIXTURES, make_project, mkdocs_build
    from ..test_learning_log_site import HOSTILE_BODY, HOSTILE_TITLE, REGISTRY, post, write_posts

    project = make_project(tmp_path_factory.mktemp("log") / "project", FIXTURES / "mini" / "content")
    (project / "content" / "learning-log").mkdir(parents=True, exist_ok=True)
    (project / "content" / "learning-log" / "feeds.yml").write_text(REGISTRY, encoding="utf-8")
    posts = [post(n, tags=["sprint-1"] if n % 3 == 0 else None) for n in range(1, 60)]
    posts.append((post(60, feed="sam-mentor", title=HOSTILE_TITLE, tags=["rural"])[0], HOSTILE_BODY))
    write_posts(project, posts)
    site = project.parent / "site"
    result = mkdocs_build(project, site, strict=False)
    assert result.returncode == 0, result.stderr
    server, url = serve(site, Project.load(project))
    yield url
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_learning_log_pages_have_no_serious_violations(
    browser: Browser, log_site_url: str, axe_source: str, screen: str
) -> None:
    """Posts and listing pages outside the menu use their own template and a folded menu (issue 14)."""
    context = browser.new_context(base_url=log_site_url, viewport=SCREENS[screen])
    page = context.new_page()
    failures: dict[str, list[dict[str, Any]]] = {}
    try:
        page.goto("learning-log/")
        pages = [
            "learning-log/",
            "learning-log/page-2/",
            "learning-log/facilitators/sam-mentor/",
            "learning-log/tags/rural/",
        ]
        pages += [href for href in page.locator(".hub-log-item__title a").evaluate_all("(as) => as.map(a => a.href)")][
            :3
        ]
        for path in pages:
            page.goto(path)
            found = scan(page, axe_source)
            if found:
                failures[path] = found
    finally:
        context.close()
    assert failures == {}, report(failures)
