"""Where ``newsmon schedule`` keeps its jobs: APScheduler's table in the newsmon database.

The table is APScheduler's (it creates it), so it is kept out of Alembic's autogenerate
(:func:`is_jobstore_table`). The job store gets a plain engine of its own: our engines
begin every SQLite transaction with ``BEGIN IMMEDIATE`` and hand transaction control to
SQLAlchemy, which APScheduler does not expect; a busy timeout is enough for its short
writes next to the crawlers'.
"""

from __future__ import annotations

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

JOBS_TABLE = "newsmon_apscheduler_jobs"
SQLITE_TIMEOUT_SECONDS = 30


def is_jobstore_table(name: str | None, type_: str, _parent: object = None) -> bool:
    """Whether a reflected name is the job store's table (for Alembic's ``include_name``)."""
    return type_ == "table" and name == JOBS_TABLE


def jobstore_engine(url: str) -> Engine:
    """A plain engine for APScheduler's SQLAlchemy job store."""
    if make_url(url).get_backend_name() == "sqlite":
        return create_engine(url, connect_args={"timeout": SQLITE_TIMEOUT_SECONDS})
    return create_engine(url, pool_pre_ping=True)
