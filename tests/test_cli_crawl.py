"""`newsmon crawl`, `demo` and `outlets` as a user runs them: unreachable outlets, bad
outlet files, the offline demo."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest import closed_port, crawl_args, outlet_toml, run_newsmon
from crawler.demo import DemoSite


@pytest.fixture
def broken_outlets(tmp_path: Path, site: DemoSite) -> Path:
    port = closed_port()
    text = (outlet_toml("nodns", "http://newsmon-no-such-host.invalid/", "http://newsmon-no-such-host.invalid/rss")
            + outlet_toml("refused", f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/rss")
            + outlet_toml("servererror", site.base_urls["hostile"] + "/", site.url("hostile", "/news/broken-backend")))
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unreachable_outlets_get_one_line_each_and_exit_3(broken_outlets: Path, db_url: str) -> None:
    result = run_newsmon(*crawl_args(), db_url=db_url, outlets=broken_outlets)
    assert result.returncode == 3, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3, result.stderr
    assert any(line.startswith("nodns: unreachable: dns") for line in lines), lines
    assert any(line.startswith("refused: unreachable: connection_refused") for line in lines), lines
    assert any(line.startswith("servererror: unreachable: http_500") for line in lines), lines
    assert "Traceback" not in result.stderr + result.stdout


def test_one_reachable_outlet_is_enough_for_exit_0(broken_outlets: Path, site_outlets: Path, db_url: str, tmp_path: Path) -> None:
    both = tmp_path / "both.toml"
    both.write_text(site_outlets.read_text() + "\n" + broken_outlets.read_text(), encoding="utf-8")
    result = run_newsmon(*crawl_args("--outlet", "libyareview", "--outlet", "nodns"), db_url=db_url, outlets=both)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines() == [line for line in result.stderr.strip().splitlines() if line.startswith("nodns:")]
    strict = run_newsmon(*crawl_args("--strict", "--outlet", "libyareview", "--outlet", "nodns"), db_url=db_url, outlets=both)
    assert strict.returncode == 1


def test_bad_outlet_file_names_file_outlet_and_key_and_crawls_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[outlets.libyaherald]\nscope = "everything"\n', encoding="utf-8")
    db = tmp_path / "never.db"
    result = run_newsmon("crawl", db_url=f"sqlite:///{db}", env={"NEWSMON_OUTLETS": str(bad)})
    assert result.returncode == 1
    assert result.stderr.strip() == f"Error: {bad}: outlet 'libyaherald', key 'scope': expected one of ('all', 'filter'), got 'everything'"
    assert not db.exists()


def test_unknown_outlet_lists_the_known_ones(site_outlets: Path, db_url: str) -> None:
    result = run_newsmon("crawl", "--outlet", "bbc", db_url=db_url, outlets=site_outlets)
    assert result.returncode == 2
    assert "unknown outlet 'bbc'" in result.stderr and "libyaherald" in result.stderr


def test_bad_since_date_is_a_usage_error(site_outlets: Path, db_url: str) -> None:
    result = run_newsmon("crawl", "--since", "last week", db_url=db_url, outlets=site_outlets)
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr


def test_outlets_command_shows_sources() -> None:
    result = run_newsmon("outlets")
    assert result.returncode == 0
    assert "https://www.middleeasteye.net/rss" in result.stdout and "Alwasat" in result.stdout
    data = json.loads(run_newsmon("outlets", "--format", "json").stdout)
    assert {o["slug"] for o in data} >= {"middleeasteye", "libyanexpress", "libyaobserver", "libyaherald",
                                         "libyareview", "aljazeera", "alwasat"}


def test_demo_crawls_the_bundled_sites(tmp_path: Path) -> None:
    result = run_newsmon("demo", "--keep", str(tmp_path / "demo"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "articles stored" in result.stdout and "libyaherald" in result.stdout
    assert "Not stored, and why:" in result.stdout and "too_large" in result.stdout
    assert (tmp_path / "demo" / "demo.db").exists()
    exported = run_newsmon("export", "--outlet", "alwasat", db_url=f"sqlite:///{tmp_path / 'demo' / 'demo.db'}",
                           outlets=tmp_path / "demo" / "outlets.toml")
    assert len(exported.stdout.splitlines()) == 10


def test_default_database_is_the_same_from_any_directory(tmp_path: Path, isolated_data_dir: Path) -> None:
    here = run_newsmon("db", "path")
    assert here.stdout.strip() == f"sqlite:///{isolated_data_dir / 'newsmon.db'}"
    override = run_newsmon("db", "path", env={"NEWSMON_DATABASE_URL": "sqlite:////elsewhere.db"})
    assert override.stdout.strip() == "sqlite:////elsewhere.db"


def test_a_database_that_refuses_writes_stops_the_crawl_with_one_line_and_exit_1(db_url: str, tmp_path: Path) -> None:
    """A write error will fail every article (a full disk, a broken file): the crawl stops
    early, says why in one line, records the run as failed, and the file stays intact."""
    assert run_newsmon("db", "upgrade", db_url=db_url).returncode == 0
    db = Path(db_url.removeprefix("sqlite:///"))
    with sqlite3.connect(db) as conn:
        # Every article insert fails with an OperationalError, as a broken database would.
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON article BEGIN SELECT newsmon_no_such_function(); END")
    with DemoSite(articles_per_outlet=80, hostile=False) as site:
        outlets = site.write_outlets(tmp_path / "outlets.toml")
        result = run_newsmon(*crawl_args("--outlet", "libyareview"), db_url=db_url, outlets=outlets)
        pages = [p for p in site.expected if p.outlet == "libyareview" and p.kind in ("article", "irrelevant")]
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines() == [
        "libyareview: stopped, the database refused a write: no such function: newsmon_no_such_function"]
    assert "Traceback" not in result.stderr + result.stdout
    with sqlite3.connect(db) as conn:
        status, reason, fetched = conn.execute("SELECT status, finish_reason, fetched FROM crawl_run").fetchone()
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert (status, reason) == ("failed", "database_error")
    assert fetched < len(pages), "the crawl went on after the database refused writes"
