"""Properties of the sanitiser over generated hostile HTML (issue #15).

Whatever a feed sends, ``clean_html`` must give: nothing that can run script, only allowlisted
players in iframes, well-formed output, the same output when cleaned again and in every call,
and only characters XML 1.0 allows. The example count comes from the profile in
``tests/fuzz/conftest.py`` (small in CI, large at night).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import ada_url
from hypothesis import given, settings
from hypothesis import strategies as st

from councillor_hub.html_nesting import MAX_DEPTH, nesting_depth
from councillor_hub.ingest.sanitising import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    IFRAME_SETTINGS,
    IFRAME_SOURCES,
    clean_html,
    clean_text,
)
from councillor_hub.xml_text import XML_INVALID

BASE = "https://blog.example/2024/06/post/"
TAGS = [
    "a", "b", "i", "p", "div", "span", "ul", "ol", "li", "table", "tr", "td", "pre", "code", "img", "br",
    "iframe", "script", "style", "svg", "math", "noscript", "textarea", "title", "template", "object",
    "embed", "form", "input", "xmp", "plaintext", "select", "option", "base", "meta", "SCRIPT", "IfRaMe",
]  # fmt: skip
ATTRIBUTES = [
    "href", "src", "cite", "title", "alt", "width", "height", "onclick", "onerror", "ONLOAD", "style", "id",
    "class", "name", "sandbox", "srcdoc", "allow", "formaction", "xlink:href", "data-x", "allowfullscreen",
]  # fmt: skip
URLS = [
    "javascript:alert(1)", " JaVaScRiPt:alert(1)", "java&#x09;script:alert(1)", "java\nscript:x", "&#106;avascript:x",
    "vbscript:msgbox(1)", "data:text/html;base64,PHNjcmlwdD4=", "DATA:image/png;base64,AA", "file:///etc/passwd",
    "https://www.youtube.com/embed/x", "https://www.youtube-nocookie.com/embed/x", "https://player.vimeo.com/video/1",
    "https://evil.example.net\\@www.youtube.com/embed/x", "https:\\\\evil.example.net\\embed",
    "https://www.youtube.com/embed/../../redirect", "https://www.youtube.com/embed/%2e%2e/%2E%2E/x",
    "https://u:p@www.youtube.com/embed/x", "https://www.youtube.com:8443/embed/x", "//www.youtube.com/embed/x",
    "https://www.youtube.com.evil.example/embed/x", "mailto:jo@example.org", "../relative/page", "#frag", "?q=1",
    "https://pixel.wp.com/b.gif", "http://insecure.example/a.png", "https://ok.example/a b", "\x01https://x.example/",
]  # fmt: skip
TEXT_BITS = [
    "&lt;script&gt;", "&amp;", "&lol9;", "&#xD800;", "&#xFFFE;", "&#x0;", "&#1;", "&#123;&#123; x &#125;&#125;",
    "{{ config }}", "{% include 'x' %}", "--8<--", "<", ">", '"', "'", "</", "<!--", "-->", "<![CDATA[", "]]>",
    "<!doctype html>", "<?xml ?>", "\u202e", "\ufffe", "\x00", "\x0b", "&nbsp;", "\r\n",
]  # fmt: skip

texts = st.one_of(st.sampled_from(TEXT_BITS), st.text(max_size=12))
attribute_values = st.one_of(st.sampled_from(URLS), st.sampled_from(TEXT_BITS), st.text(max_size=10))


@st.composite
def attributes(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(ATTRIBUTES))
    value = draw(attribute_values)
    quote = draw(st.sampled_from(['"', "'", ""]))
    if quote == '"':
        value = value.replace('"', "&quot;")
    elif quote == "'":
        value = value.replace("'", "&#39;")
    return f" {name}={quote}{value}{quote}"


@st.composite
def start_tags(draw: st.DrawFn) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = "".join(draw(st.lists(attributes(), max_size=4)))
    return f"<{tag}{attrs}{draw(st.sampled_from(['>', '/>', ' >', '']))}"


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda start, inner, close: start + inner + close,
        start_tags(),
        st.lists(children, max_size=4).map("".join),
        st.sampled_from(TAGS).map(lambda t: f"</{t}>") | st.just(""),
    )


fragments = st.recursive(texts | start_tags(), _element, max_leaves=30)
documents = st.lists(fragments, max_size=8).map("".join)
# Deep nesting, far past MAX_DEPTH, with junk in between.
deep_documents = st.builds(
    lambda tags, depth, filler: "".join(f"<{t}>{filler}" for t in tags) * depth,
    st.lists(st.sampled_from(["ul", "li", "div", "b", "table", "td", "p", "blockquote"]), min_size=1, max_size=3),
    st.integers(min_value=MAX_DEPTH, max_value=400),
    texts,
)
# nh3 (ammonia) allows these on every element by default; both are plain text.
GENERIC_ATTRIBUTES = {"lang", "title"}
SCRIPT_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.IGNORECASE)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.found


def _assert_safe(cleaned: str) -> None:
    assert "<script" not in cleaned.lower()
    for tag, attrs in _elements(cleaned):
        assert tag in ALLOWED_TAGS, tag
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | GENERIC_ATTRIBUTES | {"rel"}
        allowed |= set(IFRAME_SETTINGS) if tag == "iframe" else set()
        assert set(attrs) <= allowed, (tag, attrs)
        assert not any(name.startswith("on") for name in attrs)
        for name in ("href", "src", "cite"):
            value = attrs.get(name)
            if value is None:
                continue
            assert not SCRIPT_SCHEMES.match(value), value
            url = ada_url.URL(value)  # absolute, in the browser's own form
            assert url.href == value and not url.username and not url.password
            assert url.protocol in (("https:",) if tag in ("img", "iframe") else ("http:", "https:", "mailto:"))
        if tag == "iframe":
            url = ada_url.URL(attrs["src"] or "")
            assert any(url.hostname == h and url.pathname.startswith(p) for h, p in IFRAME_SOURCES), url.href
            assert attrs["sandbox"] == IFRAME_SETTINGS["sandbox"]


def _assert_well_formed(cleaned: str) -> None:
    xml = re.sub(r"<(br|hr|img)(\s[^>]*)?>", lambda m: f"<{m[1]}{m[2] or ''}/>", cleaned)
    ET.fromstring(f"<div>{xml}</div>")  # raises if not well-formed
    assert nesting_depth(cleaned) <= MAX_DEPTH


@settings(deadline=None)
@given(documents, st.sampled_from([None, BASE]))
def test_clean_html_properties(dirty: str, base: str | None) -> None:
    cleaned = clean_html(dirty, base)
    _assert_safe(cleaned)
    _assert_well_formed(cleaned)
    assert not XML_INVALID.search(cleaned)
    assert "{" not in cleaned and "}" not in cleaned
    assert clean_html(cleaned, base) == cleaned  # idempotent
    assert clean_html(cleaned) == cleaned  # and needs its base only once
    assert clean_html(dirty, base) == cleaned  # deterministic


@settings(deadline=None)
@given(deep_documents)
def test_deep_documents_stay_shallow_and_safe(dirty: str) -> None:
    cleaned = clean_html(dirty)
    _assert_safe(cleaned)
    _assert_well_formed(cleaned)
    assert clean_html(cleaned) == cleaned


@settings(deadline=None)
@given(documents)
def test_clean_text_properties(dirty: str) -> None:
    text = clean_text(dirty)
    assert not XML_INVALID.search(text)
    assert not re.search(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]", text)
    assert len(text) <= 300 and text == text.strip()
