"""Turn fetched bytes into typed feed entries, with the parser fenced off in its own process.

feedparser is run from bytes (never fetching anything itself) inside a child process with a
wall-clock deadline and an address-space limit (see ``parse_worker``), so billion-laughs style
entity bombs and pathological inputs (feedparser#562, a quadratic author parser) cost at most a
few seconds and a bounded amount of memory, and never stop the run.

An HTML page or an empty body is "not a feed", never "a feed with zero entries": feedparser
returns no entries and no error for those, and treating that as an empty feed is how naive
aggregators lose posts. A malformed ("bozo") feed keeps whatever entries could be salvaged.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field

DEFAULT_PARSE_TIMEOUT = 20.0
DEFAULT_MEMORY_LIMIT = 768 * 1024 * 1024


@dataclass(frozen=True)
class RawEntry:
    """One entry as the feed gave it: text fields not yet cleaned, dates in UTC."""

    guid: str | None
    link: str | None
    title: str
    title_type: str
    author: str | None
    categories: tuple[str, ...]
    published: dt.datetime | None
    updated: dt.datetime | None
    body: str
    body_type: str


@dataclass
class ParsedFeed:
    """``outcome`` is ``ok``, ``not-a-feed`` or ``failed`` (``reason``: parse-timeout, parse-memory, ...)."""

    outcome: str
    entries: list[RawEntry] = field(default_factory=list)
    version: str = ""
    malformed: str | None = None
    reason: str = ""
    detail: str = ""


class ParseFailed(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _when(timestamp: object) -> dt.datetime | None:
    if not isinstance(timestamp, int):
        return None
    try:
        return dt.datetime.fromtimestamp(timestamp, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _run_worker(body: bytes, headers: dict[str, str], timeout: float, memory_limit: int) -> dict[str, object]:
    env = dict(os.environ, FEED_HEADERS=json.dumps(headers))
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "councillor_hub.ingest.parse_worker", str(memory_limit)],
            input=body,
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ParseFailed("parse-timeout", f"parsing took longer than {timeout:g} s") from exc
    try:
        result = json.loads(completed.stdout or b"null")
    except ValueError:
        result = None
    if isinstance(result, dict) and result.get("error") == "memory":
        raise ParseFailed("parse-memory", "parsing needed more memory than allowed")
    if completed.returncode != 0 or not isinstance(result, dict):
        if b"MemoryError" in completed.stderr:
            raise ParseFailed("parse-memory", "parsing needed more memory than allowed")
        last_line = (completed.stderr.decode("utf-8", "replace").strip().splitlines() or ["no output"])[-1]
        raise ParseFailed("parse-error", f"the parser failed: {last_line[:200]}")
    return result


def parse_feed(
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float = DEFAULT_PARSE_TIMEOUT,
    memory_limit: int = DEFAULT_MEMORY_LIMIT,
) -> ParsedFeed:
    """Parse a fetched feed body. Never raises for anything the feed contains."""
    if not body.strip():
        return ParsedFeed("not-a-feed", reason="not-a-feed", detail="the server sent an empty body")
    try:
        raw = _run_worker(body, headers, timeout, memory_limit)
    except ParseFailed as exc:
        return ParsedFeed("failed", reason=exc.reason, detail=exc.detail)
    items = raw.get("entries")
    entries = [
        RawEntry(
            guid=item.get("guid"),
            link=item.get("link"),
            title=item.get("title") or "",
            title_type=item.get("title_type") or "text/plain",
            author=item.get("author"),
            categories=tuple(item.get("categories") or ()),
            published=_when(item.get("published")),
            updated=_when(item.get("updated")),
            body=item.get("body") or "",
            body_type=item.get("body_type") or "text/html",
        )
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, dict)
    ]
    version = str(raw.get("version") or "")
    malformed = str(raw.get("bozo_exception") or "") or None if raw.get("bozo") else None
    if not version and not entries:
        content_type = headers.get("content-type", "").split(";")[0].strip() or "unknown type"
        return ParsedFeed(
            "not-a-feed",
            version=version,
            reason="not-a-feed",
            detail=f"the address returned something that is not RSS or Atom ({content_type})",
        )
    return ParsedFeed("ok", entries=entries, version=version, malformed=malformed)
