"""A long-lived feedparser process: reads feeds from stdin, writes plain JSON to stdout.

Started only by ``parsing.ParserPool`` as ``python -m councillor_hub.ingest.parse_worker LIMIT``.
It first lowers its own address-space limit to ``LIMIT`` bytes, so an entity bomb fails with
MemoryError here instead of exhausting the machine. The pool kills it at each
feed's wall-clock deadline (feedparser has a quadratic-time author parser, feedparser#562) and
starts a fresh one; after a MemoryError it exits by itself, so the next feed never runs in a
process that was just out of memory.

One process serves many feeds because starting Python and importing feedparser costs about
100 ms of CPU, more than parsing a typical feed (issue #14). Each message is framed as an 8-byte
big-endian length and then that many bytes: a request is two frames (the HTTP headers as JSON,
then the feed's bytes) and a reply is one frame of JSON.
"""

from __future__ import annotations

import calendar
import json
import os
import struct
import sys
from typing import IO, Any

MAX_ENTRIES = 500
FRAME = struct.Struct(">Q")
WARM_UP = b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>t</title></item></channel></rss>"


def _limit_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows: the wall-clock deadline still applies
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _timestamp(value: Any) -> int | None:
    if not value:
        return None
    try:
        return int(calendar.timegm(value))
    except (TypeError, ValueError, OverflowError):
        return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _entry(entry: Any) -> dict[str, Any]:
    content = entry.get("content") or []
    body, body_type = "", "text/html"
    if content and isinstance(content[0], dict):
        body, body_type = content[0].get("value") or "", content[0].get("type") or "text/html"
    if not body:
        body = entry.get("summary") or ""
        body_type = (entry.get("summary_detail") or {}).get("type") or "text/html"
    title_detail = entry.get("title_detail") or {}
    return {
        "guid": _text(entry.get("id")),
        "link": _text(entry.get("link")),
        "title": _text(entry.get("title")) or "",
        "title_type": title_detail.get("type") or "text/plain",
        "author": _text(entry.get("author")),
        "categories": [t.get("term") for t in entry.get("tags") or [] if isinstance(t.get("term"), str)],
        "published": _timestamp(entry.get("published_parsed")) or _timestamp(entry.get("created_parsed")),
        "updated": _timestamp(entry.get("updated_parsed")),
        "body": body,
        "body_type": body_type,
    }


def parse_bytes(data: bytes, headers: dict[str, str]) -> dict[str, Any]:
    import io

    import feedparser

    parsed = feedparser.parse(
        io.BytesIO(data),
        response_headers=headers,
        # Our own sanitiser (nh3) cleans every field; feedparser's would only mangle iframes.
        sanitize_html=False,
        # Relative links are resolved against the entry's own link by our sanitiser instead.
        resolve_relative_uris=False,
    )
    feed = parsed.get("feed") or {}
    exception = parsed.get("bozo_exception")
    return {
        "version": parsed.get("version") or "",
        "bozo": bool(parsed.get("bozo")),
        "bozo_exception": f"{type(exception).__name__}: {exception}" if exception else None,
        "title": _text(feed.get("title")),
        "link": _text(feed.get("link")),
        "entries": [_entry(e) for e in (parsed.get("entries") or [])[:MAX_ENTRIES]],
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
    parse_bytes(WARM_UP, {})
    # Replies go to a private copy of stdout; anything a library prints goes to stderr instead of
    # corrupting a reply.
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    requests = sys.stdin.buffer
    while True:
        headers_json = read_frame(requests)
        data = read_frame(requests) if headers_json is not None else None
        if headers_json is None or data is None:
            return 0
        try:
            result = parse_bytes(data, json.loads(headers_json))
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
