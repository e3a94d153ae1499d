"""Shared helpers: a throwaway hub project, fixture feeds and a real local HTTP server.

Every test fetches from 127.0.0.1 (pytest-httpserver) with ``localhost`` allowed through the
allow-host mechanism, which is exactly how a council would allow an intranet host.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from councillor_hub import project as hub_project
from councillor_hub.ingest.fetching import FetchOptions
from councillor_hub.ingest.run import IngestReport, run_ingest

FEEDS = Path(__file__).parent / "feeds"
NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)
FAST = FetchOptions(connect_timeout=2, read_timeout=2, deadline=4, user_agent="CouncillorHub-Ingest/test")


def fixture_feed(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def feed_entry(feed_id: str, url: str, **extra: object) -> dict[str, object]:
    return {
        "id": feed_id,
        "name": feed_id.title(),
        "url": url,
        "licence": "CC BY 4.0",
        "consent": "Email to the programme team, 2025-01-01",
        **extra,
    }


@dataclass
class Project:
    root: Path
    progress: io.StringIO = field(default_factory=io.StringIO)

    @property
    def hub(self) -> hub_project.Project:
        """The hub's own view of this project (paths and settings)."""
        return hub_project.Project.load(self.root)

    @property
    def log_dir(self) -> Path:
        return self.root / "content" / "learning-log"

    @property
    def posts_dir(self) -> Path:
        return self.log_dir / "posts"

    @property
    def registry(self) -> Path:
        return self.log_dir / "feeds.yml"

    def write_registry(self, *feeds: dict[str, object], **top: object) -> None:
        data = {
            "allow_hosts": [],
            "tags": [{"id": "community-engagement", "name": "Community engagement"}],
            **top,
            "feeds": list(feeds),
        }
        self.registry.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    def ingest(self, *, now: dt.datetime = NOW, options: FetchOptions = FAST, **kwargs: object) -> IngestReport:
        kwargs.setdefault("allow_hosts", ["localhost"])
        kwargs.setdefault("parse_timeout", 15.0)
        kwargs.setdefault("max_workers", 2)
        return run_ingest(self.root, now=now, fetch_options=options, progress=self.progress, **kwargs)  # type: ignore[arg-type]

    def posts(self) -> dict[str, bytes]:
        if not self.posts_dir.is_dir():
            return {}
        return {p.name: p.read_bytes() for p in sorted(self.posts_dir.iterdir())}

    def snapshot(self) -> dict[str, bytes]:
        """Every file the ingester may write (the lock file aside)."""
        return {
            p.relative_to(self.root).as_posix(): p.read_bytes()
            for p in sorted(self.log_dir.rglob("*"))
            if p.is_file() and p.name != ".ingest.lock"
        }

    def state(self) -> dict[str, object]:
        return json.loads((self.log_dir / "state.json").read_text(encoding="utf-8"))


@pytest.fixture
def project(tmp_path: Path) -> Project:
    (tmp_path / "mkdocs.yml").write_text("site_name: Test hub\n", encoding="utf-8")
    (tmp_path / "council.yml").write_text("site_url: https://hub.example.org/\n", encoding="utf-8")
    (tmp_path / "content" / "learning-log").mkdir(parents=True)
    return Project(tmp_path)


class SlowServer:
    """A raw TCP server that answers one byte at a time, forever (a slow-loris feed)."""

    def __init__(self, *, in_headers: bool) -> None:
        self.in_headers = in_headers
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(0.5)
                try:
                    conn.recv(65536)
                    if self.in_headers:
                        payload = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100000
                    else:
                        payload = (
                            b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 100000\r\n\r\n"
                            + b"<rss version='2.0'><channel>"
                            + b" " * 100000
                        )
                    split = 30 if self.in_headers else payload.index(b"\r\n\r\n") + 4 + 28
                    conn.sendall(payload[:split])
                    for byte in payload[split:]:
                        if self.stop.is_set():
                            break
                        conn.sendall(bytes([byte]))
                        time.sleep(0.2)
                except OSError:
                    continue

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def slow_server() -> Iterator[type[SlowServer]]:
    servers: list[SlowServer] = []

    def make(*, in_headers: bool) -> SlowServer:
        server = SlowServer(in_headers=in_headers)
        servers.append(server)
        return server

    yield make  # type: ignore[misc]
    for server in servers:
        server.close()
