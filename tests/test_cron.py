"""``newsmon crawl`` as cron runs it: real processes against the local outlet site.

Overlapping runs (exactly one crawls, the other exits 75 without touching the database),
interrupted runs (SIGTERM, kill -9: the database stays consistent and the next run
completes the work), incremental runs (conditional requests, no article fetched twice)
and ``newsmon runs``.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import crawl_args
from crawler.demo import DemoSite
from crawler.outlets import load_outlets
from newsmon_processes import (
    dead_outlet_toml,
    expected_keys,
    group_members,
    integrity,
    query,
    run_newsmon_in,
    runs_of,
    start_newsmon,
    stop,
    stored_keys,
    wait_for,
)

OUTLET = "libyaherald"
# One request at a time, so a crawl of the slowed-down site is slow enough to interrupt.
SLOW = ("-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "CONCURRENT_REQUESTS=1")


@pytest.fixture(scope="module")
def site() -> Iterator[DemoSite]:
    """A small site of our own: the tests slow it down, and their crawls must not see another
    test's revisions."""
    with DemoSite(articles_per_outlet=6, hostile=False) as demo:
        yield demo


@pytest.fixture(scope="module")
def outlets(site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = site.write_outlets(tmp_path_factory.mktemp("cron") / "outlets.toml")
    with path.open("a", encoding="utf-8") as fh:
        fh.write(dead_outlet_toml("deadoutlet"))
    return path


@pytest.fixture
def slow(site: DemoSite) -> Iterator[None]:
    site.latency = 0.8
    yield
    site.latency = 0.0


@pytest.fixture
def db(tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "newsmon.db"
    return f"sqlite:///{path}", path


def lock_holder_pid(data_dir: Path, outlet: str) -> int | None:
    path = data_dir / "locks" / f"{outlet}.lock"
    try:
        return int(json.loads(path.read_text())["pid"])
    except (OSError, ValueError, KeyError):
        return None


def article_requests(site: DemoSite, outlet: str, since: int) -> int:
    """Articles of ``outlet`` the site was asked for after its ``since``-th request."""
    paths = {urlsplit(p.url).path for p in site.expected if p.outlet == outlet and p.kind == "article"}
    return sum(1 for r in site.request_log()[since:] if r.slug == outlet and r.path in paths)


def assert_complete_and_consistent(site: DemoSite, db_path: Path) -> None:
    assert integrity(db_path) == "ok"
    keys = stored_keys(db_path, OUTLET)
    assert len(keys) == len(set(keys)), "an article was stored twice"
    assert set(keys) == expected_keys(site, OUTLET)


def test_second_run_fetches_no_article_and_gets_304s(site: DemoSite, outlets: Path, db: tuple[str, Path],
                                                     tmp_path: Path) -> None:
    db_url, db_path = db
    first = run_newsmon_in(tmp_path / "data", *crawl_args("--outlet", OUTLET), db_url=db_url, outlets=outlets)
    assert first.returncode == 0, first.stderr
    assert first.stdout == "" and first.stderr == "", "quiet when not on a terminal"
    assert_complete_and_consistent(site, db_path)
    seen = len(site.request_log())
    second = run_newsmon_in(tmp_path / "data", *crawl_args("--outlet", OUTLET), db_url=db_url, outlets=outlets)
    assert second.returncode == 0, second.stderr
    requests = [r for r in site.request_log()[seen:] if r.slug == OUTLET and r.path != "/robots.txt"]
    sources = {r.url for r in requests}
    assert sources == {*site_outlet_sources(outlets, OUTLET)}, "only the feeds and listing pages are asked for"
    assert {r.status for r in requests} == {304}
    assert all("If-None-Match" in r.headers or "If-Modified-Since" in r.headers for r in requests)
    runs = [(status, stored) for _, status, _, _, stored in runs_of(db_path, OUTLET)]
    assert runs == [("ok", len(expected_keys(site, OUTLET))), ("ok", 0)]
    assert runs_of(db_path, OUTLET)[1][3] == 0, "the second run fetched nothing"


def site_outlet_sources(outlets: Path, slug: str) -> list[str]:
    outlet = load_outlets(outlets, defaults=False)[slug]
    return [*outlet.feeds, *outlet.sitemaps, *(listing.url for listing in outlet.listings)]


def test_two_concurrent_runs_exactly_one_crawls(site: DemoSite, outlets: Path, db: tuple[str, Path],
                                                tmp_path: Path, slow: None) -> None:
    db_url, db_path = db
    data = tmp_path / "data"
    first = start_newsmon(*crawl_args("--outlet", OUTLET, *SLOW), db_url=db_url, outlets=outlets, data_dir=data,
                          output=tmp_path / "first.out")
    try:
        wait_for(lambda: lock_holder_pid(data, OUTLET) == first.pid, "the first run to take the lock")
        other_db = tmp_path / "other.db"
        second = run_newsmon_in(data, *crawl_args("--outlet", OUTLET), db_url=f"sqlite:///{other_db}", outlets=outlets)
        assert second.returncode == 75
        assert f"another newsmon run (pid {first.pid}, started " in second.stderr
        assert f"is crawling {OUTLET}" in second.stderr
        assert not other_db.exists(), "a refused run does not even open the database"
        assert first.wait(timeout=240) == 0
    finally:
        if first.poll() is None:
            stop(first)
    assert [status for _, status, *_ in runs_of(db_path, OUTLET)] == ["ok"]
    assert_complete_and_consistent(site, db_path)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "kill-9"])
def test_an_interrupted_crawl_leaves_a_consistent_database_and_the_next_run_completes_it(
        site: DemoSite, outlets: Path, db: tuple[str, Path], tmp_path: Path, slow: None, signum: int) -> None:
    db_url, db_path = db
    data = tmp_path / "data"
    seen = len(site.request_log())
    crawl = start_newsmon(*crawl_args("--outlet", OUTLET, *SLOW), db_url=db_url, outlets=outlets, data_dir=data,
                          output=tmp_path / "crawl.out")
    # One request at a time: when the third article is asked for, two have been fetched.
    wait_for(lambda: article_requests(site, OUTLET, seen) >= 3, "the crawl to fetch its first articles")
    # SIGTERM goes to the whole process group (as from systemd or a terminal): the extraction
    # workers ignore it and finish what the crawl hands them while it shuts down.
    status = stop(crawl, signum, group=signum == signal.SIGTERM)
    # Nothing of the crawl is left: no extraction worker outlives its crawl, even after kill -9.
    wait_for(lambda: not group_members(crawl.pid), "the crawl's worker processes to exit", timeout=30)
    stored = stored_keys(db_path, OUTLET)
    assert integrity(db_path) == "ok"
    assert len(stored) == len(set(stored))
    assert len(stored) < len(expected_keys(site, OUTLET)), "the crawl was interrupted mid-way"
    [(_, run_status, reason, *_)] = runs_of(db_path, OUTLET)
    if signum == signal.SIGTERM:
        assert status == 4, (tmp_path / "crawl.out").read_text()
        assert len(stored) >= 2, "articles fetched before the signal are extracted and stored"
        assert (run_status, reason) == ("interrupted", "shutdown")
        assert query(db_path, "SELECT count(*) FROM source_state") == [(0,)], \
            "an interrupted run keeps no validators: the next run reads the feeds again"
    else:
        assert status == -signal.SIGKILL
        assert run_status == "running"
    site.latency = 0.0
    following = run_newsmon_in(data, *crawl_args("--outlet", OUTLET), db_url=db_url, outlets=outlets)
    assert following.returncode == 0, following.stderr
    assert_complete_and_consistent(site, db_path)
    runs = runs_of(db_path, OUTLET)
    assert [status for _, status, *_ in runs] == ["interrupted", "ok"]
    if signum == signal.SIGKILL:
        assert runs[0][2] == "abandoned", "the killed run's row is closed by the next run"


def test_runs_lists_recent_runs_and_failures_with_their_rejected_urls(outlets: Path, db: tuple[str, Path],
                                                                       tmp_path: Path) -> None:
    db_url, db_path = db
    data = tmp_path / "data"
    assert run_newsmon_in(data, *crawl_args("--outlet", OUTLET), db_url=db_url, outlets=outlets).returncode == 0
    unreachable = run_newsmon_in(data, *crawl_args("--outlet", "deadoutlet"), db_url=db_url, outlets=outlets)
    assert unreachable.returncode == 3
    assert "deadoutlet: unreachable" in unreachable.stderr

    table = run_newsmon_in(data, "runs", db_url=db_url, outlets=outlets)
    assert table.returncode == 0
    header, *rows = table.stdout.splitlines()
    assert header.split()[:5] == ["id", "outlet", "started", "duration", "status"]
    assert [row.split()[1] for row in rows] == ["deadoutlet", OUTLET], "newest first"
    assert rows[0].split()[5] == "failed" and rows[1].split()[5] == "ok"

    listed = json.loads(run_newsmon_in(data, "runs", "--format", "json", "--outlet", OUTLET,
                                       db_url=db_url, outlets=outlets).stdout)
    assert [(r["outlet"], r["status"]) for r in listed] == [(OUTLET, "ok")]
    assert listed[0]["stored"] == len(stored_keys(db_path, OUTLET)) and listed[0]["duration_seconds"] > 0

    failed = json.loads(run_newsmon_in(data, "runs", "--failed", "--format", "json", db_url=db_url,
                                       outlets=outlets).stdout)
    assert [(r["outlet"], r["status"]) for r in failed] == [("deadoutlet", "failed")]
    assert failed[0]["error"]
    [rejected] = failed[0]["rejected"]
    assert rejected["url"].endswith("/feed/") and rejected["reason"]

    text = run_newsmon_in(data, "runs", "--failed", db_url=db_url, outlets=outlets).stdout
    assert "Rejected URLs of these runs" in text and rejected["url"] in text and rejected["reason"] in text
