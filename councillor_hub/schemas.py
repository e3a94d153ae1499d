"""JSON Schemas for every file a council edits, generated from the models (never hand-written).

Each YAML file names its schema on its first line, so VS Code (with the YAML extension) and
github.dev show mistakes as a council officer types::

    # yaml-language-server: $schema=../schemas/platform.schema.json

The content schemas come from the table of kinds; the others are the council's settings, its
overlay, the feeds registry and translation files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .feeds import FeedRegistry
from .files import write_text_atomic
from .kinds import KINDS, source_model, sources
from .overlay import Overlay
from .settings import CouncilSettings
from .translations import TranslationFile


def schema_models() -> dict[str, type[BaseModel]]:
    models: dict[str, type[BaseModel]] = {s.schema: source_model(s) for s in sources()}
    models |= {"feeds": FeedRegistry, "council": CouncilSettings, "overlay": Overlay, "translation": TranslationFile}
    return models


def render_schema(name: str, model: type[BaseModel]) -> str:
    schema: dict[str, Any] = model.model_json_schema()
    if model is Overlay:
        schema = _overlay_schema(schema)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{name}.schema.json",
        **schema,
    }
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _overlay_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Overrides of each kind are checked against that kind's fields (none of them required)."""
    defs = schema.setdefault("$defs", {})
    patterns = {}
    for kind in KINDS:
        part = kind.model.model_json_schema(ref_template="#/$defs/{model}")
        for name, definition in part.pop("$defs", {}).items():
            defs.setdefault(name, definition)
        part.pop("required", None)
        part["properties"].pop("id", None)
        part["title"] = f"Changes to a {kind.name}"
        defs[f"{kind.model.__name__}Changes"] = part
        patterns[f"^{kind.name}:"] = {"$ref": f"#/$defs/{kind.model.__name__}Changes"}
    override = schema["properties"]["override"]
    override.pop("additionalProperties", None)
    override.pop("propertyNames", None)
    override["patternProperties"] = patterns
    override["additionalProperties"] = False
    return schema


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema; returns the files whose contents changed."""
    changed = []
    folder.mkdir(parents=True, exist_ok=True)
    for name, model in schema_models().items():
        path = folder / f"{name}.schema.json"
        text = render_schema(name, model)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            write_text_atomic(path, text)
            changed.append(path)
    return changed


def stale_schemas(folder: Path) -> list[str]:
    """Schema files that no longer match the models (CI fails on these)."""
    stale = []
    for name, model in schema_models().items():
        path = folder / f"{name}.schema.json"
        if not path.exists() or path.read_text(encoding="utf-8") != render_schema(name, model):
            stale.append(path.name)
    return stale
