"""Make third-party feed content safe to publish: HTML through an allowlist, text as plain text.

Feed content is hostile until cleaned. feedparser's own sanitiser is not enough (its maintainer
stopped extending it: kurtmckee/feedparser#495), so it is switched off and every HTML field goes
through nh3 (the Rust ammonia sanitiser) with a strict allowlist. The site injects the cleaned body
HTML straight into the page after Markdown, and escapes every text field, so:

* ``clean_html`` keeps only harmless structure: no script, style, forms, object/embed, SVG or
  MathML, no event handlers or ``style``/``id``/``name``/``class`` attributes (no DOM clobbering
  of Material's JavaScript, no fake theme elements), only http(s) and mailto links, only https
  images and no 1x1 tracking pixels, and iframes only from YouTube (no-cookie) and Vimeo players,
  sandboxed and lazy. ``{`` and ``}`` are written as character references so Jinja-style
  ``{{ }}``/``{% %}`` can never be evaluated, and nh3 already writes ``<`` in text as ``&lt;``,
  which defuses ``--8<--`` snippet lines.
* ``clean_text`` turns a title, author or category into plain text: tags stripped, entities
  decoded, control characters and bidi overrides removed, whitespace collapsed.

``clean_html(clean_html(x)) == clean_html(x)`` holds (tests check it on hostile inputs, and
``tests/fuzz/test_sanitiser.py`` on generated ones).

Hardening from issue #15:

* Before nh3 sees a body, ``html_nesting.limit_nesting`` (one linear pass) drops tags nested
  deeper than ``MAX_DEPTH`` or beyond ``MAX_ELEMENTS`` (keeping their text), and the body is cut
  at ``MAX_BODY_CHARS``: nh3 is quadratic in depth, so it must never see a pathological tree.
  Bodies are cleaned in the time-limited parse worker (``parse_worker``), not in the run.
* URLs are read the way browsers read them (the WHATWG URL standard, via ada-url), and the
  browser's own reading is what is written out, so the host that was checked is the host the
  browser visits: ``https://evil.example\\@www.youtube.com/`` is evil.example, and
  ``/embed/../../x`` is ``/x``. URLs with credentials are dropped.
* The output is canonical: attributes in sorted order (nh3 adds the iframe settings in hash
  order, which made the same entry differ between processes), every element closed, and only
  characters XML 1.0 allows.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

import ada_url
import nh3

from ..html_nesting import MAX_DEPTH, MAX_ELEMENTS, limit_nesting
from ..xml_text import xml_safe

__all__ = ["clean_html", "clean_text", "plain_text_to_html", "web_url"]

# A body longer than this is cut (no blog post is near it; the fetcher caps a whole feed anyway).
MAX_BODY_CHARS = 1_000_000
# Titles, authors and categories are short: only this much of the raw field is read.
MAX_TEXT_INPUT_CHARS = 20_000

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "dfn",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "iframe",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}  # fmt: skip
# Elements removed together with everything inside them (the rest keep their text).
DROPPED_WITH_CONTENT = {
    "script", "style", "template", "noscript", "object", "embed", "applet", "svg", "math", "form",
    "select", "textarea", "button", "head", "title", "frameset", "noembed", "noframes", "xmp",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "img": {"src", "alt", "title", "width", "height"},
    "iframe": {"src", "title", "width", "height", "allowfullscreen"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
}
URL_ATTRIBUTES = {"href", "src", "cite"}
LINK_REL = "nofollow noopener noreferrer ugc"
# The sandbox an embedded player runs in (issue #15). The players are JavaScript applications, so
# they need allow-scripts; YouTube's and Vimeo's players also refuse to play in an opaque origin
# (they read their own storage and cookies), so they need allow-same-origin. That pair is only
# dangerous when the framed page is same-origin with the hub (it could then remove its own
# sandbox); here the frame can only ever be one of the players in IFRAME_SOURCES, on their own
# origins, and since the URL is checked the way browsers parse it (and written out in that
# form), no other origin can be framed with this sandbox. allow-presentation lets the player
# cast. Popups, forms, top navigation, downloads and modals stay blocked: an embed has no
# reason to open windows or navigate the reader away from the hub.
IFRAME_SETTINGS = {
    "sandbox": "allow-scripts allow-same-origin allow-presentation",
    "loading": "lazy",
    "referrerpolicy": "strict-origin-when-cross-origin",
}
# Video players an iframe may show: (host, path prefix).
IFRAME_SOURCES = (
    ("www.youtube-nocookie.com", "/embed/"),
    ("youtube-nocookie.com", "/embed/"),
    ("www.youtube.com", "/embed/"),
    ("youtube.com", "/embed/"),
    ("player.vimeo.com", "/video/"),
)
# Images that only count views, whatever size they claim to be.
TRACKER_PREFIXES = (
    "pixel.wp.com/",
    "stats.wp.com/",
    "medium.com/_/stat",
    "feeds.feedburner.com/~r/",
    "feeds.feedblitz.com/~/i/",
    "feedproxy.google.com/~r/",
)
BIDI_AND_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
VOID_TAGS = {"br", "hr", "img"}


def _is_pixel(attrs: dict[str, str]) -> bool:
    src = attrs.get("src", "")
    host_path = src.split("://", 1)[-1].lower()
    if host_path.startswith(TRACKER_PREFIXES):
        return True
    for dimension in ("width", "height"):
        value = attrs.get(dimension, "").strip().lower().removesuffix("px").strip()
        if value.isdigit() and int(value) <= 2:
            return True
    return False


def _browser_url(value: str, base_url: str | None) -> ada_url.URL | None:
    """The URL as a browser reads it (WHATWG URL standard), resolved against ``base_url``."""
    try:
        return ada_url.URL(value, base_url) if base_url else ada_url.URL(value)
    except ValueError:
        return None


def _allowed_iframe(url: ada_url.URL) -> bool:
    return url.protocol == "https:" and any(
        url.hostname == host and url.port == "" and url.pathname.startswith(prefix) for host, prefix in IFRAME_SOURCES
    )


def _safe_url(value: str, base_url: str | None, *, https_only: bool, iframe: bool = False) -> str | None:
    """The browser's own form of a URL that may be linked to, or None if it may not be.

    What is returned (ada's ``href``) is what a browser will fetch, so what was checked here is
    what is visited: backslashes, tabs and newlines, ``%2e`` and ``..`` segments are all resolved
    the browser's way before the host and path are looked at (issue #15).
    """
    url = _browser_url(value, base_url)
    if url is None or url.username or url.password:
        return None  # credentials in a URL only ever serve to disguise its host
    allowed = ("https:",) if https_only else ("http:", "https:", "mailto:")
    if url.protocol not in allowed or (iframe and not _allowed_iframe(url)):
        return None
    return url.href


def web_url(value: str, base_url: str | None = None) -> str | None:
    """An http(s) URL as a browser reads it (resolved against ``base_url``), or None."""
    url = _safe_url(value, base_url, https_only=False)
    return url if url and not url.startswith("mailto:") else None


def _make_cleaner(base_url: str | None) -> nh3.Cleaner:
    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if attribute in URL_ATTRIBUTES:
            return _safe_url(value, base_url, https_only=tag in ("img", "iframe"), iframe=tag == "iframe")
        return value

    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
        set_tag_attribute_values={"iframe": IFRAME_SETTINGS},
        strip_comments=True,
    )


_CLEANER_NO_BASE = _make_cleaner(None)


class _DropEmptyMedia(HTMLParser):
    """Re-emit nh3's (well-formed) output without tracking pixels, src-less images and iframes.

    nh3's attribute filter sees one attribute at a time, so an element that must go because of a
    combination (``width=1`` with ``src``) or a removed ``src`` is dropped here; nh3 then cleans the
    result again, so this pass can only remove things, never let anything in.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.in_iframe = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "iframe":
            self.in_iframe += 1
            if self.in_iframe > 1 or "src" not in values:
                return
        elif self.in_iframe:
            return  # an iframe's fallback content is never shown; drop it
        if tag == "img" and ("src" not in values or _is_pixel(values)):
            return
        rendered = "".join(
            f" {name}" if value is None else f' {name}="{html.escape(value, quote=True)}"' for name, value in attrs
        )
        self.out.append(f"<{tag}{rendered}>")
        if tag == "iframe":
            self.out.append("</iframe>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "iframe":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "iframe":
            self.in_iframe = max(0, self.in_iframe - 1)
            return
        if self.in_iframe or tag in VOID_TAGS:
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.in_iframe:
            self.out.append(html.escape(data, quote=False))


def clean_html(fragment: str, base_url: str | None = None) -> str:
    """Sanitised HTML for a post body; relative URLs are resolved against ``base_url`` first.

    Linear in the size of ``fragment`` whatever its shape (issue #15): nh3 only ever sees a tree
    at most ``MAX_DEPTH`` deep with at most ``MAX_ELEMENTS`` elements.
    """
    budgeted = limit_nesting(
        fragment[:MAX_BODY_CHARS], MAX_DEPTH, MAX_ELEMENTS, drop_with_content=frozenset(DROPPED_WITH_CONTENT)
    )
    cleaner = _make_cleaner(base_url) if base_url else _CLEANER_NO_BASE
    first = cleaner.clean(budgeted)
    structure = _DropEmptyMedia()
    structure.feed(first)
    structure.close()
    # Clean again: the final word on what is allowed is always nh3's.
    cleaned = _CLEANER_NO_BASE.clean("".join(structure.out))
    # Then write it out canonically (sorted attributes, only XML characters, every element
    # closed, no deeper than MAX_DEPTH): a re-serialisation of nh3's well-formed output that can
    # only drop things, so the same entry gives the same bytes in every process.
    result = limit_nesting(cleaned, MAX_DEPTH, MAX_ELEMENTS, sort_attributes=True).strip()
    # Character references, not braces: a Jinja or macros pass could never see {{ or {%.
    return result.replace("{", "&#123;").replace("}", "&#125;")


def clean_text(value: str | None, max_length: int = 300) -> str:
    """Plain text from a feed's title/author/category field (which may hold HTML or entities).

    Only characters XML 1.0 allows are kept (issue #15: a U+FFFE in a title made the hub's own
    Atom feed not well-formed), and, as for bodies, nh3 never sees a deep tree.
    """
    if not value:
        return ""
    budgeted = limit_nesting(value[:MAX_TEXT_INPUT_CHARS], drop_with_content=frozenset({"script", "style"}))
    text = html.unescape(nh3.clean(budgeted, tags=set(), clean_content_tags={"script", "style"}))
    text = xml_safe(BIDI_AND_CONTROL.sub("", text))
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    text = " ".join(text.split())
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


def plain_text_to_html(text: str) -> str:
    """A ``text/plain`` entry body as paragraphs (escaped; cleaned like any other body after)."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
