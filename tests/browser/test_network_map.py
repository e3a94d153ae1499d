"""Network map: add people, groups and organisations on layers, see the map and where layers meet,
and keep it through a reload, a file, and a print. Issue 13: the form empties after each add,
names are never cut short silently, and the starting point is asked once for map and worksheet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from councillor_hub.toolkit import Toolkit

from .conftest import new_context

pytestmark = pytest.mark.browser


def map_page(kit: Toolkit) -> str:
    for s in kit.ordered_sprints():
        for w in s.item.worksheets:
            if w.kind == "network-map":
                return f"programme/{s.item.id}/{w.id}/"
    pytest.fail("the content needs a network-map worksheet")


LAYERS = ("offline", "online", "aspirational")


def add(page: Page, name: str, kind: str, layers: list[str], note: str = "") -> None:
    page.locator("#hub-map-entry-name").fill(name)
    page.locator(f"#hub-map-type-{kind}").check()
    for layer in LAYERS:
        page.locator(f"#hub-map-layer-{layer}").set_checked(layer in layers)
    page.locator("#hub-map-entry-note").fill(note)
    page.get_by_role("button", name="Add to map").click()


def add_ticking_only(page: Page, name: str, layers: list[str]) -> None:
    """As a councillor would: type a name, tick what applies, never untick anything."""
    page.locator("#hub-map-entry-name").fill(name)
    for layer in layers:
        page.locator(f"#hub-map-layer-{layer}").check()
    page.get_by_role("button", name="Add to map").click()


def add_by_keyboard(page: Page) -> None:
    """One entry typed and ticked with the keyboard alone: Tab, arrows, Space, Enter."""
    page.locator("#hub-map-entry-name").focus()
    page.keyboard.type("Jane Smith")
    page.keyboard.press("Tab")  # into the type radios, on "Person"
    page.keyboard.press("Tab")  # into the layer checkboxes
    page.keyboard.press("Space")  # offline
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # online
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("Chairs the residents' group")
    page.keyboard.press("Enter")


def words(page: Page) -> str:
    return page.locator("[data-hub-map-words]").inner_text()


def test_build_a_map_by_keyboard_and_see_where_layers_meet(page: Page, kit: Toolkit) -> None:
    page.goto(map_page(kit))
    page.locator("#hub-map-start-issue").check()
    page.locator("#hub-map-start-name").fill("The future of the library")
    expect(page.locator("[data-hub-map-caption]")).to_have_text("Starting point: Issue: The future of the library")

    add_by_keyboard(page)
    status = page.locator("[data-hub-map-status]")
    expect(status).to_have_text("Added Jane Smith (Offline, Online). 1 entry on your map.")
    expect(page.locator("#hub-map-entry-name")).to_be_focused()

    add(page, "Friends of the Library", "group", ["offline"])
    add(page, "Parents at Mill Road School", "group", ["aspirational"])
    add(page, "Age UK", "organisation", ["offline", "aspirational"])
    add(page, "Sam Patel", "person", ["online"])
    add(page, "sam patel", "person", ["aspirational"])  # the same person again: merged, not doubled
    expect(status).to_contain_text("sam patel was already on your map and is now on: Online, Aspirational.")

    text = words(page)
    assert "Offline (3): Jane Smith, Friends of the Library, Age UK" in text
    assert "Online (2): Jane Smith, Sam Patel" in text
    assert "Aspirational (3): Parents at Mill Road School, Age UK, Sam Patel" in text
    assert "Offline and online (1): Jane Smith" in text
    assert "Offline and aspirational (1): Age UK" in text
    assert "Online and aspirational (1): Sam Patel" in text
    assert "All three layers (0): nobody yet" in text
    assert "3 connectors (on more than one layer): Jane Smith, Age UK, Sam Patel." in text

    svg = page.locator("[data-hub-map-drawing] svg")
    expect(svg).to_have_attribute("role", "img")
    expect(svg.locator("circle")).to_have_count(3)
    expect(svg.locator("text.hub-map-name")).to_have_count(5)
    expect(page.locator(".hub-map-entry")).to_have_count(5)

    page.reload()
    expect(page.locator("#hub-map-start-issue")).to_be_checked()
    expect(page.locator("#hub-map-start-name")).to_have_value("The future of the library")
    expect(page.locator(".hub-map-entry")).to_have_count(5)
    assert words(page) == text


def test_missing_name_or_layer_is_explained_at_the_field(page: Page, kit: Toolkit) -> None:
    page.goto(map_page(kit))
    page.get_by_role("button", name="Add to map").click()
    expect(page.locator("#hub-map-entry-name-error")).to_be_visible()
    expect(page.locator("#hub-map-entry-name")).to_be_focused()
    expect(page.locator("#hub-map-entry-name")).to_have_attribute("aria-invalid", "true")

    page.locator("#hub-map-entry-name").fill("Jane")
    page.get_by_role("button", name="Add to map").click()
    expect(page.locator("#hub-map-entry-name-error")).to_be_hidden()
    expect(page.locator("#hub-map-entry-layers-error")).to_be_visible()
    expect(page.locator("#hub-map-layer-offline")).to_be_focused()
    expect(page.locator("#hub-map-layer-offline")).to_have_attribute(
        "aria-describedby", "hub-map-entry-layers-error hub-map-entry-layers-hint"
    )
    expect(page.locator(".hub-map-entry")).to_have_count(0)


def test_change_and_remove_entries(page: Page, kit: Toolkit) -> None:
    page.goto(map_page(kit))
    add(page, "Jane", "person", ["offline"])
    add(page, "Bob", "person", ["online"])
    page.get_by_role("button", name="Change Jane").click()
    expect(page.locator("#hub-map-entry-name")).to_be_focused()
    expect(page.locator("[data-hub-map-legend]")).to_have_text("Change Jane")
    page.locator("#hub-map-layer-aspirational").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("button", name="Change Jane")).to_be_focused()
    assert "Offline and aspirational (1): Jane" in words(page)

    page.get_by_role("button", name="Remove Jane").click()
    expect(page.locator("[data-hub-map-status]")).to_have_text("Removed Jane. 1 entry on your map.")
    expect(page.get_by_role("button", name="Remove Bob")).to_be_focused()
    page.get_by_role("button", name="Remove Bob").click()
    expect(page.locator("#hub-map-entries-title")).to_be_focused()
    expect(page.locator(".hub-map-entries")).to_contain_text("Nobody yet")


def test_export_then_import_on_another_device(
    page: Page, kit: Toolkit, browser: Browser, site_url: str, tmp_path: Path
) -> None:
    page.goto(map_page(kit))
    page.locator("#hub-map-start-local").check()
    page.locator("#hub-map-start-name").fill("Riverside ward")
    add(page, "Jane Smith", "person", ["offline", "online"], "Chair of the residents' group")
    add(page, "Youth club", "group", ["aspirational"])
    with page.expect_download() as download:
        page.get_by_role("button", name="Save to a file").click()
    saved = tmp_path / "my-map.json"
    download.value.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["map"] == {
        "start": {"kind": "local", "name": "Riverside ward"},
        "entries": [
            {
                "name": "Jane Smith",
                "type": "person",
                "layers": ["offline", "online"],
                "note": "Chair of the residents' group",
            },
            {"name": "Youth club", "type": "group", "layers": ["aspirational"], "note": ""},
        ],
    }

    # A second browser profile is a second device: nothing is shared except the file.
    other = new_context(browser, site_url)
    try:
        second = other.new_page()
        second.goto(map_page(kit))
        expect(second.locator(".hub-map-entry")).to_have_count(0)
        with second.expect_file_chooser() as chooser:
            second.get_by_role("button", name="Open a saved file").click()
        chooser.value.set_files(str(saved))
        expect(second.locator("[data-hub-status]")).to_contain_text("Opened my-map.json.")
        expect(second.locator(".hub-map-entry")).to_have_count(2)
        expect(second.locator("#hub-map-start-name")).to_have_value("Riverside ward")
        assert "Offline and online (1): Jane Smith" in words(second)
        second.reload()
        expect(second.locator(".hub-map-entry")).to_have_count(2)
    finally:
        other.close()


def test_a_map_file_with_bad_entries_is_refused(page: Page, kit: Toolkit, tmp_path: Path) -> None:
    page.goto(map_page(kit))
    add(page, "Jane Smith", "person", ["offline"])
    key = page.locator("[data-hub-network-map]").get_attribute("data-hub-network-map")
    bad = {
        "format": "councillor-hub-worksheet",
        "version": 1,
        "worksheet": key,
        "answers": {},
        "map": {
            "start": {"kind": "local", "name": ""},
            "entries": [
                {"name": "Ok", "type": "person", "layers": ["online"]},
                {"name": "Typo", "type": "person", "layers": ["offlne"]},
                {"name": "", "type": "robot", "layers": []},
            ],
        },
    }
    path = tmp_path / "bad-map.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Open a saved file").click()
    chooser.value.set_files(str(path))
    error = page.locator("[data-hub-error]")
    expect(error).to_contain_text("The file bad-map.json could not be opened.")
    expect(error).to_contain_text('Entry 2 ("Typo"): "offlne" is not a layer (use offline, online or aspirational).')
    expect(error).to_contain_text(
        "Entry 3: it has no name; its type must be person, group or organisation; it must be on at least one layer."
    )
    expect(page.locator(".hub-map-entry")).to_have_count(1)


def test_print_shows_the_map_without_controls(page: Page, kit: Toolkit) -> None:
    page.goto(map_page(kit))
    add(page, "Jane Smith", "person", ["offline", "online"])
    page.emulate_media(media="print")
    for hidden in (
        ".md-header",
        ".md-sidebar--primary",
        "[data-hub-worksheet-tools]",
        ".hub-map-add",
    ):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator(".hub-map-start")).to_be_visible()  # the paper copy says where the map starts
    expect(page.get_by_role("button", name="Remove Jane Smith")).to_be_hidden()
    expect(page.locator("[data-hub-map-drawing] svg")).to_be_visible()
    expect(page.locator("[data-hub-map-words]")).to_be_visible()
    expect(page.locator(".hub-map-entry")).to_be_visible()


def test_the_form_is_empty_for_the_next_person(page: Page, kit: Toolkit) -> None:
    page.goto(map_page(kit))
    add_ticking_only(page, "Jane Smith", ["offline", "online"])
    for layer in LAYERS:
        expect(page.locator(f"#hub-map-layer-{layer}")).not_to_be_checked()
    expect(page.locator("#hub-map-type-person")).to_be_checked()
    expect(page.locator("#hub-map-entry-name")).to_have_value("")
    expect(page.locator("#hub-map-entry-note")).to_have_value("")

    # The next person goes exactly where they were put, not on Jane's layers as well.
    add_ticking_only(page, "Youth club", ["aspirational"])
    text = words(page)
    assert "Aspirational (1): Youth club" in text
    assert "Offline (1): Jane Smith" in text and "Online (1): Jane Smith" in text

    # After changing an entry, and after a refused add, the form is empty again too.
    page.get_by_role("button", name="Change Jane Smith").click()
    page.get_by_role("button", name="Save changes").click()
    for layer in LAYERS:
        expect(page.locator(f"#hub-map-layer-{layer}")).not_to_be_checked()
    page.locator("#hub-map-entry-name").fill("Nobody on a layer")
    page.get_by_role("button", name="Add to map").click()
    expect(page.locator("#hub-map-entry-layers-error")).to_be_visible()
    add_ticking_only(page, "Sam Patel", ["online"])
    expect(page.locator("#hub-map-entry-layers-error")).to_be_hidden()
    assert "Online (2): Jane Smith, Sam Patel" in words(page)


def drawn_names(page: Page) -> list[str]:
    """Each name on the diagram as drawn, its wrapped lines joined, without its type mark."""
    return page.locator("[data-hub-map-drawing] text.hub-map-name").evaluate_all(
        "els => els.map(e => Array.from(e.querySelectorAll('tspan')).map(t => t.textContent).join(' ').slice(2))"
    )


def test_full_names_are_readable_on_the_diagram(page: Page, kit: Toolkit) -> None:
    page.goto(map_page(kit))
    names = {
        "offline": "Sue (tenants' association chair)",
        "online": "Mill Road Parents Facebook group",
        "aspirational": "Riverside Youth Football Club",
    }
    for layer, name in names.items():
        add(page, name, "group", [layer])
    add(page, "Dr Ann Jones (surgery)", "person", ["offline", "online"])
    drawn = drawn_names(page)
    assert sorted(drawn) == sorted([*names.values(), "Dr Ann Jones (surgery)"])
    # Long names wrap onto more lines instead of being cut: "Sue (tenant…" never again.
    sue = page.locator("[data-hub-map-drawing] text.hub-map-name", has_text="Sue")
    assert sue.locator("tspan").count() > 1
    expect(page.locator("[data-hub-map-shortened]")).to_have_count(0)

    # A name too long even for three lines is visibly shortened, full in its tooltip, and the page
    # says where to find it in full.
    long_name = "The Friends of Riverside Park and the Old Mill Pond Conservation and Heritage Trust"
    add(page, long_name, "organisation", ["offline"])
    title = page.locator("[data-hub-map-drawing] text.hub-map-name title", has_text=long_name)
    expect(title).to_have_count(1)
    shortened = next(n for n in drawn_names(page) if n.startswith("The Friends"))
    assert shortened.endswith("\u2026")
    expect(page.locator("[data-hub-map-shortened]")).to_be_visible()
    assert long_name in words(page)


def test_too_many_names_for_a_region_say_how_many_more(page: Page, kit: Toolkit) -> None:
    page.goto(map_page(kit))
    for n in range(6):
        add(page, f"Neighbour {n + 1}", "person", ["offline", "online"])
    more = page.locator("[data-hub-map-drawing] text.hub-map-more")
    expect(more).to_have_count(1)
    shown = len(drawn_names(page))
    expect(more).to_have_text(f"+ {6 - shown} more")
    expect(page.locator("[data-hub-map-shortened]")).to_be_visible()
    assert "Offline and online (6): Neighbour 1" in words(page)


def test_the_starting_point_is_asked_once_for_map_and_worksheet(page: Page, kit: Toolkit) -> None:
    page.goto(map_page(kit))
    expect(page.get_by_label("Name your starting point")).to_have_count(1)
    expect(page.locator('input[name="hub-map-start-kind"]')).to_have_count(3)
    # It comes first, before the map and before the worksheet's own questions, which refer to it.
    first_fieldset = page.locator(".md-content fieldset").first
    expect(first_fieldset).to_have_class("hub-map-start")
    worksheet = page.locator("form[data-hub-worksheet]")
    expect(worksheet.get_by_text("starting point", exact=False)).to_have_count(0)

    page.locator("#hub-map-start-local").check()
    page.get_by_label("Name your starting point").fill("Riverside ward")
    expect(page.locator("[data-hub-map-caption]")).to_have_text("Starting point: Local: Riverside ward")
    assert "Starting point: Local: Riverside ward." in words(page)
    page.reload()
    expect(page.locator("#hub-map-start-local")).to_be_checked()
    expect(page.get_by_label("Name your starting point")).to_have_value("Riverside ward")


def test_a_starting_point_saved_in_the_old_worksheet_section_is_kept(page: Page, kit: Toolkit, tmp_path: Path) -> None:
    """Files saved before issue 13 held the starting point as the worksheet's first answers."""
    page.goto(map_page(kit))
    key = page.locator("[data-hub-network-map]").get_attribute("data-hub-network-map")
    old = {
        "format": "councillor-hub-worksheet",
        "version": 1,
        "worksheet": key,
        "answers": {
            "entry-point--map-type": "Issue: a topic, such as buses, housing or the library",
            "entry-point--map-focus": "The future of the library",
        },
        "map": {"start": {"kind": "", "name": ""}, "entries": []},
    }
    path = tmp_path / "old-map.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Open a saved file").click()
    chooser.value.set_files(str(path))
    status = page.locator("[data-hub-status]")
    expect(status).to_have_text("Opened old-map.json. Its answers are now on this page.")
    expect(page.locator("#hub-map-start-issue")).to_be_checked()
    expect(page.get_by_label("Name your starting point")).to_have_value("The future of the library")
