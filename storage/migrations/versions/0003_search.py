"""full-text search and analyst views

Revision ID: 0003
Revises: 0002

SQLite: an FTS5 table ``article_search`` with external content on ``article`` (title,
description, text), kept in step by three triggers. PostgreSQL: a GIN index on a
weighted ``tsvector`` of the same columns (``'simple'`` configuration, since the
outlets write in several languages); ``storage/search.py`` builds the same expression
for queries. Both: an index on (language, published_at), so a listing of one language
reads its newest rows in order instead of sorting them all, and three read-only views
for analysts (see docs/schema.md).

The SQL is written out here rather than imported, so this revision stays what it was
when it ran. A later migration that rebuilds ``article`` on SQLite (batch mode) drops
the triggers with the old table and must create them again.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

FTS5_TABLE = """
CREATE VIRTUAL TABLE article_search USING fts5(
    title, description, text,
    content='article', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
)
"""

FTS5_TRIGGERS = (
    """
    CREATE TRIGGER article_search_insert AFTER INSERT ON article BEGIN
        INSERT INTO article_search(rowid, title, description, text)
        VALUES (new.id, new.title, new.description, new.text);
    END
    """,
    """
    CREATE TRIGGER article_search_delete AFTER DELETE ON article BEGIN
        INSERT INTO article_search(article_search, rowid, title, description, text)
        VALUES ('delete', old.id, old.title, old.description, old.text);
    END
    """,
    """
    CREATE TRIGGER article_search_update AFTER UPDATE OF title, description, text ON article BEGIN
        INSERT INTO article_search(article_search, rowid, title, description, text)
        VALUES ('delete', old.id, old.title, old.description, old.text);
        INSERT INTO article_search(rowid, title, description, text)
        VALUES (new.id, new.title, new.description, new.text);
    END
    """,
)

PG_INDEX = """
CREATE INDEX ix_article_search ON article USING gin ((
    setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('simple'::regconfig, coalesce(description, '')), 'B')
    || setweight(to_tsvector('simple'::regconfig, coalesce(text, '')), 'C')
))
"""

ARTICLES_WITH_OUTLET = """
CREATE VIEW articles_with_outlet AS
SELECT a.id, o.slug AS outlet, o.name AS outlet_name, a.published_at, a.updated_at,
       a.language, a.title, a.description, a.url, a.canonical_url, a.authors, a.section,
       a.tags, a.word_count, a.relevance_score, a.is_relevant, a.relevance_terms,
       a.story_id, a.original_id, a.credited_source, a.external_id, a.source,
       a.fetched_at, a.text
FROM article a
LEFT JOIN outlet o ON o.id = a.outlet_id
"""

ORIGINAL_ARTICLES = """
CREATE VIEW original_articles AS
SELECT v.*, (SELECT count(*) FROM article c WHERE c.original_id = v.id) AS copies
FROM articles_with_outlet v
WHERE v.original_id IS NULL
"""

STORY_COPIES = """
CREATE VIEW story_copies AS
SELECT c.id AS copy_id, co.slug AS copy_outlet, c.title AS copy_title, c.url AS copy_url,
       c.published_at AS copy_published_at,
       o.id AS original_id, oo.slug AS original_outlet, o.title AS original_title,
       o.url AS original_url, o.published_at AS original_published_at,
       {delay} AS delay_seconds,
       c.story_id, l.containment, l.resemblance
FROM article c
JOIN article o ON o.id = c.original_id
LEFT JOIN outlet co ON co.id = c.outlet_id
LEFT JOIN outlet oo ON oo.id = o.outlet_id
LEFT JOIN syndication_link l ON l.copy_id = c.id
"""

DELAY = {
    "sqlite": "CAST(round((julianday(c.published_at) - julianday(o.published_at)) * 86400) AS INTEGER)",
    "postgresql": "CAST(EXTRACT(EPOCH FROM (c.published_at - o.published_at)) AS BIGINT)",
}
VIEWS = ("story_copies", "original_articles", "articles_with_outlet")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(FTS5_TABLE)
        for trigger in FTS5_TRIGGERS:
            op.execute(trigger)
        op.execute("INSERT INTO article_search(article_search) VALUES ('rebuild')")
    elif dialect == "postgresql":
        op.execute(PG_INDEX)
    op.create_index("ix_article_language_published", "article", ["language", "published_at"])
    op.execute(ARTICLES_WITH_OUTLET)
    op.execute(ORIGINAL_ARTICLES)
    op.execute(STORY_COPIES.format(delay=DELAY[dialect]))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for view in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {view}")
    op.drop_index("ix_article_language_published", table_name="article")
    if dialect == "sqlite":
        for trigger in ("article_search_insert", "article_search_delete", "article_search_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS article_search")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_article_search")
