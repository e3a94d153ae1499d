"""Readiness check: ticks are kept per sprint and the status says what is left."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from councillor_hub.cohort.readiness import find_returns, read_return_file
from councillor_hub.toolkit import Toolkit

from .test_accessibility import scan

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


def test_send_to_my_facilitator_makes_a_file_and_an_email_the_lead_can_import(
    page: Page, context: BrowserContext, kit: Toolkit, axe_source: str, tmp_path: Path
) -> None:
    """The "Send to my facilitator" step: a JSON file and a text block, both read by `cohort readiness import`."""
    sprint = next(s.item for s in kit.ordered_sprints() if len(s.item.readiness) >= 3)
    items = sprint.readiness
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"programme/{sprint.id}/")
    # axe must see the buttons' colours at rest, not half-way through Material's hover transition.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    panel = page.locator(f"[data-hub-readiness-send={sprint.id}]")
    expect(panel).to_be_visible()
    form = page.locator(f"form[data-hub-readiness={sprint.id}]")
    form.locator(f"#ready-{items[0].id}").check()
    form.locator(f"#ready-{items[2].id}").check()

    name = panel.get_by_label("Your name")
    panel.get_by_role("button", name="Save a file for my facilitator").click()
    expect(panel.get_by_role("alert")).to_contain_text("Type your name first")
    expect(name).to_be_focused()
    assert scan(page, axe_source) == [], "the step with its error shown fails axe-core"

    name.fill("  Jane   Smith ")
    with page.expect_download() as download_info:
        panel.get_by_role("button", name="Save a file for my facilitator").click()
    download = download_info.value
    assert download.suggested_filename == f"readiness-{sprint.id}-jane-smith.json"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data == {
        "format": "councillor-hub-readiness",
        "version": 1,
        "sprint": sprint.id,
        "name": "Jane Smith",
        "date": data["date"],
        "items": [i.id for i in items],
        "done": [items[0].id, items[2].id],
    }
    dt.date.fromisoformat(data["date"])
    expect(panel.get_by_role("status")).to_contain_text("Attach the file to an email")

    panel.get_by_role("button", name="Show text for an email").click()
    text_box = panel.get_by_label("Copy this text into an email to your facilitator")
    expect(text_box).to_be_visible()
    text = text_box.input_value()
    assert "Jane Smith" in text
    assert f"[x] {items[0].text.rstrip('.')}" in text and f"[ ] {items[1].text.rstrip('.')}" in text
    assert scan(page, axe_source) == [], "the step with the email text shown fails axe-core"
    panel.get_by_role("button", name="Copy the text").click()
    expect(panel.get_by_role("status")).to_contain_text("Copied")
    assert page.evaluate("() => navigator.clipboard.readText()") == text

    # What the lead imports: the file, and the text pasted from an email, give the same return.
    from_file, problems = read_return_file(saved)
    assert problems == [] and [s.data for s in from_file] == [data]
    assert [s.data for s in find_returns("From: Jane\n\n" + text, "(pasted)")] == [data]

    page.reload()
    expect(page.locator(f"[data-hub-readiness-send={sprint.id}]").get_by_label("Your name")).to_have_value("Jane Smith")
