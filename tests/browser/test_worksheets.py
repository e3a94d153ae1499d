"""Planning sheets: autosave, reload, save to a file, open a file (and refuse bad ones), clear, print."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from councillor_hub.models import Prompt, Sprint, Worksheet
from councillor_hub.toolkit import Toolkit

pytestmark = pytest.mark.browser


def form_sheet(kit: Toolkit) -> tuple[Sprint, Worksheet, dict[str, tuple[str, Prompt]]]:
    """The digital-footprint plan, or else the first form sheet; with the first prompt of each kind."""
    sheets = [(s.item, w) for s in kit.ordered_sprints() for w in s.item.worksheets if w.kind == "form"]
    sheets.sort(key=lambda pair: pair[1].id != "digital-footprint")
    assert sheets, "the content needs at least one form worksheet"
    sprint, sheet = sheets[0]
    prompts: dict[str, tuple[str, Prompt]] = {}
    for section in sheet.sections:
        for prompt in section.prompts:
            prompts.setdefault(prompt.kind, (f"{section.id}--{prompt.id}", prompt))
    return sprint, sheet, prompts


def fill_every_kind(page: Page, prompts: dict[str, tuple[str, Prompt]]) -> dict[str, object]:
    """Answer one prompt of each kind on the page; return the answers as the file should hold them."""
    answers: dict[str, object] = {}
    if "text" in prompts:
        field, _ = prompts["text"]
        page.locator(f"#{field}").fill("Cllr Jo Bloggs, Riverside")
        answers[field] = "Cllr Jo Bloggs, Riverside"
    if "long-text" in prompts:
        field, _ = prompts["long-text"]
        page.locator(f"#{field}").fill("Line one\nLine two, with a <b>tag</b> & an ampersand")
        answers[field] = "Line one\nLine two, with a <b>tag</b> & an ampersand"
    if "choice" in prompts:
        field, prompt = prompts["choice"]
        page.locator(f"#{field}-2").focus()
        page.keyboard.press("Space")
        answers[field] = prompt.options[1]
    if "checklist" in prompts:
        field, prompt = prompts["checklist"]
        page.locator(f"#{field}-1").check()
        page.locator(f"#{field}-3").check()
        answers[field] = [prompt.options[0], prompt.options[2]]
    return answers


def expect_answers(page: Page, prompts: dict[str, tuple[str, Prompt]], filled: bool) -> None:
    for kind, (field, _) in prompts.items():
        if kind in ("text", "long-text"):
            locator = page.locator(f"#{field}")
            if filled:
                expect(locator).not_to_have_value("")
            else:
                expect(locator).to_have_value("")
        elif kind == "choice":
            box = page.locator(f"#{field}-2")
            expect(box).to_be_checked() if filled else expect(box).not_to_be_checked()
        else:
            box = page.locator(f"#{field}-3")
            expect(box).to_be_checked() if filled else expect(box).not_to_be_checked()


def open_file(page: Page, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Open a saved file").click()
    chooser.value.set_files(str(path))


def test_answers_save_reload_export_clear_and_import(page: Page, kit: Toolkit, tmp_path: Path) -> None:
    sprint, sheet, prompts = form_sheet(kit)
    page.goto(f"programme/{sprint.id}/{sheet.id}/")
    expected = fill_every_kind(page, prompts)
    expect(page.locator("[data-hub-saved-note]")).to_contain_text("Saved in this browser at")

    page.reload()
    expect_answers(page, prompts, filled=True)
    expect(page.locator("[data-hub-saved-note]")).to_contain_text("Your answers from last time are back")

    with page.expect_download() as download:
        page.get_by_role("button", name="Save to a file").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith(f"councillor-hub-{sprint.id}-{sheet.id}-")
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["format"] == "councillor-hub-worksheet"
    assert data["version"] == 1
    assert data["worksheet"] == f"{sprint.id}-{sheet.id}"
    assert data["answers"] == expected

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Clear my answers").click()
    expect_answers(page, prompts, filled=True)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear my answers").click()
    expect(page.locator("[data-hub-status]")).to_have_text("Your answers have been cleared.")
    expect_answers(page, prompts, filled=False)
    page.reload()
    expect_answers(page, prompts, filled=False)

    open_file(page, saved)
    expect(page.locator("[data-hub-status]")).to_contain_text(f"Opened {saved.name}.")
    expect_answers(page, prompts, filled=True)
    page.reload()
    expect_answers(page, prompts, filled=True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("this is not json {", "is not a JSON file"),
        ('["a", "list"]', "was not saved from a Councillor Hub worksheet"),
        (
            '{"format": "councillor-hub-worksheet", "version": 1, "worksheet": "elsewhere", "title": "Other sheet"}',
            'holds answers for "Other sheet", not for this one',
        ),
        ('{"format": "councillor-hub-worksheet", "version": 99, "worksheet": "KEY"}', "newer version of the hub"),
        (
            '{"format": "councillor-hub-worksheet", "version": 1, "worksheet": "KEY", "answers": [1]}',
            "not in the expected form",
        ),
        (
            '{"format": "councillor-hub-worksheet", "version": 1, "worksheet": "KEY", "answers": {"x": 5}}',
            'The answer "x"',
        ),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message(
    page: Page, kit: Toolkit, tmp_path: Path, content: str, message: str
) -> None:
    sprint, sheet, prompts = form_sheet(kit)
    page.goto(f"programme/{sprint.id}/{sheet.id}/")
    fill_every_kind(page, prompts)
    bad = tmp_path / "answers.json"
    bad.write_text(content.replace("KEY", f"{sprint.id}-{sheet.id}"), encoding="utf-8")
    open_file(page, bad)
    error = page.locator("[data-hub-error]")
    expect(error).to_have_attribute("role", "alert")
    expect(error).to_contain_text("The file answers.json could not be opened.")
    expect(error).to_contain_text(message)
    expect_answers(page, prompts, filled=True)


def test_print_shows_a_clean_sheet(page: Page, kit: Toolkit) -> None:
    sprint, sheet, prompts = form_sheet(kit)
    page.goto(f"programme/{sprint.id}/{sheet.id}/")
    fill_every_kind(page, prompts)
    expect(page.locator("[data-hub-worksheet-tools]")).to_be_visible()
    page.emulate_media(media="print")
    for chrome in (
        ".md-header",
        ".md-sidebar--primary",
        ".md-footer",
        "[data-hub-worksheet-tools]",
        ".admonition.info",
    ):
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(f"form[data-hub-worksheet='{sprint.id}-{sheet.id}']")).to_be_visible()
    if "long-text" in prompts:
        expect(page.locator(f"#{prompts['long-text'][0]}")).to_be_visible()


def test_the_help_ticked_on_the_saved_plan_is_what_the_lead_imports(page: Page, kit: Toolkit, tmp_path: Path) -> None:
    """The digital-footprint plan's help checklist, saved to a file, feeds `cohort import planning-sheet`."""
    from councillor_hub.cohort.vocabulary import HELP_PROMPT, help_from_planning_sheet, load_vocabulary

    vocabulary = load_vocabulary(kit)
    sprint_id, sheet_id, prompt_id = HELP_PROMPT
    page.goto(f"programme/{sprint_id}/{sheet_id}/")
    group = page.get_by_role("group", name=vocabulary.label)
    group.get_by_label(vocabulary.options[4], exact=True).check()
    group.get_by_label(vocabulary.options[0], exact=True).check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Save to a file").click()
    saved = tmp_path / "plan.json"
    download_info.value.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert help_from_planning_sheet(data, vocabulary) == [vocabulary.options[0], vocabulary.options[4]]
    assert any(key.endswith(f"--{prompt_id}") for key in data["answers"])
