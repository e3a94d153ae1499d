"""One search index per language, so a search on a Welsh page finds only Welsh pages.

Material's search plugin writes one ``search/search_index.json`` for the whole site. After it
has, ``split_search_index`` rewrites it: the default language's pages stay in
``search/search_index.json``, and each other language's go to ``<code>/search/search_index.json``
with locations relative to that folder. The theme points each page's search at its own
language's folder (overrides/main.html, the ``config`` block). lunr has no Welsh stemmer or stop
words, so other languages keep only lunr's trimmer: English stemming would mangle Welsh words
and English stop words would drop real Welsh ones ("a" is "and").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .files import write_text_atomic
from .i18n import Language

INDEX = Path("search") / "search_index.json"
# lunr pipeline functions each language keeps; lunr-languages has support for these.
STEMMED = {"en", "de", "fr", "es", "it", "nl", "pt", "da", "fi", "hu", "no", "ro", "ru", "sv", "tr"}


def split_search_index(site_dir: Path, languages: list[Language]) -> dict[str, int]:
    """Split the site's search index by language; returns how many entries each language got."""
    path = site_dir / INDEX
    if len(languages) < 2 or not path.is_file():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    docs = data.get("docs", [])
    others = [lang for lang in languages if lang.prefix]
    counts: dict[str, int] = {}
    for lang in others:
        own = [
            {**doc, "location": doc["location"][len(lang.prefix) :]}
            for doc in docs
            if str(doc.get("location", "")).startswith(lang.prefix)
        ]
        config = dict(data.get("config", {}))
        if lang.code not in STEMMED:
            config["lang"] = ["en"]
            config["pipeline"] = ["trimmer"]
        write_text_atomic(site_dir / lang.prefix / INDEX, _dump({**data, "config": config, "docs": own}))
        counts[lang.code] = len(own)
    default = [doc for doc in docs if not any(str(doc.get("location", "")).startswith(o.prefix) for o in others)]
    write_text_atomic(path, _dump({**data, "docs": default}))
    counts[languages[0].code] = len(default)
    return counts


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
