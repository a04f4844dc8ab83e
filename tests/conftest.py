"""Shared fixtures: an isolated data directory, fresh SQLite files, the local outlet
site, and access to the real PostgreSQL and Redis servers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from crawler.demo import DemoSite

# fixtures of the hand-counted article database (query, stats and PostgreSQL tests), and
# of a schema / key prefix per test on the PostgreSQL and Redis servers
pytest_plugins = ["querydb", "services"]

REQUIRE_SERVICES = os.environ.get("NEWSMON_REQUIRE_SERVICES") == "1"
PG_ADMIN_URL = os.environ.get("NEWSMON_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("NEWSMON_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(autouse=True, scope="session")
def isolated_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Tests never touch the user's default database, outlet files or locks."""
    path = tmp_path_factory.mktemp("newsmon-data")
    saved = {k: os.environ.get(k) for k in ("NEWSMON_DATA_DIR", "NEWSMON_DATABASE_URL", "NEWSMON_OUTLETS")}
    os.environ["NEWSMON_DATA_DIR"] = str(path)
    os.environ.pop("NEWSMON_DATABASE_URL", None)
    os.environ.pop("NEWSMON_OUTLETS", None)
    yield path
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'newsmon.db'}"


@pytest.fixture(scope="session")
def site() -> Iterator[DemoSite]:
    """The local multi-outlet site (with its hostile corner), shared by the session."""
    from crawler.demo import DemoSite

    with DemoSite() as demo:
        yield demo


@pytest.fixture(scope="session")
def site_outlets(site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An outlet file pointing every outlet at the local site."""
    return site.write_outlets(tmp_path_factory.mktemp("site") / "outlets.toml")


def closed_port() -> int:
    """A local port nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def outlet_toml(slug: str, home: str, feed: str) -> str:
    """An outlet-file entry with one feed and articles under ``<home>news/``."""
    return (f'[outlets.{slug}]\nname = "{slug}"\nhome = "{home}"\nfeeds = ["{feed}"]\n'
            f"article_pattern = '^{home}news/'\n")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    """Skip when a service is down, or fail under ``NEWSMON_REQUIRE_SERVICES=1`` (CI)."""
    if _reachable(host, port):
        return
    message = f"{name} is not running on {host}:{port}"
    if REQUIRE_SERVICES:
        pytest.fail(message + " (NEWSMON_REQUIRE_SERVICES=1)")
    pytest.skip(message)


# Settings that keep crawls of the local site fast while exercising the same code paths.
FAST_CRAWL_SETTINGS = (
    "DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=0", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "DOWNLOAD_TIMEOUT=8",
    "RETRY_BACKOFF_BASE=0.1", "NEWSMON_RETRY_AFTER_MAX=10", "NEWSMON_EXTRACT_WORKERS=2",
)


def run_newsmon(*args: str, db_url: str | None = None, outlets: Path | None = None, timeout: float = 240,
                env: dict[str, str] | None = None, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real ``newsmon`` command line in a subprocess (as cron would) and return its result."""
    argv = [sys.executable, "-m", "crawler"]
    if db_url:
        argv += ["--db", db_url]
    if outlets:
        argv += ["--outlets", str(outlets), "--no-default-outlets"]
    return subprocess.run(argv + list(args), capture_output=True, text=True, timeout=timeout, input=input,
                          env={**os.environ, **(env or {})})


def crawl_args(*extra: str) -> list[str]:
    """``crawl`` with the fast local-site settings."""
    args = ["crawl"]
    for setting in FAST_CRAWL_SETTINGS:
        args += ["-s", setting]
    return args + list(extra)
