"""``newsmon export``: one article per row, as JSON Lines or CSV."""

from __future__ import annotations

import sys
from datetime import datetime, time, timezone

import click
from sqlalchemy import select

from crawler.cli.app import AppContext, cli, pass_app
from crawler.discovery.dates import parse_day
from storage.db import session_factory
from storage.export import ExportFilter, export_rows, write_csv, write_jsonl
from storage.models import Outlet


def day_start(value: str | None, param: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.combine(parse_day(value), time.min, tzinfo=timezone.utc)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=param) from None


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--outlet", "-o", "outlet_names", multiple=True, metavar="NAME", help="Only this outlet (repeatable).")
@click.option("--since", metavar="YYYY-MM-DD", help="Published on or after this day (UTC).")
@click.option("--until", metavar="YYYY-MM-DD", help="Published before this day (UTC).")
@click.option("--originals-only", is_flag=True, help="A syndicated story appears once, as its original.")
@click.option("--output", "-O", type=click.File("w", encoding="utf-8"), default="-", help="File to write [default: stdout].")
@pass_app
def export_command(app: AppContext, fmt: str, outlet_names: tuple[str, ...], since: str | None, until: str | None,
                   originals_only: bool, output) -> None:  # type: ignore[no-untyped-def]
    """Export articles, one per row.

    Example: newsmon export --format csv --outlet libyaherald --since 2026-11-01 -O herald.csv
    """
    known = app.outlets
    unknown = [n for n in outlet_names if n not in known]
    with session_factory(app.engine)() as session:
        if unknown:
            stored = set(session.scalars(select(Outlet.slug)))
            missing = [n for n in unknown if n not in stored]
            if missing:
                raise click.BadParameter(f"unknown outlet {', '.join(map(repr, missing))}; known outlets: {', '.join(sorted(set(known) | stored))}",
                                         param_hint="--outlet")
        flt = ExportFilter(outlets=list(outlet_names), since=day_start(since, "--since"), until=day_start(until, "--until"),
                           originals_only=originals_only)
        writer = write_jsonl if fmt == "jsonl" else write_csv
        count = writer(export_rows(session, flt), output)
    if output is not sys.stdout:
        click.echo(f"exported {count} articles", err=True)
