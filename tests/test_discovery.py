"""Discovery parsers on recorded feed and sitemap bodies, including broken ones."""

from __future__ import annotations

import gzip
from datetime import datetime, timezone

from scrapy.http import HtmlResponse

from crawler.discovery.dates import parse_date
from crawler.discovery.feeds import parse_feed
from crawler.discovery.listings import article_links, next_page_link
from crawler.discovery.sitemaps import parse_sitemap

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Libya Herald</title>
<item><title>Dbeibah meets UNSMIL envoy</title><link>https://libyaherald.com/2026/11/dbeibah-unsmil/</link>
<pubDate>Mon, 23 Nov 2026 14:05:00 +0200</pubDate><guid isPermaLink="false">lh-1</guid></item>
<item><title>NOC output</title><link>https://libyaherald.com/2026/11/noc-output/</link>
<pubDate>Sun, 22 Nov 2026 09:00:00 GMT</pubDate></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
<entry><title>A</title><link rel="alternate" href="/news/a"/><link rel="enclosure" href="/img/a.jpg"/>
<published>2026-11-20T10:00:00+01:00</published></entry></feed>"""

BROKEN_RSS = b"""<?xml version="1.0"?><rss><channel><title>Broken & unescaped
<item><title>Bad one</title><link>javascript:alert(1)</link></item>
<item><title>Unclosed <b>tag</title><link>https://x.ly/news/first-good</link><pubDate>Sat, 21 Nov 2026 08:00:00 GMT</pubDate></item>
<item><title>broken<<<</title><link>https://x.ly/news/broken</link>
<item><title>Second good</title><link>https://x.ly/news/second-good</link></item>
</channel>"""


def test_rss_items_with_dates_in_utc() -> None:
    items = parse_feed(RSS, "https://libyaherald.com/feed/")
    assert [i.url for i in items] == ["https://libyaherald.com/2026/11/dbeibah-unsmil/", "https://libyaherald.com/2026/11/noc-output/"]
    assert items[0].published_at == datetime(2026, 11, 23, 12, 5, tzinfo=timezone.utc)
    assert items[0].title == "Dbeibah meets UNSMIL envoy"


def test_atom_alternate_links_resolved() -> None:
    items = parse_feed(ATOM, "https://www.middleeasteye.net/rss")
    assert [i.url for i in items] == ["https://www.middleeasteye.net/news/a"]
    assert items[0].published_at == datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def test_broken_feed_keeps_valid_items_and_drops_javascript_links() -> None:
    urls = [i.url for i in parse_feed(BROKEN_RSS, "https://x.ly/rss")]
    assert "https://x.ly/news/first-good" in urls
    assert "https://x.ly/news/second-good" in urls
    assert not any(u.startswith("javascript") for u in urls)


def test_garbage_feed_is_empty_not_an_error() -> None:
    assert parse_feed(b"\x89PNG\r\n\x1a\n\x00\x00garbage", "https://x.ly/rss") == []
    assert parse_feed(b"", "https://x.ly/rss") == []


NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://www.aljazeera.com/news/2026/11/23/libya-talks</loc>
<news:news><news:publication><news:name>Al Jazeera</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2026-11-23T08:30:00+03:00</news:publication_date><news:title>Libya talks</news:title></news:news></url>
<url><loc>https://www.aljazeera.com/news/2026/11/22/gaza</loc><lastmod>2026-11-22</lastmod></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://www.aljazeera.com/sitemap.xml?yyyy=2026&amp;mm=11&amp;dd=23</loc><lastmod>2026-11-23T10:00:00Z</lastmod></sitemap>
<sitemap><loc>/sitemaps/old.xml</loc></sitemap></sitemapindex>"""


def test_news_sitemap_publication_dates_and_titles() -> None:
    page = parse_sitemap(NEWS_SITEMAP, "https://www.aljazeera.com/sitemap.xml")
    assert page.children == []
    first, second = page.articles
    assert first.published_at == datetime(2026, 11, 23, 5, 30, tzinfo=timezone.utc)
    assert first.title == "Libya talks"
    assert second.published_at == datetime(2026, 11, 22, tzinfo=timezone.utc)


def test_sitemap_index_children_and_gzip() -> None:
    page = parse_sitemap(gzip.compress(INDEX), "https://www.aljazeera.com/sitemap.xml")
    assert [u for u, _ in page.children] == [
        "https://www.aljazeera.com/sitemap.xml?yyyy=2026&mm=11&dd=23",
        "https://www.aljazeera.com/sitemaps/old.xml",
    ]
    assert page.children[0][1] == datetime(2026, 11, 23, 10, tzinfo=timezone.utc)


def test_malformed_sitemap_keeps_good_urls() -> None:
    body = b"""<urlset><url><loc>https://x.ly/news/a</loc></url><url><loc>https://x.ly/news/b</loc><lastmod>bad date<</lastmod></url>
    <url><loc>https://x.ly/news/c</loc></url><url><loc>javascript:void(0)</loc></url>"""
    urls = [a.url for a in parse_sitemap(body, "https://x.ly/sitemap.xml").articles]
    assert "https://x.ly/news/a" in urls and "https://x.ly/news/c" in urls
    assert not any(u.startswith("javascript") for u in urls)


def test_listing_links_filtered_by_pattern_and_next_page() -> None:
    html = b"""<html><head><link rel="next" href="/news?page=1"></head><body>
    <a href="/news/haftar-visits-cairo">Haftar visits Cairo</a><a href="/news/haftar-visits-cairo#comments">c</a>
    <a href="/tag/libya">tag</a><a href="javascript:void(0)">js</a><a href="https://other.com/news/x">x</a>
    <a href="/news/noc-lifts-force-majeure">NOC</a></body></html>"""
    response = HtmlResponse("https://libyaobserver.ly/news", body=html)
    links = article_links(response, lambda u: u.startswith("https://libyaobserver.ly/news/"))
    assert [link.url for link in links] == ["https://libyaobserver.ly/news/haftar-visits-cairo", "https://libyaobserver.ly/news/noc-lifts-force-majeure"]
    assert links[0].title == "Haftar visits Cairo"
    assert next_page_link(response) == "https://libyaobserver.ly/news?page=1"


def test_lenient_dates() -> None:
    assert parse_date("2024-10-18T23:05:21 +0100") == datetime(2024, 10, 18, 22, 5, 21, tzinfo=timezone.utc)
    assert parse_date("2026-11-23") == datetime(2026, 11, 23, tzinfo=timezone.utc)
    assert parse_date("not a date") is None
    assert parse_date(None) is None
