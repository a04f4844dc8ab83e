"""``newsmon crawl``: crawl the configured outlets into the database."""

from __future__ import annotations

import logging
import sys
from datetime import date
from pathlib import Path

import click

from crawler import exit_codes
from crawler.cli.app import AppContext, cli, pass_app
from crawler.cli.frontier import redis_options, seed_frontier
from crawler.crawl import crawl_settings, run_crawl
from crawler.discovery.dates import parse_day
from crawler.locking import LockHeld, OutletLocks
from crawler.logs import configure_logging, process_tag
from crawler.outcome import report
from crawler.outlets import OutletConfig
from storage.db import session_factory
from storage.location import data_dir
from storage.runs import close_abandoned_runs

logger = logging.getLogger("newsmon.crawl")


def parse_setting(values: tuple[str, ...]) -> dict[str, str]:
    settings = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint="-s")
        settings[key.strip()] = val
    return settings


def since_option(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_day(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from None


@cli.command("crawl")
@click.option("--outlet", "-o", "outlet_names", multiple=True, metavar="NAME", help="Crawl only this outlet (repeatable).")
@click.option("--since", metavar="YYYY-MM-DD", help="Skip articles listed as published before this day.")
@click.option("--max-articles", type=click.IntRange(min=0), help="Fetch at most N articles per outlet.")
@click.option("--refresh", is_flag=True, help="Fetch known articles again and update them.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors (the default when not on a terminal).")
@click.option("--verbose", "-v", is_flag=True, help="Show Scrapy's log on the console.")
@click.option("--strict", is_flag=True, help="Exit 1 when some outlet or URL failed.")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Log file [default: <data dir>/logs/newsmon.log].")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting.")
@redis_options(required=False)
@click.option("--wait", is_flag=True, help="With --redis: wait until the workers have crawled everything queued.")
@click.option("--timeout", type=click.FloatRange(min=0), metavar="SECONDS", help="With --wait: give up after this long.")
@pass_app
def crawl_command(app: AppContext, outlet_names: tuple[str, ...], since: str | None, max_articles: int | None,
                  refresh: bool, quiet: bool, verbose: bool, strict: bool, log_file: str | None,
                  settings: tuple[str, ...], redis_url: str | None, redis_prefix: str, wait: bool,
                  timeout: float | None) -> None:
    """Crawl every configured outlet (or those named) into the database.

    Safe to run from cron: quiet when not on a terminal, and a run never overlaps
    another run of the same outlets (per-outlet locks in <data dir>/locks/). A run
    only does new work: unchanged feeds cost a 304, stored articles are not fetched.

    \b
    Exit status:
      0   outlets crawled (some URLs may have failed; see `newsmon runs --failed`)
      1   with --strict: some outlet or URL failed; also configuration/database errors
      2   usage error
      3   no outlet could be crawled (every one unreachable)
      4   interrupted (SIGTERM/SIGINT): what was fetched is stored, the next run resumes
      75  another newsmon run holds the lock of one of these outlets; nothing was done

    With --redis URL (or NEWSMON_REDIS_URL) nothing is fetched here: the outlets'
    feeds, sitemaps and section pages are queued in the shared frontier, where
    `newsmon worker` processes on any machine crawl them (--wait: until they are done).

    Example: newsmon crawl --outlet libyaherald --since 2026-11-01
    """
    outlets = app.select_outlets(outlet_names)
    day = since_option(since)
    if redis_url:
        if since or max_articles is not None or refresh:
            raise click.UsageError("with --redis, give --since and --refresh to `newsmon worker` "
                                   "(--max-articles has no distributed form)")
        scrapy_settings = crawl_settings(app.db_url, app.outlet_files, default_outlets=app.default_outlets,
                                         overrides=parse_setting(settings))
        raise SystemExit(seed_frontier(scrapy_settings, redis_url, redis_prefix, outlets, wait=wait,
                                       timeout=timeout, quiet=quiet))
    interactive = sys.stderr.isatty() and not quiet
    configure_logging(console_level=20 if interactive else 40, verbose=verbose,
                      log_file=Path(log_file) if log_file else data_dir() / "logs" / "newsmon.log",
                      tag=process_tag([o.slug for o in outlets]))
    try:
        # Taken before the database is opened: a refused run touches nothing.
        with OutletLocks([o.slug for o in outlets]):
            status = crawl_locked(app, outlets, day, max_articles, refresh, settings, interactive=interactive,
                                  show_table=interactive or verbose, strict=strict)
    except LockHeld as exc:
        logger.error("%s; exiting", exc, extra={"outlet": exc.outlet})
        status = exit_codes.LOCKED
    raise SystemExit(status)


def crawl_locked(app: AppContext, outlets: list[OutletConfig], day: date | None, max_articles: int | None,
                 refresh: bool, settings: tuple[str, ...], *, interactive: bool, show_table: bool, strict: bool) -> int:
    """The crawl proper, run while this process holds the outlets' locks; returns the exit status."""
    with session_factory(app.engine).begin() as session:
        abandoned = close_abandoned_runs(session, [o.slug for o in outlets])
    if abandoned:
        logger.info("marked %d run(s) left by a killed crawl as interrupted", abandoned)
    scrapy_settings = crawl_settings(app.db_url, app.outlet_files, default_outlets=app.default_outlets, refresh=refresh, overrides=parse_setting(settings))
    if not interactive:
        scrapy_settings.set("NEWSMON_PROGRESS_INTERVAL", 0, priority="cmdline")
    summaries = run_crawl(scrapy_settings, outlets, since=day, max_articles=max_articles)
    return report(summaries, show_table=show_table, strict=strict)
