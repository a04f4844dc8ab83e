"""Querying the article database: every filter and their combinations, full-text search
(ranking, snippets, Arabic and accents), originals against stories, the analyst views,
the search triggers and rebuild, ``newsmon articles`` / ``show``, and injection attempts.

Expected figures are counted by hand from tests/fixtures/query/articles.jsonl (see
tests/querydb.py for its shape).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, select, text

from querydb import COPIES, HAFTAR, HAFTAR_IN_TITLE, HAFTAR_ORIGINALS, newsmon
from storage.articles import save_article
from storage.db import open_database, session_factory
from storage.models import Article, ArticleUrl
from storage.query import ArticleFilter, ArticleRow, articles, iter_articles
from storage.records import ArticleRecord
from storage.search import MARK_END, MARK_START, explain_search_error, search_index_in_step

IRRELEVANT = {8, 9, 16, 24, 25, 28, 36, 39}  # sport, Egypt, culture, tech, weather, Tunisia
THRESHOLD = 3.0  # crawler.relevance.DEFAULT_THRESHOLD: is_relevant == (score >= 3.0)


@pytest.fixture
def own_db(query_db: str, tmp_path: Path) -> str:
    """A private copy of the fixture database, for tests that write.

    SQLite's backup API, not a file copy: in WAL mode the newest pages may still be in
    the ``-wal`` file beside the database."""
    target = tmp_path / "own.db"
    with sqlite3.connect(query_db.removeprefix("sqlite:///")) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return f"sqlite:///{target}"


def ids(rows: list[ArticleRow]) -> list[int]:
    return [row.id for row in rows]


def utc(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc)


# --- filters -------------------------------------------------------------------------

def test_no_filter_lists_everything_newest_first_undated_last(query_engine: Engine) -> None:
    rows = articles(query_engine)
    assert len(rows) == 40
    assert ids(rows)[:3] == [39, 38, 37]
    assert ids(rows)[-1] == 40 and rows[-1].published_at is None
    dated = [r.published_at for r in rows if r.published_at]
    assert dated == sorted(dated, reverse=True)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"outlets": ["libyaherald"]}, {4, 5, 16, 22, 27, 35, 38}),
        ({"outlets": ["libyaherald", "alwasat"]}, {4, 5, 16, 22, 27, 35, 38, 7, 15, 19, 28, 34}),
        ({"since": utc("2026-02-01")}, set(range(32, 40))),
        ({"until": utc("2026-01-12")}, set(range(1, 11))),
        ({"since": utc("2026-01-12"), "until": utc("2026-01-19")}, set(range(11, 19))),
        ({"language": "ar"}, {7, 15, 19, 28, 34}),
        ({"language": "fr"}, {18}),
        ({"min_relevance": THRESHOLD}, set(range(1, 41)) - IRRELEVANT),
        ({"originals_only": True}, set(range(1, 41)) - set(COPIES)),
        ({"outlets": ["libyanexpress"], "originals_only": True}, {26, 36}),
        ({"outlets": ["libyanexpress"], "since": utc("2026-01-13"), "min_relevance": THRESHOLD}, {13, 21, 26}),
        ({"language": "en", "until": utc("2026-01-09"), "min_relevance": THRESHOLD}, {1, 2, 3, 4, 5, 6}),
        ({"outlets": ["alwasat"], "language": "en"}, set()),
        ({"search": "haftar"}, HAFTAR),
        ({"search": "haftar", "originals_only": True}, HAFTAR_ORIGINALS),
        ({"search": "haftar", "outlets": ["middleeasteye"]}, {12, 23}),
        ({"search": "haftar", "language": "fr"}, {18}),
        ({"search": "haftar", "since": utc("2026-01-13")}, {12, 13, 14, 18, 23, 33}),
        ({"search": "tripoli", "outlets": ["libyaherald", "libyanexpress"]}, {2, 16, 21, 36}),
        ({"search": "tripoli", "outlets": ["libyaherald", "libyanexpress"], "min_relevance": THRESHOLD}, {2, 21}),
        ({"search": "tripoli", "originals_only": True, "min_relevance": THRESHOLD}, {1, 17, 20, 29, 30, 32, 37, 40}),
        ({"search": "haftar", "outlets": ["libyareview"], "until": utc("2026-01-10")}, {3}),
    ],
)
def test_filters_and_combinations(query_engine: Engine, filters: dict[str, object], expected: set[int]) -> None:
    with session_factory(query_engine)() as session:
        rows = list(iter_articles(session, ArticleFilter(**filters)))  # type: ignore[arg-type]
    assert set(ids(rows)) == expected
    assert len(rows) == len(expected)


def test_sorts_and_limit(query_engine: Engine) -> None:
    oldest = articles(query_engine, sort="oldest", limit=3)
    assert ids(oldest) == [1, 2, 3]
    by_relevance = articles(query_engine, sort="relevance")
    scores = [r.relevance_score for r in by_relevance]
    assert scores == sorted(scores, reverse=True)
    assert {r.id for r in by_relevance[-len(IRRELEVANT):]} == IRRELEVANT
    assert len(articles(query_engine, limit=5)) == 5
    assert ids(articles(query_engine, outlets="libyaherald", sort="oldest")) == [4, 5, 16, 22, 27, 35, 38]


def test_notebook_api_accepts_urls_dates_and_strings(query_db: str) -> None:
    by_url = articles(query_db, since=date(2026, 2, 1), until="2026-02-05", outlets="alwasat")
    assert ids(by_url) == [34]
    row = by_url[0]
    assert dataclasses.is_dataclass(row)
    flat = dataclasses.asdict(row)  # what pandas.DataFrame does with a list of dataclasses
    assert flat["outlet"] == "alwasat" and flat["title"].startswith("المؤسسة")
    assert set(flat) == {f.name for f in dataclasses.fields(ArticleRow)}


# --- search ----------------------------------------------------------------------------

def test_search_ranks_title_matches_first_and_marks_snippets(query_engine: Engine) -> None:
    rows = articles(query_engine, search="haftar", originals_only=True)
    assert set(ids(rows[:3])) == HAFTAR_IN_TITLE
    assert [r.rank for r in rows] == sorted((r.rank for r in rows), reverse=True)
    for row in rows:
        assert f"{MARK_START}Haftar{MARK_END}" in (row.snippet or "")
    assert articles(query_engine, search="haftar", sort="oldest", originals_only=True)[0].id == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("salame", {4}),                              # accents folded: Salamé
        ("élections", {18, 39}),
        ("ELECTIONS", {18, 39}),
        ("election", set()),                          # no stemming: words match whole
        ("حفتر", {7, 19}),
        ('"حكومة الوفاق"', {7}),
        ('"Government of National Unity"', {5, 6, 27, 37}),
        ('"National Unity Government"', set()),
        ("dbeibah", {5, 6, 27}),
        ("dbeib*", {5, 6, 27, 35}),
        ("haftar -wagner", HAFTAR - {12, 13, 14}),
        ("salame OR zuwara", {4, 20, 21}),
        ("al-Khadim", {30}),
        ("tripoli haftar shelled", {1, 2, 3}),
        ("1=1", set()),
    ],
)
def test_search_language(query_engine: Engine, query: str, expected: set[int]) -> None:
    assert set(ids(articles(query_engine, search=query))) == expected


def test_snippet_of_arabic_and_accented_matches(query_engine: Engine) -> None:
    (salame,) = articles(query_engine, search="salame")
    assert f"{MARK_START}Salamé{MARK_END}" in (salame.snippet or "")
    arabic = articles(query_engine, search="حفتر")
    assert all(f"{MARK_START}حفتر{MARK_END}" in (r.snippet or "") for r in arabic)


def test_index_refusal_is_explained(query_engine: Engine) -> None:
    from sqlalchemy.exc import DBAPIError

    with query_engine.connect() as connection:
        with pytest.raises(DBAPIError) as raised:
            connection.execute(text("SELECT rowid FROM article_search WHERE article_search MATCH :q"), {"q": "x AND"})
    explained = explain_search_error(raised.value, "x AND")
    assert explained is not None
    assert str(explained).startswith("malformed search query 'x AND': fts5: syntax error")
    assert "\n" not in str(explained)


# --- stories and views -----------------------------------------------------------------

def test_originals_only_against_stories(query_engine: Engine) -> None:
    everything = {r.id: r for r in articles(query_engine)}
    for copy_id, original_id in COPIES.items():
        assert everything[copy_id].original_id == original_id
        assert everything[copy_id].story_id == original_id
    assert {i: r.copies for i, r in everything.items() if r.copies} == {1: 2, 5: 1, 12: 2, 20: 1}
    originals = articles(query_engine, originals_only=True)
    assert all(r.original_id is None for r in originals)
    assert sum(r.copies for r in originals) == len(COPIES)


def test_views(query_engine: Engine) -> None:
    with query_engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM articles_with_outlet")) == 40
        assert connection.scalar(text("SELECT count(*) FROM articles_with_outlet WHERE outlet = 'alwasat'")) == 5
        assert connection.scalar(text("SELECT count(*) FROM original_articles")) == 34
        assert connection.scalar(text("SELECT sum(copies) FROM original_articles")) == 6
        copies = connection.execute(text(
            "SELECT copy_id, copy_outlet, original_id, original_outlet, delay_seconds FROM story_copies ORDER BY copy_id"
        )).all()
    assert [tuple(row) for row in copies] == [
        (2, "libyanexpress", 1, "libyaobserver", 7200),
        (3, "libyareview", 1, "libyaobserver", 21600),
        (6, "libyanexpress", 5, "libyaherald", 10800),
        (13, "libyanexpress", 12, "middleeasteye", 43200),
        (14, "libyareview", 12, "middleeasteye", 86400),
        (21, "libyanexpress", 20, "libyaobserver", 3600),
    ]


def test_models_match_the_schema_apart_from_the_search_index(query_engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from storage.models import Base
    from storage.search import is_search_object

    with query_engine.connect() as connection:
        names = set(connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'").scalars())
        assert {"article_search", "article_search_docsize"} <= names
        context = MigrationContext.configure(
            connection, opts={"include_name": lambda name, type_, parent: not is_search_object(name, type_)})
        assert compare_metadata(context, Base.metadata) == []


# --- the index follows the table -------------------------------------------------------

def test_triggers_keep_the_index_in_step(own_db: str) -> None:
    engine = open_database(own_db)
    record = ArticleRecord(url="https://libyaherald.com/2026/03/01/ghadames-talks", outlet="libyaherald",
                           title="Talks in Ghadames", text="Delegates met in Ghadames to discuss the oasis water supply.",
                           published_at=utc("2026-03-01"), language="en")
    with session_factory(engine)() as session, session.begin():
        new_id = save_article(session, record).article.id
    assert ids(articles(engine, search="ghadames")) == [new_id]

    with session_factory(engine)() as session, session.begin():
        session.get(Article, new_id).text = "Delegates met in Ubari to discuss the oasis water supply."
    assert ids(articles(engine, search="ubari")) == [new_id]
    assert ids(articles(engine, search="ghadames")) == [new_id]  # still in the title
    assert articles(engine, search="ghadames")[0].snippet.startswith(f"Talks in {MARK_START}Ghadames{MARK_END}")

    with session_factory(engine)() as session, session.begin():
        session.get(Article, new_id).title = "Talks in the south"
    assert articles(engine, search="ghadames") == []

    with session_factory(engine)() as session, session.begin():
        session.execute(delete(ArticleUrl).where(ArticleUrl.article_id == new_id))
        session.execute(delete(Article).where(Article.id == new_id))
    assert articles(engine, search="ubari") == []
    with engine.begin() as connection:
        assert search_index_in_step(connection)
    engine.dispose()


def test_rebuild_repairs_an_index_out_of_step(own_db: str) -> None:
    engine = open_database(own_db)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER article_search_update")
        connection.exec_driver_sql("UPDATE article SET text = 'The port of Ras Lanuf reopened.' WHERE id = 36")
    assert articles(engine, search="lanuf") == []
    check = newsmon(own_db, "db", "rebuild-search", "--check")
    assert check.exit_code == 1
    assert "does not match" in check.output

    rebuilt = newsmon(own_db, "db", "rebuild-search")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "search index rebuilt: 40 articles" in rebuilt.output
    assert ids(articles(engine, search="lanuf")) == [36]
    assert newsmon(own_db, "db", "rebuild-search", "--check").exit_code == 0
    engine.dispose()


# --- newsmon articles / show -----------------------------------------------------------

def test_articles_table(query_db: str) -> None:
    result = newsmon(query_db, "articles", "--search", "wagner", "--originals-only")
    assert result.exit_code == 0, result.output
    assert "Wagner mercenaries seen at Jufra airbase" in result.output
    assert "2 copies" in result.output
    assert "1 article" in result.output
    empty = newsmon(query_db, "articles", "--language", "de")
    assert empty.exit_code == 0 and "no articles match" in empty.output


def test_articles_machine_formats(query_db: str) -> None:
    args = ("articles", "--outlet", "libyanexpress", "--sort", "oldest", "--limit", "0")
    lines = newsmon(query_db, *args, "--format", "jsonl").stdout.splitlines()
    rows = [json.loads(line) for line in lines]
    assert [r["id"] for r in rows] == [2, 6, 13, 21, 26, 36]
    assert rows[0]["original_id"] == 1 and rows[0]["published_at"] == "2026-01-05T10:00:00+00:00"
    as_json = json.loads(newsmon(query_db, *args, "--format", "json").stdout)
    assert as_json == rows
    as_csv = list(csv.DictReader(io.StringIO(newsmon(query_db, *args, "--format", "csv").stdout)))
    assert [int(r["id"]) for r in as_csv] == [2, 6, 13, 21, 26, 36]
    assert list(as_csv[0]) == [f.name for f in dataclasses.fields(ArticleRow)]
    searched = json.loads(newsmon(query_db, "articles", "-s", "zuwara", "--format", "json").stdout)
    assert [r["id"] for r in searched] == [20, 21] or [r["id"] for r in searched] == [21, 20]
    assert all(MARK_START in r["snippet"] and r["rank"] > 0 for r in searched)
    assert len(json.loads(newsmon(query_db, "articles", "--format", "json").stdout)) == 40


def test_show_by_id_and_url(query_db: str) -> None:
    original = newsmon(query_db, "show", "1")
    assert original.exit_code == 0, original.output
    assert "Haftar forces shell southern Tripoli suburbs" in original.output
    assert "Copies" in original.output and "libyanexpress" in original.output and "libyareview" in original.output
    copy = newsmon(query_db, "show", "https://www.libyanexpress.com/haftar-forces-shell-tripoli-suburbs-overnight")
    assert copy.exit_code == 0, copy.output
    assert "Original (this article is a copy)" in copy.output
    assert "Other copies of the original" in copy.output
    data = json.loads(newsmon(query_db, "show", "2", "--format", "json").stdout)
    assert data["original"]["id"] == 1 and data["original"]["delay_seconds"] == 7200
    assert [c["id"] for c in data["copies"]] == [3]
    assert data["text"].startswith("Libyan Express republishes")
    story = json.loads(newsmon(query_db, "show", "12", "--format", "json").stdout)
    assert story["original"] is None
    assert [(c["id"], c["delay_seconds"]) for c in story["copies"]] == [(13, 43200), (14, 86400)]
    assert all(c["containment"] > 0.5 for c in story["copies"])


def test_export_uses_the_same_filters(query_db: str, tmp_path: Path) -> None:
    from storage.export import EXPORT_COLUMNS

    lines = newsmon(query_db, "export", "--outlet", "libyanexpress", "--since", "2026-01-13").stdout.splitlines()
    rows = [json.loads(line) for line in lines]
    assert [r["id"] for r in rows] == [13, 21, 26, 36]  # publication order
    assert list(rows[0]) == list(EXPORT_COLUMNS)
    assert rows[0]["original_url"] == "https://www.middleeasteye.net/news/wagner-mercenaries-seen-at-jufra-airbase"
    target = tmp_path / "haftar.csv"
    result = newsmon(query_db, "export", "--format", "csv", "--search", "haftar", "--originals-only",
                     "--language", "en", "-O", str(target))
    assert result.exit_code == 0 and "exported 4 articles" in result.output
    exported = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [int(r["id"]) for r in exported] == [1, 12, 23, 33]
    assert list(exported[0]) == list(EXPORT_COLUMNS)


# --- bad input -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("articles", "--outlet", "nosuch"), "unknown outlet 'nosuch'; known outlets: aljazeera, alwasat,"),
        (("articles", "--since", "2026-13-01"), "not a date (expected YYYY-MM-DD): '2026-13-01'"),
        (("articles", "--since", "2026-02-01", "--until", "2026-01-01"), "is not before --until"),
        (("articles", "--language", "english please"), "not a language code"),
        (("articles", "--search", 'haftar "tripoli'), "a double quote is not closed"),
        (("articles", "--search", "OR"), "empty search query"),
        (("articles", "--sort", "rank"), "--sort rank needs --search"),
        (("articles", "--min-relevance", "high"), "'high' is not a valid float"),
        (("show", "999"), "no article with id '999'"),
        (("show", "https://nowhere.example/x"), "no article with URL"),
        (("stats", "--plot", "chart.pdf"), "use a file name ending in .png or .svg"),
    ],
)
def test_bad_input_gets_one_line(query_db: str, args: tuple[str, ...], message: str) -> None:
    result = newsmon(query_db, *args)
    assert result.exit_code in (1, 2)
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and message in errors[0], result.output
    assert "Traceback" not in result.output


INJECTIONS = [
    ("articles", "--outlet", "x' OR 1=1 --"),
    ("articles", "--outlet", "libyaherald' OR '1'='1"),
    ("articles", "--since", "2026-01-01'; DROP TABLE article; --"),
    ("articles", "--until", "2026-01-01' OR 1=1 --"),
    ("articles", "--language", "en' OR '1'='1"),
    ("articles", "--language", "en; DROP TABLE article"),
    ("articles", "--min-relevance", "0 OR 1=1"),
    ("articles", "--search", '" OR 1=1'),
    ("articles", "--search", '" OR 1=1 --"'),
    ("articles", "--search", "x'); DROP TABLE article; --"),
    ("articles", "--search", "* OR rowid > 0"),
    ("articles", "--search", "title:haftar OR text:*"),
    ("articles", "--sort", "newest; DROP TABLE article"),
    ("articles", "--limit", "1; DROP TABLE article"),
    ("show", "1 OR 1=1"),
    ("show", "1; DROP TABLE article"),
    ("stats", "--outlet", "x' OR 1=1 --"),
    ("stats", "--search", "'; DELETE FROM article; --"),
    ("export", "--outlet", "x' OR 1=1 --"),
]


def counts(query_engine: Engine) -> dict[str, int]:
    with query_engine.connect() as connection:
        return {table: connection.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608 (fixed names)
                for table in ("article", "article_url", "outlet", "syndication_link")}


@pytest.mark.parametrize("args", INJECTIONS, ids=lambda a: " ".join(a))
def test_injection_attempts_return_nothing_extra(own_db: str, args: tuple[str, ...]) -> None:
    engine = open_database(own_db)
    before = counts(engine)
    result = newsmon(own_db, *args, *(("--format", "jsonl") if args[0] == "articles" else ()))
    if result.exit_code == 0:
        assert [line for line in result.stdout.splitlines() if line.startswith("{")] == []
    else:
        assert "Traceback" not in result.output
    assert counts(engine) == before
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    with engine.begin() as connection:
        assert search_index_in_step(connection)
    engine.dispose()


def test_injection_through_the_python_api(query_engine: Engine) -> None:
    assert articles(query_engine, outlets=["x' OR 1=1 --"]) == []
    assert articles(query_engine, language="en' OR '1'='1") == []
    # OR is the search language's own operator: the words still only match what they say
    assert set(ids(articles(query_engine, search="haftar' OR 1=1 --"))) == HAFTAR
    assert articles(query_engine, search="haftar' AND 1=1 --") == []
    with query_engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Article)) == 40


def test_search_alone_ranks_the_newest_matches_only(query_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    everything = set(ids(articles(query_engine, search="haftar")))
    monkeypatch.setattr("storage.query.RANK_WINDOW", 2)
    assert set(ids(articles(query_engine, search="haftar"))) == set(sorted(everything)[-2:])
    assert set(ids(articles(query_engine, search="haftar", outlets=["libyaherald"]))) == \
        set(ids(articles(query_engine, search="haftar", outlets=["libyaherald"], sort="newest")))
