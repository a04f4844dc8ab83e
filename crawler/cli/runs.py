"""``newsmon runs``: what recent crawls did, and with ``--failed`` what went wrong."""

from __future__ import annotations

import json
from datetime import datetime

import click
from rich.console import Console
from rich.table import Table

from crawler.cli.app import AppContext, cli, pass_app
from crawler.durations import human_duration
from crawler.runs import SKIP_REASONS
from storage.db import session_factory
from storage.formats import plain_value
from storage.models import CrawlRun, RejectedUrl
from storage.run_history import recent_runs, run_rejections

FAILED_STATUSES = ("failed", "partial", "interrupted")
COUNTS = ("discovered", "fetched", "stored", "updated", "skipped", "failed")


def local_time(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S") if value else ""


def run_seconds(run: CrawlRun) -> float | None:
    return (run.finished_at - run.started_at).total_seconds() if run.finished_at else None


def run_json(run: CrawlRun, rejected: list[RejectedUrl] | None) -> dict[str, object]:
    row: dict[str, object] = {
        "id": run.id, "outlet": run.outlet_slug, "status": run.status,
        "started_at": plain_value(run.started_at), "finished_at": plain_value(run.finished_at),
        "duration_seconds": run_seconds(run), **{name: getattr(run, name) for name in COUNTS},
        "finish_reason": run.finish_reason, "error": run.error, "pid": run.pid, "host": run.host,
    }
    if rejected is not None:
        row["rejected"] = [{"url": r.url, "reason": r.reason, "detail": r.detail, "http_status": r.http_status,
                            "attempts": r.attempts, "last_seen_at": plain_value(r.last_seen_at)} for r in rejected]
    return row


def runs_table(runs: list[CrawlRun]) -> Table:
    table = Table(header_style="bold", box=None, pad_edge=False)
    for name in ("id", "outlet", "started", "duration", "status"):
        table.add_column(name, justify="right" if name == "id" else "left", no_wrap=True, min_width=len(name))
    for name in ("found", "fetched", "new", "updated", "skipped", "failed"):
        table.add_column(name, justify="right", no_wrap=True, min_width=len(name))
    table.add_column("error", no_wrap=True, overflow="ellipsis", max_width=48)  # whole in --format json
    for run in runs:
        duration = "running" if run.status == "running" else human_duration(run_seconds(run))
        table.add_row(str(run.id), run.outlet_slug, local_time(run.started_at), duration, run.status,
                      *(str(getattr(run, name)) for name in COUNTS), run.error or "")
    return table


def rejections_table(runs: list[CrawlRun], rejected: dict[int, list[RejectedUrl]]) -> Table:
    table = Table(title="Rejected URLs of these runs", title_justify="left", title_style="bold",
                  header_style="bold", box=None, pad_edge=False)
    for name in ("run", "outlet", "reason", "http", "url", "detail"):
        table.add_column(name, overflow="fold")
    for run in runs:
        for r in rejected.get(run.id, []):
            table.add_row(str(run.id), run.outlet_slug, r.reason, str(r.http_status or ""), r.url, r.detail or "")
    return table


@cli.command("runs")
@click.option("--outlet", "-o", metavar="NAME", help="Only the runs of this outlet.")
@click.option("--failed", is_flag=True, help="Only failed, partial and interrupted runs, with the URLs they rejected.")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True, help="How many runs.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_app
def runs_command(app: AppContext, outlet: str | None, failed: bool, limit: int, fmt: str) -> None:
    """Recent crawl runs, newest first: start, duration, status, counts and error.

    A run's status is ok, partial (some URLs failed), failed (the outlet was
    unreachable), interrupted (stopped by a signal or killed), or running.
    With --failed, the URLs each run could not fetch or store, with the reason.

    Example: newsmon runs --outlet libyaherald --failed
    """
    with session_factory(app.engine)() as session:
        runs = recent_runs(session, outlet=outlet, statuses=FAILED_STATUSES if failed else None, limit=limit)
        rejected = run_rejections(session, [r.id for r in runs], exclude_reasons=SKIP_REASONS) if failed else {}
    if fmt == "json":
        click.echo(json.dumps([run_json(r, rejected.get(r.id, []) if failed else None) for r in runs],
                              indent=2, ensure_ascii=False))
        return
    if not runs:
        click.echo("no failed runs" if failed else "no runs yet (run `newsmon crawl`)", err=True)
        return
    console = Console(width=max(Console().width, 160))
    console.print(runs_table(runs))
    if failed and any(rejected.values()):
        console.print()
        console.print(rejections_table(runs, rejected))
