"""The worker process pools, shared by every spider of a crawler process.

Extraction (trafilatura) and storage (the syndication check) are the CPU cost of a crawl,
so both run in worker processes while the Twisted reactor keeps fetching:

- the *extract* pool (``NEWSMON_EXTRACT_WORKERS``, one per core by default) turns pages
  into scored articles;
- the *store* pool (``NEWSMON_STORE_WORKERS``, one by default) writes them. SQLite has one
  writer at a time: extraction workers that also stored would sleep in SQLite's busy
  handler waiting for each other, while one writer process never waits and lets every
  extraction worker keep extracting. On PostgreSQL more writers can help.

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

_pools: dict[str, Executor] = {}
_lock = Lock()


def worker_count(setting: int) -> int:
    """A pool size setting: 0 means one per available core, -1 means in-process (a thread)."""
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


def worker_pool(setting: int, role: str = "extract") -> Executor:
    """The process-wide pool of ``role`` ("extract" or "store"), created on first use."""
    with _lock:
        pool = _pools.get(role)
        if pool is None:
            if setting < 0:
                pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=role)
            else:
                context = multiprocessing.get_context("forkserver")
                # Import (and warm up) what workers run once in the fork server, not once per worker.
                context.set_forkserver_preload(["crawler.forkserver_preload"])
                pool = ProcessPoolExecutor(max_workers=worker_count(setting), mp_context=context,
                                           initializer=_warm_up, initargs=(os.getpid(),))
            if not _pools:
                atexit.register(shutdown_pool)
            _pools[role] = pool
        return pool


def _open_database(db_url: str) -> None:
    from crawler.database import sessions_for_url

    sessions_for_url(db_url)


def _started() -> None:
    """Nothing: submitting it makes the pool start a worker."""


def warm_pool(extract_setting: int, store_setting: int, db_url: str) -> None:
    """Start every worker, and open the database in the writers, now, while the spiders
    fetch their first feeds, instead of when the first page arrives."""
    for role, setting, task, args in (("extract", extract_setting, _started, ()),
                                      ("store", store_setting, _open_database, (db_url,))):
        pool = worker_pool(setting, role)
        for _ in range(worker_count(setting) if setting >= 0 else 1):
            pool.submit(task, *args)


def shutdown_pool() -> None:
    with _lock:
        while _pools:
            _pools.popitem()[1].shutdown(wait=True, cancel_futures=True)
