"""Turn fetched bytes into typed feed entries, with the parser fenced off in its own process.

feedparser is run from bytes (never fetching anything itself) inside child processes with a
wall-clock deadline per feed and an address-space limit (see ``parse_worker``), so billion-laughs
style entity bombs and pathological inputs (feedparser#562, a quadratic author parser) cost at
most a few seconds and a bounded amount of memory, and never stop the run. A run keeps a pool of
these processes (``ParserPool``) rather than starting one per feed, which cost more than the
parsing itself (issue #14); a process that overruns its deadline is killed and replaced.

An HTML page or an empty body is "not a feed", never "a feed with zero entries": feedparser
returns no entries and no error for those, and treating that as an empty feed is how naive
aggregators lose posts. A malformed ("bozo") feed keeps whatever entries could be salvaged.

Entry bodies are sanitised inside the worker too, under the same deadline (issue #15): a body
nested 40,000 deep used to hold a run for seconds per entry outside every time limit.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

from .parse_worker import read_frame, write_frame

DEFAULT_PARSE_TIMEOUT = 20.0
DEFAULT_MEMORY_LIMIT = 768 * 1024 * 1024


@dataclass(frozen=True)
class RawEntry:
    """One entry: text fields as the feed gave them (not yet cleaned), ``body`` already sanitised
    HTML (``sanitising.clean_html``, run in the worker), dates in UTC and plausible or None."""

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
    """``outcome`` is ``ok``, ``not-a-feed`` or ``failed`` (``reason``: parse-timeout, parse-memory, ...).

    ``skipped`` says, for the run's report, which entries were not kept and why.
    """

    outcome: str
    entries: list[RawEntry] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    version: str = ""
    malformed: str | None = None
    reason: str = ""
    detail: str = ""
    # The channel's own link (the blog's home page), which provenance checks watch (issue #15).
    link: str | None = None


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


class _Worker:
    """One parse_worker process and the pipes to it."""

    def __init__(self, memory_limit: int) -> None:
        # stderr goes to a file, not a pipe nobody reads (a chatty parser would fill a pipe and hang);
        # its last line explains a crash.
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "councillor_hub.ingest.parse_worker", str(memory_limit)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
        )
        self.jobs = 0
        self.killed = False
        self.spent = False

    def kill(self) -> None:
        self.killed = True
        self.process.kill()

    def exchange(self, request: dict[str, object], body: bytes, timeout: float) -> bytes | None:
        """Send one feed and wait for the reply; None if the process died or was killed at ``timeout``."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.jobs += 1
        # The deadline kills the process, which ends the blocking reads and writes below at once.
        timer = threading.Timer(timeout, self.kill)
        timer.daemon = True
        timer.start()
        try:
            write_frame(self.process.stdin, json.dumps(request).encode())
            write_frame(self.process.stdin, body)
            reply = read_frame(self.process.stdout)
        except OSError:  # BrokenPipeError: it died (or was killed) before reading everything
            reply = None
        finally:
            timer.cancel()
        return None if self.killed else reply

    def stop(self) -> None:
        """Wait for a process that crashed to end (one that sent nonsense instead is killed)."""
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def crash_report(self) -> str:
        self.stderr.seek(0, io.SEEK_END)
        self.stderr.seek(max(0, self.stderr.tell() - 4096))
        lines = self.stderr.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else f"exit status {self.process.poll()}"

    def close(self) -> None:
        if self.process.poll() is None:
            # Closing stdin is the polite way to stop it; a worker that does not stop at once is killed.
            with contextlib.suppress(OSError):
                self.process.stdin.close()  # type: ignore[union-attr]
            try:
                self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


class ParserPool:
    """Parse worker processes kept for a whole run, each used by one feed at a time.

    Each feed gets the full ``timeout`` and ``memory_limit`` on its own: a worker that overruns
    the timeout is killed and a fresh process takes its place; a worker that runs out of memory
    exits and is replaced too. Up to ``size`` workers start as feeds need them; when every worker
    has been busy for ``grow_after`` seconds (a slow or hostile feed), more start, up to
    ``max_size``, so one bad feed cannot hold up the parsing of the others. A worker is also
    replaced after ``max_jobs`` feeds, to bound what one process accumulates.

    Use as a context manager; leaving it stops every worker. Thread-safe.
    """

    def __init__(
        self,
        *,
        size: int = 1,
        max_size: int | None = None,
        timeout: float = DEFAULT_PARSE_TIMEOUT,
        memory_limit: int = DEFAULT_MEMORY_LIMIT,
        grow_after: float = 1.0,
        max_jobs: int = 200,
    ) -> None:
        self.size = max(1, size)
        self.max_size = max(self.size, max_size or self.size)
        self.timeout = timeout
        self.memory_limit = memory_limit
        self.grow_after = grow_after
        self.max_jobs = max_jobs
        self.started = 0  # workers started over the pool's life (tests and benchmarks read it)
        self._idle: list[_Worker] = []
        self._count = 0  # workers alive: idle or busy
        self._closed = False
        self._changed = threading.Condition()

    def start(self) -> None:
        """Start ``size`` workers now, so they are ready by the time the first feeds arrive.

        Starting one takes about 0.1-0.4 s (Python and feedparser); started lazily, every fetch that
        finished in the meantime waited for it, which added that much to every run (issue #14).
        """
        with self._changed:
            missing = self.size - self._count
            self._count += max(0, missing)
            self.started += max(0, missing)
        for _ in range(missing):
            try:
                worker = _Worker(self.memory_limit)
            except BaseException:
                self._discard()
                raise
            self._release(worker)

    def worker_pids(self) -> list[int]:
        """The process ids of the idle workers (for tests and diagnostics)."""
        with self._changed:
            return sorted(worker.process.pid for worker in self._idle)

    def __enter__(self) -> ParserPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._changed:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.close()

    def _acquire(self) -> _Worker:
        grow_at = time.monotonic() + self.grow_after
        with self._changed:
            while True:
                if self._closed:
                    raise RuntimeError("the parser pool is closed")
                if self._idle:
                    return self._idle.pop()
                now = time.monotonic()
                if self._count < self.size or (self._count < self.max_size and now >= grow_at):
                    self._count += 1
                    self.started += 1
                    break
                self._changed.wait(timeout=max(0.0, grow_at - now) if self._count < self.max_size else None)
        try:
            return _Worker(self.memory_limit)
        except BaseException:
            self._discard()
            raise

    def _release(self, worker: _Worker) -> None:
        with self._changed:
            reusable = not (worker.killed or worker.spent) and worker.jobs < self.max_jobs
            if reusable and not self._closed and worker.process.poll() is None:
                self._idle.append(worker)
                self._changed.notify()
                return
        worker.close()
        self._discard()

    def _discard(self) -> None:
        with self._changed:
            self._count -= 1
            self._changed.notify()

    def _parse_raw(self, body: bytes, request: dict[str, object]) -> dict[str, object]:
        worker = self._acquire()
        try:
            reply = worker.exchange(request, body, self.timeout)
            if worker.killed:
                raise ParseFailed("parse-timeout", f"parsing took longer than {self.timeout:g} s")
            try:
                result = json.loads(reply) if reply is not None else None
            except ValueError:
                result = None
            if not isinstance(result, dict):
                worker.spent = True
                worker.stop()
                report = worker.crash_report()
                if "MemoryError" in report:
                    raise ParseFailed("parse-memory", "parsing needed more memory than allowed")
                raise ParseFailed("parse-error", f"the parser failed: {report[:200]}")
            if "error" in result:
                worker.spent = True  # it exits after an error; the next feed gets a fresh process
                if result["error"] == "memory":
                    raise ParseFailed("parse-memory", "parsing needed more memory than allowed")
                raise ParseFailed("parse-error", f"the parser failed: {str(result.get('detail'))[:200]}")
            return result
        finally:
            self._release(worker)

    def parse_feed(
        self, body: bytes, headers: dict[str, str], *, base_url: str | None = None, now: dt.datetime | None = None
    ) -> ParsedFeed:
        """Parse a fetched feed body and sanitise its entries. Never raises for anything the feed contains.

        ``base_url`` (the feed's final URL) resolves relative links in entries; ``now`` is the
        run's clock, against which dates in the future are judged implausible.
        """
        if not body.strip():
            return ParsedFeed("not-a-feed", reason="not-a-feed", detail="the server sent an empty body")
        when = now or dt.datetime.now(dt.UTC)
        request: dict[str, object] = {"headers": headers, "base_url": base_url, "now": int(when.timestamp())}
        try:
            raw = self._parse_raw(body, request)
        except ParseFailed as exc:
            return ParsedFeed("failed", reason=exc.reason, detail=exc.detail)
        return _to_parsed_feed(raw, headers)


def parse_feed(
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float = DEFAULT_PARSE_TIMEOUT,
    memory_limit: int = DEFAULT_MEMORY_LIMIT,
    base_url: str | None = None,
    now: dt.datetime | None = None,
) -> ParsedFeed:
    """Parse one feed body in a worker process of its own (a run uses one ``ParserPool`` instead)."""
    with ParserPool(timeout=timeout, memory_limit=memory_limit) as pool:
        return pool.parse_feed(body, headers, base_url=base_url, now=now)


def _to_parsed_feed(raw: dict[str, object], headers: dict[str, str]) -> ParsedFeed:
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
    skipped = raw.get("skipped")
    skipped_notes = [str(note) for note in skipped] if isinstance(skipped, list) else []
    version = str(raw.get("version") or "")
    malformed = str(raw.get("bozo_exception") or "") or None if raw.get("bozo") else None
    if not version and not entries and not skipped_notes:
        content_type = headers.get("content-type", "").split(";")[0].strip() or "unknown type"
        return ParsedFeed(
            "not-a-feed",
            version=version,
            reason="not-a-feed",
            detail=f"the address returned something that is not RSS or Atom ({content_type})",
        )
    link = raw.get("link")
    return ParsedFeed(
        "ok",
        entries=entries,
        skipped=skipped_notes,
        version=version,
        malformed=malformed,
        link=link if isinstance(link, str) else None,
    )
