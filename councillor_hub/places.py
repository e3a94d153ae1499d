"""Place tokens: the hub's examples name the council's own places.

Content text writes ``{ward}``, ``{town}``, ``{street2}`` and so on where an example names a
place; the build fills each in from ``council.yml`` (``places:``), or from upstream's made-up
names when the council has not listed any of that kind. ``{name}`` picks the first place of a
kind, ``{name2}`` the second, and so on (going round again if the council lists fewer).

This is a fixed vocabulary filled in with ``str.replace``-style substitution, never a template
language: content text cannot run code, and an unknown token is an error with its location.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .settings import CouncilSettings

# Upstream's made-up places: neutral, and obviously examples.
DEFAULT_PLACES: dict[str, tuple[str, ...]] = {
    "ward": ("Northfield", "Riverside", "Oakfield"),
    "town": ("Anytown", "Westbury"),
    "village": ("Little Oakley", "Ashby Green"),
    "neighbourhood": ("the Mill Park estate", "Brookside"),
    "street": ("Mill Lane", "Station Road"),
    "landmark": ("Mill Park", "the library on Station Road"),
}
_SETTINGS_FIELD = {
    "ward": "wards",
    "town": "towns",
    "village": "villages",
    "neighbourhood": "neighbourhoods",
    "street": "streets",
    "landmark": "landmarks",
}
# {ward}, {ward2}, and {ward:tag} for a hashtag ("Mill Park" -> "MillPark").
TOKEN = re.compile(r"\{([a-z]+)([0-9]?)(:tag)?\}")
SINGLE_TOKENS = ("council", "area")
# Filled in per place by the template that uses it (a platform's local search queries).
PER_PLACE_TOKEN = "place"


@dataclass(frozen=True)
class PlaceNames:
    """The places the tokens stand for, for one hub (and one language)."""

    lists: dict[str, tuple[str, ...]]
    council: str
    area: str

    @classmethod
    def from_settings(cls, settings: CouncilSettings, language: str | None = None) -> PlaceNames:
        lists = {}
        for kind, default in DEFAULT_PLACES.items():
            chosen = tuple(getattr(settings.places, _SETTINGS_FIELD[kind]))
            lists[kind] = chosen or default
        local = settings.translations.get(language or "")
        council = settings.council_name(language) or "Anytown Council"
        area = (local.area if local and local.area else None) or settings.area
        return cls(lists, council, area)

    def lookup(self, name: str, number: str) -> str | None:
        if name in SINGLE_TOKENS and not number:
            return self.council if name == "council" else self.area
        places = self.lists.get(name)
        if not places:
            return None
        index = (int(number) - 1 if number else 0) % len(places)
        return places[index]

    def fill(self, text: str) -> str:
        """``text`` with every known token replaced (unknown ones are left for ``token_problems``)."""
        if "{" not in text:
            return text

        def replace(match: re.Match[str]) -> str:
            value = self.lookup(match.group(1), match.group(2))
            if value is None:
                return match.group(0)
            return "".join(ch for ch in value.title() if ch.isalnum()) if match.group(3) else value

        filled = TOKEN.sub(replace, text)
        # Keep the text's type: an English fallback on a Welsh page stays marked as English.
        return type(text)(filled) if type(text) is not str else filled

    def all_places(self) -> list[str]:
        """Every distinct place, wards first (for the platform pages' local search links)."""
        seen: dict[str, None] = {}
        for kind in ("ward", "town", "village", "neighbourhood"):
            for place in self.lists[kind]:
                seen.setdefault(place, None)
        return list(seen)


def known_tokens() -> list[str]:
    return [*SINGLE_TOKENS, *DEFAULT_PLACES]


def token_problems(text: str) -> list[str]:
    """Messages for each unknown or malformed token in ``text`` (empty when all are fine)."""
    messages = []
    for match in TOKEN.finditer(text):
        name, number = match.group(1), match.group(2)
        if name in DEFAULT_PLACES and number != "0":
            continue
        if name in (*SINGLE_TOKENS, PER_PLACE_TOKEN) and not number:
            continue
        close = difflib.get_close_matches(name, known_tokens(), n=1)
        hint = f"; did you mean {{{close[0]}{number}}}?" if close else ""
        messages.append(
            f"unknown place token {match.group(0)}{hint} (known: {', '.join('{' + t + '}' for t in known_tokens())})"
        )
    return messages


def tokens_in(text: str) -> list[str]:
    """The tokens a text uses, in order (a translation must use the same ones)."""
    return sorted(match.group(0) for match in TOKEN.finditer(text))
