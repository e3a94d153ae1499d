"""The Jinja environment for generated pages. Templates live in ``overrides/hub/``.

Templates produce Markdown (``*.md.j2``) or HTML/XML fragments (``*.html.j2``, ``*.xml.j2``).
Every ``{{ value }}`` is escaped (``&``, ``<``, ``>``; plus quotes in ``.html``/``.xml``
templates), and a missing field is an error (``StrictUndefined``), never a blank.

Markdown templates leave quotes alone so that "don't" stays readable in headings and search;
inside an HTML attribute in a Markdown template, use ``{{ value | attr }}``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape


def _escape_text(value: Any) -> Markup:
    text = str(value)
    return Markup(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def _finalize_markdown(value: Any) -> Any:
    if value is None or isinstance(value, Markup | int | float):
        return value
    return _escape_text(value)


def _json_script(value: Any) -> Markup:
    """JSON safe to place inside <script type="application/json">."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _date(value: dt.date | dt.datetime) -> str:
    return f"{value.day} {value:%B %Y}"


def _minutes(value: int) -> str:
    hours, minutes = divmod(int(value), 60)
    return f"{hours}:{minutes:02d}"


def _table_cell(value: Any) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped."""
    return " ".join(str(value).split()).replace("|", "\\|")


def make_environment(template_dir: Path, *, markdown: bool) -> Environment:
    env = Environment(
        loader=FileSystemLoader(template_dir),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize_markdown if markdown else None,
    )
    env.filters["attr"] = lambda v: escape(str(v))
    env.filters["json_script"] = _json_script
    env.filters["date"] = _date
    env.filters["clock"] = _minutes
    env.filters["cell"] = _table_cell
    return env


class Renderer:
    """Renders hub templates; one instance per build (templates are re-read when they change)."""

    def __init__(self, template_dir: Path) -> None:
        self.markdown_env = make_environment(template_dir, markdown=True)
        self.html_env = make_environment(template_dir, markdown=False)

    def render(self, template: str, **context: Any) -> str:
        env = self.markdown_env if template.endswith(".md.j2") else self.html_env
        return env.get_template(template).render(**context)
