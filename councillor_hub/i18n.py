"""Languages: the words of the hub's pages and tools in each language, and dates that read right.

Each language of a hub is a ``Language``: its code, the path prefix of its pages ("" for the
first language, "cy/" for Welsh on an English-first hub), and a gettext catalogue of every
string the templates, the code and the interactive tools print (``overrides/locale/<code>.po``,
with a council's ``council/locale/<code>.po`` winning entry by entry). Dates are formatted by
Babel from CLDR data, so Welsh months read "Tachwedd", and plurals follow each language's rules
(Welsh has six forms).
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import json
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

# Content is written in English; other languages are translations of it.
SOURCE_LANGUAGE = "en"


class FallbackText(str):
    """Source-language text shown on a page in another language, because no current translation exists.

    Templates mark it ``lang="en"`` (WCAG 3.1.2, language of parts), and the page says that part
    of it is not translated yet.
    """

    __slots__ = ()


# Names of languages in themselves, for the language switcher.
NATIVE_NAMES = {"en": "English", "cy": "Cymraeg"}


@dataclass(frozen=True)
class Language:
    """One language of the hub, as the pages of that language need it."""

    code: str
    prefix: str = ""
    translations: gettext.NullTranslations = field(default_factory=gettext.NullTranslations, compare=False)
    catalogue: Catalog | None = field(default=None, compare=False)

    @property
    def is_default(self) -> bool:
        return self.prefix == ""

    @property
    def native_name(self) -> str:
        return NATIVE_NAMES.get(self.code) or Locale.parse(self.code).get_display_name(self.code) or self.code

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translations.ngettext(singular, plural, count)

    def path(self, src: str) -> str:
        """The path of a page in this language's part of the site."""
        return self.prefix + src

    def date(self, value: dt.date | dt.datetime) -> str:
        """ "30 November 2026" / "30 Tachwedd 2026"."""
        return _long_date(value.date() if isinstance(value, dt.datetime) else value, self.code)


ENGLISH = Language("en")


@lru_cache(maxsize=100_000)  # thousands of posts share a few hundred days; Babel is slow per call
def _long_date(day: dt.date, code: str) -> str:
    return format_date(day, format="d MMMM y", locale=code)


def read_catalogue(path: Path) -> Catalog:
    """The PO catalogue at ``path`` (named by its language, ``cy.po``), read again only when the
    file changes: every serve rebuild asks. Callers must not change it."""
    stat = path.stat()
    return _read_catalogue(path, stat.st_mtime_ns, stat.st_size)


@cache
def _read_catalogue(path: Path, mtime_ns: int, size: int) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=path.stem)


def load_catalogue(paths: list[Path], code: str) -> Catalog:
    """The PO catalogues at ``paths`` merged in order, later files winning entry by entry."""
    merged = Catalog(locale=code)
    for path in paths:
        if not path.is_file():
            continue
        catalogue = read_catalogue(path)
        if merged.plural_forms != catalogue.plural_forms:
            merged = _with_plural_forms(merged, catalogue)
        for message in catalogue:
            if message.id and message.string and not message.fuzzy:
                merged[message.id] = message
    return merged


def _with_plural_forms(merged: Catalog, catalogue: Catalog) -> Catalog:
    out = Catalog(locale=catalogue.locale)
    for message in merged:
        if message.id:
            out[message.id] = message
    return out


def translations_from(catalogue: Catalog) -> gettext.GNUTranslations:
    """A gettext object for ``catalogue`` (compiled in memory: no .mo files in the repository)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def make_languages(codes: list[str], catalogue_paths: dict[str, list[Path]]) -> list[Language]:
    """The hub's languages, the first at the site root and each other under ``<code>/``."""
    languages = []
    for index, code in enumerate(codes):
        paths = catalogue_paths.get(code, [])
        prefix = "" if index == 0 else f"{code}/"
        # The same object while the catalogues are unchanged, so that rendered fragments memoised
        # under it (mkdocs serve) stay valid; a changed catalogue makes a new one.
        key = (code, prefix, tuple((str(p), p.stat().st_mtime_ns if p.is_file() else None) for p in paths))
        if key not in _LANGUAGES:
            catalogue = load_catalogue(paths, code) if any(p.is_file() for p in paths) else None
            translations: gettext.NullTranslations = (
                translations_from(catalogue) if catalogue is not None else gettext.NullTranslations()
            )
            _LANGUAGES[key] = Language(code, prefix, translations, catalogue)
        languages.append(_LANGUAGES[key])
    return languages


_LANGUAGES: dict[tuple[str, str, tuple[tuple[str, int | None], ...]], Language] = {}


_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def script_strings(language: Language) -> dict[str, Any]:
    """The interactive tools' words in ``language``: {English: translation}, plural forms by CLDR category.

    Only messages used by JavaScript files (their catalogue locations end in .js) are included,
    so every page in the language loads one small file (see hub.t and hub.tn in hub-core.js).
    """
    catalogue = language.catalogue
    if catalogue is None:
        return {}
    locale = Locale.parse(language.code)
    plural_index = gettext.c2py(catalogue.plural_expr)
    samples: dict[str, int] = {}
    for n in range(0, 1001):
        samples.setdefault(locale.plural_form(n), n)
    out: dict[str, Any] = {}
    for message in catalogue:
        if not message.id or not message.string or not any(loc.endswith(".js") for loc, _ in message.locations):
            continue
        if isinstance(message.id, tuple):
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            out[message.id[0]] = {
                category: forms[min(plural_index(n), len(forms) - 1)]
                for category, n in samples.items()
                if category in _CATEGORIES and forms[min(plural_index(n), len(forms) - 1)]
            }
        elif isinstance(message.string, str):
            out[str(message.id)] = message.string
    return out


def script_strings_file(language: Language) -> str:
    """assets/hub/strings.<code>.js: loaded before hub-core.js on every page in that language."""
    data = json.dumps(script_strings(language), ensure_ascii=False, sort_keys=True, indent=0)
    header = f"/* Generated from the translation catalogue of {language.code}; do not edit. */"
    return f"{header}\nwindow.CouncillorHubStrings = {data};\n"
