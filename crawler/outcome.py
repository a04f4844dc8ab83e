"""What a finished crawl tells its user: one line per outlet in trouble, the summary
table, and the exit status (:mod:`crawler.exit_codes`), the same for ``newsmon crawl``,
``newsmon worker``, ``newsmon demo`` and ``scrapy crawl``."""

from __future__ import annotations

import click

from crawler import exit_codes
from crawler.crawl import RunSummary
from crawler.pipelines import DATABASE_ERROR


def summary_table(summaries: list[RunSummary]) -> str:
    header = f"{'outlet':<16} {'status':<11} {'found':>6} {'fetched':>8} {'new':>6} {'updated':>8} {'skipped':>8} {'failed':>7}"
    lines = [header, "-" * len(header)]
    for s in summaries:
        lines.append(f"{s.outlet:<16} {s.status:<11} {s.discovered:>6} {s.fetched:>8} {s.stored:>6} {s.updated:>8} {s.skipped:>8} {s.failed:>7}")
    return "\n".join(lines)


def report(summaries: list[RunSummary], *, show_table: bool, strict: bool) -> int:
    """Print the per-outlet outcome and return the exit status."""
    for s in summaries:
        if s.finish_reason == DATABASE_ERROR:
            click.echo(f"{s.outlet}: stopped, the database refused a write: {s.error}", err=True)
        elif s.status == "failed":
            click.echo(f"{s.outlet}: unreachable: {s.error or 'no discovery source could be fetched'}", err=True)
        elif s.status == "interrupted":
            click.echo(f"{s.outlet}: interrupted ({s.error})", err=True)
        elif s.status == "partial" and show_table:
            click.echo(f"{s.outlet}: {s.failed} URL(s) failed (see `newsmon runs --failed`)", err=True)
    if show_table:
        click.echo(summary_table(summaries))
    if any(s.finish_reason == DATABASE_ERROR for s in summaries):
        return exit_codes.PARTIAL
    if any(s.status == "interrupted" for s in summaries):
        return exit_codes.INTERRUPTED
    crawled = [s for s in summaries if s.status in ("ok", "partial")]
    if not crawled:
        return exit_codes.NOTHING_CRAWLED
    if strict and any(s.status != "ok" for s in summaries):
        return exit_codes.PARTIAL
    return exit_codes.OK
