"""`scrapy crawl <outlet>` as a user runs it beside cron: it holds the outlet's lock like
`newsmon crawl`, closes the runs a killed crawl left open, and exits with newsmon's statuses."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import closed_port, crawl_args, outlet_toml, run_newsmon
from crawler import exit_codes
from crawler.demo import DemoSite
from crawler.locking import LockHolder, OutletLocks
from newsmon_processes import wait_for

REPO = Path(__file__).resolve().parent.parent


def scrapy_env(data: Path, outlets: Path) -> dict[str, str]:
    """A user's environment: their own data directory (locks, default database) and outlet file."""
    return {**os.environ, "NEWSMON_DATA_DIR": str(data), "NEWSMON_OUTLETS": str(outlets),
            "NEWSMON_DATABASE_URL": f"sqlite:///{data / 'newsmon.db'}"}


def scrapy_crawl(outlet: str, *args: str) -> list[str]:
    """``scrapy crawl`` with the fast local-site settings (a later ``-s`` overrides one)."""
    return [sys.executable, "-m", "scrapy", *crawl_args(outlet, *args)]


def runs(data: Path) -> list[tuple[str, str, str | None]]:
    with sqlite3.connect(f"file:{data / 'newsmon.db'}?mode=ro", uri=True) as conn:  # never creates it
        return conn.execute("SELECT outlet_slug, status, finish_reason FROM crawl_run ORDER BY id").fetchall()


def test_scrapy_crawl_of_an_outlet_another_run_holds_does_nothing_and_exits_75(
        tmp_path: Path, site: DemoSite, site_outlets: Path) -> None:
    before = len(site.request_log())
    with OutletLocks(["libyaobserver"], tmp_path / "locks"):
        result = subprocess.run(scrapy_crawl("libyaobserver"), cwd=REPO, capture_output=True, text=True,
                                env=scrapy_env(tmp_path, site_outlets), timeout=120)
    assert result.returncode == exit_codes.LOCKED, result.stderr[-2000:]
    assert f"another newsmon run (pid {os.getpid()}, started " in result.stderr
    assert "is crawling libyaobserver; exiting" in result.stderr
    assert "Traceback" not in result.stderr
    assert not [r for r in site.request_log()[before:] if r.slug == "libyaobserver"]
    assert not (tmp_path / "newsmon.db").exists() or runs(tmp_path) == []


def _open_runs(data: Path) -> list[tuple[str, str, str | None]]:
    """:func:`runs`, or none while the crawl is still creating the database."""
    try:
        return runs(data)
    except sqlite3.OperationalError:
        return []


def _holder_pid(lock: Path) -> int | None:
    holder = LockHolder.parse(lock.read_text(encoding="utf-8")) if lock.exists() else None
    return holder.pid if holder else None


def test_scrapy_crawl_holds_the_lock_and_the_next_run_closes_the_run_a_kill_left_open(
        tmp_path: Path, site_outlets: Path) -> None:
    env = scrapy_env(tmp_path, site_outlets)
    slow = ("-s", "DOWNLOAD_DELAY=30")  # still crawling when it is killed
    proc = subprocess.Popen(scrapy_crawl("libyaobserver", *slow), cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: _holder_pid(tmp_path / "locks" / "libyaobserver.lock") == proc.pid, "the lock")
        wait_for(lambda: _open_runs(tmp_path) == [("libyaobserver", "running", None)], "the run row")
        refused = run_newsmon(*crawl_args("--outlet", "libyaobserver"), env=env)
        assert refused.returncode == exit_codes.LOCKED, refused.stderr
        assert f"another newsmon run (pid {proc.pid}, started " in refused.stderr
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    result = subprocess.run(scrapy_crawl("libyaobserver", "-a", "max_articles=2"), cwd=REPO, capture_output=True,
                            text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert runs(tmp_path) == [("libyaobserver", "interrupted", "abandoned"), ("libyaobserver", "ok", "finished")]


def test_scrapy_crawl_of_an_unreachable_outlet_says_so_in_one_line_and_exits_3(tmp_path: Path) -> None:
    home = f"http://127.0.0.1:{closed_port()}/"
    outlets = tmp_path / "outlets.toml"
    outlets.write_text(outlet_toml("refused", home, f"{home}rss"), encoding="utf-8")
    result = subprocess.run(scrapy_crawl("refused", "-s", "LOG_LEVEL=CRITICAL"), cwd=REPO, capture_output=True,
                            text=True, env=scrapy_env(tmp_path, outlets), timeout=120)
    assert result.returncode == exit_codes.NOTHING_CRAWLED, result.stderr[-2000:]
    assert result.stderr.strip().startswith("refused: unreachable: connection_refused"), result.stderr[-2000:]
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert runs(tmp_path) == [("refused", "failed", "finished")]


def test_scrapy_crawl_of_an_unknown_outlet_is_a_usage_error_naming_the_known_ones(tmp_path: Path, site_outlets: Path) -> None:
    result = subprocess.run(scrapy_crawl("nosuch"), cwd=REPO, capture_output=True, text=True,
                            env=scrapy_env(tmp_path, site_outlets), timeout=120)
    assert result.returncode == 2
    assert "error: unknown outlet 'nosuch'; known outlets: " in result.stderr and "libyaobserver" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "locks").exists()
