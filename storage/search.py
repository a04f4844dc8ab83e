"""Full-text search on both backends: match, rank and snippet expressions, and rebuild.

SQLite keeps an FTS5 table ``article_search`` (external content on ``article``: title,
description, text) in step through triggers; PostgreSQL has a GIN index on a weighted
``tsvector`` expression of the same columns. Both are created by migration 0003. The
expression below must stay identical to that index's, or PostgreSQL stops using it
(``tests/test_query.py`` checks the plan).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, ColumnElement, Connection, Integer, MetaData, Table, Text, func, literal_column
from sqlalchemy.exc import DBAPIError

from storage.models import Article
from storage.search_query import SYNTAX_HELP, SearchQuery, SearchQueryError, Term, fts5_match

SEARCH_TABLE = "article_search"
PG_SEARCH_INDEX = "ix_article_search"
MARK_START, MARK_END, ELLIPSIS = "\u27e6", "\u27e7", "\u2026"
SNIPPET_WORDS = 16
# bm25 weights of title, description and text: a match in the title counts most.
FTS5_WEIGHTS = (10.0, 4.0, 1.0)
# Errors the index raises about a query (never expected, since every term is quoted;
# a safety net that must not hide other errors, hence the narrow prefixes).
QUERY_ERRORS = ("fts5: syntax error", "syntax error in tsquery")

fts_table = Table(
    SEARCH_TABLE, MetaData(),
    Column("rowid", Integer, primary_key=True), Column("title", Text), Column("description", Text),
    Column("text", Text),
)
_fts_column = literal_column(SEARCH_TABLE)
_pg_config = literal_column("'simple'::regconfig")


@dataclass(frozen=True, slots=True)
class SearchSql:
    """What a search adds to a query: the join it needs, its filter, rank (higher is better) and snippet."""

    join_on: Table | None
    condition: ColumnElement[bool]
    rank: ColumnElement[float]
    snippet: ColumnElement[str]


def is_search_object(name: str | None, type_: str, _parent: object = None) -> bool:
    """Whether a reflected table belongs to the FTS5 index (Alembic's ``include_name`` hook
    negates this, so autogenerate never proposes dropping the index's shadow tables)."""
    return type_ == "table" and bool(name) and str(name).startswith(SEARCH_TABLE)


def pg_search_vector() -> ColumnElement[object]:
    """The indexed tsvector; constants are literals so the planner matches the index expression."""
    parts = [
        func.setweight(func.to_tsvector(_pg_config, func.coalesce(column, literal_column("''"))), literal_column(f"'{w}'"))
        for column, w in ((Article.title, "A"), (Article.description, "B"), (Article.text, "C"))
    ]
    vector = parts[0]
    for part in parts[1:]:
        vector = vector.op("||")(part)
    return vector


def _pg_term(term: Term) -> ColumnElement[object]:
    if term.prefix:
        quoted = "'" + term.text.replace("\\", "\\\\").replace("'", "''") + "':*"
        return func.to_tsquery(_pg_config, quoted)
    return func.phraseto_tsquery(_pg_config, term.text)


def _pg_combine(function: str, items: list[ColumnElement[object]]) -> ColumnElement[object]:
    combined = items[0]
    for item in items[1:]:
        combined = getattr(func, function)(combined, item)
    return combined


def pg_tsquery(query: SearchQuery) -> ColumnElement[object]:
    """``query`` as a tsquery built from bound parameters (the terms never become SQL)."""
    required = _pg_combine("tsquery_and", [_pg_combine("tsquery_or", [_pg_term(t) for t in g]) for g in query.required])
    if not query.excluded:
        return required
    return func.tsquery_and(required, func.tsquery_not(_pg_combine("tsquery_or", [_pg_term(t) for t in query.excluded])))


def search_sql(query: SearchQuery, dialect: str) -> SearchSql:
    if dialect == "sqlite":
        return SearchSql(
            join_on=fts_table,
            condition=_fts_column.op("MATCH")(fts5_match(query)),
            rank=-func.bm25(_fts_column, *FTS5_WEIGHTS),
            snippet=func.snippet(_fts_column, -1, MARK_START, MARK_END, ELLIPSIS, SNIPPET_WORDS),
        )
    if dialect == "postgresql":
        vector, tsquery = pg_search_vector(), pg_tsquery(query)
        document = func.concat_ws(" ", Article.title, Article.description, Article.text)
        options = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_WORDS}, MinWords=8, FragmentDelimiter={ELLIPSIS}, MaxFragments=1"
        return SearchSql(
            join_on=None,
            condition=vector.op("@@")(tsquery),
            rank=func.ts_rank_cd(vector, tsquery),
            snippet=func.ts_headline(_pg_config, document, tsquery, options),
        )
    raise SearchQueryError(f"full-text search is not available on {dialect}")


def explain_search_error(exc: DBAPIError, text: str) -> SearchQueryError | None:
    """A one-line error for a query the index refused; None when ``exc`` is about something else."""
    message = str(exc.orig) if exc.orig is not None else str(exc)
    if any(marker in message for marker in QUERY_ERRORS):
        return SearchQueryError(f"malformed search query {text!r}: {message.splitlines()[0]} ({SYNTAX_HELP})")
    return None


def rebuild_search_index(connection: Connection) -> None:
    """Rebuild the full-text index from the article table (after a bulk load or a repair)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('rebuild')")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"REINDEX INDEX {PG_SEARCH_INDEX}")


def search_index_in_step(connection: Connection) -> bool:
    """Whether the index agrees with the article table (always true on PostgreSQL, whose
    GIN index is maintained by the database itself).

    FTS5's own ``integrity-check`` compares an external-content index with its table only
    from SQLite 3.44, so the check indexes the articles afresh into a temporary table and
    compares the two vocabularies (term, documents, occurrences) instead.
    """
    if connection.dialect.name != "sqlite":
        return True
    statements = (
        "CREATE VIRTUAL TABLE temp.newsmon_search_fresh USING fts5("
        "title, description, text, content='', tokenize='unicode61 remove_diacritics 2')",
        "INSERT INTO temp.newsmon_search_fresh(rowid, title, description, text) "
        "SELECT id, title, description, text FROM main.article",
        f"CREATE VIRTUAL TABLE temp.newsmon_vocab_live USING fts5vocab(main, {SEARCH_TABLE}, 'row')",
        "CREATE VIRTUAL TABLE temp.newsmon_vocab_fresh USING fts5vocab(temp, newsmon_search_fresh, 'row')",
    )
    try:
        for statement in statements:
            connection.exec_driver_sql(statement)
        differences = sum(
            connection.exec_driver_sql(
                f"SELECT count(*) FROM (SELECT term, doc, cnt FROM temp.newsmon_vocab_{a} "
                f"EXCEPT SELECT term, doc, cnt FROM temp.newsmon_vocab_{b})"
            ).scalar_one()
            for a, b in (("live", "fresh"), ("fresh", "live"))
        )
    except DBAPIError:
        return False
    finally:
        for table in ("newsmon_vocab_fresh", "newsmon_vocab_live", "newsmon_search_fresh"):
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{table}")
    return differences == 0
