"""Plain-English checks: Flesch-Kincaid grade of the text a reader actually sees.

Lists and table cells rarely end with a full stop; counted raw, a whole list would read as one
enormous sentence. Every block of text is therefore closed as a sentence before scoring.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any

import pyphen

MAX_GRADE = 9.0
_BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "summary", "figcaption", "caption"}
_SKIP = {"script", "style", "code", "pre", "nav"}


def as_sentences(texts: Iterable[str]) -> str:
    out = []
    for text in texts:
        text = " ".join(text.split())
        if not text:
            continue
        out.append(text if text[-1] in ".!?" else text + ".")
    return " ".join(out)


_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")


@functools.cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_GB")


_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """Syllables in a word: the larger of two estimates, so the grade errs on the hard side.

    Hyphenation points (pyphen's en_GB dictionary) miss syllables at word edges ("a-bout");
    counting vowel groups misses some inside words ("cre-ate"). Neither needs downloaded data.
    """
    if word.isdigit():
        return 1
    lower = word.lower()
    by_hyphenation = len(_hyphenator().positions(lower)) + 1
    groups = len(_VOWEL_GROUPS.findall(lower))
    if lower.endswith("e") and not lower.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1  # a silent final e, as in "make"
    return max(1, by_hyphenation, groups)


def fk_grade(texts: Iterable[str]) -> float:
    """Flesch-Kincaid grade level of the texts, each closed as a sentence.

    grade = 0.39 x (words / sentences) + 11.8 x (syllables / words) - 15.59
    (Kincaid et al., 1975). Syllables come from pyphen, so the figure is deterministic and needs
    no downloaded data (textstat fetches NLTK's dictionary at run time, which CI cannot do).
    """
    joined = as_sentences(texts)
    words = _WORD.findall(joined)
    if not words:
        return 0.0
    sentences = max(1, len(_SENTENCE_END.findall(joined)))
    syllable_count = sum(syllables(w) for w in words)
    return round(0.39 * len(words) / sentences + 11.8 * syllable_count / len(words) - 15.59, 1)


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
            if key in {
                "id",
                "url",
                "ref",
                "accessed",
                "published",
                "last_reviewed",
                "kind",
                "cost",
                "difficulty",
                "effort",
                "category",
                "platforms",
                "audience",
                "approach",
                "when",
                "worksheet",
            }:
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
