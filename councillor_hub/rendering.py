"""The Jinja environments for generated pages.

Templates are looked up through a chain of folders (``Project.template_dirs``): a council's
``council/templates/`` first, then upstream's ``overrides/hub/``, so a council overrides one
template by giving a file of the same name, the way MkDocs themes resolve ``custom_dir``.

Templates produce Markdown (``*.md.j2``) or HTML/XML fragments (``*.html.j2``, ``*.xml.j2``).
Every ``{{ value }}`` is escaped (``&``, ``<``, ``>``; plus quotes in ``.html``/``.xml``
templates), and a missing field is an error (``StrictUndefined``), never a blank. Markdown
templates leave quotes alone so that "don't" stays readable in headings and search; inside an
HTML attribute in a Markdown template, use ``{{ value | attr }}``.

Words in templates are marked for translation (``{% trans %}…{% endtrans %}`` or ``_("…")``);
each language gets its own environment with its catalogue installed (see ``i18n``).

A mistake in a template stops the build with the template's file and line, never a traceback.
"""

from __future__ import annotations

import json
import traceback
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
)
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from .errors import display_path
from .i18n import ENGLISH, SOURCE_LANGUAGE, FallbackText, Language
from .incremental import digest, inputs_state
from .running_order import clock_of


class TemplateProblem(Exception):
    """A template could not be rendered; the message names the template file and line."""


def _escape_text(value: Any) -> Markup:
    text = str(value)
    return Markup(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def _finalize_markdown(value: Any) -> Any:
    if value is None or isinstance(value, Markup | int | float):
        return value
    if isinstance(value, FallbackText):
        return Markup(f'<span lang="{SOURCE_LANGUAGE}">') + _escape_text(value) + Markup("</span>")
    return _escape_text(value)


def json_script(value: Any) -> Markup:
    """JSON safe to place inside <script type="application/json">."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def clock(value: int) -> str:
    """Minutes as hours and minutes: 95 -> 1:35."""
    hours, minutes = divmod(int(value), 60)
    return f"{hours}:{minutes:02d}"


def table_cell(value: Any) -> Any:
    """Text safe inside a Markdown table cell: one line, pipes escaped (an English fallback stays marked)."""
    text = " ".join(str(value).split()).replace("|", "\\|")
    return FallbackText(text) if isinstance(value, FallbackText) else text


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory for the life of the process (``mkdocs serve``).

    MkDocs makes a new theme environment for every build, so Material's templates were compiled
    again on every rebuild: a tenth of one at 10,000 posts (issue 14). Jinja stores each template's
    source checksum with its code and compiles an edited template afresh.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


# For the theme's environment only: compiled code depends on the environment's settings.
THEME_BYTECODE = MemoryBytecodeCache()


def make_environment(template_dirs: list[Path], lang: Language, *, markdown: bool) -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize_markdown if markdown else None,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(lang.translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters["attr"] = lambda v: escape(str(v))
    env.filters["json_script"] = json_script
    env.filters["date"] = lang.date
    env.filters["clock"] = clock
    env.filters["time_of_day"] = clock_of
    env.filters["cell"] = table_cell
    env.globals["lang"] = lang
    return env


# Environments kept across builds (mkdocs serve), so templates are compiled once per process;
# Jinja reloads a template whose file changed. Keyed on the folders and the language's
# translations object (``make_languages`` keeps it while the catalogues are unchanged).
_ENVIRONMENTS: dict[tuple[tuple[str, ...], str, str, int, bool], tuple[Language, Environment]] = {}


class Renderer:
    """Renders hub templates; one instance per build, one environment per language and output kind."""

    def __init__(self, template_dirs: list[Path], *, root: Path | None = None) -> None:
        self.template_dirs = template_dirs
        self.root = root

    def env(self, lang: Language, *, markdown: bool) -> Environment:
        key = (tuple(map(str, self.template_dirs)), lang.code, lang.prefix, id(lang.translations), markdown)
        found = _ENVIRONMENTS.get(key)
        if found is None:
            found = _ENVIRONMENTS[key] = (lang, make_environment(self.template_dirs, lang, markdown=markdown))
        return found[1]

    @cached_property
    def version(self) -> str:
        """Changes whenever a template file does: part of the key of every memoised fragment."""
        return digest(map(repr, inputs_state(self.template_dirs)))

    def render(self, template: str, lang: Language = ENGLISH, /, **context: Any) -> str:
        env = self.env(lang, markdown=template.endswith(".md.j2"))
        try:
            return env.get_template(template).render(**context)
        except TemplateSyntaxError as exc:
            where = self._where(exc.filename, exc.lineno)
            raise TemplateProblem(f"{where}: template syntax: {exc.message}") from None
        except (TemplateError, AttributeError, KeyError, TypeError, ValueError, IndexError) as exc:
            # Jinja rewrites tracebacks so that template frames carry the template's file and line.
            frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
            where = self._where(frames[-1].filename, frames[-1].lineno) if frames else template
            raise TemplateProblem(f"{where}: {type(exc).__name__}: {exc}") from None

    def _where(self, filename: str | None, line: int | None) -> str:
        shown = display_path(Path(filename), self.root) if filename else "(template)"
        return f"{shown}:{line or 1}"
