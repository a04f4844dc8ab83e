"""The same queries on PostgreSQL: tsvector search through the GIN index, the views, the
stats figures and the rebuild command, each test in its own schema of the real server
(``pg_url`` from tests/services.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from querydb import COPIES, HAFTAR, HAFTAR_IN_TITLE, HAFTAR_ORIGINALS, check_fixture_stats, filled_database, newsmon
from storage.db import session_factory
from storage.query import ArticleFilter, articles, iter_articles
from storage.search import MARK_END, MARK_START, PG_SEARCH_INDEX, pg_search_vector
from storage.stats import coverage_stats

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = filled_database(pg_url)
    yield engine
    engine.dispose()


def ids(rows: list) -> set[int]:  # type: ignore[type-arg]
    return {row.id for row in rows}


SEARCHES = [
    ("haftar", HAFTAR),
    ("HAFTAR -wagner", HAFTAR - {12, 13, 14}),
    ('"Government of National Unity"', {5, 6, 27, 37}),
    ("dbeib*", {5, 6, 27, 35}),
    ("salame OR zuwara", {20, 21}),   # no accent folding with the 'simple' configuration
    ("salamé", {4}),
    ("حفتر", {7, 19}),
    ('"حكومة الوفاق"', {7}),
    ("al-Khadim", {30}),
    ("haftar' AND 1=1 --", set()),
]


def test_search_on_postgres(pg_engine: Engine) -> None:
    found = {query: ids(articles(pg_engine, search=query)) for query, _ in SEARCHES}
    assert found == dict(SEARCHES)


def test_ranking_snippets_filters_views_and_stats(pg_engine: Engine) -> None:
    ranked = articles(pg_engine, search="haftar", originals_only=True)
    assert ids(ranked) == HAFTAR_ORIGINALS
    assert {r.id for r in ranked[:3]} == HAFTAR_IN_TITLE
    assert all(f"{MARK_START}Haftar{MARK_END}" in (r.snippet or "") for r in ranked)
    with session_factory(pg_engine)() as session:
        combined = list(iter_articles(session, ArticleFilter(outlets=["libyanexpress"], min_relevance=3.0,
                                                             search="tripoli OR jufra OR zuwara")))
        check_fixture_stats(coverage_stats(session, ArticleFilter(), "week"))
    assert [r.id for r in combined] and {r.id for r in combined} == {2, 13, 21}
    assert {r.id: r.original_id for r in articles(pg_engine) if r.original_id} == COPIES
    with pg_engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM original_articles")) == 34
        delays = connection.execute(text("SELECT copy_id, delay_seconds FROM story_copies ORDER BY copy_id")).all()
    assert [tuple(d) for d in delays] == [(2, 7200), (3, 21600), (6, 10800), (13, 43200), (14, 86400), (21, 3600)]


def test_search_uses_the_gin_index(pg_engine: Engine) -> None:
    from sqlalchemy import select

    from storage.models import Article

    query = select(Article.id).where(pg_search_vector().op("@@")(text("to_tsquery('simple', 'haftar')")))
    compiled = str(query.compile(pg_engine, compile_kwargs={"literal_binds": True}))
    with pg_engine.connect() as connection:
        connection.exec_driver_sql("SET enable_seqscan = off")
        plan = "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {compiled}"))
    assert PG_SEARCH_INDEX in plan, plan


def test_cli_rebuild_and_injection_on_postgres(pg_engine: Engine, pg_url: str) -> None:
    result = newsmon(pg_url, "articles", "--search", "wagner", "--originals-only", "--format", "jsonl")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [12]
    for attempt in (("--outlet", "x' OR 1=1 --"), ("--search", "'; DROP TABLE article; --"),
                    ("--language", "en' OR '1'='1")):
        attacked = newsmon(pg_url, "articles", *attempt, "--format", "jsonl")
        assert [line for line in attacked.stdout.splitlines() if line.startswith("{")] == []
    rebuilt = newsmon(pg_url, "db", "rebuild-search")
    assert rebuilt.exit_code == 0 and "40 articles" in rebuilt.output
    with pg_engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM article")) == 40
    assert ids(articles(pg_engine, search="wagner")) == {12, 13, 14}
