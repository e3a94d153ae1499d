"""The feeds registry: validation with locations, and the shipped file."""

from __future__ import annotations

from pathlib import Path

import pytest

from councillor_hub.errors import ContentError
from councillor_hub.feeds import load_registry, sprint_ids
from councillor_hub.project import Project as HubProject
from councillor_hub.schemas import schema_models, stale_schemas

from .conftest import Project

REPO = Path(__file__).resolve().parents[2]


def test_shipped_registry_is_valid_and_empty() -> None:
    # Upstream's registry (a fork keeps its own in council/learning-log/, so this holds on every fork).
    registry = load_registry(REPO / "content/learning-log/feeds.yml", HubProject.load(REPO, upstream=True))
    assert registry.feeds == []
    text = (REPO / "content/learning-log/feeds.yml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../toolkits/schemas/feeds.schema.json"


def test_schema_is_registered_and_fresh() -> None:
    assert "feeds" in schema_models()
    assert "feeds.schema.json" not in stale_schemas(REPO / "content/toolkits/schemas")


def test_every_problem_is_reported_with_its_location(project: Project) -> None:
    project.registry.write_text(
        """allow_hosts: []
tags:
  - id: theme-a
    name: Theme A
feeds:
  - id: jo
    name: Jo
    url: https://jo.example/feed
    licence: CC BY 4.0
    consent: email 2025-01-01
    tags: [sprint-1, theme-a, no-such-tag]
  - id: jo
    name: Jo again
    url: file:///etc/passwd
    licence: CC BY 4.0
    consent: email
  - id: sam
    name: Sam
    url: https://sam.example/feed
    licence: CC BY 4.0
    nmae: typo
""",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        load_registry(project.registry, project.hub)
    report = str(caught.value)
    assert "content/learning-log/feeds.yml:14:10: feeds[1, jo].url:" in report
    assert "feeds[2, sam].consent: required field is missing" in report
    assert "unknown field 'nmae'; did you mean 'name'?" in report

    # Fix the field errors; the cross-checks then report duplicates and unknown tags together.
    text = project.registry.read_text(encoding="utf-8")
    text = text.replace("file:///etc/passwd", "https://jo2.example/feed").replace(
        "    nmae: typo\n", "    consent: x\n"
    )
    project.registry.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_registry(project.registry, project.hub)
    messages = [str(p) for p in caught.value.problems]
    assert any("feeds[0, jo].tags[2]: unknown tag 'no-such-tag'" in m for m in messages)
    assert any(":12:" in m and "feeds[1, jo].id: 'jo' is already used by feeds[0]" in m for m in messages)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "/etc/passwd", "feed://x.example/", "https://user:pw@x.example/"]
)
def test_unsafe_urls_are_rejected(project: Project, url: str) -> None:
    project.write_registry({"id": "a", "name": "A", "url": url, "licence": "x", "consent": "y"})
    with pytest.raises(ContentError):
        load_registry(project.registry, project.hub)


def test_sprint_ids_come_from_lesson_files(project: Project) -> None:
    assert sprint_ids(project.hub) == ("masterclass", "sprint-1", "sprint-2", "sprint-3")
    lessons = project.root / "content/toolkits/lessons"
    lessons.mkdir(parents=True)
    (lessons / "programme.yml").write_text("id: programme\n", encoding="utf-8")
    (lessons / "sprint-9.yml").write_text("id: sprint-9\n", encoding="utf-8")
    assert sprint_ids(project.hub) == ("sprint-9",)


def test_invalid_registry_stops_the_run_before_any_fetch(project: Project) -> None:
    project.registry.write_text("feeds:\n  - id: Bad Id\n", encoding="utf-8")
    with pytest.raises(ContentError):
        project.ingest()
    assert not (project.log_dir / "state.json").exists()
