"""``newsmon stats``: coverage per outlet over time, relevant share, syndication matrix, charts."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from crawler.cli.app import AppContext, cli, pass_app
from crawler.cli.filters import FilterOptions, article_filter, filter_options
from storage.charts import PLOT_FORMATS, plot_stats
from storage.db import session_factory
from storage.formats import plain_row, plain_value
from storage.search_query import SearchQueryError
from storage.stats import PERIODS, CoverageStats, coverage_stats, human_delay


def stats_dict(stats: CoverageStats) -> dict[str, object]:
    return {
        "by": stats.by,
        "periods": [plain_value(p) for p in stats.periods],
        "outlets": [dict(plain_row(o), relevant_share=o.relevant_share) for o in stats.outlets],
        "articles": stats.articles,
        "relevant": stats.relevant,
        "flows": [plain_row(f) for f in stats.flows],
    }


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def outlets_table(stats: CoverageStats) -> Table:
    table = Table(title="Coverage per outlet", title_justify="left", title_style="bold", header_style="bold")
    for name in ("outlet", "articles", "relevant", "relevant %", "share of relevant", "originals", "copies", "undated"):
        table.add_column(name, justify="left" if name == "outlet" else "right")
    for o in stats.outlets:
        table.add_row(o.outlet, str(o.articles), str(o.relevant), _percent(o.relevant_share),
                      _percent(o.share_of_relevant), str(o.originals), str(o.copies), str(o.undated or ""))
    table.add_row("total", str(stats.total_articles), str(stats.total_relevant),
                  _percent(stats.total_relevant / stats.total_articles if stats.total_articles else 0), "", "", "", "",
                  style="bold")
    return table


def series_table(stats: CoverageStats) -> Table:
    table = Table(title=f"Articles per {stats.by} (relevant in brackets)", title_justify="left", title_style="bold",
                  header_style="bold")
    table.add_column(stats.by)
    names = [o.outlet for o in stats.outlets]
    for name in names + ["total"]:
        table.add_column(name, justify="right")
    for i, period in enumerate(stats.periods):
        cells = [f"{stats.articles[n][i]} ({stats.relevant[n][i]})" if stats.articles[n][i] else "" for n in names]
        total = sum(stats.articles[n][i] for n in names)
        table.add_row(period.isoformat(), *cells, str(total))
    return table


def flows_table(stats: CoverageStats) -> Table:
    """Rows: whose originals; columns: who copies them; cell: copies and median delay."""
    table = Table(title="Syndication: copies (median delay after the original)", title_justify="left",
                  title_style="bold", header_style="bold")
    sources = sorted({f.original_outlet for f in stats.flows})
    copiers = sorted({f.copy_outlet for f in stats.flows})
    cells = {(f.original_outlet, f.copy_outlet): f for f in stats.flows}
    table.add_column("original \\ copied by")
    for name in copiers:
        table.add_column(name, justify="right")
    for source in sources:
        row = [f"{flow.copies} ({human_delay(flow.median_delay_seconds)})" if (flow := cells.get((source, c))) else ""
               for c in copiers]
        table.add_row(source, *row)
    return table


@cli.command("stats")
@filter_options
@click.option("--by", type=click.Choice(PERIODS), default="week", show_default=True, help="Period of the time series.")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.png|FILE.svg",
              help="Also draw coverage over time and syndication flows to this file.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@pass_app
def stats_command(app: AppContext, filters: FilterOptions, by: str, plot_path: Path | None, fmt: str) -> None:
    """Articles per outlet over time, share of relevant coverage, who copies whom and how fast.

    Examples: newsmon stats --since 2026-01-01 --by month;
    newsmon stats --search Haftar --plot haftar.png
    """
    if plot_path is not None and plot_path.suffix.lower() not in PLOT_FORMATS:
        raise click.BadParameter(f"{plot_path.name!r}: use a file name ending in {' or '.join(PLOT_FORMATS)}",
                                 param_hint="--plot")
    with session_factory(app.engine)() as session:
        flt = article_filter(app, session, filters)
        try:
            stats = coverage_stats(session, flt, by)  # type: ignore[arg-type]
        except SearchQueryError as exc:
            raise click.ClickException(str(exc)) from None
    if plot_path is not None:
        try:
            plot_stats(stats, plot_path)
        except OSError as exc:
            raise click.ClickException(f"cannot write {plot_path}: {exc.strerror or exc}") from None
        click.echo(f"wrote {plot_path}", err=True)
    if fmt == "json":
        json.dump(stats_dict(stats), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    console = Console()
    console.print(outlets_table(stats))
    if stats.periods:
        console.print(series_table(stats))
    if stats.flows:
        console.print(flows_table(stats))
    else:
        console.print("No syndicated copies in this selection.", style="dim")
