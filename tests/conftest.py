"""Shared fixtures: an isolated data directory, fresh SQLite files, the local outlet
site, and access to the real PostgreSQL and Redis servers."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from crawler.demo import DemoSite

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
