"""The scheduler daemon behind ``newsmon schedule``: one APScheduler job per outlet.

Each job runs ``newsmon crawl --outlet X --quiet`` in a child process (Twisted's reactor
cannot be restarted in one process; see :mod:`crawler.child_crawls`) under a time limit,
so a crawl that hangs or crashes costs one child, never the daemon; the child takes the
same per-outlet lock as a cron run. Jobs live in APScheduler's SQLAlchemy job store (by
default in the newsmon database), so a restart keeps each outlet's next run time; missed
runs are coalesced into one and run however late (``misfire_grace_time=None``), and an
outlet is never crawled twice at once (``max_instances=1``). An outlet that keeps failing
backs off: after its n-th failure in a row (n >= 2) its next 2**(n-1)-1 runs are skipped,
at most :data:`MAX_SKIPPED_RUNS`; the count is kept in memory, a restart forgets it.

Stopping (SIGTERM, Ctrl-C): no new crawl starts, running children are stopped (SIGTERM,
then SIGKILL after ``stop_timeout``; a second signal kills them at once), and the daemon
exits once they are gone.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from threading import TIMEOUT_MAX
from types import FrameType

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, JobSubmissionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from crawler.child_crawls import REAP_SECONDS, STOP_POLL_SECONDS, CrawlLauncher, CrawlOutcome
from crawler.durations import human_duration
from crawler.outlets import OutletConfig
from storage.db import session_factory
from storage.jobstore import JOBS_TABLE, jobstore_engine
from storage.run_history import latest_runs

logger = logging.getLogger("newsmon.schedule")

JOB_PREFIX = "crawl:"
JOB_OPTIONS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
MAX_SKIPPED_RUNS = 32


def job_id(slug: str) -> str:
    return JOB_PREFIX + slug


class Backoff:
    """Consecutive failures per outlet, and how many runs each has left to skip."""

    def __init__(self, max_skipped: int = MAX_SKIPPED_RUNS):
        self.max_skipped = max_skipped
        self.failures: dict[str, int] = {}
        self.to_skip: dict[str, int] = {}

    def take_skip(self, slug: str) -> bool:
        """True (and one run fewer to skip) when this run of ``slug`` is to be skipped."""
        if self.to_skip.get(slug, 0) <= 0:
            return False
        self.to_skip[slug] -= 1
        return True

    def failed(self, slug: str) -> tuple[int, int]:
        """Record a failure; returns (failures in a row, runs to skip now)."""
        count = self.failures[slug] = self.failures.get(slug, 0) + 1
        self.to_skip[slug] = min(2 ** (count - 1) - 1, self.max_skipped)
        return count, self.to_skip[slug]

    def succeeded(self, slug: str) -> int:
        """Record a success; returns the failures in a row it ends."""
        self.to_skip.pop(slug, None)
        return self.failures.pop(slug, 0)


class DaemonScheduler(BlockingScheduler):
    """A BlockingScheduler that syncs its jobs when started and stops on a flag.

    A signal handler only sets :attr:`stop_signal` (assigning an attribute is safe in a
    handler; taking the scheduler's locks is not), and the loop looks at it every
    :data:`STOP_POLL_SECONDS`.
    """

    def __init__(self, *, on_ready: Callable[[], None], **options: object):
        super().__init__(**options)
        self.on_ready = on_ready
        self.stop_signal: int | None = None

    def _main_loop(self) -> None:
        self.on_ready()
        due, announced = time.monotonic(), False
        while self.state != STATE_STOPPED and self.stop_signal is None:
            self._event.wait(max(0.0, min(STOP_POLL_SECONDS, due - time.monotonic())))
            if self.stop_signal is not None:
                break
            if self._event.is_set() or time.monotonic() >= due:
                self._event.clear()
                wait_seconds = self._process_jobs()
                due = time.monotonic() + (TIMEOUT_MAX if wait_seconds is None else wait_seconds)
                if not announced:
                    logger.info("scheduler running; next check in %s",
                                "never (no job)" if wait_seconds is None else human_duration(wait_seconds))
                    announced = True


def _interval_trigger(interval: timedelta, jitter: timedelta) -> IntervalTrigger:
    return IntervalTrigger(seconds=interval.total_seconds(), jitter=jitter.total_seconds() or None)


@dataclass(frozen=True, slots=True)
class OutletTiming:
    """When an outlet is crawled: its interval and jitter (from its configuration or overridden).

    The jitter is capped at the interval, so a short ``--interval`` is not swamped by the
    configured jitter (``5m`` by default).
    """

    slug: str
    interval: timedelta
    jitter: timedelta

    @classmethod
    def of(cls, outlet: OutletConfig, interval: timedelta | None = None, jitter: timedelta | None = None) -> OutletTiming:
        interval = interval if interval is not None else outlet.interval
        return cls(outlet.slug, interval, min(jitter if jitter is not None else outlet.jitter, interval))


def _same_timing(job: Job, timing: OutletTiming) -> bool:
    trigger = job.trigger
    return (isinstance(trigger, IntervalTrigger) and trigger.interval == timing.interval
            and (trigger.jitter or 0) == timing.jitter.total_seconds())


class SchedulerDaemon:
    """``newsmon schedule``: crawls each outlet at its interval until SIGTERM or Ctrl-C."""

    def __init__(self, timings: list[OutletTiming], launcher: CrawlLauncher, engine: Engine, *,
                 jobstore_url: str, max_parallel: int):
        self.timings = timings
        self.launcher = launcher
        self.sessions = session_factory(engine)
        self.backoff = Backoff()
        self._backoff_lock = threading.Lock()
        self._active = 0  # jobs between their start and their last log line
        self._idle = threading.Condition()
        self.scheduler = DaemonScheduler(
            on_ready=self.sync_jobs,
            jobstores={"default": SQLAlchemyJobStore(engine=jobstore_engine(jobstore_url), tablename=JOBS_TABLE)},
            executors={"default": ThreadPoolExecutor(max_parallel)},
            job_defaults=JOB_OPTIONS,
        )
        self.scheduler.add_listener(self._on_busy, EVENT_JOB_MAX_INSTANCES)

    # -- running ----------------------------------------------------------------------------
    def run(self) -> int:
        """Block until SIGTERM/SIGINT; returns the exit status."""
        global _daemon
        _daemon = self
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.scheduler.start()
            logger.info("received %s: stopping", signal.Signals(self.scheduler.stop_signal or signal.SIGTERM).name)
        finally:
            self.launcher.stopping = True
            if self.scheduler.state != STATE_STOPPED:
                self.scheduler.shutdown(wait=False)
            self.launcher.stop_all()
            with self._idle:
                self._idle.wait_for(lambda: self._active == 0, REAP_SECONDS)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            _daemon = None
        logger.info("scheduler stopped")
        return 0

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if self.scheduler.stop_signal is None:
            self.scheduler.stop_signal = signum
        else:
            self.launcher.force = True

    # -- jobs -------------------------------------------------------------------------------
    def sync_jobs(self) -> None:
        """Make the job store match the outlets: keep unchanged jobs (and their next run
        time), reschedule changed ones, add new ones (first crawl now), drop the others."""
        existing = {job.id: job for job in self.scheduler.get_jobs() if job.id.startswith(JOB_PREFIX)}
        now = datetime.now(self.scheduler.timezone)
        for timing in self.timings:
            job = existing.pop(job_id(timing.slug), None)
            trigger = _interval_trigger(timing.interval, timing.jitter)
            every, tag = human_duration(timing.interval.total_seconds()), {"outlet": timing.slug}
            if job is None:
                self.scheduler.add_job(crawl_outlet, trigger, args=[timing.slug], id=job_id(timing.slug),
                                       name=timing.slug, next_run_time=now, **JOB_OPTIONS)
                logger.info("new job every %s: first crawl now", every, extra=tag)
            elif not _same_timing(job, timing):
                next_run = min(job.next_run_time or now, now + timing.interval)
                job.modify(trigger=trigger, next_run_time=next_run, **JOB_OPTIONS)
                logger.info("job now every %s, next crawl at %s", every, _clock(next_run), extra=tag)
            else:
                job.modify(**JOB_OPTIONS)
                logger.info("job kept: every %s, next crawl at %s", every,
                            _clock(job.next_run_time) if job.next_run_time else "never (paused)", extra=tag)
        for job in existing.values():
            job.remove()
            logger.info("job removed (outlet not scheduled any more)", extra={"outlet": job.id.removeprefix(JOB_PREFIX)})
        logger.info("scheduler started with %d outlet(s)", len(self.timings))

    def _on_busy(self, event: JobSubmissionEvent) -> None:
        logger.info("previous crawl still running: run of %s skipped", _clock(max(event.scheduled_run_times)),
                    extra={"outlet": event.job_id.removeprefix(JOB_PREFIX)})

    def crawl(self, slug: str) -> None:
        """One run of ``slug``'s job (in one of the scheduler's threads)."""
        with self._idle:
            self._active += 1
        try:
            self._crawl(slug)
        finally:
            with self._idle:
                self._active -= 1
                self._idle.notify_all()

    def _crawl(self, slug: str) -> None:
        tag = {"outlet": slug}
        with self._backoff_lock:
            skip = self.backoff.take_skip(slug)
            failures = self.backoff.failures.get(slug, 0)
        if skip:
            logger.info("skipped: backing off after %d failure(s) in a row", failures, extra=tag)
            return
        outcome = self.launcher.run(slug)
        if outcome is None:
            return
        for line in outcome.output.splitlines():
            if line.strip():
                logger.info("crawl output: %s", line.strip(), extra=tag)
        self.report(outcome)

    def report(self, outcome: CrawlOutcome) -> None:
        tag = {"outlet": outcome.outlet}
        took = human_duration(outcome.seconds)
        if outcome.locked or outcome.stopped:
            logger.info("%s (pid %d, %s)", outcome.describe(), outcome.pid, took, extra=tag)
            return
        if outcome.failed:
            with self._backoff_lock:
                count, skip = self.backoff.failed(outcome.outlet)
            backing_off = f"; backing off: skipping the next {skip} run(s)" if skip else ""
            logger.error("%s (pid %d, %s); %d failure(s) in a row%s", outcome.describe(), outcome.pid, took, count,
                         backing_off, extra=tag)
            return
        with self._backoff_lock:
            ended = self.backoff.succeeded(outcome.outlet)
        if ended:
            logger.info("recovered after %d failure(s) in a row", ended, extra=tag)
        with self.sessions() as session:
            run = latest_runs(session, [outcome.outlet]).get(outcome.outlet)
        counts = f": {run.status}, found {run.discovered}, fetched {run.fetched}, new {run.stored}, " \
                 f"updated {run.updated}, failed {run.failed}" if run else ""
        logger.info("%s in %s%s", outcome.describe(), took, counts, extra=tag)


def _clock(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


# The daemon whose jobs are running: jobs in a persistent store name their function by
# module path, so the job function is module-level and finds the daemon here.
_daemon: SchedulerDaemon | None = None


def crawl_outlet(slug: str) -> None:
    """The job of every outlet."""
    if _daemon is None:
        logger.warning("no scheduler daemon is running: job ignored", extra={"outlet": slug})
        return
    _daemon.crawl(slug)


@dataclass(frozen=True, slots=True)
class ScheduledJob:
    """An outlet's job as stored: for ``newsmon schedule --list``."""

    slug: str
    interval: timedelta | None
    jitter: float | None
    next_run: datetime | None


def open_job_store(jobstore_url: str) -> SQLAlchemyJobStore:
    """The job store, opened for reading and editing jobs without running any.

    (A paused scheduler will not do: when shut down, its loop makes one more pass that
    consumes the jobs then due.) The scheduler given to the store is never started; it
    only rebuilds the stored jobs.
    """
    store = SQLAlchemyJobStore(engine=jobstore_engine(jobstore_url), tablename=JOBS_TABLE)
    store.start(BlockingScheduler(), "default")
    return store


def stored_jobs(jobstore_url: str) -> dict[str, ScheduledJob]:
    """The outlets' jobs in the job store, by outlet."""
    store = open_job_store(jobstore_url)
    try:
        jobs = store.get_all_jobs()
    finally:
        store.shutdown()
    found = {}
    for job in jobs:
        if not job.id.startswith(JOB_PREFIX):
            continue
        trigger = job.trigger
        interval = trigger.interval if isinstance(trigger, IntervalTrigger) else None
        jitter = trigger.jitter if isinstance(trigger, IntervalTrigger) else None
        slug = job.id.removeprefix(JOB_PREFIX)
        found[slug] = ScheduledJob(slug, interval, jitter, job.next_run_time)
    return found
