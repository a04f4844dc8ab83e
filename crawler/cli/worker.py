"""``newsmon worker``: crawl from the shared frontier in Redis, on any machine."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from redis.exceptions import RedisError

from crawler.cli.app import AppContext, cli, pass_app
from crawler.cli.crawl import parse_setting, since_option
from crawler.cli.frontier import redis_options
from crawler.crawl import crawl_settings, run_crawl
from crawler.distributed.seed import frontier_server
from crawler.distributed.settings import frontier_settings
from crawler.logs import configure_logging, process_tag
from crawler.outcome import report
from storage.location import data_dir


@cli.command("worker")
@click.option("--outlet", "-o", "outlet_names", multiple=True, metavar="NAME",
              help="Work only on this outlet's frontier (repeatable) [default: every configured outlet].")
@redis_options(required=True)
@click.option("--idle-timeout", type=click.FloatRange(min=0), metavar="SECONDS",
              help="Exit once the frontier has been empty this long [default: keep waiting for work].")
@click.option("--since", metavar="YYYY-MM-DD", help="Skip articles listed as published before this day.")
@click.option("--refresh", is_flag=True, help="Fetch known articles again and update them.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors (the default when not on a terminal).")
@click.option("--verbose", "-v", is_flag=True, help="Show Scrapy's log on the console.")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Log file [default: <data dir>/logs/newsmon.log].")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting.")
@pass_app
def worker_command(app: AppContext, outlet_names: tuple[str, ...], redis_url: str, redis_prefix: str,
                   idle_timeout: float | None, since: str | None, refresh: bool, quiet: bool, verbose: bool,
                   log_file: str | None, settings: tuple[str, ...]) -> None:
    """Fetch, extract and store what the shared frontier holds, with any number of other
    workers on this or other machines; `newsmon crawl --redis URL` fills the frontier.

    Stops on SIGTERM/SIGINT (what it holds goes back to the frontier) or, with
    --idle-timeout, once there has been nothing to do for that long. A worker that is
    killed loses nothing: its requests return to the frontier when their lease expires
    (-s NEWSMON_LEASE_TTL=seconds, default 60).

    Example: newsmon --db postgresql+psycopg://newsmon@dbhost/newsmon worker --redis redis://dbhost:6379/0
    """
    outlets = app.select_outlets(outlet_names)
    day = since_option(since)
    interactive = sys.stderr.isatty() and not quiet
    configure_logging(console_level=20 if interactive else 40, verbose=verbose,
                      log_file=Path(log_file) if log_file else data_dir() / "logs" / "newsmon.log",
                      tag=process_tag([o.slug for o in outlets]))
    scrapy_settings = crawl_settings(app.db_url, app.outlet_files, default_outlets=app.default_outlets,
                                     refresh=refresh, overrides=parse_setting(settings))
    frontier_settings(scrapy_settings, redis_url, prefix=redis_prefix, idle_timeout=idle_timeout)
    if not interactive:
        scrapy_settings.set("NEWSMON_PROGRESS_INTERVAL", 0, priority="cmdline")
    try:
        frontier_server(scrapy_settings)
    except RedisError as exc:
        raise click.ClickException(f"Redis at {redis_url}: {exc}") from None
    summaries = run_crawl(scrapy_settings, outlets, since=day)
    raise SystemExit(report(summaries, show_table=interactive or verbose, strict=False))
