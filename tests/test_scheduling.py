"""``newsmon schedule``: the real daemon, its crawl children and its job store, against the
local outlet site with sub-second intervals."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from alembic import command
from click.testing import CliRunner

from conftest import FAST_CRAWL_SETTINGS
from crawler.cli import cli
from crawler.demo import DemoSite
from crawler.outlets import load_outlets
from crawler.scheduling import OutletTiming, job_id, open_job_store, stored_jobs
from newsmon_processes import (
    dead_outlet_toml,
    expected_keys,
    group_members,
    integrity,
    run_newsmon_in,
    runs_of,
    start_newsmon,
    stop,
    stored_keys,
    wait_for,
)
from storage.db import alembic_config, open_database

OUTLET = "libyaherald"
# Every crawl child gets the fast local-site settings, and one extraction worker (the
# tests run a daemon and its children on a small machine).
CRAWL_SETTINGS = [arg for setting in (*FAST_CRAWL_SETTINGS, "NEWSMON_EXTRACT_WORKERS=1") for arg in ("-s", setting)]
LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (DEBUG|INFO|WARNING|ERROR|CRITICAL) \[[a-z0-9_*]+\] \S+: ")


@pytest.fixture(scope="module")
def site() -> Iterator[DemoSite]:
    with DemoSite(articles_per_outlet=4) as demo:
        yield demo


@pytest.fixture(scope="module")
def outlets(site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site's outlets, an unreachable one, and a sub-second interval for all."""
    path = site.write_outlets(tmp_path_factory.mktemp("schedule") / "outlets.toml")
    with path.open("a", encoding="utf-8") as fh:
        fh.write(dead_outlet_toml("deadoutlet"))
        fh.write('\n[defaults]\ninterval = "0.5s"\njitter = "0s"\n')
    return path


class Daemon:
    """One ``newsmon schedule`` process of a test, with its console output and log file."""

    def __init__(self, tmp_path: Path, outlets: Path, name: str = "daemon"):
        self.tmp_path, self.outlets, self.name = tmp_path, outlets, name
        self.db_path = tmp_path / "newsmon.db"
        self.db_url = f"sqlite:///{self.db_path}"
        self.data = tmp_path / "data"
        self.log = self.data / "logs" / "newsmon.log"
        self.count = 0

    def start(self, *args: str) -> tuple[object, Path]:
        self.count += 1
        output = self.tmp_path / f"{self.name}{self.count}.out"
        proc = start_newsmon("schedule", *args, *CRAWL_SETTINGS, db_url=self.db_url, outlets=self.outlets,
                             data_dir=self.data, output=output)
        return proc, output

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8") if self.log.exists() else ""


@pytest.fixture
def daemon(tmp_path: Path, outlets: Path) -> Daemon:
    return Daemon(tmp_path, outlets)


def ok_runs(db_path: Path, outlet: str) -> list[tuple[object, ...]]:
    return [run for run in runs_of(db_path, outlet) if run[1] == "ok"]


def child_pids(text: str, outlet: str) -> list[int]:
    return [int(pid) for pid in re.findall(rf"\[{outlet}\] newsmon\.schedule: crawl started \(pid (\d+)\)", text)]


def test_jobs_fire_store_articles_and_a_failing_outlet_backs_off(site: DemoSite, daemon: Daemon) -> None:
    proc, output = daemon.start("--outlet", OUTLET, "--outlet", "deadoutlet")
    try:
        wait_for(lambda: len(ok_runs(daemon.db_path, OUTLET)) >= 2, "two crawls of the outlet", timeout=150)
        wait_for(lambda: "[deadoutlet] newsmon.schedule: skipped: backing off" in daemon.log_text(),
                 "the failing outlet to back off", timeout=90)
    finally:
        assert stop(proc) == 0, output.read_text()
    keys = stored_keys(daemon.db_path, OUTLET)
    assert sorted(keys) == sorted(expected_keys(site, OUTLET)), "every article stored once"
    first, second, *_ = ok_runs(daemon.db_path, OUTLET)
    assert first[4] == len(keys) and second[3:] == (0, 0), "later runs fetch nothing new"
    log = daemon.log_text()
    assert "[deadoutlet] newsmon.schedule: outlet unreachable (pid " in log
    assert re.search(r"\[deadoutlet\] newsmon\.schedule: outlet unreachable .*; 2 failure\(s\) in a row; "
                     r"backing off: skipping the next 1 run\(s\)", log)
    assert "[deadoutlet] scrapy." in log and f"[{OUTLET}] scrapy." in log, "crawl children log to the same file"
    assert f"[{OUTLET}] newsmon.schedule: crawl finished in " in log
    assert all(LINE.match(line) for line in log.splitlines()), "one line per event, each with its outlet"
    assert "[scheduler] newsmon.schedule: scheduler stopped" in output.read_text()


def test_a_restart_keeps_the_schedule_and_makes_up_a_missed_run_once(daemon: Daemon) -> None:
    args = ("--outlet", OUTLET, "--interval", "1h", "--jitter", "0")
    proc, output = daemon.start(*args)
    try:
        wait_for(lambda: f"[{OUTLET}] newsmon.schedule: crawl finished" in output.read_text(), "the first crawl")
    finally:
        assert stop(proc) == 0
    next_run = stored_jobs(daemon.db_url)[OUTLET].next_run
    assert next_run is not None and next_run > datetime.now(timezone.utc) + timedelta(minutes=55)
    listing = run_newsmon_in(daemon.data, "schedule", "--list", db_url=daemon.db_url, outlets=daemon.outlets)
    row = next(line for line in listing.stdout.splitlines() if line.startswith(OUTLET))
    assert "1h00m" in row and next_run.astimezone().strftime("%Y-%m-%d %H:%M:%S") in row and "ok" in row

    # A restart before the next run time: the job is kept as it was, nothing runs.
    proc, output = daemon.start(*args)
    try:
        wait_for(lambda: "scheduler running; next check in" in output.read_text(), "the restarted scheduler")
    finally:
        assert stop(proc) == 0
    assert f"[{OUTLET}] newsmon.schedule: job kept: every 1h00m" in output.read_text()
    assert "crawl started" not in output.read_text()
    assert stored_jobs(daemon.db_url)[OUTLET].next_run == next_run
    assert len(runs_of(daemon.db_path, OUTLET)) == 1

    # Down for a day: the runs missed meanwhile are made up by one crawl.
    set_next_run(daemon.db_url, OUTLET, datetime.now(timezone.utc) - timedelta(days=1))
    proc, output = daemon.start(*args)
    try:
        wait_for(lambda: f"[{OUTLET}] newsmon.schedule: crawl finished" in output.read_text(), "the missed crawl")
    finally:
        assert stop(proc) == 0
    assert len(child_pids(output.read_text(), OUTLET)) == 1
    assert len(runs_of(daemon.db_path, OUTLET)) == 2
    assert stored_jobs(daemon.db_url)[OUTLET].next_run > datetime.now(timezone.utc)


def set_next_run(db_url: str, outlet: str, when: datetime) -> None:
    """Move a stored job's next run time, as a daemon stopped meanwhile would have left it."""
    store = open_job_store(db_url)
    try:
        job = store.lookup_job(job_id(outlet))
        state = job.__getstate__()
        state["next_run_time"] = when
        job.__setstate__(state)
        store.update_job(job)
    finally:
        store.shutdown()


def test_sigterm_stops_the_running_crawl_cleanly_and_the_daemon_exits(site: DemoSite, daemon: Daemon) -> None:
    site.latency = 0.8
    try:
        proc, output = daemon.start("--outlet", OUTLET, "--interval", "1h", "--stop-timeout", "30s",
                                    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "CONCURRENT_REQUESTS=1")
        seen = len(site.request_log())
        wait_for(lambda: sum(1 for r in site.request_log()[seen:] if r.slug == OUTLET) >= 5, "the crawl to be under way")
        [child] = child_pids(output.read_text(), OUTLET)
        status = stop(proc, timeout=60)
    finally:
        site.latency = 0.0
    text = output.read_text()
    assert status == 0, text
    assert f"[{OUTLET}] newsmon.schedule: stopping the crawl (pid {child})" in text
    assert f"[{OUTLET}] newsmon.schedule: crawl interrupted (pid {child}" in text
    assert "scheduler stopped" in text
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)
    assert group_members(child) == [], "no extraction worker left behind"
    assert [(status, reason) for _, status, reason, *_ in runs_of(daemon.db_path, OUTLET)] == [("interrupted", "shutdown")]
    assert integrity(daemon.db_path) == "ok"
    keys = stored_keys(daemon.db_path, OUTLET)
    assert len(keys) == len(set(keys))


def test_a_crawl_over_its_time_limit_is_stopped_and_logged(daemon: Daemon) -> None:
    proc, output = daemon.start("--outlet", "hostile", "--time-limit", "2s", "--stop-timeout", "2s")
    try:
        wait_for(lambda: "[hostile] newsmon.schedule: time limit reached, crawl stopped" in output.read_text(),
                 "the time limit to stop the crawl")
    finally:
        assert stop(proc, signal.SIGINT) == 0, "Ctrl-C stops the daemon as SIGTERM does"
    text = output.read_text()
    assert "[hostile] newsmon.schedule: time limit of 2s reached: stopping the crawl" in text
    assert re.search(r"\[hostile\] newsmon\.schedule: time limit reached, crawl stopped \(pid \d+, .*\); "
                     r"1 failure\(s\) in a row", text)
    for child in child_pids(text, "hostile"):
        assert group_members(child) == []


def test_a_crawl_of_an_outlet_a_cron_run_is_crawling_waits_for_its_next_turn(daemon: Daemon) -> None:
    holder = subprocess.Popen(  # stands in for a cron run holding the outlet's lock
        [sys.executable, "-c", "import sys, time\nfrom crawler.locking import OutletLocks\n"
         f"OutletLocks([{OUTLET!r}]).acquire()\nprint('locked', flush=True)\ntime.sleep(600)"],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "NEWSMON_DATA_DIR": str(daemon.data)})
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        proc, output = daemon.start("--outlet", OUTLET)
        try:
            wait_for(lambda: f"[{OUTLET}] newsmon.schedule: skipped: another newsmon run holds the outlet's lock"
                     in output.read_text(), "the locked outlet to be skipped")
            holder.kill()
            wait_for(lambda: f"[{OUTLET}] newsmon.schedule: crawl finished" in output.read_text(),
                     "a crawl once the lock is free")
        finally:
            assert stop(proc) == 0
    finally:
        holder.kill()
        holder.wait()
    assert "failure(s) in a row" not in output.read_text(), "a locked outlet is not a failing one"


def test_the_job_store_table_stays_out_of_alembic_autogenerate(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'newsmon.db'}"
    engine = open_database(db_url)
    open_job_store(db_url).shutdown()  # creates APScheduler's table
    command.check(alembic_config(engine))  # raises if autogenerate would drop it


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--interval", "0", "must be more than zero"),
    ("--time-limit", "5x", "expected a duration like 30m, 2h or 0.5s"),
])
def test_bad_durations_are_usage_errors(outlets: Path, tmp_path: Path, option: str, value: str, message: str) -> None:
    result = CliRunner().invoke(cli, ["--db", f"sqlite:///{tmp_path / 'x.db'}", "--outlets", str(outlets),
                                      "--no-default-outlets", "schedule", option, value])
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "x.db").exists()


def test_overrides_and_the_jitter_never_exceeding_the_interval(outlets: Path) -> None:
    outlet = load_outlets(outlets, defaults=False)[OUTLET]
    assert (outlet.interval, outlet.jitter) == (timedelta(seconds=0.5), timedelta(0)), "from the file's [defaults]"
    configured = replace(outlet, interval=timedelta(hours=1), jitter=timedelta(minutes=5))
    assert OutletTiming.of(configured) == OutletTiming(OUTLET, timedelta(hours=1), timedelta(minutes=5))
    assert OutletTiming.of(configured, timedelta(seconds=2)) == OutletTiming(OUTLET, timedelta(seconds=2),
                                                                            timedelta(seconds=2))
    assert OutletTiming.of(configured, None, timedelta(0)).jitter == timedelta(0)
