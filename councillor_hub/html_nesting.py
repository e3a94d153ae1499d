"""A linear, streaming cap on how deeply HTML nests, used before anything builds a tree from it.

Deep nesting is the cheapest way to make HTML tools slow: the sanitiser (nh3/html5ever) is
quadratic in depth (``<ul><li>`` 40,000 deep took 16 s per call) and Material's search plugin
does work proportional to the depth for every tag, so one 160 kB post held ``mkdocs build`` for
minutes (issue #15, findings 2 and 3). No real blog post nests anywhere near ``MAX_DEPTH``.

``limit_nesting`` reads the tags once, left to right, without building a tree, keeps every piece
of text, and drops only the tags that would open an element deeper than ``max_depth`` or beyond
``max_elements``. It is not a sanitiser: its output must still go through one (the ingester) or
come from one (stored posts).

Why not ``html.parser.HTMLParser``: it is quadratic on unterminated constructs (200 kB of
``<a "`` took 390 s), which is exactly what a hostile feed sends. The tokenizer here follows the
HTML standard's tokenizer where it matters for depth (a tag or quoted value left open runs to
the end of the input; raw-text elements such as ``<script>`` end only at their own end tag), and
every regular expression uses possessive quantifiers so each character is looked at a bounded
number of times.

Text and attribute values are written out with only the characters XML 1.0 allows (a U+FFFE or
a stray control character makes any XML built from them, such as the hub's Atom feed, not
well-formed: issue #15, finding 9).
"""

from __future__ import annotations

import html
import re

from .xml_text import xml_safe

MAX_DEPTH = 40
MAX_ELEMENTS = 20_000
# Elements that never hold content, so they never add depth.
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
# Elements whose content is text up to their own end tag (HTML's raw text and RCDATA elements).
RAW_TEXT_ELEMENTS = frozenset(
    {"iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style", "textarea", "title", "xmp"}
)
# Elements that end an open element of the same name (``<li>a<li>b``), as HTML parsers do.
CLOSES_SIBLING = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option"})


_MARKUP = re.compile(
    r"""
    <!--.*?(?:-->|\Z)                                  # a comment (dropped)
    | <[!?][^>]*+(?:>|\Z)                              # doctype, CDATA, processing instruction (dropped)
    | <(?P<end>/?)(?P<name>[A-Za-z][^\t\n\f\r\x20/>]*+)  # a tag ...
      (?P<attrs>(?:[^>"']++|"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z))*+)(?:>|\Z)  # ... to its > (or the end)
    """,
    re.DOTALL | re.VERBOSE,
)
_ATTRIBUTE = re.compile(
    r"""(?P<name>[^\t\n\f\r\x20/>"'=]++[^\t\n\f\r\x20/>=]*+)
    (?:[\t\n\f\r\x20]*+=[\t\n\f\r\x20]*+(?:"(?P<dq>[^"]*+)"?|'(?P<sq>[^']*+)'?|(?P<bare>[^\t\n\f\r\x20>]*+)))?""",
    re.VERBOSE,
)


def _escape(text: str, *, quote: bool) -> str:
    # Braces as character references too, as the sanitiser writes them: a body that is
    # flattened when read must never hand a Jinja or macros pass a literal {{ or {%.
    return html.escape(xml_safe(text), quote=quote).replace("{", "&#123;").replace("}", "&#125;")


def _start_tag(name: str, attrs: str, sort_attributes: bool) -> str:
    seen: dict[str, str | None] = {}
    for found in _ATTRIBUTE.finditer(attrs):
        key = found["name"].lower()
        if key in seen:
            continue  # the first of duplicate attributes wins, as in browsers
        value = found["dq"] if found["dq"] is not None else found["sq"] if found["sq"] is not None else found["bare"]
        seen[key] = None if value is None else html.unescape(value)
    # The canonical order: the URL first (what a reader of the file looks for), then by name.
    items = (
        sorted(seen.items(), key=lambda item: (item[0] not in ("href", "src"), item[0]))
        if sort_attributes
        else seen.items()
    )
    rendered = "".join(f" {key}" if value is None else f' {key}="{_escape(value, quote=True)}"' for key, value in items)
    return f"<{name}{rendered}>"


def _text(data: str) -> str:
    return _escape(html.unescape(data), quote=False)


def _scan(
    fragment: str, max_depth: int, max_elements: int, drop_with_content: frozenset[str], sort_attributes: bool = False
) -> tuple[list[str], int]:
    out: list[str] = []
    open_elements: list[str] = []
    elements = deepest = 0
    position = 0
    length = len(fragment)
    while position < length:
        lt = fragment.find("<", position)
        if lt == -1:
            out.append(_text(fragment[position:]))
            break
        if lt > position:
            out.append(_text(fragment[position:lt]))
        found = _MARKUP.match(fragment, lt)
        if found is None:  # a "<" that starts no tag is text
            out.append("&lt;")
            position = lt + 1
            continue
        position = found.end()
        name = (found["name"] or "").lower()
        if not name:
            continue  # comment, doctype and the like
        if found["end"]:
            if name in open_elements:
                while open_elements:
                    closed = open_elements.pop()
                    out.append(f"</{closed}>")
                    if closed == name:
                        break
            continue
        if name in RAW_TEXT_ELEMENTS:
            # Its content is text up to its own end tag; it is never shown as markup here.
            end = re.compile(rf"</{re.escape(name)}[\t\n\f\r\x20/>]|\Z", re.IGNORECASE).search(fragment, position)
            content_end = end.start() if end else length
            close = fragment.find(">", content_end)
            keep = name not in drop_with_content and elements < max_elements and len(open_elements) < max_depth
            if keep:
                elements += 1
                deepest = max(deepest, len(open_elements) + 1)
                out.append(
                    _start_tag(name, found["attrs"], sort_attributes)
                    + _text(fragment[position:content_end])
                    + f"</{name}>"
                )
            position = length if close == -1 else close + 1
            continue
        if name in drop_with_content:
            # Removed with everything inside it: skip to its matching end tag (a void element
            # such as <embed> holds nothing, so only the tag goes).
            if name not in VOID_ELEMENTS:
                position = _skip_element(fragment, position, name)
            continue
        if name in CLOSES_SIBLING and open_elements and open_elements[-1] == name:
            out.append(f"</{open_elements.pop()}>")
        void = name in VOID_ELEMENTS
        if elements >= max_elements or (not void and len(open_elements) >= max_depth):
            continue  # too deep or too many: the tag goes, its text stays
        elements += 1
        out.append(_start_tag(name, found["attrs"], sort_attributes))
        if not void:
            open_elements.append(name)
            deepest = max(deepest, len(open_elements))
    out.extend(f"</{name}>" for name in reversed(open_elements))
    return out, deepest


def _skip_element(fragment: str, position: int, name: str) -> int:
    """The position just after the end tag matching an element that starts before ``position``."""
    depth = 1
    tag = re.compile(rf"<(/?){re.escape(name)}(?=[\t\n\f\r\x20/>])", re.IGNORECASE)
    while depth:
        found = tag.search(fragment, position)
        if found is None:
            return len(fragment)
        depth += -1 if found[1] else 1
        close = fragment.find(">", found.end())
        position = len(fragment) if close == -1 else close + 1
    return position


def nesting_depth(fragment: str) -> int:
    """How deeply the fragment's elements nest, counted the way ``limit_nesting`` counts."""
    big = len(fragment) + 1
    return _scan(fragment, big, big, frozenset())[1]


def limit_nesting(
    fragment: str,
    max_depth: int = MAX_DEPTH,
    max_elements: int = MAX_ELEMENTS,
    drop_with_content: frozenset[str] = frozenset(),
    *,
    sort_attributes: bool = False,
) -> str:
    """The fragment with tags beyond ``max_depth`` (or ``max_elements``) removed; all text is kept.

    Elements named in ``drop_with_content`` are removed together with what they hold (the
    sanitiser removes them anyway; their text must not become visible here). Every element is
    closed in the output, and attribute values and text are re-escaped. ``sort_attributes``
    writes each element's attributes in a fixed order (a canonical form): ``href`` or ``src``
    first, then the others by name.
    """
    return "".join(_scan(fragment, max_depth, max_elements, drop_with_content, sort_attributes)[0])
