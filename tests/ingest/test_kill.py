"""A run killed with SIGKILL while it writes posts loses nothing and leaves no partial file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pytest_httpserver import HTTPServer

from councillor_hub.ingest.parse_worker import MAX_ENTRIES
from councillor_hub.posts import parse_post_file

from .conftest import Project, feed_entry

ENTRIES = MAX_ENTRIES  # the most one feed fetch may yield: enough posts to be killed part-way through


def big_feed() -> bytes:
    items = "".join(
        f"<item><title>Reflection {n}</title><link>https://blog.example.org/{n}/</link>"
        f"<guid>urn:reflection:{n}</guid><pubDate>Mon, 0{1 + n % 9} Jan 2024 09:00:00 +0000</pubDate>"
        f"<description>&lt;p&gt;Notes from workshop {n}. The offline layer was richest.&lt;/p&gt;</description></item>"
        for n in range(ENTRIES)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'.encode()


def ingest_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "councillor_hub.cli", "--project", str(root), "ingest", "--allow-host", "localhost"]


def test_killed_run_leaves_whole_files_and_the_next_run_completes(project: Project, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/big").respond_with_data(big_feed(), content_type="application/rss+xml")
    project.write_registry(feed_entry("big", httpserver.url_for("/big")))
    run = subprocess.Popen(ingest_command(project.root), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and run.poll() is None:
        if project.posts_dir.is_dir() and len(os.listdir(project.posts_dir)) >= 50:
            break
        time.sleep(0.005)
    assert run.poll() is None, "the run finished before it could be killed; raise ENTRIES"
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=10)

    written = [p for p in project.posts_dir.iterdir() if p.suffix == ".md" and not p.name.startswith(".")]
    assert 0 < len(written) < ENTRIES, "killed part-way through writing posts"
    for path in written:  # every visible post is whole: temp file + rename, never a partial write
        stored, problems = parse_post_file(path, path.name)
        assert stored is not None, problems

    finish = subprocess.run(ingest_command(project.root), capture_output=True, text=True, timeout=120)
    assert finish.returncode == 0, finish.stderr
    posts = project.posts()
    assert len(posts) == ENTRIES
    assert not [name for name in posts if name.startswith(".")], "stale temporary files were cleaned up"
    before = project.snapshot()
    again = subprocess.run(ingest_command(project.root), capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert project.snapshot() == before, "a third run changes nothing"
