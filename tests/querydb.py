"""A database filled with the hand-counted article fixture through ``newsmon import``,
for the query, stats and PostgreSQL tests (loaded as a pytest plugin by conftest.py).

``tests/fixtures/query/articles.jsonl`` holds 40 articles from 7 outlets (34 English,
5 Arabic, 1 French; one undated) of which 6 are reposts of 4 originals. The import runs
the real pipeline (relevance step, storage, syndication linker), so the relevance and
the stories the tests see are the ones newsmon finds, not ones written by hand; the
hand counts below say what it must find.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine

from storage.db import open_database
from storage.stats import CoverageStats, Flow

FIXTURE = Path(__file__).parent / "fixtures" / "query" / "articles.jsonl"
# copy id -> original id, as written into the fixture (the linker must find exactly these)
COPIES = {2: 1, 3: 1, 6: 5, 13: 12, 14: 12, 21: 20}
HAFTAR = {1, 2, 3, 12, 13, 14, 18, 23, 33}
HAFTAR_ORIGINALS = {1, 12, 18, 23, 33}
HAFTAR_IN_TITLE = {1, 23, 33}

# outlet: (articles, relevant, originals, copies, undated), counted by hand from the fixture
OUTLETS = {
    "libyaobserver": (7, 7, 7, 0, 1),
    "libyaherald": (7, 6, 7, 0, 0),
    "libyanexpress": (6, 5, 2, 4, 0),
    "libyareview": (6, 5, 4, 2, 0),
    "alwasat": (5, 4, 5, 0, 0),
    "middleeasteye": (5, 3, 5, 0, 0),
    "aljazeera": (4, 2, 4, 0, 0),
}
WEEKS = [date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 19), date(2026, 1, 26), date(2026, 2, 2), date(2026, 2, 9)]
WEEKLY = {
    "libyaobserver": [1, 2, 1, 1, 1, 0],
    "libyaherald": [2, 1, 1, 1, 1, 1],
    "libyanexpress": [2, 1, 2, 0, 1, 0],
    "libyareview": [2, 1, 1, 1, 0, 1],
    "alwasat": [1, 1, 1, 1, 1, 0],
    "middleeasteye": [1, 1, 1, 1, 0, 1],
    "aljazeera": [1, 1, 1, 0, 1, 0],
}
FLOWS = [
    Flow("libyaobserver", "libyanexpress", 2, 5400.0),
    Flow("libyaherald", "libyanexpress", 1, 10800.0),
    Flow("libyaobserver", "libyareview", 1, 21600.0),
    Flow("middleeasteye", "libyanexpress", 1, 43200.0),
    Flow("middleeasteye", "libyareview", 1, 86400.0),
]


def filled_database(url: str) -> Engine:
    """The database at ``url`` after ``newsmon import`` of the fixture."""
    result = newsmon(url, "import", str(FIXTURE))
    assert result.exit_code == 0 and "40 lines: 40 new" in result.output, result.output
    return open_database(url)


@pytest.fixture(scope="session")
def query_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of the fixture database, shared read-only by the session (import this fixture)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('query') / 'query.db'}"
    filled_database(url).dispose()
    yield url


@pytest.fixture
def query_engine(query_db: str) -> Iterator[Engine]:
    engine = open_database(query_db)
    yield engine
    engine.dispose()


def newsmon(db_url: str, *args: str, columns: int = 200) -> Result:
    """Run ``newsmon --db URL ARGS`` in-process (on a terminal ``columns`` wide) and return its result."""
    from crawler.cli import cli

    return CliRunner(env={"COLUMNS": str(columns)}).invoke(cli, ["--db", db_url, *args], catch_exceptions=False)


def check_fixture_stats(stats: CoverageStats) -> None:
    """The hand counts; shared with the PostgreSQL test, which must give the same figures."""
    figures = {o.outlet: (o.articles, o.relevant, o.originals, o.copies, o.undated) for o in stats.outlets}
    assert figures == OUTLETS
    assert stats.total_articles == 40 and stats.total_relevant == 32
    share = {o.outlet: round(o.share_of_relevant, 4) for o in stats.outlets}
    assert share["libyaobserver"] == round(7 / 32, 4) and share["aljazeera"] == round(2 / 32, 4)
    assert sum(o.share_of_relevant for o in stats.outlets) == pytest.approx(1.0)
    assert {o.outlet: o.relevant_share for o in stats.outlets}["middleeasteye"] == pytest.approx(0.6)
    assert stats.periods == WEEKS
    assert stats.articles == WEEKLY
    assert [sum(stats.relevant[o][i] for o in OUTLETS) for i in range(len(WEEKS))] == [8, 7, 6, 4, 4, 2]
    assert stats.flows == FLOWS
