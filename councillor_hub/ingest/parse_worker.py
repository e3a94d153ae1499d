"""A long-lived feedparser process: reads feeds from stdin, writes plain JSON to stdout.

Started only by ``parsing.ParserPool`` as ``python -m councillor_hub.ingest.parse_worker LIMIT``.
It first lowers its own address-space limit to ``LIMIT`` bytes, so an entity bomb fails with
MemoryError here instead of exhausting the machine. The pool kills it at each
feed's wall-clock deadline (feedparser has a quadratic-time author parser, feedparser#562) and
starts a fresh one; after a MemoryError it exits by itself, so the next feed never runs in a
process that was just out of memory.

One process serves many feeds because starting Python and importing feedparser costs about
100 ms of CPU, more than parsing a typical feed (issue #14). Each message is framed as an 8-byte
big-endian length and then that many bytes: a request is two frames (JSON with the HTTP headers,
the feed's final URL and the run's clock, then the feed's bytes) and a reply is one frame of JSON.

Each entry's body is sanitised here too (issue #15), so a pathological body costs at most this
feed's deadline and memory, never the run's. Each entry is also converted on its own: an entry
that cannot be converted, or that is junk (a title that is only an unexpanded entity reference,
left by an entity bomb; no title and no text), is skipped and reported, and the rest of the feed
is kept. Dates outside a plausible window, or that feedparser "repaired" into another year
(``10000-01-01`` became 2010-11-01), are treated as missing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import os
import re
import struct
import sys
import time
from typing import IO, Any

from ..xml_text import xml_safe
from .sanitising import clean_html, clean_text, plain_text_to_html, web_url

MAX_ENTRIES = 500
# Dates before this are not blog posts (a year 0001 date became 1400-01-01 before issue #15).
EARLIEST_DATE = int(dt.datetime(1990, 1, 1, tzinfo=dt.UTC).timestamp())
# A date later than the run's clock by more than this is treated as unknown, not as "now".
FUTURE_SLACK = 24 * 60 * 60
# A numeric character reference (with or without leading zeros).
CHARACTER_REFERENCE = re.compile(rb"&#(?:[xX]0*([0-9A-Fa-f]+)|0*([0-9]+));")
# A title that is nothing but entity references feedparser could not expand (``&lol9;``).
UNEXPANDED_ENTITIES = re.compile(r"(?:&[A-Za-z_][\w.:-]*;\s*)+")
FRAME = struct.Struct(">Q")
WARM_UP = b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>t</title></item></channel></rss>"


def _limit_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows: the wall-clock deadline still applies
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _xml_character(code: int) -> bool:
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


def without_invalid_references(data: bytes) -> bytes:
    """The feed's bytes without character references to characters XML 1.0 does not allow.

    feedparser's fallback parser raises on ``&#xD800;`` (a lone surrogate) and the whole feed was
    lost on every run (issue #15); such characters are removed from everything stored anyway.
    """

    def keep_or_drop(found: re.Match[bytes]) -> bytes:
        digits, base = (found[1], 16) if found[1] is not None else (found[2], 10)
        if len(digits) > 8:
            return b""  # far beyond U+10FFFF (and int() refuses very long digit strings)
        return found[0] if _xml_character(int(digits, base)) else b""

    return CHARACTER_REFERENCE.sub(keep_or_drop, data)


def _year_is_written(year: int, raw: str) -> bool:
    """Whether the year feedparser read is in the date as written (four digits, or RFC 822's two)."""
    runs = re.findall(r"[0-9]+", raw)
    return str(year) in runs or any(len(run) == 2 and run == f"{year % 100:02d}" for run in runs)


def _timestamp(value: Any, raw: Any, now: int) -> int | None:
    """A plausible UTC timestamp, or None: unknown is better than a wrong date (issue #15)."""
    if not value:
        return None
    try:
        stamp = int(calendar.timegm(value))
    except (TypeError, ValueError, OverflowError):
        return None
    if not EARLIEST_DATE <= stamp <= now + FUTURE_SLACK:
        return None
    if isinstance(raw, str) and not _year_is_written(value.tm_year, raw):
        return None  # feedparser "repaired" an impossible date into another one
    return stamp


def _text(value: Any) -> str | None:
    return xml_safe(value) if isinstance(value, str) else None


class SkippedEntry(Exception):
    """An entry that is not published; the message says why, for the run's report."""


def _entry(entry: Any, base_url: str | None, now: int) -> dict[str, Any]:
    content = entry.get("content") or []
    body, body_type = "", "text/html"
    if content and isinstance(content[0], dict):
        body, body_type = content[0].get("value") or "", content[0].get("type") or "text/html"
    if not body:
        body = entry.get("summary") or ""
        body_type = (entry.get("summary_detail") or {}).get("type") or "text/html"
    title_detail = entry.get("title_detail") or {}
    title = _text(entry.get("title")) or ""
    link = _text(entry.get("link"))
    title_text = clean_text(title)
    if UNEXPANDED_ENTITIES.fullmatch(title_text):
        raise SkippedEntry(f"its title is an unexpanded entity reference ({title_text[:40]}): an entity bomb?")
    if body_type == "text/plain":
        body = plain_text_to_html(body)
    # Relative links in the body are resolved against the entry's own page, else the feed's.
    body = clean_html(body, (web_url(link, base_url) if link else None) or base_url)
    if not title_text and not body:
        raise SkippedEntry("it has no title and no text")
    published = _timestamp(entry.get("published_parsed"), entry.get("published"), now)
    created = _timestamp(entry.get("created_parsed"), entry.get("created"), now)
    return {
        "guid": _text(entry.get("id")),
        "link": link,
        "title": title,
        "title_type": title_detail.get("type") or "text/plain",
        "author": _text(entry.get("author")),
        "categories": [xml_safe(t.get("term")) for t in entry.get("tags") or [] if isinstance(t.get("term"), str)],
        "published": published or created,
        "updated": _timestamp(entry.get("updated_parsed"), entry.get("updated"), now),
        "body": body,
        "body_type": "text/html",  # sanitised
    }


def _entries(entries: list[Any], base_url: str | None, now: int) -> tuple[list[dict[str, Any]], list[str]]:
    """The entries that can be published, and a note for each one that cannot (issue #15)."""
    kept: list[dict[str, Any]] = []
    skipped: list[str] = []
    for number, entry in enumerate(entries, start=1):
        try:
            kept.append(_entry(entry, base_url, now))
        except MemoryError:
            raise  # the whole feed is over its memory budget: the pool reports that
        except SkippedEntry as exc:
            skipped.append(f"entry {number} skipped: {exc}")
        except Exception as exc:  # noqa: BLE001 - one bad entry must never cost the feed
            skipped.append(f"entry {number} skipped: it could not be read ({type(exc).__name__}: {str(exc)[:100]})")
    return kept, skipped


def parse_bytes(
    data: bytes, headers: dict[str, str], base_url: str | None = None, now: int | None = None
) -> dict[str, Any]:
    """Parse a feed and clean its entries; ``now`` (a UTC timestamp) is the run's clock."""
    import io

    import feedparser

    now = int(time.time()) if now is None else now
    parsed = feedparser.parse(
        io.BytesIO(without_invalid_references(data)),
        response_headers=headers,
        # Our own sanitiser (nh3) cleans every field; feedparser's would only mangle iframes.
        sanitize_html=False,
        # Relative links are resolved against the entry's own link by our sanitiser instead.
        resolve_relative_uris=False,
    )
    feed = parsed.get("feed") or {}
    exception = parsed.get("bozo_exception")
    entries, skipped = _entries((parsed.get("entries") or [])[:MAX_ENTRIES], base_url, now)
    return {
        "version": parsed.get("version") or "",
        "bozo": bool(parsed.get("bozo")),
        "bozo_exception": f"{type(exception).__name__}: {exception}" if exception else None,
        "title": _text(feed.get("title")),
        "link": _text(feed.get("link")),
        "entries": entries,
        "skipped": skipped,
        "entry_count": len(parsed.get("entries") or []),
    }


def read_frame(stream: IO[bytes]) -> bytes | None:
    """One length-prefixed message, or None at end of input (the pool closed the pipe)."""
    header = stream.read(FRAME.size)
    if len(header) < FRAME.size:
        return None
    (length,) = FRAME.unpack(header)
    data = stream.read(length)
    if len(data) < length:
        return None
    return data


def write_frame(stream: IO[bytes], data: bytes) -> None:
    stream.write(FRAME.pack(len(data)) + data)
    stream.flush()


def serve(limit: int) -> int:
    """Parse feeds until stdin closes; exit after the first error, so no feed follows a failure here."""
    _limit_memory(limit)
    # One tiny parse loads everything feedparser imports lazily (its SAX driver, for one) before
    # the first real feed, so a feed is never blamed for an import that failed under the limit.
    try:
        parse_bytes(WARM_UP, {})
    except (ImportError, OSError) as exc:
        # Under a tight limit the libraries cannot even be mapped into memory ("failed to map
        # segment from shared object"): that is the memory limit at work, and is reported as such.
        if "map segment" not in str(exc) and "Cannot allocate memory" not in str(exc):
            raise
        print(f"MemoryError: the parser cannot load within {limit} bytes ({exc})", file=sys.stderr)
        return 3
    # Replies go to a private copy of stdout; anything a library prints goes to stderr instead of
    # corrupting a reply.
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    requests = sys.stdin.buffer
    while True:
        request_json = read_frame(requests)
        data = read_frame(requests) if request_json is not None else None
        if request_json is None or data is None:
            return 0
        try:
            request = json.loads(request_json)
            result = parse_bytes(data, request["headers"], request.get("base_url"), request.get("now"))
        except MemoryError:
            del data
            write_frame(replies, json.dumps({"error": "memory"}).encode())
            return 3
        except Exception as exc:  # noqa: BLE001 - reported to the pool as this feed's parse error
            write_frame(replies, json.dumps({"error": "exception", "detail": f"{type(exc).__name__}: {exc}"}).encode())
            return 4
        write_frame(replies, json.dumps(result).encode())


if __name__ == "__main__":
    sys.exit(serve(int(sys.argv[1])))
