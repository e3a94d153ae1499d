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

``clean_html(clean_html(x)) == clean_html(x)`` holds (tests check it on hostile inputs).
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import nh3

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
IFRAME_SETTINGS = {
    "sandbox": "allow-scripts allow-same-origin allow-presentation allow-popups",
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


def _allowed_iframe(src: str) -> bool:
    parts = urlsplit(src)
    return parts.scheme == "https" and any(
        parts.hostname == host and parts.path.startswith(prefix) for host, prefix in IFRAME_SOURCES
    )


def _safe_url(value: str, base_url: str | None, *, https_only: bool) -> str | None:
    value = value.strip()
    if base_url:
        try:
            value = urljoin(base_url, value)
        except ValueError:
            return None
    try:
        scheme = urlsplit(value).scheme.lower()
    except ValueError:
        return None
    if https_only:
        return value if scheme == "https" else None
    return value if scheme in ("http", "https", "mailto") else None


def _make_cleaner(base_url: str | None) -> nh3.Cleaner:
    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if attribute in URL_ATTRIBUTES:
            url = _safe_url(value, base_url, https_only=tag in ("img", "iframe"))
            if url is None or (tag == "iframe" and not _allowed_iframe(url)):
                return None
            return url
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
    """Sanitised HTML for a post body; relative URLs are resolved against ``base_url`` first."""
    cleaner = _make_cleaner(base_url) if base_url else _CLEANER_NO_BASE
    first = cleaner.clean(fragment)
    structure = _DropEmptyMedia()
    structure.feed(first)
    structure.close()
    # Clean again: the final word on safety is always nh3's.
    result = _CLEANER_NO_BASE.clean("".join(structure.out)).strip()
    # Character references, not braces: a Jinja or macros pass could never see {{ or {%.
    return result.replace("{", "&#123;").replace("}", "&#125;")


def clean_text(value: str | None, max_length: int = 300) -> str:
    """Plain text from a feed's title/author/category field (which may hold HTML or entities)."""
    if not value:
        return ""
    text = html.unescape(nh3.clean(value, tags=set(), clean_content_tags={"script", "style"}))
    text = BIDI_AND_CONTROL.sub("", text)
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    text = " ".join(text.split())
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


def plain_text_to_html(text: str) -> str:
    """A ``text/plain`` entry body as paragraphs (escaped; cleaned like any other body after)."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
