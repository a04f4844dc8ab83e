"""The extraction process pool, shared by every spider of a crawler process.

trafilatura costs ~30-50 ms of CPU per page, ten times the rest of the crawl, so it runs
in worker processes: the Twisted reactor keeps fetching while both cores extract.
Workers start with ``forkserver`` so they never inherit the reactor's state.

Workers belong to the crawl process: they ignore SIGINT/SIGTERM (see
:mod:`crawler.forkserver_preload`), and exit on their own when the crawl process is gone
(kill -9), instead of lingering forever with the forkserver.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import signal
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from threading import Lock, Thread

_pool: Executor | None = None
_lock = Lock()


def worker_count(setting: int) -> int:
    """``NEWSMON_EXTRACT_WORKERS``: 0 means one per available core, -1 means in-process (threads)."""
    if setting > 0:
        return setting
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


ORPHAN_CHECK_SECONDS = 1.0


def _exit_when_orphaned(crawl_pid: int) -> None:
    while True:
        time.sleep(ORPHAN_CHECK_SECONDS)
        try:
            os.kill(crawl_pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass


def _warm_up(crawl_pid: int) -> None:
    # Inherited from the forkserver unless it was started elsewhere without our preload.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    Thread(target=_exit_when_orphaned, args=(crawl_pid,), daemon=True, name="orphan-check").start()
    import crawler.extraction  # noqa: F401  (import trafilatura once per worker)
    import crawler.relevance  # noqa: F401


def worker_pool(setting: int) -> Executor:
    """The process-wide pool, created on first use."""
    global _pool
    with _lock:
        if _pool is None:
            if setting < 0:
                _pool = ThreadPoolExecutor(max_workers=1)
            else:
                context = multiprocessing.get_context("forkserver")
                # Import the heavy modules once in the fork server, not once per worker.
                context.set_forkserver_preload(["crawler.forkserver_preload", "crawler.extraction",
                                                "crawler.relevance", "crawler.cli"])
                _pool = ProcessPoolExecutor(max_workers=worker_count(setting), mp_context=context,
                                            initializer=_warm_up, initargs=(os.getpid(),))
            atexit.register(shutdown_pool)
        return _pool


def _open_database(db_url: str) -> None:
    from crawler.database import sessions_for_url

    sessions_for_url(db_url)


def warm_pool(setting: int, db_url: str) -> None:
    """Start every worker and open its database now, while the spiders fetch their first
    feeds, instead of when the first page arrives."""
    pool = worker_pool(setting)
    for _ in range(worker_count(setting) if setting >= 0 else 1):
        pool.submit(_open_database, db_url)


def shutdown_pool() -> None:
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=True, cancel_futures=True)
            _pool = None
