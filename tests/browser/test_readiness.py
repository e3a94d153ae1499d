"""Readiness check: ticks are kept per sprint and the status says what is left."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from councillor_hub.toolkit import Toolkit

pytestmark = pytest.mark.browser


def test_ticks_survive_a_reload_and_the_status_lists_what_is_left(page: Page, kit: Toolkit) -> None:
    sprints = [s.item for s in kit.ordered_sprints() if len(s.item.readiness) >= 3]
    assert sprints, "the content needs a sprint with at least three readiness items"
    sprint = sprints[0]
    items = sprint.readiness
    page.goto(f"programme/{sprint.id}/")
    form = page.locator(f"form[data-hub-readiness={sprint.id}]")
    status = form.locator(".hub-readiness__status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_contain_text(f"0 of {len(items)} done; still to do:")

    for item in (items[0], items[2]):
        form.locator(f"#ready-{item.id}").focus()
        page.keyboard.press("Space")

    left = [i.text.rstrip(".") for n, i in enumerate(items) if n not in (0, 2)]
    expected = f"2 of {len(items)} done; still to do: {'; '.join(left)}."
    expect(status).to_have_text(expected)

    page.reload()
    expect(form.locator(f"#ready-{items[0].id}")).to_be_checked()
    expect(form.locator(f"#ready-{items[1].id}")).not_to_be_checked()
    expect(form.locator(f"#ready-{items[2].id}")).to_be_checked()
    expect(status).to_have_text(expected)

    for item in items:
        form.locator(f"#ready-{item.id}").check()
    expect(status).to_have_text(f"All {len(items)} done. You are ready for the next sprint.")


def test_each_sprint_keeps_its_own_ticks(page: Page, kit: Toolkit) -> None:
    sprints = [s.item for s in kit.ordered_sprints() if s.item.readiness]
    if len(sprints) < 2:
        pytest.skip("the content has only one sprint with a readiness check")
    first, second = sprints[:2]
    page.goto(f"programme/{first.id}/")
    page.locator(f"#ready-{first.readiness[0].id}").check()
    page.goto(f"programme/{second.id}/")
    expect(page.locator(f"form[data-hub-readiness={second.id}] input:checked")).to_have_count(0)
    expect(page.locator(".hub-readiness__status")).to_contain_text(f"0 of {len(second.readiness)} done")
