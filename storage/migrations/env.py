"""Alembic environment: runs migrations on the engine handed over by :func:`storage.db.upgrade`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from storage.jobstore import is_jobstore_table
from storage.models import Base
from storage.search import is_search_object

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            include_name=lambda name, type_, parent: not (is_search_object(name, type_) or is_jobstore_table(name, type_)),
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
