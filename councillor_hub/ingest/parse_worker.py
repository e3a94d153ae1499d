"""Parse one feed's bytes with feedparser, in a process of its own, and print plain JSON.

Run only by ``parsing.parse_feed`` as ``python -m councillor_hub.ingest.parse_worker LIMIT``
with the feed on stdin and its HTTP headers as JSON in the ``FEED_HEADERS`` environment variable.
It lowers its own address-space limit first, so an entity bomb fails with MemoryError here
instead of exhausting the machine; the parent kills it at its wall-clock deadline (feedparser has
a quadratic-time author parser, feedparser#562).
"""

from __future__ import annotations

import calendar
import json
import os
import sys
from typing import Any

MAX_ENTRIES = 500


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


def main() -> int:
    _limit_memory(int(sys.argv[1]))
    headers = json.loads(os.environ.get("FEED_HEADERS", "{}"))
    data = sys.stdin.buffer.read()
    try:
        result = parse_bytes(data, headers)
    except MemoryError:
        sys.stdout.write(json.dumps({"error": "memory"}))
        return 3
    sys.stdout.write(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
