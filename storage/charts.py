"""Charts of :class:`storage.stats.CoverageStats`: coverage per outlet over time, and who
copies whom.

Uses matplotlib's object API on a bare :class:`~matplotlib.figure.Figure` (Agg canvas),
so plotting never needs a display and never touches pyplot's global state. The file
format follows the suffix (``.png`` or ``.svg``). Each outlet keeps one colour in both
panels, so a band in the flow chart can be traced back to its line of coverage.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

import matplotlib.dates as mdates
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.patches import FancyBboxPatch, PathPatch
from matplotlib.path import Path as MplPath

from storage.stats import CoverageStats, human_delay

PLOT_FORMATS = (".png", ".svg")
PALETTE = ("#1b6ca8", "#e4572e", "#29a36a", "#f2a541", "#7d5ba6", "#3bb4c1", "#c44569", "#6c757d",
           "#a0c15a", "#8c564b", "#17becf", "#bcbd22")
BAR_LIMIT = 45
PERIOD_DAYS = {"day": 1, "week": 7, "month": 30}
TICK_FORMATS = {"day": "%d %b", "week": "%d %b %Y", "month": "%b %Y"}
MAX_TICKS = 12


def outlet_colours(stats: CoverageStats) -> dict[str, str]:
    names = [o.outlet for o in stats.outlets]
    for flow in stats.flows:
        for name in (flow.original_outlet, flow.copy_outlet):
            if name not in names:
                names.append(name)
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def _style(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#e6e6e6", linewidth=0.8)
    ax.set_axisbelow(True)


def plot_coverage(ax: Axes, stats: CoverageStats, colours: dict[str, str]) -> None:
    """Stacked articles per outlet per period, with the relevant ones as a line on top."""
    _style(ax)
    ax.set_title(f"Articles per outlet per {stats.by}", loc="left", fontsize=13, fontweight="bold")
    if not stats.periods:
        ax.text(0.5, 0.5, "no dated articles in this selection", ha="center", va="center", transform=ax.transAxes,
                color="#666666")
        ax.set_yticks([])
        return
    outlets = [o for o in stats.outlets if any(stats.articles[o.outlet])]
    labels = [f"{o.outlet} ({sum(stats.articles[o.outlet])})" for o in outlets]
    if len(stats.periods) <= BAR_LIMIT:
        width = timedelta(days=PERIOD_DAYS[stats.by] * 0.8)
        centres = [datetime.combine(p, time()) + timedelta(days=PERIOD_DAYS[stats.by] / 2) for p in stats.periods]
        bottom = [0] * len(stats.periods)
        for figure, label in zip(outlets, labels):
            values = stats.articles[figure.outlet]
            ax.bar(centres, values, width=width, bottom=bottom, color=colours[figure.outlet], label=label,
                   edgecolor="white", linewidth=0.5)
            bottom = [b + v for b, v in zip(bottom, values)]
    else:
        centres = list(stats.periods)
        ax.stackplot(centres, *[stats.articles[o.outlet] for o in outlets], labels=labels,
                     colors=[colours[o.outlet] for o in outlets], alpha=0.9, linewidth=0)
    relevant = [sum(stats.relevant[o.outlet][i] for o in outlets) for i in range(len(stats.periods))]
    ax.plot(centres, relevant, color="#222222", linewidth=1.6, marker="o", markersize=3.5, label="relevant (all outlets)")
    if len(stats.periods) <= BAR_LIMIT:
        step = max(1, round(len(stats.periods) / MAX_TICKS))
        ax.set_xticks(centres[::step], [p.strftime(TICK_FORMATS[stats.by]) for p in stats.periods[::step]])
        ax.set_xlabel(f"{stats.by} starting" if stats.by != "day" else "day (UTC)")
    else:
        locator = mdates.AutoDateLocator(minticks=4, maxticks=MAX_TICKS)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_ylabel("articles")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(max(sum(stats.articles[o.outlet][i] for o in outlets) for i in range(len(stats.periods))), 1) * 1.08)
    ax.margins(x=0.01)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)


def _band(ax: Axes, x0: float, y0: tuple[float, float], x1: float, y1: tuple[float, float], colour: str) -> None:
    """A ribbon from the segment ``y0`` at ``x0`` to ``y1`` at ``x1`` (S-shaped Bezier edges)."""
    mid = (x0 + x1) / 2
    vertices = [
        (x0, y0[0]), (mid, y0[0]), (mid, y1[0]), (x1, y1[0]),
        (x1, y1[1]), (mid, y1[1]), (mid, y0[1]), (x0, y0[1]), (x0, y0[0]),
    ]
    codes = [MplPath.MOVETO] + [MplPath.CURVE4] * 3 + [MplPath.LINETO] + [MplPath.CURVE4] * 3 + [MplPath.CLOSEPOLY]
    ax.add_patch(PathPatch(MplPath(vertices, codes), facecolor=colour, edgecolor="none", alpha=0.45))


def _stack(totals: dict[str, int], scale: float, gap: float) -> dict[str, float]:
    """Top y of each node when nodes are stacked downwards from 1.0."""
    tops, y = {}, 1.0
    for name, total in totals.items():
        tops[name] = y
        y -= total * scale + gap
    return tops


def plot_flows(ax: Axes, stats: CoverageStats, colours: dict[str, str]) -> None:
    """Originals' outlets on the left, copying outlets on the right, a band per pair."""
    ax.set_title("Syndication: who copies whom", loc="left", fontsize=13, fontweight="bold")
    ax.set_axis_off()
    if not stats.flows:
        ax.text(0.5, 0.5, "no syndicated copies in this selection", ha="center", va="center", transform=ax.transAxes,
                color="#666666")
        return
    ax.text(0.0, 0.0, "band width = number of copies; label = copies · median delay after the original",
            transform=ax.transAxes, fontsize=9, color="#555555", va="top")
    sources: dict[str, int] = {}
    targets: dict[str, int] = {}
    for flow in stats.flows:
        sources[flow.original_outlet] = sources.get(flow.original_outlet, 0) + flow.copies
        targets[flow.copy_outlet] = targets.get(flow.copy_outlet, 0) + flow.copies
    sources = dict(sorted(sources.items(), key=lambda kv: -kv[1]))
    targets = dict(sorted(targets.items(), key=lambda kv: -kv[1]))
    total = sum(sources.values())
    gap = 0.04
    scale = (0.92 - gap * (max(len(sources), len(targets)) - 1)) / total
    left, right, node_w = 0.22, 0.78, 0.025
    source_top, target_top = _stack(sources, scale, gap), _stack(targets, scale, gap)
    source_used = dict.fromkeys(sources, 0.0)
    target_used = dict.fromkeys(targets, 0.0)
    ordered = sorted(stats.flows, key=lambda f: (list(sources).index(f.original_outlet), list(targets).index(f.copy_outlet)))
    for flow in ordered:
        height = flow.copies * scale
        s_top = source_top[flow.original_outlet] - source_used[flow.original_outlet]
        t_top = target_top[flow.copy_outlet] - target_used[flow.copy_outlet]
        source_used[flow.original_outlet] += height
        target_used[flow.copy_outlet] += height
        _band(ax, left + node_w, (s_top, s_top - height), right, (t_top, t_top - height), colours[flow.original_outlet])
        label = f"{flow.copies} · {human_delay(flow.median_delay_seconds)}"
        ax.text(right - 0.01, t_top - height / 2, label, ha="right", va="center", fontsize=8.5, color="#222222",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})
    for names, tops, source in ((sources, source_top, True), (targets, target_top, False)):
        for name, count in names.items():
            height = count * scale
            ax.add_patch(FancyBboxPatch((left if source else right, tops[name] - height), node_w, height,
                                        boxstyle="square,pad=0", facecolor=colours[name], edgecolor="none"))
            caption = f"{count} copied" if source else f"{count} {'copy' if count == 1 else 'copies'}"
            ax.text(left - 0.01 if source else right + node_w + 0.01, tops[name] - height / 2, f"{name}\n{caption}",
                    ha="right" if source else "left", va="center", fontsize=10)
    ax.text(left + node_w / 2, 1.0, "original by", ha="center", va="bottom", fontsize=9, color="#555555",
            transform=ax.transData)
    ax.text(right + node_w / 2, 1.0, "copied by", ha="center", va="bottom", fontsize=9, color="#555555",
            transform=ax.transData)
    ax.set_xlim(0, 1)
    lowest = min([source_top[n] - c * scale for n, c in sources.items()] + [target_top[n] - c * scale for n, c in targets.items()])
    ax.set_ylim(lowest - 0.02, 1.06)


def plot_stats(stats: CoverageStats, path: Path | str) -> Path:
    """Write both charts to ``path`` (``.png`` or ``.svg``); returns the path."""
    path = Path(path)
    if path.suffix.lower() not in PLOT_FORMATS:
        raise ValueError(f"cannot plot to {path.name!r}: use a file name ending in {' or '.join(PLOT_FORMATS)}")
    colours = outlet_colours(stats)
    figure = Figure(figsize=(12, 10), layout="constrained")
    coverage_ax, flows_ax = figure.subplots(2, 1, height_ratios=(1, 1.1))
    plot_coverage(coverage_ax, stats, colours)
    plot_flows(flows_ax, stats, colours)
    span = f"{stats.periods[0]} to {stats.periods[-1]}" if stats.periods else "no dated articles"
    figure.suptitle(f"newsmon coverage: {stats.total_articles} articles, {stats.total_relevant} relevant ({span})",
                    fontsize=11, color="#444444", x=0.01, ha="left")
    with rc_context({"svg.fonttype": "none"}):  # SVG text stays text: searchable and smaller
        figure.savefig(path, dpi=130)
    return path
