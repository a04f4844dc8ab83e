"""``newsmon stats``: coverage per outlet over time, relevant share, syndication matrix, charts."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich import box
from rich.console import Console
from rich.table import Table

from crawler.cli.app import AppContext, cli, pass_app
from crawler.cli.filters import FilterOptions, article_filter, filter_options
from storage.db import session_factory
from storage.formats import plain_row, plain_value
from storage.search_query import SearchQueryError
from storage.stats import PERIODS, CoverageStats, coverage_stats, human_delay

SPARKS = " ▁▂▃▄▅▆▇█"
SERIES_PERIOD_WIDTH, SERIES_CELL_WIDTH = 13, 9


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


def _table(title: str) -> Table:
    return Table(title=title, title_justify="left", title_style="bold", header_style="bold", box=box.SIMPLE_HEAD)


def outlets_table(stats: CoverageStats) -> Table:
    table = _table("Coverage per outlet")
    table.caption = "rel % = relevant share of the outlet's articles; share = its part of all relevant articles"
    undated = any(o.undated for o in stats.outlets)
    table.add_column("outlet", no_wrap=True)
    for name in ("articles", "relevant", "rel %", "share", "originals", "copies") + (("undated",) if undated else ()):
        table.add_column(name, justify="right")
    for o in stats.outlets:
        table.add_row(o.outlet, str(o.articles), str(o.relevant), _percent(o.relevant_share),
                      _percent(o.share_of_relevant), str(o.originals), str(o.copies),
                      *((str(o.undated or ""),) if undated else ()))
    table.add_row("total", str(stats.total_articles), str(stats.total_relevant),
                  _percent(stats.total_relevant / stats.total_articles if stats.total_articles else 0), "",
                  str(sum(o.originals for o in stats.outlets)), str(sum(o.copies for o in stats.outlets)),
                  *((str(sum(o.undated for o in stats.outlets)),) if undated else ()), style="bold")
    return table


def series_table(stats: CoverageStats, width: int) -> Table:
    """Periods down, outlets across ("articles/relevant"); on a narrow terminal one
    sparkline per outlet instead, since eight outlet columns do not fit in 80."""
    names = [o.outlet for o in stats.outlets]
    if width < SERIES_PERIOD_WIDTH + SERIES_CELL_WIDTH * (len(names) + 1):
        return sparkline_table(stats)
    table = _table(f"Articles per {stats.by} (articles/relevant)")
    table.add_column(stats.by, no_wrap=True)
    for name in names + ["total"]:
        table.add_column(name, justify="right")
    for i, period in enumerate(stats.periods):
        cells = [f"{stats.articles[n][i]}/{stats.relevant[n][i]}" if stats.articles[n][i] else "" for n in names]
        table.add_row(period.isoformat(), *cells, str(sum(stats.articles[n][i] for n in names)))
    return table


def sparkline(values: list[int]) -> str:
    top = max(values, default=0)
    return "".join(SPARKS[round(v / top * (len(SPARKS) - 1))] if top else SPARKS[0] for v in values)


def sparkline_table(stats: CoverageStats) -> Table:
    table = _table(f"Articles per {stats.by}, {stats.periods[0]} to {stats.periods[-1]}")
    table.add_column("outlet", no_wrap=True)
    table.add_column(f"per {stats.by}", overflow="fold")
    table.add_column("busiest", no_wrap=True)
    for o in stats.outlets:
        values = stats.articles[o.outlet]
        peak = max(range(len(values)), key=values.__getitem__)
        table.add_row(o.outlet, sparkline(values), f"{stats.periods[peak]}: {values[peak]}")
    return table


def flows_table(stats: CoverageStats) -> Table:
    """Rows: whose originals; columns: who copies them; cell: copies and median delay."""
    table = _table("Syndication: copies (median delay after the original)")
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
    # matplotlib takes half a second to import: only commands that plot pay for it.
    from storage.charts import PLOT_FORMATS, plot_stats

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
        console.print(series_table(stats, console.width))
    if stats.flows:
        console.print(flows_table(stats))
    else:
        console.print("No syndicated copies in this selection.", style="dim")
