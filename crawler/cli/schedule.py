"""``newsmon schedule``: the long-running scheduler (and ``--list`` of its jobs)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from crawler.cli.app import AppContext, cli, pass_app
from crawler.cli.crawl import parse_setting
from crawler.cli.runs import local_time
from crawler.durations import human_duration
from crawler.logs import configure_logging
from crawler.outlets import OutletConfigError, parse_duration
from crawler.child_crawls import CrawlCommand, CrawlLauncher
from crawler.scheduling import OutletTiming, SchedulerDaemon, stored_jobs
from storage.db import session_factory
from storage.location import data_dir
from storage.run_history import latest_runs


class Duration(click.ParamType):
    """``30m``, ``2h``, ``0.5s`` or a number of seconds (more than zero unless ``zero_ok``)."""

    name = "DURATION"

    def __init__(self, *, zero_ok: bool = False):
        self.zero_ok = zero_ok

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> timedelta:
        if isinstance(value, timedelta):
            return value
        try:
            duration = parse_duration(value, path="", outlet=None, key="")
        except OutletConfigError:
            self.fail(f"expected a duration like 30m, 2h or 0.5s, got {value!r}", param, ctx)
        if not duration and not self.zero_ok:
            self.fail("must be more than zero", param, ctx)
        return duration


DURATION = Duration()


def jobs_table(app: AppContext, jobstore: str, names: tuple[str, ...]) -> Table:
    outlets = app.select_outlets(names)
    jobs = stored_jobs(jobstore)
    with session_factory(app.engine)() as session:
        last = latest_runs(session, [o.slug for o in outlets] + list(jobs))
    now = datetime.now().astimezone()
    table = Table(header_style="bold", box=None, pad_edge=False)
    for name in ("outlet", "every", "jitter", "next run", "in", "last run", "status"):
        table.add_column(name)
    for slug in dict.fromkeys([o.slug for o in outlets] + sorted(jobs)):
        job, run = jobs.get(slug), last.get(slug)
        if job is None:
            every, jitter, next_run, due = "", "", "not scheduled yet", "starts with `newsmon schedule`"
        else:
            every = human_duration(job.interval.total_seconds()) if job.interval else "?"
            jitter = human_duration(job.jitter) if job.jitter else "0"
            next_run = local_time(job.next_run) if job.next_run else "paused"
            due = human_duration(max(0.0, (job.next_run - now).total_seconds())) if job.next_run else ""
            if slug not in app.outlets:
                due += " (outlet no longer configured)"
        table.add_row(slug, every, jitter, next_run, due, local_time(run.started_at) if run else "never",
                      run.status if run else "")
    return table


@cli.command("schedule")
@click.option("--outlet", "-o", "outlet_names", multiple=True, metavar="NAME", help="Schedule only this outlet (repeatable).")
@click.option("--list", "list_jobs", is_flag=True, help="Show the jobs with their next run time, and exit.")
@click.option("--interval", type=DURATION, help="Crawl every outlet this often, whatever the outlet files say (30m, 0.5s).")
@click.option("--jitter", type=Duration(zero_ok=True), help="Delay each run by up to this much, whatever the outlet files say.")
@click.option("--time-limit", type=DURATION, default="1h", show_default=True,
              help="Stop a crawl that runs longer (SIGTERM, then SIGKILL after --stop-timeout).")
@click.option("--stop-timeout", type=DURATION, default="30s", show_default=True,
              help="How long a crawl gets to stop after SIGTERM before it is killed.")
@click.option("--max-parallel", type=click.IntRange(min=1), default=2, show_default=True,
              help="Crawls running at the same time.")
@click.option("--jobstore", metavar="URL", help="Database URL of the job store [default: the newsmon database].")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Log file of the scheduler and its crawls [default: <data dir>/logs/newsmon.log].")
@click.option("--quiet", "-q", is_flag=True, help="Only warnings and errors on the console.")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE", help="Scrapy setting for every crawl.")
@pass_app
def schedule_command(app: AppContext, outlet_names: tuple[str, ...], list_jobs: bool, interval: timedelta | None,
                     jitter: timedelta | None, time_limit: timedelta, stop_timeout: timedelta, max_parallel: int,
                     jobstore: str | None, log_file: Path | None, quiet: bool, settings: tuple[str, ...]) -> None:
    """Crawl every outlet (or those named) at its interval until stopped.

    One job per outlet at the `interval` of its configuration (with `jitter`),
    each crawl in a child process (`newsmon crawl --outlet X`) under a time
    limit. Jobs are kept in the database: a restart keeps every outlet's next
    run time, and runs missed while stopped are made up once. A crawl never
    overlaps another of the same outlet, also one started by cron. An outlet
    that keeps failing is skipped for exponentially more runs.

    SIGTERM or Ctrl-C stops it: running crawls are told to stop and store what
    they have, and are killed after --stop-timeout. Logs: console and
    <data dir>/logs/newsmon.log (rotated).

    Example: newsmon schedule --list
    """
    jobstore = jobstore or app.db_url
    if list_jobs:
        console = Console(width=max(Console().width, 120))
        console.print(jobs_table(app, jobstore, outlet_names))
        return
    outlets = app.select_outlets(outlet_names)
    if not outlets:
        raise click.ClickException("no enabled outlet to schedule")
    parse_setting(settings)
    log_file = log_file or data_dir() / "logs" / "newsmon.log"
    configure_logging(console_level=logging.WARNING if quiet else logging.INFO, log_file=log_file, verbose=False,
                      tag="scheduler", full_console=True)
    # Its "maximum number of running instances reached" warnings are logged per outlet instead.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    command = CrawlCommand(app.db_url, tuple(app.outlet_files), app.default_outlets, log_file, settings)
    launcher = CrawlLauncher(command, time_limit=time_limit.total_seconds(), stop_timeout=stop_timeout.total_seconds())
    timings = [OutletTiming.of(o, interval, jitter) for o in outlets]
    daemon = SchedulerDaemon(timings, launcher, app.engine, jobstore_url=jobstore, max_parallel=max_parallel)
    raise SystemExit(daemon.run())
