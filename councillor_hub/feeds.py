"""The feeds registry: which facilitators' blogs the learning log collects, and on what terms.

``feeds.yml`` in the learning-log folder (``Project.registry_path``: upstream's
``content/learning-log/``, or a council's ``council/learning-log/``) is edited by hand (and by
``councillor-hub feeds import-opml``). The site build and the ingester both read it through here.
``load_registry`` returns a complete, consistent ``FeedRegistry`` or raises ``ContentError``
carrying every problem, each located as ``path:line:col: field: message``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints

from .errors import ContentError, Problem, display_path
from .kinds import kind
from .models import Id, Model, Text, WebUrl
from .project import Project
from .validation import validate_document
from .yaml_source import read_yaml

# Used when the lessons folder holds no sprint files yet.
DEFAULT_SPRINT_IDS = ("masterclass", "sprint-1", "sprint-2", "sprint-3")

FeedUrl = Annotated[
    str,
    # Only http(s). file:, feed:, bare paths and credentials in the URL are refused here; the
    # fetcher checks again on every hop (defence in depth, threat model case 25).
    StringConstraints(pattern=r"^https?://[^\s/@$.?#][^\s@]*$", max_length=500),
    Field(description="The address of the blog's RSS or Atom feed, starting with https:// (or http://)."),
]
HostName = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9.:\[\]-]+$", max_length=253),
    Field(description="A host name or IP address, for example intranet.example.gov.uk."),
]


class TagDefinition(Model):
    """A theme or council that posts can be tagged with (sprint ids need no definition)."""

    id: Id
    name: Text


class Feed(Model):
    """One facilitator's blog feed."""

    id: Id = Field(description="Stable id of this feed; part of every post's id, so never change it.")
    name: Text = Field(description="The facilitator's name as shown on the site.")
    url: FeedUrl
    site_url: WebUrl | None = Field(default=None, description="The blog's home page.")
    council: Text | None = Field(default=None, description="The council the facilitator works with, if any.")
    tags: list[Id] = Field(
        default_factory=list, description="Sprint ids (sprint-1, ...) or ids from the tags list, given to every post."
    )
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")] = Field(
        default="en", description="The language the blog is written in (en, cy, ...); its posts are marked with it."
    )
    licence: Text = Field(description='The terms posts are reproduced under, e.g. "CC BY 4.0".')
    consent: Text = Field(description="How and when the facilitator agreed to their blog being collected.")
    retired: bool = Field(default=False, description="true: stop fetching this feed; its posts stay.")


class FeedRegistry(Model):
    """feeds.yml in the learning-log folder."""

    allow_hosts: list[HostName] = Field(
        default_factory=list,
        description="Hosts the ingester may fetch even though they resolve to private or local addresses.",
    )
    tags: list[TagDefinition] = Field(default_factory=list, description="Themes and councils used as tags.")
    feeds: list[Feed] = Field(default_factory=list)

    def tag_ids(self, sprint_ids: tuple[str, ...] = DEFAULT_SPRINT_IDS) -> set[str]:
        return {t.id for t in self.tags} | set(sprint_ids)

    def feed(self, feed_id: str) -> Feed | None:
        return next((f for f in self.feeds if f.id == feed_id), None)


def sprint_ids(project: Project) -> tuple[str, ...]:
    """Ids of the sprint files, upstream's and the council's (read quickly, without the full checks)."""
    source = kind("sprint").source
    folders = [project.toolkit_dir / source.path]
    if project.has_overlay:
        folders.append(project.overlay_toolkit_dir / source.path)
    ids = []
    for folder in folders:
        for path in sorted(folder.glob("*.yml")):
            if path.name in source.exclude:
                continue
            found = _sprint_id(path, path.stat().st_mtime_ns)
            if found is not None:
                ids.append(found)
    return tuple(ids) or DEFAULT_SPRINT_IDS


@lru_cache(maxsize=256)  # every build and serve rebuild asks; a sprint file is long to parse
def _sprint_id(path: Path, mtime_ns: int) -> str | None:
    doc = read_yaml(path)
    if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
        return str(doc.data["id"])
    return None


def load_registry(path: Path, project: Project) -> FeedRegistry:
    """Read and check the registry; raise ``ContentError`` listing every problem."""
    doc = read_yaml(path, display_path(path, project.root), root=project.root)
    if not doc.problems and doc.data is None:
        return FeedRegistry()
    registry, problems = validate_document(doc, FeedRegistry)
    if registry is None:
        raise ContentError(problems)
    known_tags = registry.tag_ids(sprint_ids(project))
    problems = []

    def duplicates(values: list[str], what: str, field_path: str) -> None:
        first: dict[str, int] = {}
        for index, value in enumerate(values):
            if value in first:
                problems.append(
                    doc.problem(
                        (field_path, index, what),
                        f"{value!r} is already used by {field_path}[{first[value]}]; each must be different",
                    )
                )
            else:
                first[value] = index

    duplicates([t.id for t in registry.tags], "id", "tags")
    duplicates([f.id for f in registry.feeds], "id", "feeds")
    # The same address twice is not an error that stops the build and every ingest run: the
    # ingester fetches it once and reports the second entry (ingest/duplicates.py, issue #15).
    for index, feed in enumerate(registry.feeds):
        for tag_index, tag in enumerate(feed.tags):
            if tag not in known_tags:
                problems.append(
                    doc.problem(
                        ("feeds", index, "tags", tag_index),
                        f"unknown tag {tag!r}; use a sprint id or add it to the tags list at the top "
                        f"(known: {', '.join(sorted(known_tags))})",
                    )
                )
    if problems:
        raise ContentError(problems)
    return registry


def registry_problem(path: Path, project_root: Path, message: str) -> Problem:
    return Problem(display_path(path, project_root), 1, 1, "(file)", message)
