"""``newsmon export``: one article per row, as JSON Lines or CSV."""

from __future__ import annotations

import sys

import click

from crawler.cli.app import AppContext, cli, pass_app
from crawler.cli.filters import FilterOptions, article_filter, filter_options
from storage.db import session_factory
from storage.export import export_rows, write_export_csv
from storage.formats import write_jsonl
from storage.search_query import SearchQueryError


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@filter_options
@click.option("--output", "-O", type=click.File("w", encoding="utf-8"), default="-", help="File to write [default: stdout].")
@pass_app
def export_command(app: AppContext, fmt: str, filters: FilterOptions, output) -> None:  # type: ignore[no-untyped-def]
    """Export articles, one per row, in publication order.

    Example: newsmon export --format csv --outlet libyaherald --since 2026-11-01 -O herald.csv
    """
    with session_factory(app.engine)() as session:
        flt = article_filter(app, session, filters)
        writer = write_jsonl if fmt == "jsonl" else write_export_csv
        try:
            count = writer(export_rows(session, flt), output)
        except SearchQueryError as exc:
            raise click.ClickException(str(exc)) from None
    if output is not sys.stdout:
        click.echo(f"exported {count} articles", err=True)
