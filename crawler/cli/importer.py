"""``newsmon import FILE.jsonl``: articles from elsewhere, classified, deduplicated and
stored like crawled ones."""

from __future__ import annotations

from typing import IO

import click

from crawler.cli.app import AppContext, cli, echo_err, pass_app
from crawler.imports import LineError, import_lines
from crawler.relevance import DEFAULT_THRESHOLD
from storage.db import session_factory


@cli.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--threshold", type=float, default=DEFAULT_THRESHOLD, show_default=True,
              help="Relevance threshold recorded with each article (every valid line is stored).")
@click.option("--batch", type=click.IntRange(min=1), default=200, show_default=True,
              help="Commit after this many stored lines.")
@pass_app
def import_command(app: AppContext, file: IO[str], threshold: float, batch: int) -> None:
    """Import articles from a JSON Lines file ("-" reads standard input).

    One object per line: url, title and text, and optionally outlet, published_at,
    authors, language, canonical_url and id (kept as the article's external id). An
    outlet that is not configured is created from the name given, or from the URL's
    host. Bad lines are reported with their line number and skipped; the command fails
    only when no line could be stored.

    Example: newsmon import archive.jsonl
    """
    name = getattr(file, "name", "-")

    def report(error: LineError) -> None:
        echo_err(f"{name}:{error.line}: {error.message}")

    summary = import_lines(session_factory(app.engine), file, outlets=app.outlets, threshold=threshold,
                           batch=batch, on_error=report)
    click.echo(f"{summary.lines} lines: {summary.new} new, {summary.updated} updated, {summary.unchanged} unchanged, "
               f"{summary.copies} linked as copies, {len(summary.errors)} bad")
    if summary.errors and not summary.stored:
        raise click.ClickException(f"nothing imported from {name}: every line was bad")
