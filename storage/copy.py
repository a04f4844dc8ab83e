"""Copying a whole newsmon database into another one (SQLite to PostgreSQL, or back).

Both databases are brought to the newest schema first, so the copy moves rows, never
schema. Every table of the models is copied (outlets, articles and their URLs, crawl
runs, rejected URLs, source state, syndication links, matches and index) with its ids,
so links and stories stay what they were, in primary-key order and in batches, and
PostgreSQL sequences are moved past the copied ids so new rows do not collide. The
source is read from one snapshot and the target written in one transaction whose
row counts are checked against the source's before it commits: a failed copy leaves
the target as it was. Search indexes are the target's own (FTS5 triggers on SQLite, a
GIN expression index on PostgreSQL) and fill themselves as rows arrive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import (
    Column, Connection, Engine, Integer, Table, bindparam, create_engine, event, func, insert, select, text,
    update,
)
from sqlalchemy.pool import NullPool

from storage.models import Base

DEFAULT_BATCH = 1000


class CopyError(Exception):
    """The copy cannot start or did not come out whole; the message is meant for users."""


@dataclass(frozen=True, slots=True)
class TableCopy:
    table: str
    rows: int


def copied_tables() -> list[Table]:
    """The tables of the models, parents before children."""
    return list(Base.metadata.sorted_tables)


def _self_references(table: Table) -> list[Column[int]]:
    """Columns pointing into their own table (``article.original_id``): set after the rows,
    since a copy may be stored before its original and hold a higher id."""
    return [fk.parent for fk in table.foreign_keys if fk.column.table is table]


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A read-only connection that sees one state of ``engine``'s database throughout.

    PostgreSQL: REPEATABLE READ. SQLite: a deferred transaction on a plain connection (the
    application engine starts every transaction with BEGIN IMMEDIATE, which would shut
    out the crawls writing meanwhile); in WAL mode it reads one snapshot.
    """
    if engine.dialect.name != "sqlite":
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            yield conn
        return
    reader = create_engine(engine.url, poolclass=NullPool)

    @event.listens_for(reader, "connect")
    def _manual_transactions(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.isolation_level = None  # type: ignore[attr-defined]

    try:
        with reader.connect() as conn:
            conn.exec_driver_sql("BEGIN")
            yield conn
    finally:
        reader.dispose()


def row_counts(conn: Connection, tables: list[Table]) -> dict[str, int]:
    return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables}


def _copy_rows(source: Connection, target: Connection, table: Table, batch: int) -> None:
    later = _self_references(table)
    pk = next(iter(table.primary_key.columns))
    # An UPDATE would stamp columns such as ``modified_at`` anew: they are set to their copied value.
    stamped = [c for c in table.columns if c.onupdate is not None]
    pending: dict[str, list[dict[str, object]]] = {c.key: [] for c in later}
    rows = source.execution_options(stream_results=True, yield_per=batch).execute(
        select(table).order_by(*table.primary_key.columns))
    for chunk in rows.partitions():
        values = [dict(row._mapping) for row in chunk]
        for column in later:
            pending[column.key] += [
                {"b_id": v[pk.key], "b_value": v[column.key], **{f"b_{c.key}": v[c.key] for c in stamped}}
                for v in values if v[column.key] is not None]
            for v in values:
                v[column.key] = None
        target.execute(insert(table), values)
    for column in later:
        statement = update(table).where(pk == bindparam("b_id")).values(
            {column.key: bindparam("b_value"), **{c.key: bindparam(f"b_{c.key}") for c in stamped}})
        for start in range(0, len(pending[column.key]), batch):
            target.execute(statement, pending[column.key][start : start + batch])


def _reset_sequences(target: Connection, tables: list[Table]) -> None:
    """Move each serial primary key's sequence past the copied ids (PostgreSQL)."""
    if target.dialect.name != "postgresql":
        return
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        target.execute(text(
            f"SELECT setval(pg_get_serial_sequence(:table, :column), "
            f"COALESCE((SELECT max({pk[0].name}) FROM {table.name}), 0) + 1, false)"),
            {"table": table.name, "column": pk[0].name})


def copy_database(source: Engine, target: Engine, *, force: bool = False, batch: int = DEFAULT_BATCH,
                  on_table: Callable[[TableCopy], None] | None = None) -> list[TableCopy]:
    """Copy every row of ``source`` into ``target`` (both at the newest schema).

    A target holding rows is refused unless ``force``, which empties it first.
    """
    tables = copied_tables()
    done = []
    with _snapshot(source) as reader, target.begin() as writer:
        existing = {name: n for name, n in row_counts(writer, tables).items() if n}
        if existing and not force:
            held = ", ".join(f"{n} {name}" for name, n in existing.items())
            raise CopyError(f"the target database is not empty ({held}); use --force to replace its rows")
        for table in reversed(tables):
            if existing:
                writer.execute(table.delete())
        expected = row_counts(reader, tables)
        for table in tables:
            _copy_rows(reader, writer, table, batch)
            copied = TableCopy(table.name, expected[table.name])
            done.append(copied)
            if on_table is not None:
                on_table(copied)
        _reset_sequences(writer, tables)
        found = row_counts(writer, tables)
        wrong = [f"{name}: {found[name]} of {n}" for name, n in expected.items() if found[name] != n]
        if wrong:
            raise CopyError(f"row counts differ after the copy ({'; '.join(wrong)}); "
                            "the target was left unchanged")
    return done
