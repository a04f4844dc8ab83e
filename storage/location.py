"""Where the default database lives.

Every entry point (``newsmon``, ``scrapy crawl``, the scheduler, notebooks) resolves
the database through :func:`database_url`, so they all agree whatever the working
directory: an explicit URL wins, then ``NEWSMON_DATABASE_URL``, then a SQLite file in
the user's data directory (``$XDG_DATA_HOME/newsmon/newsmon.db``, by default
``~/.local/share/newsmon/newsmon.db``).
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATABASE_URL = "NEWSMON_DATABASE_URL"
ENV_DATA_DIR = "NEWSMON_DATA_DIR"


def data_dir() -> Path:
    """The directory for newsmon's own files (default database, locks, logs)."""
    explicit = os.environ.get(ENV_DATA_DIR)
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "newsmon"


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'newsmon.db'}"


def database_url(explicit: str | None = None) -> str:
    """The database URL every entry point uses."""
    return explicit or os.environ.get(ENV_DATABASE_URL) or default_database_url()
