"""newsmon on the real PostgreSQL server: migrations, the full crawl pipeline and the
commands, concurrent writers, and `newsmon db copy` from SQLite. Each test has its own
schema (see tests/services.py)."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, select, text

from conftest import crawl_args, run_newsmon
from crawler.imports import parse_line
from services import ONE_EXTRACTOR, PATIENT, Reference, page_of, stored
from storage.articles import ensure_outlet, save_article
from storage.copy import copied_tables
from storage.db import alembic_config, open_database, schema_is_current, session_factory
from storage.locking import lock_writers
from storage.models import Article
from storage.syndication import link_article

pytestmark = pytest.mark.postgres
FIXTURE = Path(__file__).parent / "fixtures" / "query" / "articles.jsonl"
# (original, copy) line numbers of the fixture: the copy must end up linked to the original
PAIRS = [(1, 2), (5, 6), (12, 13), (20, 21)]


def newsmon_json(db_url: str, *args: str, outlets: Path | None = None) -> Any:
    result = run_newsmon(*args, "--format", "json", db_url=db_url, outlets=outlets)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_migrations_go_up_down_and_up_again(pg_url: str) -> None:
    engine = open_database(pg_url)
    assert schema_is_current(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() "
                                 "AND indexname = 'ix_article_search'")).scalar() == 1
    command.downgrade(alembic_config(engine), "base")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT to_regclass('article')")).scalar() is None
    engine.dispose()
    assert schema_is_current(open_database(pg_url))


def test_crawl_into_postgres_stores_what_sqlite_stores_and_every_command_works(
        pg_url: str, reference: Reference) -> None:
    # Two writer processes (PostgreSQL takes concurrent writers) give what one gives on SQLite.
    result = run_newsmon(*crawl_args(*PATIENT, "-s", "NEWSMON_STORE_WORKERS=2"), db_url=pg_url,
                         outlets=reference.outlets)
    assert result.returncode == 0, result.stderr
    found = stored(pg_url)
    assert found == reference.stored
    sqlite_url = f"sqlite:///{reference.db_path}"

    listed = newsmon_json(pg_url, "articles", "-n", "0")
    assert len(listed) == found.rows
    for query in ("haftar", '"armed groups"', "derna -dam"):
        on_pg = {page_of(a["url"]) for a in newsmon_json(pg_url, "articles", "-n", "0", "-s", query)}
        on_sqlite = {page_of(a["url"]) for a in newsmon_json(sqlite_url, "articles", "-n", "0", "-s", query)}
        assert on_pg and on_pg == on_sqlite, query
    stories = newsmon_json(pg_url, "stories", "-n", "0")
    assert len(stories) == len(newsmon_json(sqlite_url, "stories", "-n", "0"))
    assert {r["outlet"] for r in newsmon_json(pg_url, "runs", "-n", "50")} == {a for a, _ in found.articles}
    stats = newsmon_json(pg_url, "stats")
    assert stats
    shown = newsmon_json(pg_url, "show", str(listed[0]["id"]))
    assert shown["id"] == listed[0]["id"]
    export = run_newsmon("export", "--format", "jsonl", db_url=pg_url)
    assert export.returncode == 0 and len(export.stdout.splitlines()) == found.rows
    rebuild = run_newsmon("dedup", "--rebuild", db_url=pg_url)
    assert rebuild.returncode == 0, rebuild.stderr
    assert stored(pg_url).links == reference.stored.links


def test_two_crawls_at_once_store_every_article_once(pg_url: str, reference: Reference,
                                                     tmp_path: Path) -> None:
    """Two crawler processes (as on two machines: own data directories, so no shared
    outlet lock) fetch the same site into one database at the same time."""
    argv = [sys.executable, "-m", "crawler", "--db", pg_url, "--outlets", str(reference.outlets),
            "--no-default-outlets", *crawl_args(*ONE_EXTRACTOR, *PATIENT)]
    crawls = []
    for name in ("a", "b"):
        env = {**os.environ, "NEWSMON_DATA_DIR": str(tmp_path / name)}
        crawls.append(subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for crawl in crawls:
        _, err = crawl.communicate(timeout=300)
        assert crawl.returncode == 0, err
    found = stored(pg_url)
    assert found.rows == len(found.articles) == len(reference.stored.articles)
    assert found.articles == reference.stored.articles
    assert found.links == reference.stored.links


def _store_at_barrier(db_url: str, line: str, outlet: str, barrier: Any) -> None:
    """Save one article, wait until the other process has saved its own (neither has
    committed), then link: the moment the linker cannot see the other article by itself."""
    record, _ = parse_line(line)
    record.outlet = outlet
    engine = open_database(db_url)
    with session_factory(engine).begin() as session:
        lock_writers(session)
        saved = save_article(session, record)
        barrier.wait(timeout=60)
        link_article(session, saved.article, changed=True)
    engine.dispose()


def test_original_and_copy_stored_at_the_same_moment_are_linked(pg_url: str) -> None:
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    engine = open_database(pg_url)
    with session_factory(engine).begin() as session:
        for number in {n for pair in PAIRS for n in pair}:
            ensure_outlet(session, json.loads(lines[number - 1])["outlet"])
    spawn = multiprocessing.get_context("spawn")
    for pair in PAIRS:
        barrier = spawn.Barrier(2)
        writers = [spawn.Process(target=_store_at_barrier,
                                 args=(pg_url, lines[n - 1], json.loads(lines[n - 1])["outlet"], barrier))
                   for n in pair]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join(timeout=120)
            assert writer.exitcode == 0
    with session_factory(engine)() as session:
        by_url = {a.url: a for a in session.scalars(select(Article))}
    url = {n: parse_line(lines[n - 1])[0].url for pair in PAIRS for n in pair}
    assert {(by_url[url[c]].original_id, by_url[url[o]].original_id) for o, c in PAIRS} == \
        {(by_url[url[o]].id, None) for o, _ in PAIRS}
    engine.dispose()


def table_rows(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    with engine.connect() as conn:
        return {t.name: [dict(r._mapping) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
                for t in copied_tables()}


def test_db_copy_carries_every_row_from_sqlite_to_postgres(pg_url: str, reference: Reference,
                                                           tmp_path: Path) -> None:
    source_path = tmp_path / "source.db"
    with sqlite3.connect(reference.db_path) as src, sqlite3.connect(source_path) as dst:
        src.backup(dst)
    source_url = f"sqlite:///{source_path}"
    result = run_newsmon("db", "copy", "--to", pg_url, "--batch", "100", db_url=source_url)
    assert result.returncode == 0, result.stderr
    source, target = open_database(source_url), open_database(pg_url)
    rows = table_rows(source)
    assert all(rows[t] for t in ("article", "article_url", "syndication_link", "crawl_run", "outlet",
                                 "rejected_url", "source_state", "syndication_anchor"))
    assert table_rows(target) == rows

    again = run_newsmon("db", "copy", "--to", pg_url, db_url=source_url)
    assert again.returncode == 1 and "not empty" in again.stderr
    forced = run_newsmon("db", "copy", "--to", pg_url, "--force", db_url=source_url)
    assert forced.returncode == 0, forced.stderr
    assert table_rows(target) == rows

    newest = max(r["id"] for r in rows["article"])
    imported = run_newsmon("import", "-", db_url=pg_url, input=json.dumps(
        {"url": "https://example.org/after-the-copy", "outlet": "libyaherald", "title": "After the copy",
         "text": "An article stored in PostgreSQL after the copy gets an id past the copied ones."}) + "\n")
    assert imported.returncode == 0, imported.stderr
    with session_factory(target)() as session:
        assert session.scalar(select(Article.id).where(Article.url == "https://example.org/after-the-copy")) == newest + 1
    same = run_newsmon("db", "copy", "--to", source_url, db_url=source_url)
    assert same.returncode == 2 and "current database" in same.stderr
    source.dispose()
    target.dispose()
