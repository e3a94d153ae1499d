"""``councillor-hub pack``: a sprint's printable pack as a PDF (or all of them, for publishing).

    councillor-hub pack sprint-1 --variant split --start 09:30 -o pack.pdf
    councillor-hub pack --all        # every sprint and variant at the default start, for scripts/build

``--all`` writes into ``Project.prebuilt_dir`` with a manifest; the next ``mkdocs build``
publishes those PDFs under ``downloads/`` and links them from the pack pages, as long as each
still matches its pack (see ``packs``).
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import time
from pathlib import Path

from .build import catalogue_paths
from .commands import in_ci, load_project
from .errors import ContentError
from .files import write_text_atomic
from .i18n import Language, make_languages
from .loading import fill_texts, load_toolkit
from .packs import MANIFEST, document_digest, pack_context, pdf_path, print_css, render_document, write_pdf
from .places import PlaceNames
from .project import Project
from .rendering import Renderer, TemplateProblem
from .running_order import VARIANTS, Variant, minutes_of_day
from .toolkit import Toolkit

_CLOCK = re.compile(r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$")


def register_pack_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pack = sub.add_parser("pack", help="make a sprint's printable pack as a PDF (or --all of them, for publishing)")
    pack.add_argument("sprint", nargs="?", help="the sprint's id, such as sprint-1")
    pack.add_argument("--variant", choices=VARIANTS, default="one-day", help="one-day (default) or split")
    pack.add_argument("--start", default=None, help="start time as HH:MM (default: council.yml workshops.start)")
    pack.add_argument("--lang", default=None, help="the language (default: the hub's first)")
    pack.add_argument(
        "-o", "--output", type=Path, default=None, help="the file to write (default: <sprint>-<variant>.pdf)"
    )
    pack.add_argument("--html", action="store_true", help="write the HTML the PDF is made from, not the PDF")
    pack.add_argument(
        "--all", action="store_true", help="every sprint and variant, in every language, at the default start"
    )
    pack.set_defaults(func=cmd_pack)


def cmd_pack(args: argparse.Namespace) -> int:
    project = load_project(args)
    try:
        kit = load_toolkit(project)
    except ContentError as exc:
        print(exc.report(github=in_ci()), file=sys.stderr)
        return 1
    languages = make_languages(project.languages, catalogue_paths(project))
    renderer = Renderer(project.template_dirs, root=project.root)
    try:
        if args.all:
            return _all(project, kit, renderer, languages)
        return _one(args, project, kit, renderer, languages)
    except TemplateProblem as exc:
        print(exc, file=sys.stderr)
        return 1


def filled(project: Project, kit: Toolkit, lang: Language) -> Toolkit:
    """``kit`` with the council's places in every text, as the pages show it."""
    places = PlaceNames.from_settings(project.settings, lang.code)
    return fill_texts(kit, lambda _entry, _path, text: places.fill(text))


def _one(
    args: argparse.Namespace, project: Project, kit: Toolkit, renderer: Renderer, languages: list[Language]
) -> int:
    if not args.sprint:
        print("councillor-hub pack: name a sprint (such as sprint-1), or use --all", file=sys.stderr)
        return 2
    ids = [e.id for e in kit.ordered_sprints()]
    if args.sprint not in ids:
        close = difflib.get_close_matches(args.sprint, ids, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f" (sprints: {', '.join(ids)})"
        print(f"councillor-hub pack: there is no sprint {args.sprint!r}{hint}", file=sys.stderr)
        return 2
    start = args.start or project.settings.workshops.start
    if not _CLOCK.match(start):
        print(f"councillor-hub pack: --start {start!r} is not a time like 09:30", file=sys.stderr)
        return 2
    lang = next((lang for lang in languages if lang.code == (args.lang or lang.code)), None)
    if lang is None:
        print(f"councillor-hub pack: the hub has no language {args.lang!r}", file=sys.stderr)
        return 2
    variant: Variant = args.variant
    html = _document(project, filled(project, kit, lang), args.sprint, renderer, lang, variant, minutes_of_day(start))
    out = args.output or Path(f"{args.sprint}-{variant}.{'html' if args.html else 'pdf'}")
    if args.html:
        write_text_atomic(out, html)
        print(f"wrote {out}")
        return 0
    began = time.perf_counter()
    pages = write_pdf(html, out, project)
    print(f"wrote {out} ({pages} pages, {time.perf_counter() - began:.1f} s)")
    return 0


def _document(
    project: Project, kit: Toolkit, sprint_id: str, renderer: Renderer, lang: Language, variant: Variant, start: int
) -> str:
    entry = kit.get("sprint", sprint_id)
    assert entry is not None
    context = pack_context(project, kit, entry, lang)
    return render_document(project, renderer, lang, context, variant, start)


def _all(project: Project, kit: Toolkit, renderer: Renderer, languages: list[Language]) -> int:
    manifest: dict[str, str] = {}
    start = minutes_of_day(project.settings.workshops.start)
    css = print_css(project)
    for lang in languages:
        lang_kit = filled(project, kit, lang)
        for entry in lang_kit.ordered_sprints():
            for variant in VARIANTS:
                html = _document(project, lang_kit, entry.id, renderer, lang, variant, start)
                site_path = pdf_path(lang, entry.id, variant)
                began = time.perf_counter()
                pages = write_pdf(html, project.prebuilt_dir / site_path, project)
                manifest[site_path] = document_digest(html, css)
                seconds = time.perf_counter() - began
                print(f"wrote {project.display(project.prebuilt_dir / site_path)} ({pages} pages, {seconds:.1f} s)")
    write_text_atomic(project.prebuilt_dir / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    print(f"{len(manifest)} PDFs in {project.display(project.prebuilt_dir)}; the next build publishes them.")
    return 0
