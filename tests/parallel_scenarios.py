"""Scenarios for tests/test_parallel.py, each run in a fresh Python process of its own.

``run_split`` forks only when no other thread is running, and the test process has threads left by
other tests (servers, timers). Usage: python -m tests.parallel_scenarios NAME [ARG]; prints JSON.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any

from councillor_hub.parallel import WorkerFailed, run_split, thaw

PARENT = os.getpid()


def _squares_and_pid(share: Sequence[int]) -> tuple[list[int], int]:
    return [i * i for i in share], os.getpid()


def order(workers: str) -> dict[str, Any]:
    results = run_split(_squares_and_pid, list(range(10)), int(workers))
    return {"values": [i for squares, _ in results for i in squares], "pids": [pid for _, pid in results]}


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append((record.name, record.levelno, record.getMessage()))


def logs(_: str) -> dict[str, Any]:
    collect = _Collect()
    logging.getLogger("mkdocs").addHandler(collect)
    logging.getLogger("mkdocs").setLevel(logging.INFO)

    def task(share: Sequence[int]) -> int:
        for i in share:
            logging.getLogger("mkdocs.test_parallel").warning("item %s from %s", i, "a worker")
        return os.getpid()

    pids = run_split(task, [1, 2, 3, 4], 2, logger="mkdocs")
    return {"seen": collect.seen, "pids": pids}


def exception(folder: str) -> dict[str, Any]:
    def task(share: Sequence[int]) -> list[int]:
        if 4 in share:
            raise ValueError("post 4 has a mistake")
        with open(os.path.join(folder, f"done-{share[0]}"), "w") as marker:
            marker.write(str(os.getpid()))
        return list(share)

    try:
        run_split(task, list(range(6)), 3)
    except ValueError as exc:
        return {"raised": type(exc).__name__, "message": str(exc), "done": sorted(os.listdir(folder))}
    return {"raised": None}


class _Unpicklable(Exception):
    def __init__(self, message: str, handle: object) -> None:
        super().__init__(message)
        self.handle = handle

    def __reduce__(self) -> str | tuple[Any, ...]:
        raise TypeError("cannot be sent")


def unpicklable(_: str) -> dict[str, Any]:
    def task(share: Sequence[int]) -> None:
        if 3 in share:
            raise _Unpicklable("the template broke on post 3", threading.Lock())

    try:
        run_split(task, [1, 2, 3, 4], 2)
    except WorkerFailed as exc:
        return {"raised": "WorkerFailed", "message": str(exc)}
    return {"raised": None}


def killed(_: str) -> dict[str, Any]:
    def task(share: Sequence[int]) -> list[int]:
        if 4 in share and os.getpid() != PARENT:  # never this process, whatever happens
            os.kill(os.getpid(), signal.SIGKILL)
        return list(share)

    try:
        run_split(task, [1, 2, 3, 4], 2)
    except WorkerFailed as exc:
        return {"raised": "WorkerFailed", "message": str(exc)}
    return {"raised": None}


def frozen(_: str) -> dict[str, Any]:
    thaw()
    run_split(_squares_and_pid, list(range(4)), 2)
    after_fork = gc.get_freeze_count()
    thaw()
    return {"after_fork": after_fork, "after_thaw": gc.get_freeze_count()}


if __name__ == "__main__":
    name, argument = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "")
    print(json.dumps({"parent": PARENT, **globals()[name](argument)}))
