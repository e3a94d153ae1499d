"""The pre-election notice shows itself on the right morning, even if nobody rebuilds the site."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from councillor_hub.project import Project

from ..conftest import mkdocs_build
from ..fork import make_fork
from .conftest import new_context, serve
from .test_accessibility import scan

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def fork_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Cardiff's fork (elections: notice 2027-03-26, polling day 2027-05-06), built in 2026."""
    project = make_fork(tmp_path_factory.mktemp("election") / "hub")
    site = project.parent / "site"
    result = mkdocs_build(project, site, env={"COUNCILLOR_HUB_TODAY": "2026-12-01"})
    assert result.returncode == 0, result.stderr
    server, url = serve(site, Project.load(project))
    yield url
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("day", "shown"),
    [("2027-03-25", False), ("2027-03-26", True), ("2027-05-06", True), ("2027-05-07", False)],
)
def test_notice_follows_the_day_it_is_read(
    browser: Browser, fork_url: str, axe_source: str, day: str, shown: bool
) -> None:
    context = new_context(browser, fork_url)
    page = context.new_page()
    page.clock.set_fixed_time(dt.datetime.fromisoformat(f"{day}T09:00:00"))
    page.goto("platforms/facebook/")
    notice = page.get_by_role("complementary", name="Pre-election period")
    if shown:
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("Cardiff Council elections, 6 May 2027")
        expect(notice.get_by_role("link", name="Read the pre-election guide")).to_have_attribute(
            "href", "../../guides/pre-election-period/"
        )
        assert scan(page, axe_source) == []
        page.goto("")
        expect(page.locator(".hub-pre-election-promo")).to_be_visible()
        assert scan(page, axe_source) == []
    else:
        expect(page.locator("aside.hub-pre-election")).to_be_hidden()
        page.goto("")
        expect(page.locator(".hub-pre-election-promo")).to_be_hidden()
    context.close()
