"""Plain-English checks: Flesch-Kincaid grade of the text a reader actually sees.

Lists and table cells rarely end with a full stop; counted raw, a whole list would read as one
enormous sentence. Every block of text is therefore closed as a sentence before scoring.
"""

from __future__ import annotations

from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any

MAX_GRADE = 9.0
_BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "summary", "figcaption", "caption"}
_SKIP = {"script", "style", "code", "pre", "nav"}


def as_sentences(texts: Iterable[str]) -> str:
    out = []
    for text in texts:
        text = " ".join(text.split())
        if not text:
            continue
        out.append(text if text[-1] in ".!?:;" else text + ".")
    return " ".join(out)


def fk_grade(texts: Iterable[str]) -> float:
    import textstat

    joined = as_sentences(texts)
    return float(textstat.flesch_kincaid_grade(joined)) if joined else 0.0


def yaml_texts(data: Any) -> list[str]:
    """Human-readable strings in parsed content (skips ids, links, dates and enum words)."""
    found: list[str] = []

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            if key in {"id", "url", "ref", "accessed", "published", "last_reviewed", "kind", "cost", "difficulty", "effort", "category", "platforms", "audience", "approach", "when", "worksheet"}:
                return
            if value.startswith("http") or " " not in value.strip():
                return
            found.append(value)

    walk(data)
    return found


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCKS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.current.append(data)

    def flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []


def html_text_blocks(html: str) -> list[str]:
    parser = _TextExtractor()
    parser.feed(html)
    parser.flush()
    return parser.blocks
