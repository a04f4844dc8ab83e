"""``newsmon articles``: list, filter and search stored articles."""

from __future__ import annotations

import sys

import click
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from crawler.cli.app import AppContext, cli, pass_app
from crawler.cli.filters import FilterOptions, article_filter, filter_options
from storage.db import session_factory
from storage.formats import plain_row, write_csv, write_json, write_jsonl
from storage.query import SORTS, ArticleRow, iter_articles
from storage.search import MARK_END, MARK_START
from storage.search_query import SearchQueryError

FORMATS = ("table", "jsonl", "csv", "json")
ROW_COLUMNS = tuple(ArticleRow.__dataclass_fields__)
HIGHLIGHT = "bold yellow"
WIDE = 110


def highlighted(snippet: str) -> Text:
    """A search snippet with its matches (between the index's marks) in colour."""
    text = Text(style="dim")
    rest = snippet
    while MARK_START in rest:
        before, _, after = rest.partition(MARK_START)
        match, _, rest = after.partition(MARK_END)
        text.append(before)
        text.append(match, style=HIGHLIGHT)
    text.append(rest)
    return text


def story_label(row: ArticleRow) -> str:
    if row.original_id is not None:
        return f"copy of #{row.original_id}"
    return f"{row.copies} {'copy' if row.copies == 1 else 'copies'}" if row.copies else ""


def render_table(rows: list[ArticleRow], console: Console) -> None:
    """A table; below ``WIDE`` columns it drops the time, language and score to leave room for titles."""
    wide = console.width >= WIDE
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, expand=True)
    table.add_column("#", justify="right")
    table.add_column("published", no_wrap=True)
    table.add_column("outlet", no_wrap=True)
    if wide:
        table.add_column("lang")
        table.add_column("rel", justify="right")
    table.add_column("title", ratio=1)
    table.add_column("story", no_wrap=True)
    for row in rows:
        title = Text(row.title, style="bold" if row.is_relevant else "")
        if row.snippet:
            title.append("\n")
            title.append_text(highlighted(row.snippet))
        published = row.published_at.strftime("%Y-%m-%d %H:%M" if wide else "%Y-%m-%d") if row.published_at else "-"
        extra = [row.language or "", f"{row.relevance_score:.2f}" if row.relevance_score is not None else ""] if wide else []
        table.add_row(str(row.id), published, row.outlet or "?", *extra, title, story_label(row))
    console.print(table)


@cli.command("articles")
@filter_options
@click.option("--sort", type=click.Choice(SORTS), help="Order: newest (default), oldest, relevance (score), rank (search match).")
@click.option("--limit", "-n", type=click.IntRange(min=0), default=50, show_default=True, help="At most this many (0: all).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@pass_app
def articles_command(app: AppContext, filters: FilterOptions, sort: str | None, limit: int, fmt: str) -> None:
    """List stored articles, newest first, or the best matches of a search.

    Examples: newsmon articles --outlet libyaherald --since 2026-01-01;
    newsmon articles --search '"Government of National Unity" -Dbeibah' --originals-only --format jsonl
    """
    with session_factory(app.engine)() as session:
        flt = article_filter(app, session, filters)
        try:
            rows = list(iter_articles(session, flt, sort=sort, limit=limit))  # type: ignore[arg-type]
        except SearchQueryError as exc:
            raise click.ClickException(str(exc)) from None
    if fmt == "table":
        console = Console()
        if not rows:
            console.print("no articles match", style="dim")
            return
        render_table(rows, console)
        more = " (the limit; --limit 0 for all)" if limit and len(rows) == limit else ""
        console.print(f"{len(rows)} article{'s' if len(rows) != 1 else ''}{more}", style="dim")
        return
    dicts = (plain_row(row) for row in rows)
    if fmt == "jsonl":
        write_jsonl(dicts, sys.stdout)
    elif fmt == "json":
        write_json(dicts, sys.stdout)
    else:
        write_csv(dicts, sys.stdout, ROW_COLUMNS)
