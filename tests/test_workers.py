"""The worker pools of a crawl process: one pool per role (extract, store) in processes of
their own, sized by their settings, and gone when the crawl process is killed."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.workers import shutdown_pool, worker_pool

_POOLS_THEN_SLEEP = textwrap.dedent("""
    import os, sys, time
    from crawler.workers import warm_pool, worker_pool

    if __name__ == "__main__":
        warm_pool(2, 1, sys.argv[1])
        pids = {f.result() for f in [worker_pool(2).submit(os.getpid) for _ in range(8)]
                + [worker_pool(1, "store").submit(os.getpid) for _ in range(4)]}
        print(" ".join(map(str, sorted(pids))), flush=True)
        time.sleep(600)
""")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.fixture
def pools() -> Iterator[None]:
    yield
    shutdown_pool()


def test_store_and_extract_pools_are_separate_processes_sized_by_their_settings(pools: None) -> None:
    extract = worker_pool(2)
    store = worker_pool(1, "store")
    assert worker_pool(2) is extract and worker_pool(1, "store") is store
    extract_pids = {f.result(timeout=60) for f in [extract.submit(os.getpid) for _ in range(20)]}
    store_pids = {f.result(timeout=60) for f in [store.submit(os.getpid) for _ in range(20)]}
    assert len(store_pids) == 1, "one writer: stores never wait for each other on SQLite's lock"
    assert 1 <= len(extract_pids) <= 2
    assert not store_pids & extract_pids and os.getpid() not in store_pids | extract_pids


def test_workers_exit_when_the_crawl_process_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "pools.py"
    script.write_text(_POOLS_THEN_SLEEP, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), f"sqlite:///{tmp_path / 'w.db'}"],
                            stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(p) for p in proc.stdout.readline().split()]  # type: ignore[union-attr]
        assert len(pids) >= 2 and all(_alive(p) for p in pids)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    deadline = time.monotonic() + 20
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in pids if _alive(p)], "workers outlived their crawl process"


def test_workers_are_forked_with_the_fork_servers_objects_frozen_out_of_gc(pools: None) -> None:
    frozen = worker_pool(1).submit(gc.get_freeze_count).result(timeout=60)
    assert frozen > 10_000, "collections in workers skip the long-lived objects the fork server loaded"
