"""Work shared between forked processes (councillor_hub/parallel.py, issue 14), with real forks.

``run_split`` forks only when no other thread runs; the test process has threads left by other
tests, so each scenario that forks runs in a fresh process (tests/parallel_scenarios.py).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from councillor_hub.parallel import MAX_WORKERS, WORKERS_VARIABLE, run_split, split, worker_count

from .conftest import REPO


@pytest.mark.parametrize("count", [0, 1, 2, 5, 10, 11])
@pytest.mark.parametrize("parts", [1, 2, 3, 4])
def test_split_keeps_order_and_balances(count: int, parts: int) -> None:
    items = list(range(count))
    pieces = split(items, parts)
    assert [i for piece in pieces for i in piece] == items
    assert all(pieces) or count == 0
    assert len(pieces) == max(1, min(parts, count))
    sizes = [len(piece) for piece in pieces]
    assert max(sizes) - min(sizes) <= 1


def _scenario(name: str, argument: str = "") -> dict[str, Any]:
    """A scenario of tests/parallel_scenarios.py, in a fresh process with no other thread running."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.parallel_scenarios", name, argument],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_results_come_back_in_order_from_other_processes(workers: int) -> None:
    result = _scenario("order", str(workers))
    assert result["values"] == [i * i for i in range(10)]
    assert result["pids"][0] == result["parent"]  # the first share is done in the calling process
    assert len(set(result["pids"])) == workers  # each other share in a process of its own


def test_what_workers_log_is_logged_here_once() -> None:
    result = _scenario("logs")
    assert len(set(result["pids"])) == 2
    seen = [(name, level, message) for name, level, message in result["seen"] if name == "mkdocs.test_parallel"]
    assert sorted(message for _, _, message in seen) == [f"item {i} from a worker" for i in (1, 2, 3, 4)]
    assert {level for _, level, _ in seen} == {logging.WARNING}


def test_a_workers_exception_comes_back_as_itself_after_all_finished(tmp_path: Path) -> None:
    result = _scenario("exception", str(tmp_path))
    assert (result["raised"], result["message"]) == ("ValueError", "post 4 has a mistake")
    # The shares without the mistake finished, in two processes, before the error was raised.
    assert result["done"] == ["done-0", "done-2"]
    writers = {(tmp_path / name).read_text() for name in result["done"]}
    assert len(writers) == 2


def test_an_exception_that_cannot_be_sent_is_reported_by_its_message() -> None:
    result = _scenario("unpicklable")
    assert result["raised"] == "WorkerFailed"
    assert "the template broke on post 3" in result["message"]


def test_a_worker_that_dies_is_reported() -> None:
    result = _scenario("killed")
    assert result["raised"] == "WorkerFailed"
    assert "stopped unexpectedly (signal 9)" in result["message"]


def test_a_fork_leaves_earlier_objects_out_of_collection_until_thawed() -> None:
    result = _scenario("frozen")
    assert result["after_fork"] > 0
    assert result["after_thaw"] == 0


def _squares_and_pid(share: Sequence[int]) -> tuple[list[int], int]:
    return [i * i for i in share], os.getpid()


def test_with_other_threads_running_everything_stays_in_this_process() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        results = run_split(_squares_and_pid, list(range(6)), 3)
    finally:
        stop.set()
        thread.join()
    assert {pid for _, pid in results} == {os.getpid()}
    assert [i for squares, _ in results for i in squares] == [i * i for i in range(6)]


def test_worker_count_from_the_environment() -> None:
    assert worker_count({WORKERS_VARIABLE: "3"}) == 3
    assert worker_count({WORKERS_VARIABLE: " 1 "}) == 1
    assert 1 <= worker_count({}) <= MAX_WORKERS
    assert worker_count({}) <= len(os.sched_getaffinity(0))
    for bad in ("0", "two", "-1", "1.5"):
        with pytest.raises(ValueError, match=WORKERS_VARIABLE):
            worker_count({WORKERS_VARIABLE: bad})
