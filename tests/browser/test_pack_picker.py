"""The printable pack's picker: one day or two half-days, any start time; the page and its print follow."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from councillor_hub.project import Project
from councillor_hub.running_order import Variant, clock_of, minutes_of_day, plan
from councillor_hub.toolkit import Toolkit

from .conftest import new_context

pytestmark = pytest.mark.browser


def first_activity(kit: Toolkit, project: Project, variant: Variant) -> tuple[str, int]:
    """The sprint 1 activity that opens the day in ``variant``, and where the second sitting starts."""
    sprint = kit.get("sprint", "sprint-1")
    assert sprint is not None
    sittings = plan(sprint.item, variant, project.settings.workshops, kit.one("programme")).sittings
    first = sittings[0].blocks[0].rows[0].activity
    assert first is not None
    return first.id, len(sittings)


def test_two_half_days_from_ten_is_one_choice_away_and_is_what_prints(
    page: Page, kit: Toolkit, upstream_project: Project
) -> None:
    default_start = upstream_project.settings.workshops.start
    page.goto("programme/sprint-1/pack/")
    picker = page.locator("form[data-hub-pack-picker=sprint-1]")
    expect(picker).to_be_visible()
    one_day = page.locator("[data-hub-variant=one-day]")
    split = page.locator("[data-hub-variant=split]")
    expect(one_day).to_be_visible()
    expect(split).to_be_hidden()
    first, _ = first_activity(kit, upstream_project, "one-day")
    opening = one_day.locator(f'tr:has(a[href="#pack-sprint-1-a-{first}"]) time').first
    expect(opening).to_have_text(default_start)

    picker.get_by_label("Two half-days").check()
    picker.get_by_label("Start time").fill("10:00")
    expect(split).to_be_visible()
    expect(one_day).to_be_hidden()
    expect(split.get_by_role("heading", name="First half-day")).to_be_visible()
    expect(split.get_by_role("heading", name="Second half-day")).to_be_visible()
    starts = split.locator("tr:not(.hub-pack__setup) td:first-child time:first-child")
    expect(starts.first).to_have_text("10:00")
    setup = split.locator("tr.hub-pack__setup time").first
    expect(setup).to_have_text(clock_of(600 - upstream_project.settings.workshops.setup_minutes))
    expect(picker.locator("[role=status]")).to_have_text("Showing Two half-days, starting at 10:00.")
    assert page.url.endswith("programme/sprint-1/pack/?variant=split&start=10:00")

    # The print is the pack as chosen: no picker, no other variant.
    page.emulate_media(media="print")
    expect(picker).to_be_hidden()
    expect(one_day).to_be_hidden()
    expect(split.get_by_role("heading", name="Second half-day")).to_be_visible()
    page.emulate_media(media="screen")

    # The choice is in the address, so a reload (or a shared link) shows the same pack.
    page.reload()
    expect(page.get_by_label("Two half-days")).to_be_checked()
    expect(page.get_by_label("Start time")).to_have_value("10:00")
    expect(split.locator("tr:not(.hub-pack__setup) td:first-child time:first-child").first).to_have_text("10:00")


def test_a_start_time_that_is_not_a_time_is_explained(page: Page) -> None:
    page.goto("programme/sprint-2/pack/")
    field = page.get_by_label("Start time")
    before = page.locator("[data-hub-variant=one-day] time").first.inner_text()
    field.fill("")
    field.dispatch_event("change")
    expect(page.locator("[data-hub-pack-error]")).to_be_visible()
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[data-hub-variant=one-day] time").first).to_have_text(before)
    field.fill("08:15")
    expect(page.locator("[data-hub-pack-error]")).to_be_hidden()
    expect(field).not_to_have_attribute("aria-invalid", "true")
    assert minutes_of_day(page.locator("[data-hub-variant=one-day] time").nth(1).inner_text()) == 8 * 60 + 15


@pytest.fixture
def no_js_page(browser: Browser, site_url: str) -> Iterator[Page]:
    context = new_context(browser, site_url, java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_without_javascript_the_default_day_shows_at_the_default_time(
    no_js_page: Page, kit: Toolkit, upstream_project: Project
) -> None:
    page = no_js_page
    for sprint in kit.ordered_sprints():
        page.goto(f"programme/{sprint.id}/pack/")
        expect(page.locator("form[data-hub-pack-picker]")).to_be_hidden()
        expect(page.locator("[data-hub-variant=one-day]")).to_be_visible()
        expect(page.locator("[data-hub-variant=split]")).to_be_hidden()
        first = page.locator("[data-hub-variant=one-day] tr:not(.hub-pack__setup) td:first-child time").first
        expect(first).to_have_text(upstream_project.settings.workshops.start)
        # Either the published PDFs (after scripts/build) or the advice to print the page.
        expect(page.locator("[data-hub-pdf]:visible, [data-hub-print-hint]:visible").first).to_be_visible()
