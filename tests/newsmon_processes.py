"""Helpers for tests that start real ``newsmon`` processes in the background (cron runs,
the scheduler daemon) and look at what they left: the database, the log, the processes."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from crawler.demo import DemoSite
from storage.urls import url_key

T = TypeVar("T")


def newsmon_argv(*args: str, db_url: str, outlets: Path) -> list[str]:
    return [sys.executable, "-m", "crawler", "--db", db_url, "--outlets", str(outlets), "--no-default-outlets", *args]


def start_newsmon(*args: str, db_url: str, outlets: Path, data_dir: Path, output: Path) -> subprocess.Popen[bytes]:
    """``newsmon ...`` in the background, in a session of its own (so its whole process group
    can be inspected), console output to ``output``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with output.open("wb") as out:
        return subprocess.Popen(newsmon_argv(*args, db_url=db_url, outlets=outlets), stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True,
                                env={**os.environ, "NEWSMON_DATA_DIR": str(data_dir)})


def run_newsmon_in(data_dir: Path, *args: str, db_url: str, outlets: Path,
                   timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """``newsmon ...`` in the foreground with its own data directory (locks, logs)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    return subprocess.run(newsmon_argv(*args, db_url=db_url, outlets=outlets), capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "NEWSMON_DATA_DIR": str(data_dir)})


def wait_for(condition: Callable[[], T], what: str, timeout: float = 90) -> T:
    """Poll ``condition`` until it returns something true; fail naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def stop(proc: subprocess.Popen[bytes], signum: int = signal.SIGTERM, timeout: float = 60, *, group: bool = False) -> int:
    """Send ``signum`` (to the whole process group with ``group``, as a terminal's Ctrl-C or
    systemd do) and wait for the process; kill its group and fail if it does not exit."""
    if group:
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise AssertionError(f"pid {proc.pid} did not exit within {timeout}s of {signal.Signals(signum).name}") from None


def group_members(pgid: int) -> list[int]:
    """Live processes of process group ``pgid`` (a crawl, its forkserver and extraction workers)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def query(db_path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Rows of ``sql`` on a SQLite file (read with plain sqlite3: no migration, no writes);
    empty while the crawl has not created the tables yet."""
    if not db_path.exists():
        return []
    with sqlite3.connect(db_path, timeout=30) as conn:
        try:
            return conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return []
            raise


def integrity(db_path: Path) -> str:
    return str(query(db_path, "PRAGMA integrity_check")[0][0])


def stored_keys(db_path: Path, outlet: str) -> list[str]:
    """url_key of every article row of ``outlet`` (duplicates kept, to be counted)."""
    return [str(k) for (k,) in query(db_path, "SELECT a.url_key FROM article a JOIN outlet o ON o.id = a.outlet_id "
                                              "WHERE o.slug = ?", outlet)]


def expected_keys(site: DemoSite, outlet: str) -> set[str]:
    return {url_key(p.url) for p in site.expected if p.outlet == outlet and p.kind == "article"}


def runs_of(db_path: Path, outlet: str) -> list[tuple[object, ...]]:
    """(id, status, finish_reason, fetched, stored) of each run of ``outlet``, oldest first."""
    return query(db_path, "SELECT id, status, finish_reason, fetched, stored FROM crawl_run WHERE outlet_slug = ? "
                          "ORDER BY id", outlet)


def closed_port() -> int:
    """A local port nothing listens on (connections are refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def dead_outlet_toml(slug: str) -> str:
    """An outlet whose every source refuses connections: each crawl of it fails."""
    base = f"http://127.0.0.1:{closed_port()}"
    return (f"\n[outlets.{slug}]\nname = \"Unreachable outlet\"\nhome = \"{base}/\"\nfeeds = [\"{base}/feed/\"]\n"
            f"article_pattern = '^{base}/\\d+$'\n")
