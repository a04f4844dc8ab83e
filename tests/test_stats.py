"""``newsmon stats``: figures checked against hand counts of the fixture, the time series
by day, week and month, the syndication matrix with median delays, and the charts."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine

from querydb import FLOWS, OUTLETS, check_fixture_stats, newsmon
from storage.charts import plot_stats
from storage.db import session_factory
from storage.query import ArticleFilter
from storage.stats import CoverageStats, Flow, coverage_stats, human_delay

def stats_of(engine: Engine, by: str = "week", **filters: object) -> CoverageStats:
    with session_factory(engine)() as session:
        return coverage_stats(session, ArticleFilter(**filters), by)  # type: ignore[arg-type]


def test_figures_match_hand_counts(query_engine: Engine) -> None:
    check_fixture_stats(stats_of(query_engine))


def test_by_month_and_by_day(query_engine: Engine) -> None:
    monthly = stats_of(query_engine, "month")
    assert monthly.periods == [date(2026, 1, 1), date(2026, 2, 1)]
    assert [sum(monthly.articles[o][i] for o in OUTLETS) for i in range(2)] == [31, 8]
    daily = stats_of(query_engine, "day")
    assert daily.periods[0] == date(2026, 1, 5) and daily.periods[-1] == date(2026, 2, 11)
    assert len(daily.periods) == 38  # every day of the span, empty days included
    assert daily.articles["libyanexpress"][daily.periods.index(date(2026, 1, 21))] == 1
    assert sum(sum(v) for v in daily.articles.values()) == 39


def test_filters_narrow_the_figures(query_engine: Engine) -> None:
    since = datetime(2026, 1, 12, tzinfo=timezone.utc)
    until = datetime(2026, 1, 19, tzinfo=timezone.utc)
    week = stats_of(query_engine, since=since, until=until)
    assert week.total_articles == 8 and week.periods == [date(2026, 1, 12)]
    assert week.flows == [Flow("middleeasteye", "libyanexpress", 1, 43200.0), Flow("middleeasteye", "libyareview", 1, 86400.0)]
    herald = stats_of(query_engine, outlets=["libyaherald"])
    assert [o.outlet for o in herald.outlets] == ["libyaherald"]
    assert herald.flows == [Flow("libyaherald", "libyanexpress", 1, 10800.0)]
    haftar = stats_of(query_engine, search="haftar")
    assert haftar.total_articles == 9
    assert sum(f.copies for f in haftar.flows) == 4
    originals = stats_of(query_engine, originals_only=True)
    assert originals.total_articles == 34 and originals.flows == FLOWS
    empty = stats_of(query_engine, language="de")
    assert empty.outlets == [] and empty.periods == [] and empty.flows == []


def test_period_is_checked_before_it_becomes_sql(query_engine: Engine) -> None:
    with pytest.raises(ValueError, match="unknown period"):
        stats_of(query_engine, "week'); DROP TABLE article; --")


def test_human_delay() -> None:
    assert [human_delay(s) for s in (None, 300, 5400, 86400 * 2.5, -7200)] == ["?", "5 min", "1.5 h", "2.5 d", "-2.0 h"]


def test_stats_command_text_and_json(query_db: str) -> None:
    text = newsmon(query_db, "stats")
    assert text.exit_code == 0, text.output
    for expected in ("Coverage per outlet", "Articles per week", "2026-01-05", "original \\ copied by",
                     "2 (1.5 h)", "1 (1.0 d)"):
        assert expected in text.output
    narrow = newsmon(query_db, "stats", columns=80).output
    assert "Articles per week, 2026-01-05 to 2026-02-09" in narrow
    assert "libyaherald     █▄▄▄▄▄     2026-01-05: 2" in narrow  # a sparkline per outlet, then its busiest week
    data = json.loads(newsmon(query_db, "stats", "--by", "month", "--format", "json").stdout)
    assert data["periods"] == ["2026-01-01", "2026-02-01"]
    assert data["articles"]["libyaherald"] == [5, 2]
    assert {o["outlet"]: o["articles"] for o in data["outlets"]} == {k: v[0] for k, v in OUTLETS.items()}
    assert data["flows"][0] == {"original_outlet": "libyaobserver", "copy_outlet": "libyanexpress", "copies": 2,
                                "median_delay_seconds": 5400.0}


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_files(query_db: str, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"coverage{suffix}"
    result = newsmon(query_db, "stats", "--plot", str(path), "--by", "day")
    assert result.exit_code == 0, result.output
    content = path.read_bytes()
    assert len(content) > 20_000
    if suffix == ".png":
        assert content.startswith(b"\x89PNG\r\n\x1a\n")
    else:
        svg = content.decode()
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
        for label in ("Articles per outlet per day", "Syndication: who copies whom", "libyanexpress"):
            assert label in svg


def test_plot_with_nothing_to_show(query_engine: Engine, tmp_path: Path) -> None:
    path = plot_stats(stats_of(query_engine, language="de"), tmp_path / "empty.png")
    assert path.stat().st_size > 5_000
    with pytest.raises(ValueError, match="use a file name ending in .png or .svg"):
        plot_stats(stats_of(query_engine), tmp_path / "chart.jpg")
