"""JSON Schemas are generated from the models, committed, and named by every content file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from councillor_hub.kinds import KINDS
from councillor_hub.schemas import schema_models, stale_schemas

from .conftest import REPO

SCHEMA_DIR = REPO / "content" / "toolkits" / "schemas"
# A folder of items names its kind's schema (from the table of kinds, so a new kind is covered).
EXPECTED_SCHEMA = {k.source.path: k.source.schema for k in KINDS if k.source.layout == "folder"}


def test_committed_schemas_match_the_models() -> None:
    assert stale_schemas(SCHEMA_DIR) == [], "run: councillor-hub schemas"


def test_schemas_forbid_unknown_fields_and_mark_translatable_text() -> None:
    platform = json.loads((SCHEMA_DIR / "platform.schema.json").read_text())
    assert platform["additionalProperties"] is False
    assert platform["properties"]["summary"]["x-translatable"] is True
    assert "id" in platform["required"]


def schema_for(path: Path) -> str:
    rel = path.relative_to(REPO / "content")
    if rel.parts[0] == "learning-log":
        return "feeds"
    if "translations" in rel.parts:
        return "translation"
    if rel.parent.name == "toolkits":
        return rel.stem
    if rel.name == "programme.yml":
        return "programme"
    return EXPECTED_SCHEMA[rel.parent.name]


CONTENT_FILES = sorted(p for p in (REPO / "content").rglob("*.yml") if "posts" not in p.parts and p.name != "state.yml")


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_content_file_names_its_schema(path: Path) -> None:
    name = schema_for(path)
    assert name in schema_models()
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    target = Path(os.path.relpath(SCHEMA_DIR / f"{name}.schema.json", path.parent)).as_posix()
    prefix = "# yaml-language-server: $schema="
    assert first_line.startswith(prefix)
    assert first_line.removeprefix(prefix).removeprefix("./") == target
