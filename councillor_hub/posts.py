"""The learning-log post file: the durable record of one ingested blog entry.

A post is a Markdown file under ``content/learning-log/posts/`` with YAML front matter and a
body of *already sanitised* HTML. The ingester writes these files; the site build reads them.
Both sides go through ``Post``, ``render_post_file`` and ``parse_post_file`` so they agree.

The front matter is written with ``yaml.safe_dump`` (every string quoted as needed), so a title
such as ``"\\n---\\ntemplate: evil"`` can never create keys of its own.

A body nested deeper than ``html_nesting.MAX_DEPTH`` is flattened when it is read (its text
kept, the extra tags dropped): Material's search plugin does work proportional to the depth for
every tag, so one deep post (written before issue #15, or edited by hand) made ``mkdocs build``
run for minutes. The ingester already writes bodies within that depth.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BeforeValidator, Field, StringConstraints

from .errors import Problem
from .html_nesting import MAX_DEPTH, limit_nesting, nesting_depth
from .models import Id, Model, WebUrl
from .xml_text import xml_safe
from .yaml_source import YamlDocument, parse_yaml

POST_ID_PATTERN = r"^[a-f0-9]{16}$"
# Characters XML forbids are removed on reading, whoever wrote the file (the ingester removes them
# too; a hand edit or an older post may hold one): one made the hub's Atom feed unreadable (issue #15).
PlainText = Annotated[
    str,
    BeforeValidator(lambda v: xml_safe(v) if isinstance(v, str) else v),
    StringConstraints(strip_whitespace=True, max_length=500),
]


class Post(Model):
    """One learning-log entry, as stored in git."""

    id: Annotated[str, StringConstraints(pattern=POST_ID_PATTERN)] = Field(
        description="16 hex characters derived from the feed id and the entry's identity; never changes."
    )
    feed: Id = Field(description="The id of the feed (and so the facilitator) in the registry.")
    title: PlainText = Field(min_length=1)
    author: PlainText | None = None
    link: WebUrl | None = Field(default=None, description="The original post; only http(s) links are kept.")
    guid: str | None = Field(default=None, max_length=2000)
    published: dt.datetime = Field(description="The entry's own date (UTC), or when first seen if it had none.")
    first_seen: dt.datetime = Field(description="When the ingester first stored this entry (UTC); never changes.")
    updated: dt.datetime | None = None
    tags: list[Id] = Field(default_factory=list)
    categories: list[PlainText] = Field(default_factory=list, description="The blog's own categories, as text.")
    licence: PlainText | None = None
    retired: bool = Field(
        default=False, description="Set true (by hand) to take the post off the site; the file stays as the record."
    )
    retired_reason: PlainText | None = None


class StoredPost(Model):
    post: Post
    body_html: str
    path: str


def render_post_file(post: Post, body_html: str) -> str:
    """The exact bytes (as text) of a post file; deterministic for the same input."""
    data = post.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
    if not post.retired:
        data.pop("retired", None)
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)
    return f"---\n{front}---\n{body_html.strip()}\n"


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line number where the body starts) or None if there is none."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 3)
    if end == -1:
        return None
    front = text[4 : end + 1]
    body = text[end + 5 :]
    return front, body, front.count("\n") + 3


def parse_post_file(path: Path, display: str) -> tuple[StoredPost | None, list[Problem]]:
    """Read one post file; problems are returned with locations, never raised."""
    from .validation import validate_document

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(display, 1, 1, "(file)", f"cannot be read: {exc}")]
    parts = split_front_matter(text)
    if parts is None:
        return None, [Problem(display, 1, 1, "(file)", "a post must start with front matter between --- lines")]
    front, body, _ = parts
    # Front matter starts on line 2 of the file; shift locations by one line.
    doc = parse_yaml(front, YamlDocument(path=path, display=display, data=None))
    doc.locations = {k: (line + 1, col) for k, (line, col) in doc.locations.items()}
    doc.key_locations = {k: (line + 1, col) for k, (line, col) in doc.key_locations.items()}
    doc.problems = [Problem(p.path, p.line + 1, p.col, p.field, p.message) for p in doc.problems]
    post, problems = validate_document(doc, Post)
    if post is None:
        return None, problems
    body = xml_safe(body)
    if nesting_depth(body) > MAX_DEPTH:
        body = limit_nesting(body, MAX_DEPTH)
    return StoredPost(post=post, body_html=body, path=display), []
