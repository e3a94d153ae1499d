"""``councillor-hub translations …``: the translators' round trip, and the parity report.

* ``extract`` collects every word the templates, theme, code and interactive tools print into
  ``overrides/locale/messages.pot`` and updates each language's ``<code>.po`` (the "furniture").
* ``status`` lists, per language, every content field not yet translated or out of date, located,
  and the furniture still to translate; ``--strict`` fails when anything is missing.
* ``export`` writes the content strings that need translating as a PO file (the standard format
  translation-memory tools such as memoQ, Trados and Phrase read), one entry per field, with the
  item and field as context, the English as the source and notes on where it appears.
* ``import`` reads the translated file back, checks every entry (the item and field exist, the
  English has not changed since export, place tokens match) and writes translation files by id.
  Rejected entries are listed with their line in the PO file; nothing else changes.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path
from typing import Any

import yaml
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from . import __version__
from .errors import ContentError
from .fields import iter_texts
from .files import write_text_atomic
from .i18n import SOURCE_LANGUAGE
from .loading import load_toolkit
from .navigation import nav_titles
from .places import tokens_in
from .project import Project
from .toolkit import Toolkit
from .translations import (
    LanguageTranslations,
    entry_for,
    field_key,
    furniture_problems,
    item_ref,
    load_translations,
    parity,
    translation_path,
)
from .yaml_source import read_yaml

CONTEXT_SEPARATOR = "|"
# Where the words the hub prints are found, and how to read them (Babel extraction methods).
METHODS = [
    ("overrides/hub/**.j2", "jinja2"),
    ("overrides/**.html", "jinja2"),
    ("docs/assets/hub/**.js", "javascript"),
    ("councillor_hub/**.py", "python"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "t": None, "tn": (2, 3)}
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true", "trimmed": "false"}


def extract_catalogue(project: Project) -> Catalog:
    """Every translatable message of upstream's templates, theme, scripts and code."""
    template = Catalog(
        project="Councillor Hub",
        version=__version__,
        copyright_holder="Councillor Hub contributors",
        msgid_bugs_address=project.settings.repo_url,
        charset="utf-8",
        fuzzy=False,
    )
    options = {pattern: JINJA_OPTIONS for pattern, method in METHODS if method == "jinja2"}
    for filename, lineno, message, comments, context in extract_from_dir(
        str(project.root), METHODS, options, keywords=KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    # The strict reader leaves MkDocs' own tags (!ENV) out, with a note we do not need here.
    config = read_yaml(project.config_file).data or {}
    for title in nav_titles(config.get("nav")):
        template.add(title, None, [("mkdocs.yml", 0)], auto_comments=["A heading in the site's menu."])
    return template


def cmd_extract(args: argparse.Namespace) -> int:
    project = _project(args)
    template = extract_catalogue(project)
    locale_dir = project.theme_dir / "locale"
    _write_if_changed(locale_dir / "messages.pot", _po_text(template))
    print(f"{project.display(locale_dir / 'messages.pot')}: {len(template)} messages")
    codes = [args.lang] if args.lang else sorted({p.stem for p in locale_dir.glob("*.po")} | set(project.languages))
    for code in codes:
        if code == SOURCE_LANGUAGE:
            continue
        path = locale_dir / f"{code}.po"
        catalogue = read_po(path.open("rb"), locale=code) if path.exists() else Catalog(locale=code, fuzzy=False)
        catalogue.update(template, no_fuzzy_matching=True)
        catalogue.project, catalogue.version = template.project, template.version
        catalogue.copyright_holder, catalogue.msgid_bugs_address = (
            template.copyright_holder,
            template.msgid_bugs_address,
        )
        _write_if_changed(path, _po_text(catalogue, ignore_obsolete=True))
        missing = sum(1 for m in catalogue if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string))
        print(f"{project.display(path)}: {missing} messages still to translate")
    return 0


_DATES = ("POT-Creation-Date:", "PO-Revision-Date:")


def _write_if_changed(path: Path, text: str) -> None:
    """Write a catalogue only when a message changed, so dates in its header do not churn git."""
    if path.exists():

        def strip(t: str) -> list[str]:
            return [line for line in t.splitlines() if not line.strip('"').startswith(_DATES)]

        if strip(path.read_text(encoding="utf-8")) == strip(text):
            return
    write_text_atomic(path, text)


def _po_text(catalogue: Catalog, **options: Any) -> str:
    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=100, omit_header=False, include_previous=True, **options)
    return buffer.getvalue().decode("utf-8")


def _project(args: argparse.Namespace) -> Project:
    try:
        return Project.load(args.project)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        raise SystemExit(1) from None


def _kit(project: Project) -> Toolkit:
    try:
        return load_toolkit(project)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        raise SystemExit(1) from None


def _languages(project: Project, requested: str | None) -> list[str]:
    codes = [requested] if requested else [c for c in project.languages if c != SOURCE_LANGUAGE]
    if not codes:
        print("The hub has only English (council.yml: languages); nothing to translate.", file=sys.stderr)
    return codes


def cmd_status(args: argparse.Namespace) -> int:
    project = _project(args)
    kit = _kit(project)
    status = 0
    for code in _languages(project, args.lang):
        report = parity(kit, load_translations(project, code))
        furniture = furniture_problems(project, code)
        for problem in report.errors:
            print(f"{problem} (error)", file=sys.stderr)
        for problem in report.stale:
            print(f"{problem} (out of date)")
        if args.all or not args.summary:
            for problem in report.missing:
                print(f"{problem} (missing)")
            for problem in furniture:
                print(f"{problem} (missing)")
        print(
            f"{code}: content {report.translated} of {report.total} fields translated ({report.percent()}%), "
            f"{len(report.missing)} missing, {len(report.stale)} out of date; "
            f"phrases on pages and in the tools: {len(furniture)} to translate; "
            f"{len(report.unreviewed)} translation files not yet reviewed."
        )
        if report.errors or (args.strict and (report.missing or report.stale or furniture)):
            status = 1
    return status


def cmd_export(args: argparse.Namespace) -> int:
    project = _project(args)
    kit = _kit(project)
    code = args.lang
    translations = load_translations(project, code)
    catalogue = Catalog(
        locale=code,
        project=f"Councillor Hub content ({code})",
        fuzzy=False,
        last_translator=args.translator,
        language_team=args.team,
        msgid_bugs_address=project.settings.repo_url,
    )
    count = 0
    for entry in kit.all_entries():
        ref = item_ref(entry)
        existing = translations.fields.get(ref, {})
        for path, text in iter_texts(entry.item):
            key = field_key(entry.item, path)
            found = existing.get(key)
            if found is not None and found.field.source.strip() == text.strip() and not args.all:
                continue
            where = kit.locate(entry, path, "")
            notes = [f"{entry.kind.name} '{entry.title}', field {key}."]
            page = entry.kind.page_for(entry.id) if hasattr(entry.item, "id") else entry.kind.page
            if page:
                notes.append(f"Shown on the page {page.split('#')[0]}.")
            tokens = tokens_in(text)
            if tokens:
                notes.append(f"Keep these place tokens exactly as they are: {' '.join(tokens)}.")
            message = Message(
                text,
                found.field.text if found is not None else "",
                locations=[(where.path, where.line)],
                auto_comments=notes,
                context=f"{ref}{CONTEXT_SEPARATOR}{key}",
                flags=["fuzzy"] if found is not None else [],
                previous_id=found.field.source if found is not None else (),
            )
            catalogue[text] = message
            count += 1
    text = _po_text(catalogue, sort_by_file=True)
    if args.output and str(args.output) != "-":
        write_text_atomic(args.output, text)
        print(f"wrote {count} strings to translate into {code} to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    project = _project(args)
    kit = _kit(project)
    try:
        catalogue = read_po(args.file.open("rb"))
    except (OSError, ValueError) as exc:
        print(f"councillor-hub translations import: cannot read {args.file}: {exc}", file=sys.stderr)
        return 1
    code = args.lang or (str(catalogue.locale) if catalogue.locale else None)
    if not code or code == SOURCE_LANGUAGE:
        print("councillor-hub translations import: say which language with --lang (the file does not)", file=sys.stderr)
        return 1
    target = args.to or ("council" if project.has_overlay else "upstream")
    folder = project.translations_dirs(code)[-1 if target == "council" else 0]
    translations = load_translations(project, code)
    shown = str(args.file)
    rejected: list[str] = []
    accepted: dict[str, dict[str, tuple[str, str]]] = {}
    for message in catalogue:
        if not message.id or not message.context:
            continue
        translated = message.string if isinstance(message.string, str) else ""
        if not translated or message.fuzzy:
            continue
        ref, _, key = message.context.partition(CONTEXT_SEPARATOR)
        line = f"{shown}:{message.lineno or 1}"
        entry = entry_for(kit, ref)
        if entry is None:
            rejected.append(f"{line}: msgctxt: there is no item {ref} (was it renamed or hidden?)")
            continue
        current = {field_key(entry.item, path): text for path, text in iter_texts(entry.item)}
        if key not in current:
            rejected.append(f"{line}: msgctxt: {ref} has no text field {key}")
            continue
        if current[key].strip() != str(message.id).strip():
            rejected.append(
                f"{line}: msgid: the English of {ref} {key} has changed since this file was exported; "
                "export again and translate the new text"
            )
            continue
        if tokens_in(translated) != tokens_in(current[key]):
            rejected.append(
                f"{line}: msgstr: the translation must keep the place tokens "
                + (" ".join(tokens_in(current[key])) or "(none)")
            )
            continue
        accepted.setdefault(ref, {})[key] = (current[key], translated)
    written = _write_translations(project, kit, translations, folder, accepted)
    for line in rejected:
        print(line, file=sys.stderr)
    count = sum(len(v) for v in accepted.values())
    print(
        f"imported {count} translations into {code} ({len(written)} files under {project.display(folder)}); "
        f"{len(rejected)} rejected"
    )
    return 1 if rejected else 0


def _write_translations(
    project: Project,
    kit: Toolkit,
    translations: LanguageTranslations,
    folder: Path,
    accepted: dict[str, dict[str, tuple[str, str]]],
) -> list[Path]:
    written = []
    for ref, fields in accepted.items():
        entry = entry_for(kit, ref)
        assert entry is not None
        path = translation_path(folder, entry)
        data: dict[str, Any] = {"item": ref, "fields": {}}
        if path.exists():
            doc = read_yaml(path)
            if isinstance(doc.data, dict):
                data = {**doc.data, "fields": dict(doc.data.get("fields") or {})}
        for key, (source, text) in fields.items():
            data["fields"][key] = {"source": source, "text": text}
        order = {field_key(entry.item, p): i for i, (p, _t) in enumerate(iter_texts(entry.item))}
        current: dict[str, Any] = data["fields"]

        def position(key: str, order: dict[str, int] = order) -> int:
            return order.get(key, len(order))

        data["fields"] = {key: current[key] for key in sorted(current, key=position)}
        schema = Path(os.path.relpath(project.schemas_dir / "translation.schema.json", path.parent)).as_posix()
        header = f"# yaml-language-server: $schema={schema}\n"
        body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
        write_text_atomic(path, header + body)
        written.append(path)
    return written


def register_translation_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tr = sub.add_parser("translations", help="translate the hub: status, export for translators, import, extract")
    tr_sub = tr.add_subparsers(dest="translations_command", required=True)
    status = tr_sub.add_parser("status", help="what is not yet translated or out of date, located, per language")
    status.add_argument("--lang", help="one language (default: every language but English)")
    status.add_argument("--summary", action="store_true", help="only the totals and what is out of date")
    status.add_argument("--all", action="store_true", help=argparse.SUPPRESS)
    status.add_argument("--strict", action="store_true", help="fail when anything is missing or out of date")
    status.set_defaults(func=cmd_status)
    export = tr_sub.add_parser("export", help="write the content strings to translate as a PO file")
    export.add_argument("--lang", required=True, help="the language to translate into, e.g. cy")
    export.add_argument("-o", "--output", type=Path, default=None, help="the file (default: standard output)")
    export.add_argument("--all", action="store_true", help="every string, not only missing and out-of-date ones")
    export.add_argument("--translator", default="Translator", help="who translates it (written in the file's header)")
    export.add_argument("--team", default="Welsh language unit", help="the translating team (the file's header)")
    export.set_defaults(func=cmd_export)
    imp = tr_sub.add_parser("import", help="read a translated PO file back into translation files")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--lang", help="the language (default: the file's own Language header)")
    imp.add_argument(
        "--to", choices=("upstream", "council"), help="where to write (default: the council's overlay if it has one)"
    )
    imp.set_defaults(func=cmd_import)
    extract = tr_sub.add_parser("extract", help="update the catalogues of words on pages and in the tools")
    extract.add_argument("--lang", help="one language (default: the hub's languages)")
    extract.set_defaults(func=cmd_extract)
