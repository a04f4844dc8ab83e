"""The query commands on a database the real crawler filled (the reference ``newsmon crawl``
of the local multi-outlet site, tests/services.py): search, listings, stories and stats
checked against the site's ground truth and against the stored rows."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select, text

from crawler.demo import ExpectedPage
from querydb import newsmon
from services import Reference
from storage.db import open_database, session_factory
from storage.models import Article, Outlet
from storage.query import articles
from storage.search import search_index_in_step
from storage.urls import url_key

_WORD = re.compile(r"[^\W_]+")


@dataclass
class Crawled:
    db_url: str
    expected: list[ExpectedPage]


@pytest.fixture(scope="module")
def crawled(reference: Reference) -> Crawled:
    """The reference crawl of the local site (tests/services.py), read only."""
    return Crawled(f"sqlite:///{reference.db_path}", [e for e in reference.site.expected if e.kind == "article"])


def test_every_crawled_article_is_found_by_its_first_words(crawled: Crawled) -> None:
    engine = open_database(crawled.db_url)
    checked = 0
    for page in crawled.expected:
        words = _WORD.findall(page.first_sentence or "")[:7]
        if len(words) < 4:
            continue
        found = articles(engine, search='"' + " ".join(words) + '"', limit=0)
        keys = {url_key(row.url) for row in found}
        assert url_key(page.url) in keys or page.url.endswith("/amp"), (page.url, words)
        checked += 1
    assert checked >= 60
    with engine.begin() as connection:
        assert search_index_in_step(connection)
    engine.dispose()


def test_listings_stories_and_stats_agree_with_the_rows(crawled: Crawled) -> None:
    engine = open_database(crawled.db_url)
    with session_factory(engine)() as session:
        total = session.scalar(select(func.count()).select_from(Article))
        copies = session.scalar(select(func.count()).select_from(Article).where(Article.original_id.is_not(None)))
        per_outlet = dict(session.execute(
            select(Outlet.slug, func.count()).join(Article, Article.outlet_id == Outlet.id).group_by(Outlet.slug)).all())
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM story_copies")) == copies
    engine.dispose()
    assert total >= len(crawled.expected) - 5 and copies >= 1

    listed = json.loads(newsmon(crawled.db_url, "articles", "--limit", "0", "--format", "json").stdout)
    assert len(listed) == total
    originals = json.loads(newsmon(crawled.db_url, "articles", "--originals-only", "--limit", "0", "--format", "json").stdout)
    assert len(originals) == total - copies
    assert sum(row["copies"] for row in originals) == copies
    for slug, count in per_outlet.items():
        rows = newsmon(crawled.db_url, "articles", "-o", slug, "-n", "0", "--format", "jsonl").stdout.splitlines()
        assert len(rows) == count, slug

    stats = json.loads(newsmon(crawled.db_url, "stats", "--by", "day", "--format", "json").stdout)
    assert {o["outlet"]: o["articles"] for o in stats["outlets"]} == per_outlet
    assert sum(flow["copies"] for flow in stats["flows"]) == copies
    assert sum(sum(series) for series in stats["articles"].values()) == total - sum(o["undated"] for o in stats["outlets"])

    copy = next(row for row in listed if row["original_id"] is not None)
    shown = newsmon(crawled.db_url, "show", copy["url"])
    assert shown.exit_code == 0 and "Original (this article is a copy)" in shown.output
    detail = json.loads(newsmon(crawled.db_url, "show", copy["url"], "--format", "json").stdout)
    assert detail["id"] == copy["id"] and detail["original"]["id"] == copy["original_id"]
