"""The real crawler, end to end: `newsmon crawl` in a subprocess against the local
multi-outlet site (with its hostile corner), into a real SQLite file.

One full crawl per module; the tests read what it stored, what it rejected and why, and
what the site saw.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from crawler.demo import DemoSite
from crawler.demo.hostile import ENDLESS_LIST, LIST_PAGE_LIMIT, RATE_LIMITED, UNAVAILABLE
from storage.db import open_database, session_factory
from storage.models import Article, CrawlRun, Outlet, RejectedUrl
from storage.urls import url_key
from conftest import crawl_args, run_newsmon

REPO = Path(__file__).resolve().parents[1]
# Reasons the crawler may give for what the site calls by another name: a short "about us"
# page is a non-article whether it is caught by its layout or by its length.
ACCEPTED_REASONS = {"robots_txt": {"robots_disallowed"}, "not_article": {"not_article", "too_short"}}


@dataclass
class Crawl:
    site: DemoSite
    outlets: Path
    db_url: str
    db_path: Path
    result: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    tmp = tmp_path_factory.mktemp("e2e")
    with DemoSite() as site:
        outlets = site.write_outlets(tmp / "outlets.toml")
        db_path = tmp / "crawl.db"
        db_url = f"sqlite:///{db_path}"
        result = run_newsmon(*crawl_args(), db_url=db_url, outlets=outlets)
        yield Crawl(site, outlets, db_url, db_path, result)


def stored_by_key(db_url: str) -> dict[str, Article]:
    with session_factory(open_database(db_url))() as session:
        return {a.url_key: a for a in session.scalars(select(Article))}


def rejections(db_url: str) -> dict[str, RejectedUrl]:
    with session_factory(open_database(db_url))() as session:
        return {r.url_key: r for r in session.scalars(select(RejectedUrl))}


def test_crawl_exits_zero_without_tracebacks(crawl: Crawl) -> None:
    assert crawl.result.returncode == 0, crawl.result.stderr
    assert "Traceback" not in crawl.result.stderr + crawl.result.stdout


def test_every_good_article_is_stored_with_its_text(crawl: Crawl) -> None:
    stored = stored_by_key(crawl.db_url)
    articles = [e for e in crawl.site.expected if e.kind == "article"]
    assert len(articles) >= 60
    missing = [e.url for e in articles if url_key(e.url) not in stored and not e.url.endswith("/amp")]
    assert missing == []
    for expected in articles:
        article = stored[url_key(expected.url)]
        if expected.title:
            assert article.title == expected.title, expected.url
        if expected.first_sentence:
            assert expected.first_sentence in article.text, expected.url
        if expected.last_sentence:
            assert expected.last_sentence in article.text, expected.url
        assert "\x00" not in article.text and "\ufffd" not in article.text[:200]
        assert article.published_at is None or article.published_at.utcoffset().total_seconds() == 0
        assert article.word_count > 40 and len(article.content_hash) == 64


def test_non_articles_hostile_and_irrelevant_pages_are_recorded_with_their_reason(crawl: Crawl) -> None:
    stored = stored_by_key(crawl.db_url)
    rejected = rejections(crawl.db_url)
    for expected in crawl.site.expected:
        if expected.kind == "article":
            continue
        key = url_key(expected.url)
        assert key not in stored, expected.url
        assert key in rejected, f"{expected.url} ({expected.kind}) was not recorded"
        assert rejected[key].reason in ACCEPTED_REASONS.get(expected.reason, {expected.reason}), expected.url


def test_robots_txt_is_obeyed(crawl: Crawl) -> None:
    disallowed = [e for e in crawl.site.expected if e.kind == "disallowed"]
    assert disallowed
    for page in disallowed:
        assert crawl.site.hits(page.url) == 0


def test_retry_after_is_honoured(crawl: Crawl) -> None:
    for path in (RATE_LIMITED, UNAVAILABLE):
        times = [r.at for r in crawl.site.records(crawl.site.url("hostile", path))]
        assert len(times) == 2, path
        assert times[1] - times[0] >= 1.5, f"{path} retried {times[1] - times[0]:.2f}s after the 429/503"


def test_endless_pagination_is_bounded_by_the_page_limit(crawl: Crawl) -> None:
    pages = [r for r in crawl.site.request_log() if r.slug == "hostile" and r.path.startswith(ENDLESS_LIST)]
    assert 1 <= len(pages) <= LIST_PAGE_LIMIT


def test_arabic_pages_keep_their_script(crawl: Crawl) -> None:
    stored = stored_by_key(crawl.db_url)
    arabic = [a for a in stored.values() if a.language == "ar"]
    assert len(arabic) >= 10
    for article in arabic:
        letters = [c for c in article.text if c.isalpha()]
        assert sum("\u0600" <= c <= "\u06ff" for c in letters) / len(letters) > 0.9, article.url


def test_runs_are_recorded_per_outlet(crawl: Crawl) -> None:
    with session_factory(open_database(crawl.db_url))() as session:
        runs = {r.outlet_slug: r for r in session.scalars(select(CrawlRun))}
        outlets = set(session.scalars(select(Outlet.slug)))
    assert set(runs) == {o for o in outlets}
    assert runs["hostile"].status == "partial" and runs["hostile"].failed >= 6
    for slug in ("libyaherald", "libyaobserver", "alwasat"):
        assert runs[slug].status == "ok"
        assert runs[slug].stored > 0 and runs[slug].finished_at is not None


def test_database_integrity(crawl: Crawl) -> None:
    with sqlite3.connect(crawl.db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        dupes = conn.execute("SELECT url_key, COUNT(*) FROM article GROUP BY url_key HAVING COUNT(*) > 1").fetchall()
        assert dupes == []


def test_second_run_fetches_nothing_known_and_gets_304_for_feeds(crawl: Crawl) -> None:
    site = crawl.site
    before = len(site.request_log())
    result = run_newsmon(*crawl_args("--outlet", "libyaherald", "--outlet", "aljazeera"), db_url=crawl.db_url, outlets=crawl.outlets)
    assert result.returncode == 0, result.stderr
    new = site.request_log()[before:]
    article_urls = {e.url for e in site.expected if e.outlet in ("libyaherald", "aljazeera")}
    assert not [r.url for r in new if r.url in article_urls]
    sources = [r for r in new if r.path.startswith(("/feed", "/xml/rss", "/sitemap"))]
    assert sources and all(r.status == 304 for r in sources)


def test_refresh_updates_revised_articles_in_place(crawl: Crawl) -> None:
    site = crawl.site
    revised = site.publish_revisions()
    assert revised
    count_before = len(stored_by_key(crawl.db_url))
    result = run_newsmon(*crawl_args("--refresh"), db_url=crawl.db_url, outlets=crawl.outlets)
    assert result.returncode == 0, result.stderr
    stored = stored_by_key(crawl.db_url)
    assert len(stored) == count_before
    for url in revised:
        assert site.revisions[url] in stored[url_key(url)].text


def test_export_formats(crawl: Crawl) -> None:
    jsonl = run_newsmon("export", "--format", "jsonl", "--outlet", "alwasat", db_url=crawl.db_url, outlets=crawl.outlets)
    assert jsonl.returncode == 0, jsonl.stderr
    rows = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert len(rows) == 10 and {r["outlet"] for r in rows} == {"alwasat"}
    assert all(r["language"] == "ar" and r["published_at"].endswith("+00:00") for r in rows)
    csv_out = run_newsmon("export", "--format", "csv", "--since", "2000-01-01", db_url=crawl.db_url, outlets=crawl.outlets)
    assert csv_out.returncode == 0
    assert csv_out.stdout.splitlines()[0].startswith("id,url,canonical_url,outlet,title")
    bad = run_newsmon("export", "--outlet", "nosuch", db_url=crawl.db_url, outlets=crawl.outlets)
    assert bad.returncode == 2 and "known outlets" in bad.stderr and "Traceback" not in bad.stderr


def test_scrapy_crawl_uses_the_same_pipeline(crawl: Crawl, tmp_path: Path) -> None:
    env = {"NEWSMON_DATABASE_URL": f"sqlite:///{tmp_path / 'scrapy.db'}", "NEWSMON_OUTLETS": str(crawl.outlets)}
    listed = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=REPO, capture_output=True, text=True,
                            env={**__import__("os").environ, **env}, timeout=60)
    assert {"libyaherald", "alwasat", "hostile"} <= set(listed.stdout.split())
    args = [sys.executable, "-m", "scrapy", "crawl", "libyaobserver", "-a", "max_articles=3",
            "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "NEWSMON_EXTRACT_WORKERS=1"]
    result = subprocess.run(args, cwd=REPO, capture_output=True, text=True, env={**__import__("os").environ, **env}, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    with session_factory(open_database(env["NEWSMON_DATABASE_URL"]))() as session:
        rows = session.execute(select(Outlet.slug, Article.url).join(Article, Article.outlet_id == Outlet.id)).all()
        run = session.scalars(select(CrawlRun)).one()
    assert run.outlet_slug == "libyaobserver" and run.fetched == 3, rows
    assert 1 <= len(rows) <= 3 and {slug for slug, _ in rows} == {"libyaobserver"}, rows


def test_since_skips_older_articles(crawl: Crawl, tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'since.db'}"
    dated = sorted(e.published_at for e in crawl.site.expected if e.outlet == "aljazeera" and e.kind == "article" and e.published_at)
    cutoff = dated[len(dated) // 2].date()
    result = run_newsmon(*crawl_args("--outlet", "aljazeera", "--since", cutoff.isoformat()), db_url=db_url, outlets=crawl.outlets)
    assert result.returncode == 0, result.stderr
    stored = stored_by_key(db_url)
    assert stored and all(a.published_at.date() >= cutoff for a in stored.values())
