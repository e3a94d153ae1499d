"""JSON Schemas for the content files, generated from the models (never hand-written).

Each YAML file names its schema on its first line, so VS Code (with the YAML extension) and
github.dev show mistakes as a council officer types::

    # yaml-language-server: $schema=../schemas/platform.schema.json
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .models import Guide, Persona, Platform, Programme, Sprint, StartQuiz, ToolCatalogue

SCHEMAS: dict[str, type[BaseModel]] = {
    "platform": Platform,
    "tools": ToolCatalogue,
    "programme": Programme,
    "sprint": Sprint,
    "guide": Guide,
    "persona": Persona,
    "start": StartQuiz,
}


def register_schema(name: str, model: type[BaseModel]) -> None:
    """Let other parts of the package (the feed registry) publish a schema too."""
    SCHEMAS[name] = model


def render_schema(name: str, model: type[BaseModel]) -> str:
    schema = model.model_json_schema()
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{name}.schema.json",
        **schema,
    }
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema; returns the files whose contents changed."""
    from .files import write_text_atomic

    changed = []
    folder.mkdir(parents=True, exist_ok=True)
    for name, model in SCHEMAS.items():
        path = folder / f"{name}.schema.json"
        text = render_schema(name, model)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            write_text_atomic(path, text)
            changed.append(path)
    return changed


def stale_schemas(folder: Path) -> list[str]:
    """Schema files that no longer match the models (CI fails on these)."""
    stale = []
    for name, model in SCHEMAS.items():
        path = folder / f"{name}.schema.json"
        if not path.exists() or path.read_text(encoding="utf-8") != render_schema(name, model):
            stale.append(path.name)
    return stale


from .ingest import registry as _feed_registry  # noqa: E402, F401 - registers the schema of feeds.yml
