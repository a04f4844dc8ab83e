"""Engines, sessions and schema upgrades.

SQLite is opened in WAL mode with a busy timeout, and write transactions start with
``BEGIN IMMEDIATE``: with SQLite's default deferred transactions a read-then-write from
two processes fails with "database is locked" even with a busy timeout, because the
lock upgrade cannot wait. The schema is brought to the newest Alembic revision when a
database is opened, so every entry point sees the same schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from storage.location import database_url

SQLITE_BUSY_TIMEOUT_MS = 30_000
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
MIGRATION_LOCK_KEY = 0x6E6D_0000  # a PostgreSQL advisory lock key, held while migrating


class DatabaseError(Exception):
    """A database could not be opened or upgraded; the message is meant for users."""


def _configure_sqlite(engine: Engine, *, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
        cursor.close()

    # A reader in WAL mode never waits for a writer, unless it asks for the write lock.
    begin = "BEGIN" if read_only else "BEGIN IMMEDIATE"

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)


def make_engine(url: str | None = None, *, read_only: bool = False, **kwargs: Any) -> Engine:
    """An engine for ``url`` (default: :func:`storage.location.database_url`).

    ``read_only`` engines on SQLite take no write lock, so lookups from the crawler's
    reactor thread never wait behind a writer's transaction.
    """
    url = database_url(url)
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise DatabaseError(f"not a database URL: {url!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine, read_only=read_only)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # configparser interpolates "%": a URL-encoded password or option (%3D) must be escaped
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    cfg.attributes["engine"] = engine
    return cfg


def schema_is_current(engine: Engine) -> bool:
    script = ScriptDirectory.from_config(alembic_config(engine))
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    return current == set(script.get_heads())


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """On PostgreSQL, one process at a time migrates (workers starting together on a
    fresh database would otherwise all try to create the tables)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})")
        try:
            yield
        finally:
            conn.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})")
            conn.commit()


def upgrade(engine: Engine) -> None:
    """Apply every pending migration (a no-op on a current schema)."""
    if schema_is_current(engine):
        return
    with _migration_lock(engine):
        if not schema_is_current(engine):
            command.upgrade(alembic_config(engine), "heads")


def open_database(url: str | None = None, *, migrate: bool = True, **kwargs: Any) -> Engine:
    """An engine on an upgraded database; raises :class:`DatabaseError` with a readable message."""
    engine = make_engine(url, **kwargs)
    if migrate:
        try:
            upgrade(engine)
        except DatabaseError:
            raise
        except Exception as exc:
            engine.dispose()
            raise DatabaseError(
                f"cannot open database {engine.url.render_as_string(hide_password=True)}: {exc}"
            ) from exc
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
