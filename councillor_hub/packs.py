"""Printable packs: everything to run a workshop day, in order, as one page and as one PDF.

A pack is built from the YAML, never from rendered pages (the Carpentries "all in one" model,
but from data): the running order, the session plans, every worksheet as a paper form, the
readiness checklist, then the materials (example map, cards, forms, logs, sheets). The same
HTML body (``pack-body.html.j2``) is the pack page's content on the site and, wrapped in
``pack-document.html.j2`` (which links the same print CSS), the document WeasyPrint turns into
a PDF.
Every id in it starts with ``pack-<sprint>-``, so nothing clashes with the page around it.

PDFs are slow to make (seconds each), so ``mkdocs build`` never makes them. ``councillor-hub
pack --all`` writes them into ``Project.prebuilt_dir`` with a manifest of the digest of the
HTML each was made from; a build publishes (and the pages link) only the PDFs whose digest
still matches the pack the build renders, so a stale PDF is never offered.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .i18n import Language
from .kinds import BY_NAME, sprint_label
from .materials import CIRCLES, handouts, is_brought, map_layout, text_materials
from .project import Project
from .rendering import Renderer
from .running_order import DEFAULT_VARIANT, VARIANTS, Variant, minutes_of_day, plan, running_order_of
from .site import page_url
from .toolkit import Entry, Toolkit

MANIFEST = "packs.json"
PRINT_CSS = "assets/hub/pack.css"


def pdf_path(lang: Language, sprint_id: str, variant: str) -> str:
    """Where a pack's PDF is published, relative to the site root."""
    return lang.path(f"downloads/{sprint_id}-{variant}.pdf")


def pack_page(sprint_id: str) -> str:
    return f"programme/{sprint_id}/pack.md"


def pack_context(project: Project, kit: Toolkit, entry: Entry, lang: Language) -> dict[str, Any]:
    """Everything the pack templates need for one sprint (``kit`` has its place tokens filled)."""
    sprint = entry.item
    programme = kit.one("programme")
    settings = project.settings.workshops
    order = running_order_of(sprint)
    titles = {e.ref: e.title for kind in ("material", "questionnaire") if kind in BY_NAME for e in kit.entries_of(kind)}
    materials = {m.id: m for m in kit.items("material")}
    texts = text_materials(sprint)
    found = handouts(sprint, titles, materials)
    return {
        "sprint": sprint,
        "label": sprint_label(sprint),
        "ns": f"pack-{sprint.id}",
        "plans": [plan(sprint, variant, settings, programme) for variant in VARIANTS],
        "default_variant": DEFAULT_VARIANT,
        "start": minutes_of_day(settings.start),
        "start_clock": settings.start,
        "room": [*(programme.workshops.room if programme else []), *order.room],
        "have_ready": [t for t in texts if not is_brought(t)],
        "bring": [t for t in texts if is_brought(t)],
        "handouts": found,
        "handout_ids": {h.ref: f"pack-{sprint.id}-m-{h.id}" for h in found},
        "handout_titles": {h.ref: h.title for h in found},
        # Questionnaires print from their own page (issue 11); the pack gives its full address.
        "handout_pages": {h.ref: absolute_url(project, lang, kit.page(h.ref)) for h in found if h.material is None},
        "map_layouts": {
            h.material.id: map_layout(h.material.example) for h in found if h.material and h.material.example
        },
        "circles": CIRCLES,
        **quiz_context(kit),
        "page_url": absolute_url(project, lang, f"programme/{sprint.id}.md"),
        "hub_name": project.settings.hub_name(lang.code),
    }


def quiz_context(kit: Toolkit) -> dict[str, Any]:
    """What the paper "Where do I start?" quiz needs: the questions and the personas' names."""
    return {"quiz": kit.one("quiz"), "persona_names": {p.id: p.name for p in kit.items("persona")}}


def absolute_url(project: Project, lang: Language, src: str) -> str:
    """The full web address of a page (``programme/sprint-1.md#x``), for paper, where links cannot be clicked."""
    target, _, anchor = src.partition("#")
    return project.site_url + page_url(lang.path(target)) + (f"#{anchor}" if anchor else "")


@dataclass(frozen=True)
class PackRender:
    """One sprint's pack in one language: the page's body and each variant's PDF document."""

    context: dict[str, Any]
    body: str  # every variant, the default shown: the pack page's content
    documents: dict[Variant, str]  # standalone HTML at the default start, for the PDF

    def digest(self, variant: Variant, css: bytes) -> str:
        return document_digest(self.documents[variant], css)


def print_css(project: Project) -> bytes:
    """The print CSS's bytes: part of what a PDF is made from, so part of its digest."""
    path = project.docs_dir / PRINT_CSS
    return path.read_bytes() if path.is_file() else b""


def document_digest(html: str, css: bytes) -> str:
    return hashlib.sha256(html.encode("utf-8") + b"\0" + css).hexdigest()


def render_body(renderer: Renderer, lang: Language, context: dict[str, Any], variants: list[str]) -> str:
    return renderer.render("pack-body.html.j2", lang, pack=context, variants=variants)


def render_document(
    project: Project, renderer: Renderer, lang: Language, context: dict[str, Any], variant: Variant, start: int
) -> str:
    """The standalone HTML of one variant's pack, for WeasyPrint (its CSS is found from the docs folder)."""
    context = {**context, "start": start}
    body = Markup(render_body(renderer, lang, context, [variant]))
    return renderer.render("pack-document.html.j2", lang, pack=context, body=body, css=PRINT_CSS, variant=variant)


def render_pack(project: Project, kit: Toolkit, entry: Entry, renderer: Renderer, lang: Language) -> PackRender:
    context = pack_context(project, kit, entry, lang)
    body = render_body(renderer, lang, context, list(VARIANTS))
    documents = {v: render_document(project, renderer, lang, context, v, context["start"]) for v in VARIANTS}
    return PackRender(context, body, documents)


# --- published PDFs ----------------------------------------------------------------------------


def read_manifest(project: Project) -> dict[str, str]:
    """Site path of each PDF made by ``councillor-hub pack --all`` -> the digest of its HTML."""
    path = project.prebuilt_dir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def write_pdf(html: str, out: Path, project: Project) -> int:
    """Render ``html`` to a PDF at ``out`` with WeasyPrint; returns the number of pages."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # only the pack command needs it

    # Relative links (the print CSS) resolve against the docs folder, as on the site.
    document = HTML(string=html, base_url=project.docs_dir.as_uri() + "/").render()
    out.parent.mkdir(parents=True, exist_ok=True)
    document.write_pdf(out)
    return len(document.pages)
