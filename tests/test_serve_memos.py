"""What a serving process keeps between rebuilds (issue 14) is made again as soon as a file it was
made from changes, even by an edit that keeps the file's size."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from councillor_hub.i18n import ENGLISH, read_catalogue
from councillor_hub.learning_log import load_learning_log
from councillor_hub.learning_log_pages import MEMO as LISTINGS
from councillor_hub.learning_log_pages import render_listing
from councillor_hub.loading import load_toolkit
from councillor_hub.project import Project
from councillor_hub.rendering import Renderer
from councillor_hub.translations import furniture_problems, load_translations
from councillor_hub.yaml_source import read_yaml

from .conftest import FIXTURES, make_project
from .test_learning_log_site import REGISTRY, post, write_posts


def test_an_unchanged_toolkit_is_kept_and_every_kind_of_edit_is_seen(tmp_path: Path) -> None:
    root = make_project(tmp_path / "hub", FIXTURES / "mini" / "content")
    first = load_toolkit(Project.load(root))
    assert load_toolkit(Project.load(root)) is first
    platform = root / "content" / "toolkits" / "platforms" / "example.yml"
    text = platform.read_text(encoding="utf-8")
    # Same length, so the file keeps its size.
    platform.write_text(text.replace("Mostly parents", "Mostly partner"), encoding="utf-8")
    edited = load_toolkit(Project.load(root))
    assert edited is not first
    assert edited.get("platform", "example").item.who_is_there[0].startswith("Mostly partner")
    copy = platform.with_name("second.yml")
    copy.write_text(text.replace("id: example", "id: second", 1), encoding="utf-8")
    added = load_toolkit(Project.load(root))
    assert added.get("platform", "second") is not None
    copy.unlink()
    assert load_toolkit(Project.load(root)).get("platform", "second") is None
    # Settings change what the toolkit holds (places, nation): an edit to council.yml is seen too.
    (root / "council.yml").write_text("name: Anytown Council\n", encoding="utf-8")
    assert load_toolkit(Project.load(root)) is not added


def test_translations_are_kept_until_a_translation_file_changes(tmp_path: Path) -> None:
    root = make_project(tmp_path / "hub")
    project = Project.load(root)
    first = load_translations(project, "cy")
    assert load_translations(project, "cy") is first
    quiz = root / "content" / "toolkits" / "translations" / "cy" / "quiz.yml"
    text = quiz.read_text(encoding="utf-8")
    assert "text: Ble ydw i'n dechrau?" in text
    quiz.write_text(text.replace("text: Ble ydw i'n dechrau?", "text: Ble ydw i'n cychwyn?"), encoding="utf-8")
    again = load_translations(project, "cy")
    assert again is not first
    assert again.fields["quiz"]["title"].field.text == "Ble ydw i'n cychwyn?"


def test_an_edited_catalogue_is_read_again(tmp_path: Path) -> None:
    root = make_project(tmp_path / "hub")
    project = Project.load(root)
    catalogue = root / "overrides" / "locale" / "cy.po"
    before = furniture_problems(project, "cy")
    assert read_catalogue(catalogue) is read_catalogue(catalogue)
    text = catalogue.read_text(encoding="utf-8")
    assert 'msgstr "Dolen barhaol"' in text
    # A translated message emptied: it is now reported as not yet translated.
    catalogue.write_text(text.replace('msgstr "Dolen barhaol"', 'msgstr ""', 1), encoding="utf-8")
    after = furniture_problems(project, "cy")
    assert len(after) == len(before) + 1


def test_a_parsed_file_is_shared_only_while_its_text_is_the_same(tmp_path: Path) -> None:
    path = tmp_path / "a.yml"
    path.write_text("id: one\n", encoding="utf-8")
    first = read_yaml(path)
    assert read_yaml(path) is first and first.data == {"id": "one"}
    path.write_text("id: two\n", encoding="utf-8")
    assert read_yaml(path).data == {"id": "two"}
    shutil.copy(path, tmp_path / "b.yml")
    assert read_yaml(tmp_path / "b.yml").display.endswith("b.yml")  # each file keeps its own name


class CountingRenderer(Renderer):
    """The hub's renderer, counting what it renders."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rendered: list[str] = []

    def render(self, template: str, lang: Any = ENGLISH, /, **context: Any) -> str:
        self.rendered.append(template)
        return super().render(template, lang, **context)


def test_list_items_outlive_builds_that_only_reuse_whole_lists(tmp_path: Path) -> None:
    """While serving, edits to the toolkit reuse every list whole; the new post after them moves every
    post along the numbered pages and must find each item still kept, not render them all again."""
    root = make_project(tmp_path / "hub", FIXTURES / "mini" / "content")
    (root / "content" / "learning-log").mkdir(parents=True, exist_ok=True)
    (root / "content" / "learning-log" / "feeds.yml").write_text(REGISTRY, encoding="utf-8")
    write_posts(root, [post(n) for n in range(1, 8)])
    project = Project.load(root)
    log = load_learning_log(project)
    renderer = CountingRenderer(project.template_dirs, root=project.root)

    def href(page: str, to: str) -> str:
        return f"{page}->{to}"

    def listing(entries: list[Any]) -> str:
        LISTINGS.start_build()
        return render_listing(renderer, ENGLISH, log, "learning-log/index.md", entries, href)

    first = listing(log.entries[:4])
    for _ in range(3):  # three edits elsewhere: the whole list is reused
        assert listing(log.entries[:4]) == first
    renderer.rendered.clear()
    moved = listing(log.entries[1:5])  # a post arrived: every post moves along one place
    assert renderer.rendered.count("learning-log-list-item.html.j2") == 1  # only the one new to this page
    assert moved != first
