"""When two feed entries are the same post, and what a post's id and file name are.

Blogs change their entries' guids and links more often than you would think: a site moves to
https, a plugin adds ``?utm_source=rss``, a host hands out per-request tokens. The rules:

* An entry is the same as a stored post when its guid, its normalised link, or its title plus
  publication date match one already stored for the same feed (checked in that order).
* A post's id is the first 16 hex characters of ``sha256(feed id + "\\0" + primary key)``,
  where the primary key is the first of guid, link, title+date the entry has. Once stored, the
  id (and so the file name) never changes, whatever the entry does later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track clicks; they never change what a link points at.
TRACKING_PARAMS = {
    "fbclid",
    "gclid",
    "gbraid",
    "wbraid",
    "dclid",
    "msclkid",
    "yclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "_ga",
    "_gl",
    "mkt_tok",
    "ck_subscriber_id",
    "oly_enc_id",
    "oly_anon_id",
    "vero_id",
    "wt_mc",
}
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
MAX_KEY_LENGTH = 300
SLUG_MAX = 60


def normalise_link(url: str) -> str | None:
    """A link with everything that varies between fetches removed, or None if it is not a web link.

    ``https://www.Example.org/a/?utm_source=rss#top`` → ``//example.org/a``.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address keeps its brackets, or its port would merge into it (issue #15)
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
    )
    return urlunsplit(("", host, path, urlencode(query), ""))


def _bounded(key: str) -> str:
    # Keys go into state.json; a hostile feed must not make that file enormous.
    if len(key) <= MAX_KEY_LENGTH:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def guid_key(guid: str | None) -> str | None:
    if not guid or not guid.strip():
        return None
    guid = guid.strip()
    # URL-shaped guids churn like links do (http → https, tracking parameters).
    return _bounded(normalise_link(guid) or guid)


def link_key(link: str | None) -> str | None:
    normal = normalise_link(link) if link else None
    return _bounded(normal) if normal else None


def title_date_key(title: str, published: dt.datetime | None) -> str | None:
    """Title plus the entry's own publication day; None when the entry has no date of its own."""
    if published is None or not title.strip():
        return None
    return _bounded(" ".join(title.casefold().split()) + "|" + published.date().isoformat())


def post_id(feed_id: str, primary_key: str) -> str:
    return hashlib.sha256(f"{feed_id}\0{primary_key}".encode()).hexdigest()[:16]


def slugify(text: str, max_length: int = SLUG_MAX) -> str:
    """ASCII letters, digits and single hyphens, cut at a word boundary; "post" if nothing is left.

    Whatever the title (``../../mkdocs``, ``CON``, emoji, right-to-left overrides), the result
    cannot name a folder or a device, because file names also carry a date prefix and id suffix.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:max_length]
        slug = slug[:max_length].strip("-")
    return slug or "post"


def post_filename(published: dt.datetime, title: str, pid: str, id_chars: int = 6) -> str:
    return f"{published.date().isoformat()}-{slugify(title)}-{pid[:id_chars]}.md"
