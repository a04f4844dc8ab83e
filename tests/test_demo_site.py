"""The local demo site itself, checked with urllib and http.client against its ground truth.

These tests use their own :class:`DemoSite` (not the session ``site`` fixture): they use
up the one-time 429/503 answers and publish revisions, which crawl tests must still see.
"""

from __future__ import annotations

import gzip
import html
import http.client
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser
from xml.etree import ElementTree

import pytest

from crawler.demo import DemoSite, ExpectedPage
from crawler.demo import hostile as trap
from crawler.outlets import OutletConfig, load_outlets

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9",
      "atom": "http://www.w3.org/2005/Atom"}
USER_AGENT = "newsmon/0.1 (+https://github.com/newsmon/newsmon; news monitoring for research)"
HREF = re.compile(r'<a\s[^>]*?href="([^"]+)"')  # anchors, as the listing parser reads them
STORY_KINDS = ("article", "irrelevant")


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoSite]:
    with DemoSite() as site:
        yield site


@pytest.fixture(scope="module")
def outlets(demo: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> dict[str, OutletConfig]:
    path = demo.write_outlets(tmp_path_factory.mktemp("demo") / "outlets.toml")
    return load_outlets([path], defaults=False)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def raw_get(url: str, method: str = "GET") -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    """A request whose body the caller reads (or not): for the traps, which must not be downloaded."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""))
    return connection, connection.getresponse()


def page_text(body: bytes, encoding: str = "utf-8") -> str:
    return html.unescape(body.decode(encoding))


def links(body: bytes, base: str) -> set[str]:
    return {base + u if u.startswith("/") else u for u in map(html.unescape, HREF.findall(body.decode("utf-8")))}


def feed_links(body: bytes) -> set[str]:
    root = ElementTree.fromstring(body)
    rss = {item.findtext("link") for item in root.iter("item")}
    atom = {link.get("href") for entry in root.iter(f"{{{NS['atom']}}}entry") for link in entry.iter(f"{{{NS['atom']}}}link")}
    return {u for u in rss | atom if u}


def sitemap_links(url: str) -> set[str]:
    root = ElementTree.fromstring(fetch(url)[2])
    if root.tag == f"{{{NS['sm']}}}sitemapindex":
        return set().union(*(sitemap_links(loc.text or "") for loc in root.iterfind("sm:sitemap/sm:loc", NS)))
    assert root.findall("sm:url/news:news/news:publication_date", NS), url
    return {loc.text or "" for loc in root.iterfind("sm:url/sm:loc", NS)}


def expected_of(demo: DemoSite, outlet: str, kinds: tuple[str, ...] | None = None) -> list[ExpectedPage]:
    return [p for p in demo.expected if p.outlet == outlet and (kinds is None or p.kind in kinds)]


def only(demo: DemoSite, path: str) -> ExpectedPage:
    return next(p for p in demo.expected if p.url == demo.url("hostile", path))


# --- configuration and ground truth -----------------------------------------------------------

def test_outlet_file_loads_and_points_every_outlet_at_the_local_site(demo: DemoSite, outlets: dict[str, OutletConfig]) -> None:
    assert set(outlets) == set(demo.base_urls) == {
        "middleeasteye", "libyanexpress", "libyaobserver", "libyaherald", "libyareview", "aljazeera", "alwasat", "hostile"}
    for slug, outlet in outlets.items():
        urls = [outlet.home, *outlet.feeds, *outlet.sitemaps, *(li.url for li in outlet.listings)]
        assert all(u.startswith(demo.base_urls[slug] + "/") for u in urls), slug
        assert outlet.domains == ("127.0.0.1",)
    assert {o.scope for s, o in outlets.items() if s in ("middleeasteye", "aljazeera")} == {"filter"}
    merged = load_outlets([outlets["hostile"].source_file])  # over the shipped outlets, key by key
    for outlet in merged.values():
        urls = [outlet.home, *outlet.feeds, *outlet.sitemaps, *(li.url for li in outlet.listings)]
        assert all(u.startswith("http://127.0.0.1:") for u in urls), outlet.slug


def test_every_expected_url_matches_its_outlets_article_pattern(demo: DemoSite, outlets: dict[str, OutletConfig]) -> None:
    for page in demo.expected:
        assert outlets[page.outlet].is_article_url(page.url), page.url
        for other in outlets.values():
            if other.slug != page.outlet:
                assert not other.is_article_url(page.url)


def test_ground_truth_covers_every_kind(demo: DemoSite) -> None:
    kinds = Counter(p.kind for p in demo.expected)
    assert kinds["article"] >= 7 * 8 and kinds["irrelevant"] >= 4 and kinds["non_article"] >= 4
    assert kinds["disallowed"] == 1 and kinds["hostile"] == len(trap.REJECTED)
    for page in demo.expected:
        stored = page.kind == "article"
        assert (page.reason is None) == stored, page
        if page.kind in STORY_KINDS:
            assert page.title and page.first_sentence and page.last_sentence and page.story
            assert page.published_at is not None and page.published_at.tzinfo is not None
            assert page.relevant is (page.kind == "article")
    assert len({p.url for p in demo.expected}) == len(demo.expected)


def test_copies_share_a_story_key_and_same_event_reports_do_not(demo: DemoSite) -> None:
    stories: dict[str, list[ExpectedPage]] = {}
    for page in demo.expected:
        if page.story:
            stories.setdefault(page.story, []).append(page)
    repost = stories["exclusive-jufra-drones"]
    assert sorted(p.outlet for p in repost) == ["libyanexpress", "middleeasteye"]
    original, copy = sorted(repost, key=lambda p: p.published_at)  # type: ignore[arg-type,return-value]
    assert original.outlet == "middleeasteye" and copy.title.endswith("Middle East Eye reported")  # type: ignore[union-attr]
    assert sorted(p.outlet for p in stories["wire-zawiya-refinery"]) == ["aljazeera", "libyaherald", "libyareview"]
    amp = [p for p in demo.expected if p.url.endswith("/amp")]
    assert len(amp) == 1 and len(stories[amp[0].story]) == 2  # type: ignore[index]
    assert len(stories["sharara-restart-libyaobserver"]) == len(stories["sharara-restart-libyaherald"]) == 1


def test_same_seed_same_site_other_seed_other_news() -> None:
    with DemoSite(hostile=False) as a, DemoSite(hostile=False) as b, DemoSite(hostile=False, seed=1) as c:
        def shape(site: DemoSite) -> list[tuple[str, str | None, str | None]]:
            return [(urlsplit(p.url).path, p.title, p.first_sentence) for p in site.expected]
        assert shape(a) == shape(b)
        assert shape(a) != shape(c)


# --- serving --------------------------------------------------------------------------------------

def test_every_outlet_serves_robots_txt(demo: DemoSite) -> None:
    for slug, base in demo.base_urls.items():
        status, headers, body = fetch(base + "/robots.txt")
        assert status == 200 and headers["Content-Type"].startswith("text/plain"), slug
        assert b"User-agent: *" in body


def test_disallowed_page_is_blocked_by_robots_and_never_requested(demo: DemoSite) -> None:
    (blocked,) = [p for p in demo.expected if p.kind == "disallowed"]
    robots = RobotFileParser(demo.base_urls[blocked.outlet] + "/robots.txt")
    robots.read()
    assert not robots.can_fetch(USER_AGENT, blocked.url)
    assert all(robots.can_fetch(USER_AGENT, p.url) for p in expected_of(demo, blocked.outlet) if p.kind != "disallowed")
    assert demo.hits(blocked.url) == 0


def test_feeds_and_sitemaps_are_xml_and_list_expected_pages(demo: DemoSite, outlets: dict[str, OutletConfig]) -> None:
    for slug, outlet in outlets.items():
        if slug == "hostile":
            continue
        expected = {p.url for p in expected_of(demo, slug)}
        for url in outlet.feeds:
            status, headers, body = fetch(url)
            assert status == 200 and "xml" in headers["Content-Type"]
            found = feed_links(body)
            assert found and found <= expected, url
        for url in outlet.sitemaps:
            found = sitemap_links(url)
            assert found and found <= expected


def test_listings_paginate_and_link_only_known_pages(demo: DemoSite, outlets: dict[str, OutletConfig]) -> None:
    paginated = 0
    for slug, outlet in outlets.items():
        if slug == "hostile":
            continue
        expected = {p.url for p in expected_of(demo, slug)}
        for listing in outlet.listings:
            for number in range(1, listing.pages + 1):
                status, _, body = fetch(listing.page_url(number))
                assert status == 200
                found = {u for u in links(body, demo.base_urls[slug]) if outlet.is_article_url(u)}
                assert found and found <= expected, listing.page_url(number)
                has_next = b'rel="next"' in body
                assert has_next == (number < listing.pages), listing.page_url(number)
            paginated += listing.pages > 1
    assert paginated >= 6


def test_a_crawl_of_the_configured_sources_finds_exactly_the_ground_truth(demo: DemoSite, outlets: dict[str, OutletConfig]) -> None:
    for slug, outlet in outlets.items():
        if slug == "hostile":
            continue
        found: set[str] = set()
        for url in outlet.feeds:
            found |= feed_links(fetch(url)[2])
        for url in outlet.sitemaps:
            found |= sitemap_links(url)
        for listing in outlet.listings:
            for number in range(1, listing.pages + 1):
                found |= links(fetch(listing.page_url(number))[2], demo.base_urls[slug])
        assert {u for u in found if outlet.is_article_url(u)} == {p.url for p in expected_of(demo, slug)}, slug


def test_every_expected_page_is_a_real_looking_html_page_with_its_text(demo: DemoSite) -> None:
    for page in demo.expected:
        if page.outlet == "hostile" or page.kind not in STORY_KINDS + ("non_article",):
            continue
        status, headers, body = fetch(page.url)
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        text = page_text(body)
        assert text.lstrip().lower().startswith("<!doctype html")
        assert page.title and page.title in text
        if page.kind == "non_article":
            continue
        assert page.first_sentence in text and page.last_sentence in text, page.url
        assert '"@type": "NewsArticle"' in text and 'rel="canonical"' in text
        if not page.url.endswith("/amp"):
            assert 'property="og:title"' in text and 'property="article:published_time"' in text
            assert 30_000 <= len(body) <= 150_000, (page.url, len(body))


def test_amp_twin_points_to_its_canonical_page(demo: DemoSite) -> None:
    (amp,) = [p for p in demo.expected if p.url.endswith("/amp")]
    main = amp.url.removesuffix("/amp")
    assert f'<link rel="canonical" href="{main}">' in fetch(amp.url)[2].decode()
    assert f'<link rel="amphtml" href="{amp.url}">' in fetch(main)[2].decode()


def test_arabic_outlet_declares_utf8_and_is_arabic(demo: DemoSite) -> None:
    page = expected_of(demo, "alwasat", ("article",))[0]
    status, headers, body = fetch(page.url)
    assert headers["Content-Type"] == "text/html; charset=utf-8" and b'<meta charset="utf-8">' in body
    assert '<html lang="ar" dir="rtl">' in body.decode()
    assert re.search("[\u0600-\u06ff]{3,}", page.first_sentence or "")


def test_conditional_requests_answer_304(demo: DemoSite, outlets: dict[str, OutletConfig]) -> None:
    sources = [u for o in outlets.values() if o.slug != "hostile" for u in (*o.feeds, *o.sitemaps)]
    assert len(sources) >= 8
    for url in sources:
        status, headers, _ = fetch(url)
        assert status == 200 and headers["ETag"] and headers["Last-Modified"]
        assert fetch(url, {"If-None-Match": headers["ETag"]})[0] == 304
        assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
        assert fetch(url, {"If-None-Match": '"stale"'})[0] == 200
    article = expected_of(demo, "libyaherald", ("article",))[0].url
    _, headers, _ = fetch(article)
    assert fetch(article, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert fetch(article, {"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})[0] == 200


def test_gzip_when_asked_with_the_same_validators(demo: DemoSite) -> None:
    url = demo.url("libyanexpress", "/feed/")
    _, plain_headers, plain = fetch(url)
    status, headers, packed = fetch(url, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip" and gzip.decompress(packed) == plain
    assert fetch(url, {"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(url, {"If-None-Match": plain_headers["ETag"], "Accept-Encoding": "gzip"})[0] == 304


def test_hits_and_request_log(demo: DemoSite) -> None:
    url = demo.url("alwasat", "/section/libya?page=2")
    before = demo.hits(url)
    fetch(url, {"If-None-Match": '"x"'})
    assert demo.hits(url) == before + 1
    last = list(demo.records(url))[-1]
    assert (last.slug, last.method, last.path, last.status) == ("alwasat", "GET", "/section/libya?page=2", 200)
    assert last.headers["User-Agent"] == USER_AGENT and last.headers["If-None-Match"] == '"x"'
    assert demo.hits("/section/libya?page=2") == demo.hits(url)


def test_many_concurrent_clients_and_keep_alive(demo: DemoSite) -> None:
    urls = [p.url for p in demo.expected if p.kind in STORY_KINDS and p.outlet != "hostile"] * 2
    with ThreadPoolExecutor(max_workers=40) as pool:
        assert set(pool.map(lambda u: fetch(u)[0], urls)) == {200}
    parts = urlsplit(demo.base_urls["libyareview"])
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    for _ in range(5):
        connection.request("GET", "/feed/")
        response = connection.getresponse()
        assert response.status == 200 and response.read()
    connection.close()


def test_revised_article_changes_in_place(demo: DemoSite) -> None:
    (url, note), = demo.revisions.items()
    _, before_headers, before = fetch(url)
    assert note not in page_text(before)
    assert demo.publish_revisions() == [url]
    _, after_headers, after = fetch(url)
    page = next(p for p in demo.expected if p.url == url)
    assert note in page_text(after) and page.first_sentence in page_text(after) and page.last_sentence in page_text(after)
    assert parsedate_to_datetime(after_headers["Last-Modified"]) > parsedate_to_datetime(before_headers["Last-Modified"])


# --- the hostile corner ----------------------------------------------------------------------------

def test_hostile_feed_and_sitemap_are_broken_but_list_good_items(demo: DemoSite) -> None:
    for path, good in (("/feed.xml", trap.FEED_ITEMS), ("/sitemap.xml", trap.SITEMAP_ITEMS)):
        status, _, body = fetch(demo.url("hostile", path))
        assert status == 200
        with pytest.raises(ElementTree.ParseError):
            ElementTree.fromstring(body)
        assert b"javascript:" in body
        for item in good:
            assert demo.url("hostile", item).encode() in body
            assert only(demo, item).kind == "article"


def test_windows_1256_page_declares_no_charset(demo: DemoSite) -> None:
    page = only(demo, trap.ARABIC_CP1256)
    status, headers, body = fetch(page.url)
    assert status == 200 and headers["Content-Type"] == "text/html"
    assert b"charset" not in body.lower()
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = page_text(body, "cp1256")
    assert page.kind == "article" and page.first_sentence in text and page.last_sentence in text
    lying = only(demo, trap.ARABIC_MISLABELLED)
    _, headers, body = fetch(lying.url)
    assert headers["Content-Type"] == "text/html; charset=utf-8" and lying.first_sentence in page_text(body, "cp1256")


def test_page_with_nul_bytes_and_broken_utf8_still_has_its_text(demo: DemoSite) -> None:
    page = only(demo, trap.NUL_BYTES)
    body = fetch(page.url)[2]
    assert b"\x00" in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = html.unescape(body.decode("utf-8", errors="replace"))
    assert page.kind == "article" and page.first_sentence in text and page.last_sentence in text


@pytest.mark.parametrize(("path", "status"), [(trap.RATE_LIMITED, 429), (trap.UNAVAILABLE, 503)])
def test_retry_after_then_a_good_article(demo: DemoSite, path: str, status: int) -> None:
    page = only(demo, path)
    first_status, headers, _ = fetch(page.url)
    asked_at = time.time()
    assert first_status == status
    retry_after = headers["Retry-After"]
    if status == 429:
        assert retry_after == "2"
    else:
        ahead = parsedate_to_datetime(retry_after).timestamp() - asked_at
        assert 1 <= ahead <= 4
    second_status, _, body = fetch(page.url)
    assert second_status == 200 and page.kind == "article" and page.first_sentence in page_text(body)
    statuses = [r.status for r in demo.records(page.url)]
    assert statuses == [status, 200]
    first, second = demo.records(page.url)
    assert second.at >= first.at


def test_traps_answer_as_designed_without_being_downloaded(demo: DemoSite) -> None:
    reasons = {urlsplit(p.url).path: p.reason for p in demo.expected if p.kind == "hostile"}
    assert reasons == trap.REJECTED

    connection, response = raw_get(demo.url("hostile", trap.GZIP_BOMB))
    assert response.getheader("Content-Encoding") == "gzip"
    assert 500_000 < int(response.getheader("Content-Length")) < 5_000_000
    inflated = zlib.decompressobj(31).decompress(response.read(64 * 1024), 16 << 20)
    assert len(inflated) >= 8 << 20 and not inflated.strip(b"\0")
    connection.close()

    connection, response = raw_get(demo.url("hostile", trap.HUGE_PAGE), "HEAD")
    assert int(response.getheader("Content-Length")) >= 20 * 1024 * 1024
    connection.close()

    connection, response = raw_get(demo.url("hostile", trap.TARPIT))
    assert response.status == 200 and response.getheader("Content-Length") is None
    assert len(response.read(1)) == 1
    connection.close()

    for start, target in ((trap.LOOP_A, trap.LOOP_B), (trap.LOOP_B, trap.LOOP_A)):
        connection, response = raw_get(demo.url("hostile", start))
        assert response.status == 302 and response.getheader("Location") == demo.url("hostile", target)
        connection.close()

    connection, response = raw_get(demo.url("hostile", trap.SHORT_BODY))
    with pytest.raises(http.client.IncompleteRead):
        response.read()
    connection.close()

    for path, magic in ((trap.BINARY_PNG, b"\x89PNG"), (trap.BINARY_ZIP, b"PK\x03\x04")):
        status, headers, body = fetch(demo.url("hostile", path))
        assert status == 200 and headers["Content-Type"].startswith("text/html") and body.startswith(magic)

    assert [fetch(demo.url("hostile", trap.SERVER_ERROR))[0] for _ in range(3)] == [500, 500, 500]


def test_endless_pagination_only_a_page_limit_stops(demo: DemoSite, outlets: dict[str, OutletConfig]) -> None:
    listing = outlets["hostile"].listings[0]
    assert listing.pages == trap.LIST_PAGE_LIMIT
    first = fetch(listing.url)[2]
    listed = {u for u in links(first, demo.base_urls["hostile"]) if outlets["hostile"].is_article_url(u)}
    assert demo.url("hostile", trap.TARPIT) in listed and demo.url("hostile", trap.FEED_ITEMS[0]) not in listed
    for number in (2, 57, 1000):
        status, _, body = fetch(listing.page_url(number))
        assert status == 200 and f'rel="next" href="{demo.base_urls["hostile"]}/list?page={number + 1}"'.encode() in body


# --- size and the command line ---------------------------------------------------------------------

def test_scaled_site_has_at_least_n_articles_per_outlet(tmp_path: Path) -> None:
    with DemoSite(articles_per_outlet=150, hostile=False) as big:
        outlets = load_outlets([big.write_outlets(tmp_path / "big.toml")], defaults=False)
        per_outlet = Counter(p.outlet for p in big.expected if p.kind in STORY_KINDS)
        assert set(per_outlet) == set(big.base_urls) and min(per_outlet.values()) >= 150
        for slug, outlet in outlets.items():
            listing = outlet.listings[-1]
            if listing.pages > 1:
                assert fetch(listing.page_url(listing.pages))[0] == 200
        aljazeera = sitemap_links(outlets["aljazeera"].sitemaps[0])
        assert len(aljazeera) >= 150


def test_command_line_serves_until_interrupted(tmp_path: Path) -> None:
    target = tmp_path / "outlets.toml"
    process = subprocess.Popen([sys.executable, "-m", "crawler.demo", "--write-outlets", str(target), "--no-hostile"],
                               stdout=subprocess.PIPE, text=True)
    try:
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
        reader.start()
        deadline = time.monotonic() + 15
        while not any(line.startswith("serving") for line in lines) and time.monotonic() < deadline:
            time.sleep(0.05)
        base = next(line.split()[1] for line in lines if line.startswith("alwasat"))
        assert fetch(base + "robots.txt")[0] == 200
        assert f"outlet file: {target}\n" in lines and "alwasat" in load_outlets([target], defaults=False)
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
