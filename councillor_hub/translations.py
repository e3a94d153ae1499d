"""Translations of content items, by kind, id and field, and the parity check.

One file per item and language, beside the content (upstream) or in the overlay (a council)::

    content/toolkits/translations/cy/guide/first-steps.yml
    council/translations/cy/tool/canva.yml            (wins over upstream's, field by field)

    # yaml-language-server: $schema=../../../schemas/translation.schema.json
    item: guide:first-steps
    reviewed_by: Cardiff Council Welsh language unit, 2026-12-01   # optional
    fields:
      title:
        source: Your first steps          # the English this was translated from
        text: Eich camau cyntaf
      sections[why-bother].paragraphs[0]:
        source: ...
        text: ...

A field is named by its path in the item, with list items named by their ``id`` where they have
one (``sections[why-bother]``), so reordering a list does not break its translations. Each
translation keeps the English it was made from: when upstream changes that English, the
translation is *out of date*, the page falls back to English (marked ``lang="en"``, with a
visible notice), and the parity check says where. Nothing is ever copied whole from upstream.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from .errors import Problem
from .fields import KEPT_IN_SOURCE_LANGUAGE, FieldPath, iter_texts
from .i18n import FallbackText, read_catalogue
from .incremental import inputs_state
from .models import Model
from .places import tokens_in
from .project import Project
from .toolkit import Entry, Toolkit
from .validation import validate_document
from .yaml_source import YamlDocument, read_yaml

ItemRef = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z]+(:[a-z0-9]+(-[a-z0-9]+)*)?$"),
    Field(description="The item translated, as kind:id (or just the kind, for the quiz)."),
]
FieldKey = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z_]+(\[[a-z0-9-]+\]|\.[a-z_]+)*$"),
    Field(description="The field, e.g. title or sections[why-bother].paragraphs[0]."),
]


class TranslatedField(Model):
    source: str = Field(description="The English this translation was made from (to spot upstream changes).")
    text: str = Field(min_length=1, description="The translation.")


class TranslationFile(Model):
    """translations/<language>/<kind>/<id>.yml"""

    item: ItemRef
    reviewed_by: str | None = Field(
        default=None, description="Who checked this translation, and when (for example a council's Welsh unit)."
    )
    fields: dict[FieldKey, TranslatedField] = Field(default_factory=dict)


def field_key(item: Any, path: FieldPath) -> str:
    """``("sections", 2, "paragraphs", 0)`` → ``sections[why-bother].paragraphs[0]``."""
    out = ""
    current = item
    for part in path:
        if isinstance(part, int):
            element = current[part]
            element_id = getattr(element, "id", None)
            out += f"[{element_id}]" if isinstance(element_id, str) else f"[{part}]"
            current = element
        else:
            out += f".{part}" if out else part
            current = getattr(current, part) if isinstance(current, BaseModel) else current[part]
    return out


def item_ref(entry: Entry) -> str:
    return entry.ref if hasattr(entry.item, "id") else entry.kind.name


def translation_path(folder: Path, entry: Entry) -> Path:
    if hasattr(entry.item, "id"):
        return folder / entry.kind.name / f"{entry.id}.yml"
    return folder / f"{entry.kind.name}.yml"


@dataclass
class LoadedTranslation:
    field: TranslatedField
    source: str  # the file, for messages
    doc: YamlDocument
    key: str


@dataclass
class LanguageTranslations:
    """Every translation into one language, by item ref and field key (council's winning)."""

    language: str
    fields: dict[str, dict[str, LoadedTranslation]] = field(default_factory=dict)
    files: dict[str, tuple[str, TranslationFile]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


# The translations last loaded for each project and language, under the state of their files.
_LOADED: dict[tuple[Path, str], tuple[Any, LanguageTranslations]] = {}


def load_translations(project: Project, language: str) -> LanguageTranslations:
    """Every translation into ``language`` (not changed by anyone: kept while its files are unchanged)."""
    key = inputs_state(project.translations_dirs(language))
    kept = _LOADED.get((project.root, language))
    if kept is not None and kept[0] == key:
        return kept[1]
    loaded = _load_translations(project, language)
    _LOADED[(project.root, language)] = (key, loaded)
    return loaded


def _load_translations(project: Project, language: str) -> LanguageTranslations:
    out = LanguageTranslations(language)
    for folder in project.translations_dirs(language):
        for path in sorted(folder.rglob("*.yml")):
            doc = read_yaml(path, project.display(path), root=project.root)
            parsed, problems = validate_document(doc, TranslationFile)
            out.problems.extend(problems)
            if parsed is None:
                continue
            out.files[parsed.item] = (doc.display, parsed)
            bucket = out.fields.setdefault(parsed.item, {})
            for key, translated in parsed.fields.items():
                bucket[key] = LoadedTranslation(translated, doc.display, doc, key)
    return out


@dataclass
class ItemStatus:
    """One item's translation into one language, for the translation-status page."""

    entry: Entry
    translated: int
    total: int
    stale: int


@dataclass
class ParityReport:
    """What is missing or out of date in one language, located."""

    language: str
    missing: list[Problem] = field(default_factory=list)
    stale: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    translated: int = 0
    total: int = 0
    unreviewed: list[str] = field(default_factory=list)
    items: list[ItemStatus] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing and not self.stale

    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.translated / self.total)


def parity(kit: Toolkit, translations: LanguageTranslations) -> ParityReport:
    """Every text field of every item, checked against its translation."""
    report = ParityReport(translations.language, errors=list(translations.problems))
    language = translations.language
    known: set[tuple[str, str]] = set()
    for entry in kit.all_entries():
        ref = item_ref(entry)
        bucket = translations.fields.get(ref, {})
        before = (report.translated, report.total, len(report.stale))
        for path, text in iter_texts(entry.item):
            key = field_key(entry.item, path)
            known.add((ref, key))
            report.total += 1
            found = bucket.get(key)
            if found is None:
                report.missing.append(kit.locate(entry, path, f"not yet translated into {language} ({ref} {key})"))
            elif found.field.source.strip() != text.strip():
                where = kit.locate(entry, path, "")
                report.stale.append(
                    found.doc.problem(
                        ("fields", key),
                        f"out of date: the English of {ref} {key} has changed since it was translated "
                        f"(now at {where.path}:{where.line})",
                        at_key=True,
                    )
                )
            else:
                if tokens_in(found.field.text) != tokens_in(text):
                    report.errors.append(
                        found.doc.problem(
                            ("fields", key, "text"),
                            "the translation must use the same place tokens as the English: "
                            + (", ".join(tokens_in(text)) or "none"),
                        )
                    )
                report.translated += 1
        report.items.append(
            ItemStatus(
                entry,
                report.translated - before[0],
                report.total - before[1],
                len(report.stale) - before[2],
            )
        )
    for ref, (source, parsed) in translations.files.items():
        if entry_for(kit, ref) is None:
            if ref not in kit.hidden:
                report.errors.append(Problem(source, 1, 1, "item", f"there is no item {ref} to translate"))
            continue
        for key in parsed.fields:
            if (ref, key) not in known:
                report.errors.append(
                    translations.fields[ref][key].doc.problem(
                        ("fields", key), f"{ref} has no text field {key}", at_key=True
                    )
                )
        if not parsed.reviewed_by:
            report.unreviewed.append(source)
    report.missing.sort()
    report.stale.sort()
    return report


def entry_for(kit: Toolkit, ref: str) -> Entry | None:
    """The entry a translation file's ``item`` names (``kind:id``, or a single-file kind's name)."""
    if ":" in ref:
        return kit.get_ref(ref)
    entry = kit.one_entry(ref) if ref in kit.entries else None
    return entry if entry is not None and not hasattr(entry.item, "id") else None


def translate(kit: Toolkit, translations: LanguageTranslations) -> Toolkit:
    """A copy of ``kit`` in the language: current translations used, everything else ``FallbackText``."""
    from .loading import fill_texts

    def choose(entry: Entry, path: FieldPath, text: str) -> str:
        found = translations.fields.get(item_ref(entry), {}).get(field_key(entry.item, path))
        if found is not None and found.field.source.strip() == text.strip():
            return found.field.text
        return FallbackText(text)

    translated = fill_texts(kit, choose)
    # Titles of cited documents stay as written, marked as the source language.
    return fill_texts(translated, lambda _entry, _path, text: FallbackText(text), marker=KEPT_IN_SOURCE_LANGUAGE)


def furniture_problems(project: Project, code: str) -> list[Problem]:
    """Messages of the language's PO catalogue with no translation, or marked fuzzy."""
    path = project.theme_dir / "locale" / f"{code}.po"
    if not path.exists():
        return [
            Problem(
                project.display(path),
                1,
                1,
                "(file)",
                f"there is no catalogue for {code}; run: councillor-hub translations extract --lang {code}",
            )
        ]
    catalogue = read_catalogue(path)
    out = []
    for message in catalogue:
        if not message.id:
            continue
        text = message.string if isinstance(message.string, str) else "".join(message.string or ())
        if not text or message.fuzzy:
            label = message.id if isinstance(message.id, str) else message.id[0]
            why = "needs checking (fuzzy)" if message.fuzzy and text else "not yet translated"
            out.append(Problem(project.display(path), message.lineno or 1, 1, "msgid", f"{why}: {label[:70]!r}"))
    return out
