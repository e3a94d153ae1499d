"""Charts for the private report, drawn by matplotlib as SVG and placed inline in the HTML.

Reproducible: the same data gives byte-identical SVG (no date in the metadata, a fixed hash
salt per chart for the ids matplotlib generates, text kept as text rather than paths), so a
report can be compared with an earlier one. Accessible: the report's template wraps the
drawing in an ``<svg role="img">`` with a title and a description, and puts the same figures
in a table beside it. Nothing here is HTML: ``Chart`` carries the SVG's parts for the template.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib
from markupsafe import Markup
from matplotlib.figure import Figure

BEFORE_COLOUR = "#5c6670"  # grey, 6:1 on white
AFTER_COLOUR = "#1d4f76"  # the hub's blue, 8.6:1 on white
TEXT_COLOUR = "#1b1b1b"


@dataclass(frozen=True)
class Chart:
    id: str  # unique in the report; used for the SVG's title and description ids
    title: str
    description: str
    view_box: str
    width: str
    height: str
    body: Markup  # everything inside the <svg> element, as matplotlib drew it


_ROOT = re.compile(r"<svg\b([^>]*)>(.*)</svg>\s*$", re.DOTALL)


def _attribute(attributes: str, name: str) -> str:
    found = re.search(rf'\b{name}="([^"]*)"', attributes)
    return found[1] if found else ""


def split_svg(svg: str, chart_id: str, title: str, description: str) -> Chart:
    """matplotlib's SVG document as a ``Chart``: its size and its drawing, without the root element."""
    match = _ROOT.search(svg)
    if match is None:
        raise ValueError("matplotlib did not write an <svg> element")
    attributes, body = match[1], match[2]
    # The RDF metadata block is for files, not for a drawing inside a page.
    body = re.sub(r"\s*<metadata>.*?</metadata>", "", body, count=1, flags=re.DOTALL)
    # Group ids (figure_1, axes_1, ...) repeat in every chart, and a page's ids must be unique.
    # Nothing refers to them; the ids that are referred to (clip paths, markers) are hashes,
    # unique to each chart through its hash salt.
    body = re.sub(r'<g id="[^"]*"', lambda _m: "<g", body)
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        view_box=_attribute(attributes, "viewBox"),
        width=_attribute(attributes, "width"),
        height=_attribute(attributes, "height"),
        body=Markup(body.strip()),  # noqa: S704 - our own matplotlib drawing, not text from people
    )


def before_after_chart(
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    before: Sequence[float],
    after: Sequence[float],
    *,
    points: int,
    low: str,
    high: str,
    gettext: Callable[[str], str],
) -> Chart:
    """Average answers before and after, one row per question, joined by a line (a dumbbell chart)."""
    _ = gettext
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": f"councillor-hub-{chart_id}", "font.size": 11}):
        rows = len(labels)
        figure = Figure(figsize=(7.5, 0.55 * rows + 1.5), dpi=100)
        axes = figure.add_subplot()
        positions = list(range(rows))[::-1]
        for y, b, a in zip(positions, before, after, strict=True):
            axes.plot([b, a], [y, y], color="#8c959f", linewidth=2, zorder=1)
        axes.scatter(before, positions, s=70, facecolors="white", edgecolors=BEFORE_COLOUR, linewidths=2,
                     label=_("Before"), zorder=2)  # fmt: skip
        axes.scatter(after, positions, s=70, color=AFTER_COLOUR, marker="D", label=_("After"), zorder=3)
        axes.set_yticks(positions, labels=list(labels), color=TEXT_COLOUR)
        axes.set_xlim(0.8, points + 0.2)
        axes.set_xticks(list(range(1, points + 1)))
        axes.set_ylim(-0.7, rows - 0.3)
        axes.set_xlabel(
            _("Average answer, from 1 ({low}) to {points} ({high})").format(low=low, points=points, high=high),
            color=TEXT_COLOUR,
        )
        axes.grid(axis="x", color="#d0d7de", linewidth=0.8)
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.legend(loc="lower right", frameon=False, ncols=2, bbox_to_anchor=(1.0, 1.0))
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return split_svg(buffer.getvalue(), chart_id, title, description)
