"""OPML export and import (import only adds, and keeps the file's text and comments)."""

from __future__ import annotations

import pytest

from councillor_hub.errors import ContentError
from councillor_hub.feeds import load_registry
from councillor_hub.ingest.opml import export_opml, import_opml, read_opml

from .conftest import Project, feed_entry

OPML = """<?xml version="1.0"?>
<opml version="2.0"><head><title>Feeds</title></head><body>
  <outline text="Councillors">
    <outline type="rss" text="Jo Bloggs" xmlUrl="https://jo.example/feed/" htmlUrl="https://jo.example/"/>
    <outline type="rss" title="Sam's Diary" xmlUrl="https://sam.example/feeds/posts/default"/>
  </outline>
  <outline type="rss" text="Jo Bloggs" xmlUrl="https://jo2.example/rss"/>
  <outline type="rss" text="Already there" xmlUrl="https://www.known.example/feed"/>
</body></opml>
"""
REGISTRY = """# yaml-language-server: $schema=../toolkits/schemas/feeds.schema.json
# Our facilitators.
allow_hosts: []
feeds:
  - id: known
    name: Known   # keep this comment
    url: https://known.example/feed/
    licence: CC BY 4.0
    consent: email
# Tags come last in this file.
tags:
  - id: theme
    name: Theme
"""


def test_import_adds_only_new_feeds_and_keeps_text(project: Project) -> None:
    project.registry.write_text(REGISTRY, encoding="utf-8")
    opml = project.root / "feeds.opml"
    opml.write_text(OPML, encoding="utf-8")
    added = import_opml(project.registry, project.hub, OPML, licence="CC BY 4.0", consent="Email, 2025-02-01")
    assert added == ["jo-bloggs", "sam-s-diary", "jo-bloggs-2"]
    text = project.registry.read_text(encoding="utf-8")
    assert text.startswith(REGISTRY.split("# Tags come last")[0])
    assert text.endswith("# Tags come last in this file.\ntags:\n  - id: theme\n    name: Theme\n")
    registry = load_registry(project.registry, project.hub)
    assert [f.id for f in registry.feeds] == ["known", "jo-bloggs", "sam-s-diary", "jo-bloggs-2"]
    assert registry.feeds[1].site_url == "https://jo.example/" and registry.feeds[1].consent == "Email, 2025-02-01"
    # Importing again changes nothing.
    assert import_opml(project.registry, project.hub, OPML, licence="x", consent="y") == []
    assert project.registry.read_text(encoding="utf-8") == text


def test_import_into_empty_flow_list(project: Project) -> None:
    project.registry.write_text("# top comment\nallow_hosts: []\nfeeds: []  # none yet\ntags: []\n", encoding="utf-8")
    import_opml(project.registry, project.hub, OPML, licence="CC BY 4.0", consent="ok", tags=["sprint-1"])
    text = project.registry.read_text(encoding="utf-8")
    assert text.startswith("# top comment\nallow_hosts: []\nfeeds:  # none yet\n  - id: jo-bloggs\n")
    registry = load_registry(project.registry, project.hub)
    assert len(registry.feeds) == 4 and registry.feeds[0].tags == ["sprint-1"]


def test_import_refuses_bad_tags_without_touching_the_file(project: Project) -> None:
    project.registry.write_text(REGISTRY, encoding="utf-8")
    with pytest.raises(ContentError):
        import_opml(project.registry, project.hub, OPML, licence="x", consent="y", tags=["nope"])
    assert project.registry.read_text(encoding="utf-8") == REGISTRY
    assert [p.name for p in project.log_dir.iterdir()] == ["feeds.yml"]


def test_opml_with_entities_is_refused() -> None:
    with pytest.raises(ValueError, match="DOCTYPE"):
        read_opml('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><opml><body/></opml>')


def test_export_round_trips(project: Project) -> None:
    project.write_registry(
        feed_entry("jo", "https://jo.example/feed", site_url="https://jo.example/"),
        feed_entry("old", "https://old.example/feed", retired=True),
    )
    text = export_opml(load_registry(project.registry, project.hub))
    assert [(f.name, f.url, f.site_url) for f in read_opml(text)] == [
        ("Jo", "https://jo.example/feed", "https://jo.example/")
    ]


def test_names_and_urls_with_markup_characters_round_trip(project: Project, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    # Export must escape &, quotes and < in attributes; import must give back exactly the same text.
    name = 'Jo & Sam\'s "<b>notes</b>"'
    url = 'https://jo.example/feed?cat=a&tag="b"<c>'
    site = "https://jo.example/?a=1&b='2'"
    project.write_registry(feed_entry("jo", url, name=name, site_url=site))
    text = export_opml(load_registry(project.registry, project.hub))
    assert [(f.name, f.url, f.site_url) for f in read_opml(text)] == [(name, url, site)]

    other = Project(tmp_path_factory.mktemp("other"))
    (other.root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    other.log_dir.mkdir(parents=True)
    assert import_opml(other.registry, other.hub, text, licence="CC BY 4.0", consent="email") == ["jo-sam-s-b-notes-b"]
    [feed] = load_registry(other.registry, other.hub).feeds
    assert (feed.name, feed.url, feed.site_url) == (name, url, site)
