"""One piece of work split across forked processes (issue 14): the build renders its 10,000
learning-log posts on every core.

A forked worker starts with everything the build has already made (the theme, the menus, the
pages), so nothing is sent to it; it sends back only its results, the log records it wrote and,
if its work failed, why. Slices are contiguous and results come back in order, so the outcome is
the same for any number of workers. Where ``fork`` is missing, or other threads are running (a
fork copies only the calling thread, and a lock held by another would stay locked in the child),
everything runs in this process.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

WORKERS_VARIABLE = "COUNCILLOR_HUB_BUILD_WORKERS"
MAX_WORKERS = 8


class WorkerFailed(Exception):
    """A worker's share of the work raised; the message is the worker's own."""


def worker_count(environ: Mapping[str, str] = os.environ) -> int:
    """How many processes share the work: ``COUNCILLOR_HUB_BUILD_WORKERS`` if set (1: this process
    only), else the cores this process may use, at most ``MAX_WORKERS``."""
    value = environ.get(WORKERS_VARIABLE, "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise ValueError(f"{WORKERS_VARIABLE} must be a whole number of at least 1, not {value!r}")
        return int(value)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def split(items: Sequence[T], parts: int) -> list[Sequence[T]]:
    """``items`` in ``parts`` contiguous slices whose sizes differ by at most one (none empty)."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for index in range(parts):
        end = start + size + (1 if index < extra else 0)
        out.append(items[start:end])
        start = end
    return out


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def run_split(
    task: Callable[[Sequence[T]], R], items: Sequence[T], workers: int, *, logger: str | None = None
) -> list[R]:
    """``task`` over ``split(items, workers)``: the first slice here, each other in a forked process.

    Returns each slice's result, in order. What workers log under ``logger`` is logged here after
    the work, so counts of warnings (``mkdocs build --strict``) include it. If a slice raised, the
    first such exception is raised here once every worker has finished: the worker's own exception
    when it can be sent, else ``WorkerFailed`` with its message.
    """
    slices = split(items, workers)
    if len(slices) == 1 or not can_fork():
        return [task(piece) for piece in slices]
    # What exists now is left out of garbage collection until ``thaw``: a collection reads every
    # object, copying the memory that workers share with this process, and with it a 10,000-post
    # build took a second longer (issue 14). Reference counting still frees what is no longer used.
    gc.freeze()
    sys.stdout.flush()
    sys.stderr.flush()
    children: list[tuple[int, int]] = []
    for piece in slices[1:]:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: never returns
            os.close(read_end)
            _work_and_exit(task, piece, write_end, logger)
        os.close(write_end)
        children.append((pid, read_end))
    failures: list[BaseException] = []
    results: list[R] = []
    try:
        results.append(task(slices[0]))
    except Exception as exc:
        failures.append(exc)
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if not data:
            failures.append(WorkerFailed(f"a build worker stopped unexpectedly ({_ended(status)})"))
            continue
        outcome, value, records = pickle.loads(data)
        for name, level, message in records:
            logging.getLogger(name).log(level, "%s", message)
        if outcome == "ok":
            results.append(value)
        else:
            failures.append(value)
    if failures:
        raise failures[0]
    return results


def freeze() -> None:
    """Leave everything that exists now out of garbage collection until ``thaw``.

    While serving, a rebuild keeps most of the last build (10,000 posts' objects), and a full
    collection of it in the middle of a rebuild added up to a second to an edit (issue 14).
    """
    gc.freeze()


def thaw(*, collect_after: float | None = None) -> None:
    """Garbage collection sees again what ``freeze`` or ``run_split`` left out of it (call it when
    the build ends). ``collect_after``: collect it that many seconds later, in a thread of its own,
    while the server waits for the next edit rather than during a rebuild."""
    gc.unfreeze()
    if collect_after is not None:
        timer = threading.Timer(collect_after, gc.collect)
        timer.daemon = True
        timer.start()


def _work_and_exit(task: Callable[[Sequence[T]], Any], piece: Sequence[T], write_end: int, logger: str | None) -> None:
    code = 0
    try:
        capture = _Capture()
        if logger is not None:
            log = logging.getLogger(logger)
            log.handlers = [capture]
            log.propagate = False
        try:
            data = pickle.dumps(("ok", task(piece), capture.records), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            data = _failure(exc, capture.records)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _failure(exc: Exception, records: list[tuple[str, int, str]]) -> bytes:
    try:
        sent = pickle.dumps(exc, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(sent)  # some exceptions pickle but cannot be rebuilt
    except Exception:
        exc = WorkerFailed(str(exc) or type(exc).__name__)
    return pickle.dumps(("failed", exc, records), protocol=pickle.HIGHEST_PROTOCOL)


def _ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
