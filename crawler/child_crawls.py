"""Crawls in child processes, for the scheduler: start ``newsmon crawl --outlet X --quiet``,
enforce a time limit, and stop every running child in order on shutdown.

A child runs in a session of its own: a Ctrl-C on the daemon's terminal does not reach it
directly (the daemon stops it in order: a second signal would force Scrapy's unclean
shutdown), and its process group (the crawl, its forkserver and extraction workers) can
be killed whole. Stopping is SIGTERM to the crawl (Scrapy's graceful shutdown: in-flight
articles are stored, the run is recorded as interrupted), then SIGKILL to its group if it
is still there after ``stop_timeout``.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from crawler import exit_codes
from crawler.durations import human_duration

logger = logging.getLogger("newsmon.schedule")

# How often a waiting stop looks at the force flag a second signal sets.
STOP_POLL_SECONDS = 0.2
# After SIGKILL, how long to wait for the killed children to be reaped.
REAP_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class CrawlCommand:
    """How to start the crawl of one outlet as a child process."""

    db_url: str
    outlet_files: tuple[str, ...] = ()
    default_outlets: bool = True
    log_file: Path | None = None
    settings: tuple[str, ...] = ()

    def argv(self, slug: str) -> list[str]:
        argv = [sys.executable, "-m", "crawler", "--db", self.db_url]
        for path in self.outlet_files:
            argv += ["--outlets", path]
        if not self.default_outlets:
            argv.append("--no-default-outlets")
        argv += ["crawl", "--outlet", slug, "--quiet"]
        if self.log_file is not None:
            argv += ["--log-file", str(self.log_file)]
        for setting in self.settings:
            argv += ["-s", setting]
        return argv


@dataclass(frozen=True, slots=True)
class CrawlOutcome:
    """How one child crawl ended."""

    outlet: str
    pid: int
    returncode: int
    seconds: float
    output: str = ""
    timed_out: bool = False
    stopped: bool = False  # told to stop by the daemon's shutdown

    @property
    def locked(self) -> bool:
        return self.returncode == exit_codes.LOCKED

    @property
    def failed(self) -> bool:
        if self.timed_out:
            return True
        return not (self.stopped or self.locked or self.returncode == exit_codes.OK)

    def describe(self) -> str:
        if self.timed_out:
            return "time limit reached, crawl stopped"
        if self.returncode < 0:
            return f"crawl killed by {signal.Signals(-self.returncode).name}"
        return {
            exit_codes.OK: "crawl finished",
            exit_codes.NOTHING_CRAWLED: "outlet unreachable",
            exit_codes.INTERRUPTED: "crawl interrupted",
            exit_codes.LOCKED: "skipped: another newsmon run holds the outlet's lock",
        }.get(self.returncode, f"crawl failed with exit status {self.returncode}")


def _signal_group(proc: subprocess.Popen[str], signum: int) -> None:
    """Signal a child's whole process group (the crawl and its extraction workers)."""
    try:
        os.killpg(proc.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


class CrawlLauncher:
    """Starts crawl children, enforces their time limit, and stops them all on shutdown."""

    def __init__(self, command: CrawlCommand, *, time_limit: float, stop_timeout: float):
        self.command = command
        self.time_limit = time_limit
        self.stop_timeout = stop_timeout
        self.stopping = False
        self.force = False
        self._children: dict[str, subprocess.Popen[str]] = {}
        self._lock = threading.Condition()

    def run(self, slug: str) -> CrawlOutcome | None:
        """Crawl ``slug`` in a child and wait for it; None when the daemon is stopping."""
        started = time.monotonic()
        with self._lock:
            if self.stopping:
                return None
            proc = subprocess.Popen(self.command.argv(slug), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True, start_new_session=True)
            self._children[slug] = proc
        logger.info("crawl started (pid %d)", proc.pid, extra={"outlet": slug})
        timed_out = False
        try:
            output, _ = proc.communicate(timeout=self.time_limit)
        except subprocess.TimeoutExpired:
            timed_out = True
            logger.warning("time limit of %s reached: stopping the crawl", human_duration(self.time_limit),
                           extra={"outlet": slug})
            output = self._stop(slug, proc)
        finally:
            with self._lock:
                del self._children[slug]
                self._lock.notify_all()
        return CrawlOutcome(slug, proc.pid, proc.returncode, time.monotonic() - started, output,
                            timed_out=timed_out, stopped=self.stopping and not timed_out)

    def _stop(self, slug: str, proc: subprocess.Popen[str]) -> str:
        """SIGTERM to the crawl, then SIGKILL to its group if it is still there after ``stop_timeout``."""
        proc.send_signal(signal.SIGTERM)
        try:
            output, _ = proc.communicate(timeout=self.stop_timeout)
        except subprocess.TimeoutExpired:
            logger.warning("crawl still running %s after SIGTERM: killing it", human_duration(self.stop_timeout),
                           extra={"outlet": slug})
            _signal_group(proc, signal.SIGKILL)
            output, _ = proc.communicate()
        return output

    def stop_all(self) -> None:
        """Stop every running child within ``stop_timeout`` (at once when :attr:`force` is set)."""
        with self._lock:
            self.stopping = True
            children = dict(self._children)
        for slug, proc in children.items():
            logger.info("stopping the crawl (pid %d)", proc.pid, extra={"outlet": slug})
            proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        with self._lock:
            while self._children and not self.force and time.monotonic() < deadline:
                self._lock.wait(STOP_POLL_SECONDS)
            left = dict(self._children)
        for slug, proc in left.items():
            logger.warning("crawl (pid %d) did not stop in time: killing it", proc.pid, extra={"outlet": slug})
            _signal_group(proc, signal.SIGKILL)
        with self._lock:
            self._lock.wait_for(lambda: not self._children, REAP_SECONDS)
