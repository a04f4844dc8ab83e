"""``newsmon crawl``: crawl the configured outlets into the database."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from crawler.cli.app import AppContext, cli, pass_app
from crawler.crawl import RunSummary, configure_logging, crawl_settings, run_crawl
from crawler.discovery.dates import parse_day
from storage.location import data_dir

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_NOTHING_CRAWLED = 3


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


def summary_table(summaries: list[RunSummary]) -> str:
    header = f"{'outlet':<16} {'status':<11} {'found':>6} {'fetched':>8} {'new':>6} {'updated':>8} {'skipped':>8} {'failed':>7}"
    lines = [header, "-" * len(header)]
    for s in summaries:
        lines.append(f"{s.outlet:<16} {s.status:<11} {s.discovered:>6} {s.fetched:>8} {s.stored:>6} {s.updated:>8} {s.skipped:>8} {s.failed:>7}")
    return "\n".join(lines)


def report(summaries: list[RunSummary], *, show_table: bool, strict: bool) -> int:
    """Print the per-outlet outcome and return the exit status."""
    for s in summaries:
        if s.status == "failed":
            click.echo(f"{s.outlet}: unreachable: {s.error or 'no discovery source could be fetched'}", err=True)
        elif s.status == "interrupted":
            click.echo(f"{s.outlet}: interrupted ({s.error})", err=True)
        elif s.status == "partial" and show_table:
            click.echo(f"{s.outlet}: {s.failed} URL(s) failed (see `newsmon runs --failed`)", err=True)
    if show_table:
        click.echo(summary_table(summaries))
    crawled = [s for s in summaries if s.status in ("ok", "partial")]
    if not crawled:
        return EXIT_NOTHING_CRAWLED
    if strict and len(crawled) < len(summaries) or strict and any(s.status == "partial" for s in crawled):
        return EXIT_PARTIAL
    return EXIT_OK


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
@pass_app
def crawl_command(app: AppContext, outlet_names: tuple[str, ...], since: str | None, max_articles: int | None,
                  refresh: bool, quiet: bool, verbose: bool, strict: bool, log_file: str | None,
                  settings: tuple[str, ...]) -> None:
    """Crawl every configured outlet (or those named) into the database.

    Exit status: 0 when outlets were crawled (1 with --strict if any outlet or URL
    failed), 3 when no outlet could be crawled.

    Example: newsmon crawl --outlet libyaherald --since 2026-11-01
    """
    outlets = app.select_outlets(outlet_names)
    day = since_option(since)
    interactive = sys.stderr.isatty() and not quiet
    configure_logging(console_level=20 if interactive else 40, verbose=verbose,
                      log_file=Path(log_file) if log_file else data_dir() / "logs" / "newsmon.log")
    scrapy_settings = crawl_settings(app.db_url, app.outlet_files, default_outlets=app.default_outlets, refresh=refresh, overrides=parse_setting(settings))
    if not interactive:
        scrapy_settings.set("NEWSMON_PROGRESS_INTERVAL", 0, priority="cmdline")
    summaries = run_crawl(scrapy_settings, outlets, since=day, max_articles=max_articles)
    raise SystemExit(report(summaries, show_table=interactive or verbose, strict=strict))
