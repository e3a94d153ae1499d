"""Benchmark: does the learning log build in linear time, within 1.2x the cost of plain pages?

For each size N it builds three copies of the hub into temporary folders:
  base  - the hub as it is, with an empty learning log;
  log   - the hub with N learning-log posts (written the way the ingester writes them);
  plain - the hub with N plain Markdown pages of the same text, kept out of the navigation.
Each figure is the fastest of three builds. It prints the extra seconds each adds over the base,
and the ratios the issue asks about: log/plain per size (target <= 1.2) and cost growth between
sizes (linear means the per-post cost stays flat).

Usage: .venv/bin/python scripts/bench_learning_log.py [N ...]   (default: 1000 3000)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from councillor_hub.posts import Post, render_post_file  # noqa: E402

PARTS = ("mkdocs.yml", "docs", "overrides", "hooks", "content")
PARAGRAPHS = [
    "We ran the network-mapping exercise with eight councillors. Most started from a local map.",
    "The offline layer was always the richest. Online, people knew fewer residents than they expected.",
    "Next time we will give more time to the aspirational layer and to where the layers meet.",
]


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for part in PARTS:
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / part)
    shutil.rmtree(dest / "content" / "learning-log" / "posts", ignore_errors=True)
    return dest


def add_posts(project: Path, n: int) -> None:
    folder = project / "content" / "learning-log" / "posts"
    folder.mkdir(parents=True, exist_ok=True)
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    for i in range(n):
        when = start + dt.timedelta(hours=i)
        pid = hashlib.sha256(f"bench\0{i}".encode()).hexdigest()[:16]
        post = Post(
            id=pid,
            feed="bench-feed",
            title=f"Workshop reflection {i}",
            published=when,
            first_seen=when,
            tags=["sprint-1"] if i % 7 == 0 else [],
        )
        (folder / f"{when:%Y-%m-%d}-workshop-reflection-{i}-{pid[:6]}.md").write_text(render_post_file(post, body))


def add_plain_pages(project: Path, n: int) -> None:
    folder = project / "docs" / "bench"
    folder.mkdir(parents=True)
    text = "\n\n".join(PARAGRAPHS)
    for i in range(n):
        (folder / f"page-{i}.md").write_text(f"# Workshop reflection {i}\n\n{text}\n")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("not_in_nav: |\n", "not_in_nav: |\n  /bench/\n"))


REPEATS = 3


def build_seconds(project: Path) -> float:
    """User CPU seconds of the fastest of ``REPEATS`` full builds.

    User CPU time, not wall time: on a shared virtual machine, disk waits, stolen time and the
    kernel's cost of creating thousands of folders swing wall and system time by tens of percent
    between identical runs. Both variants write the same number of files, so the Python work
    (what this project controls) is what is compared.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    times = []
    for _ in range(REPEATS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(project / "site")],
            cwd=project,
            env=env,
            check=True,
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime)
    return min(times)


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = build_seconds(copy_project(Path(tmp) / "base"))
        print(f"base hub (no posts): {base:.1f} s of user CPU")
        print(f"{'N':>6} {'log extra s':>12} {'plain extra s':>14} {'log/plain':>10} {'ms per post':>12}")
        per_post = []
        for n in sizes:
            log_project = copy_project(Path(tmp) / f"log-{n}")
            add_posts(log_project, n)
            plain_project = copy_project(Path(tmp) / f"plain-{n}")
            add_plain_pages(plain_project, n)
            log_extra = build_seconds(log_project) - base
            plain_extra = build_seconds(plain_project) - base
            per_post.append(log_extra / n)
            ratio = log_extra / plain_extra
            print(f"{n:>6} {log_extra:>12.1f} {plain_extra:>14.1f} {ratio:>10.2f} {1000 * log_extra / n:>12.2f}")
            shutil.rmtree(log_project)
            shutil.rmtree(plain_project)
        if len(sizes) > 1:
            growth = per_post[-1] / per_post[0]
            print(f"growth: per-post cost at N={sizes[-1]} is {growth:.2f}x that at N={sizes[0]} (1.00 = linear)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 3000])
