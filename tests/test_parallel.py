"""Work shared between forked processes (councillor_hub/parallel.py, issue 14), with real forks."""

from __future__ import annotations

import gc
import logging
import os
import signal
import threading
from collections.abc import Sequence

import pytest

from councillor_hub.parallel import MAX_WORKERS, WORKERS_VARIABLE, WorkerFailed, run_split, split, thaw, worker_count


@pytest.fixture(autouse=True)
def _thawed() -> object:
    yield None
    thaw()


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


def _squares_and_pid(share: Sequence[int]) -> tuple[list[int], int]:
    return [i * i for i in share], os.getpid()


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_results_come_back_in_order_from_other_processes(workers: int) -> None:
    results = run_split(_squares_and_pid, list(range(10)), workers)
    assert [i for squares, _ in results for i in squares] == [i * i for i in range(10)]
    pids = [pid for _, pid in results]
    assert pids[0] == os.getpid()  # the first share is done here
    assert len(set(pids)) == workers  # each other share in a process of its own


def test_what_workers_log_is_logged_here_once(caplog: pytest.LogCaptureFixture) -> None:
    def task(share: Sequence[int]) -> None:
        for i in share:
            logging.getLogger("mkdocs.test_parallel").warning("item %s in %s", i, "a worker")

    with caplog.at_level(logging.INFO, logger="mkdocs"):
        run_split(task, [1, 2, 3, 4], 2, logger="mkdocs")
    messages = [r.getMessage() for r in caplog.records if r.name == "mkdocs.test_parallel"]
    assert sorted(messages) == [f"item {i} in a worker" for i in (1, 2, 3, 4)]
    assert all(r.levelno == logging.WARNING for r in caplog.records if r.name == "mkdocs.test_parallel")


def test_a_workers_exception_comes_back_as_itself_after_all_finished(tmp_path: os.PathLike[str]) -> None:
    done = os.path.join(tmp_path, "done")

    def task(share: Sequence[int]) -> list[int]:
        if 4 in share:
            raise ValueError("post 4 has a mistake")
        with open(f"{done}-{share[0]}", "w") as marker:
            marker.write("finished")
        return list(share)

    with pytest.raises(ValueError, match="post 4 has a mistake"):
        run_split(task, list(range(6)), 3)
    # The shares without the mistake still finished before the error was raised.
    assert sorted(p for p in os.listdir(tmp_path)) == ["done-0", "done-2"]


class _Unpicklable(Exception):
    def __init__(self, message: str, handle: object) -> None:
        super().__init__(message)
        self.handle = handle

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("cannot be sent")


def test_an_exception_that_cannot_be_sent_is_reported_by_its_message() -> None:
    def task(share: Sequence[int]) -> None:
        if 3 in share:
            raise _Unpicklable("the template broke on post 3", threading.Lock())

    with pytest.raises(WorkerFailed, match="the template broke on post 3"):
        run_split(task, [1, 2, 3, 4], 2)


def test_a_worker_that_dies_is_reported() -> None:
    def task(share: Sequence[int]) -> list[int]:
        if 4 in share:
            os.kill(os.getpid(), signal.SIGKILL)
        return list(share)

    with pytest.raises(WorkerFailed, match=r"stopped unexpectedly \(signal 9\)"):
        run_split(task, [1, 2, 3, 4], 2)


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


def test_a_fork_leaves_earlier_objects_out_of_collection_until_thawed() -> None:
    thaw()
    run_split(_squares_and_pid, list(range(4)), 2)
    assert gc.get_freeze_count() > 0
    thaw()
    assert gc.get_freeze_count() == 0


def test_worker_count_from_the_environment() -> None:
    assert worker_count({WORKERS_VARIABLE: "3"}) == 3
    assert worker_count({WORKERS_VARIABLE: " 1 "}) == 1
    assert 1 <= worker_count({}) <= MAX_WORKERS
    assert worker_count({}) <= len(os.sched_getaffinity(0))
    for bad in ("0", "two", "-1", "1.5"):
        with pytest.raises(ValueError, match=WORKERS_VARIABLE):
            worker_count({WORKERS_VARIABLE: bad})
