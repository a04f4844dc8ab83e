"""The hostile corner: an outlet (slug ``hostile``) whose pages attack the crawler.

Every trap is an article-shaped URL listed on ``/list`` (whose pagination never ends),
so a crawl meets all of them: a tarpit, a gzip bomb, a redirect loop, a 20 MB page, a body
shorter than its Content-Length, binary files served as HTML, a URL that always fails with
500, 429/503 answers with Retry-After before a good article, an Arabic page in
windows-1256 without any charset declaration (and one whose header lies), a page with
NUL bytes and broken UTF-8, and a broken RSS feed and sitemap that still list good items.
"""

from __future__ import annotations

import io
import math
import re
import struct
import threading
import time
import zipfile
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import cache
from random import Random
from typing import BinaryIO

from crawler.demo import truth
from crawler.demo.content import DEMO_NOW, Newsroom, Story
from crawler.demo.layouts import WordPressLayout
from crawler.demo.layouts.parts import e
from crawler.demo.layouts.views import ListingView
from crawler.demo.responses import Document, Endpoint, Fixed, Redirect, Reply, Request, http_date
from crawler.demo.site import HTML, Entry, FeedSpec, ListingSpec, OutletSite, OutletSpec

TARPIT = "/news/slow-loris-report"
GZIP_BOMB = "/news/compressed-briefing"
LOOP_A, LOOP_B = "/news/loop-a", "/news/loop-b"
HUGE_PAGE = "/news/full-archive-dump"
RATE_LIMITED = "/news/rate-limited-report"
UNAVAILABLE = "/news/maintenance-window-report"
SHORT_BODY = "/news/truncated-dispatch"
BINARY_PNG = "/news/photo-of-the-day"
BINARY_ZIP = "/news/documents-bundle"
SERVER_ERROR = "/news/broken-backend"
ARABIC_CP1256 = "/news/arabic-legacy-encoding"
ARABIC_MISLABELLED = "/news/arabic-wrong-charset"
NUL_BYTES = "/news/corrupted-bytes-report"
FEED_ITEMS = ("/news/feed-survivor-one", "/news/feed-survivor-two")
SITEMAP_ITEMS = ("/news/sitemap-survivor-one", "/news/sitemap-survivor-two")
ENDLESS_LIST = "/list"
LIST_PAGE = re.compile(r"^/list\?page=(\d+)$")
LIST_PAGE_LIMIT = 3

HUGE_PAGE_BYTES = 20 * 1024 * 1024
BOMB_INFLATED_MIB = 1200
RETRY_AFTER_SECONDS = 2
DRIP_INTERVAL = 0.5

# Traps that must not be stored, with the reason the crawler should record.
REJECTED = {
    TARPIT: truth.TIMEOUT, GZIP_BOMB: truth.TOO_LARGE, LOOP_A: truth.REDIRECT_LOOP, HUGE_PAGE: truth.TOO_LARGE,
    SHORT_BODY: truth.DATA_LOSS, BINARY_PNG: truth.BINARY, BINARY_ZIP: truth.BINARY, SERVER_ERROR: truth.HTTP_500,
}


@cache
def gzip_bomb() -> bytes:
    """~1.2 MB of gzip that inflates to 1.2 GiB of zeros: one deflate stream, built in well under a second.

    After a full flush the compressor starts afresh, so compressing the next identical
    block yields identical bytes: one block is compressed and then repeated.
    """
    block = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(BOMB_INFLATED_MIB):
        crc = zlib.crc32(block, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, (BOMB_INFLATED_MIB << 20) & 0xFFFFFFFF)
    return header + first + repeat * (BOMB_INFLATED_MIB - 1) + tail + trailer


@cache
def huge_page() -> bytes:
    """A 20 MB HTML "article": one story's paragraphs repeated until the page is that big."""
    paragraph = ("<p>The archive below reproduces every statement issued by the ministry since 2014, "
                 "with the full text of each annex, table and correction, so that researchers can search it.</p>\n")
    head = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Full archive</title></head><body><article><h1>Full archive</h1>\n"
    tail = "</article></body></html>\n"
    count = math.ceil((HUGE_PAGE_BYTES - len(head) - len(tail)) / len(paragraph))
    return (head + paragraph * count + tail).encode()


@cache
def png_bytes() -> bytes:
    """A valid 160x120 PNG of noise (incompressible, like a photo)."""
    rng = Random("png")
    width, height = 160, 120
    raw = b"".join(b"\x00" + bytes(rng.getrandbits(8) for _ in range(width * 3)) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@cache
def zip_bytes() -> bytes:
    rng = Random("zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("statement.pdf", bytes(rng.getrandbits(8) for _ in range(30000)))
        archive.writestr("annex.xlsx", bytes(rng.getrandbits(8) for _ in range(20000)))
    return buffer.getvalue()


class Tarpit:
    """Sends headers, then one byte every half second until the client goes away (or the site stops)."""

    def respond(self, request: Request) -> Reply:
        return Reply(200, [("Content-Type", HTML)], stream=self._drip, close=True)

    @staticmethod
    def _drip(out: BinaryIO, stop: threading.Event) -> None:
        text = b"<!DOCTYPE html><html><head><title>Loading</title></head><body>" + b" " * 64
        position = 0
        while not stop.wait(DRIP_INTERVAL):
            out.write(text[position % len(text): position % len(text) + 1])
            out.flush()
            position += 1


class Truncated:
    """Announces the whole body's length, sends a third of it and closes the connection."""

    def __init__(self, body: bytes):
        self.body = body

    def respond(self, request: Request) -> Reply:
        return Reply(200, [("Content-Type", HTML)], self.body[: len(self.body) // 3], close=True, length=len(self.body))


class Raw:
    """Fixed bytes with fixed headers, whatever the request says (no negotiation, no 304).

    ``body`` may be a function, called on first use: the bomb and the huge page are built lazily.
    """

    def __init__(self, body: bytes | Callable[[], bytes], headers: tuple[tuple[str, str], ...]):
        self._body, self.headers = body, headers

    def respond(self, request: Request) -> Reply:
        body = self._body() if callable(self._body) else self._body
        return Reply(200, list(self.headers), body)


class FirstRequestFails:
    """Answers the first GET with ``status`` and Retry-After, every later request like ``then``."""

    def __init__(self, status: int, then: Endpoint, *, http_date_header: bool):
        self.status, self.then, self.http_date_header = status, then, http_date_header
        self._lock = threading.Lock()
        self._failed = False

    def respond(self, request: Request) -> Reply:
        with self._lock:
            fail = request.method == "GET" and not self._failed
            self._failed = self._failed or fail
        if not fail:
            return self.then.respond(request)
        if self.http_date_header:
            retry_at = datetime.fromtimestamp(math.ceil(time.time()) + RETRY_AFTER_SECONDS, tz=timezone.utc)
            retry_after = http_date(retry_at)
        else:
            retry_after = str(RETRY_AFTER_SECONDS)
        return Reply(self.status, [("Retry-After", retry_after), ("Content-Type", HTML)],
                     b"<html><body><h1>Please slow down</h1></body></html>")


def _corrupt(page: bytes) -> bytes:
    """NUL bytes and broken UTF-8 between paragraphs and in the page chrome, never inside a sentence."""
    page = page.replace(b"</p>\n<p>", b"</p>\x00\n\xff\xfe<p>", 4)
    page = page.replace(b"<body", b"\x00\x00<body", 1)
    page = page.replace(b"</header>", b"</header>\xc3\x28\xe2\x82\x00", 1)
    return page.replace(b"</footer>", b"\xed\xa0\x80\x00</footer>", 1)


def _legacy_arabic_page(story: Story) -> str:
    """An old Arabic news page with no charset anywhere: neither header nor meta."""
    paragraphs = "\n".join(f"<p>{e(p)}</p>" for p in story.paragraphs)
    return (f"<html dir=\"rtl\"><head><title>{e(story.title)}</title>"
            f"<meta name=\"description\" content=\"{e(story.standfirst)}\"></head>\n"
            f"<body><div class=\"header\"><a href=\"/\">الرئيسية</a> | <a href=\"/list\">الأخبار</a></div>\n"
            f"<div class=\"content\"><h1>{e(story.title)}</h1>\n<div class=\"date\">{story.published:%Y-%m-%d %H:%M}</div>\n"
            f"<div class=\"article-body\">\n{paragraphs}\n</div></div>\n"
            "<div class=\"footer\">جميع الحقوق محفوظة. محتوى تجريبي.</div></body></html>\n")


def _endless_listing(site: OutletSite, number: int) -> Endpoint:
    """Page ``number`` of a listing whose "next" link always exists: only a page limit stops a crawler."""
    teasers = tuple(en.teaser() for en in site.entries if en.in_listing) if number == 1 else ()
    view = ListingView("Latest", ENDLESS_LIST if number == 1 else f"{ENDLESS_LIST}?page={number}", "All the latest.",
                       teasers, page=number, prev_path=None if number == 1 else f"{ENDLESS_LIST}?page={number - 1}",
                       next_path=f"{ENDLESS_LIST}?page={number + 1}")
    return Document(lambda: site.spec.layout.listing(site.masthead, view), content_type=HTML, modified=DEMO_NOW)


def _broken_feed(site: OutletSite) -> bytes:
    """Unclosed tags, a stray ampersand, a javascript: link, and two items that are fine."""
    good = [en for en in site.entries if en.path in FEED_ITEMS]
    items = "".join(
        f"<item><title>{e(en.title)}</title><link>{site.url(en.path)}</link>"
        f"<pubDate>{http_date(en.published)}</pubDate><description>{e(en.summary)}</description></item>\n"
        for en in good
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Hostile & Co news</title>\n'
        f"<link>{site.url('/')}</link><description>Latest <b>news</description>\n"
        f"{items}"
        "<item><title>Click here</title><link>javascript:alert(document.cookie)</link><description>Not a page</item>\n"
        "<item><title>Unclosed<link></item>\n"
        "</channel>\n"
    ).encode()


def _broken_sitemap(site: OutletSite) -> bytes:
    urls = "".join(
        f"<url><loc>{site.url(path)}</loc><lastmod>{DEMO_NOW.date().isoformat()}</lastmod></url>\n" for path in SITEMAP_ITEMS
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}<url><loc>javascript:void(0)</loc></url>\n<url><loc>{site.url('/news/')}<lastmod>yesterday</url>\n"
        "<!-- generated by a plugin that crashed here"
    ).encode()


HOSTILE = OutletSpec(
    slug="hostile", name="Hostile Corner", language="en", scope="all",
    layout=WordPressLayout("hostile", comments=False),
    article_regex=r"/news/[a-z0-9-]+",
    path_for=lambda site, en: en.path,
    section_for=lambda en: ("News", "/list"),
    robots="User-agent: *\nDisallow: /private/\n",
    nav=(("Home", "/"), ("Latest", "/list")), topics=(), footer=(("About", "/about"),),
    tagline="Pages that fight back", twitter="hostile", founded=2020, utc_offset=timedelta(hours=-5),
    feeds=(FeedSpec("/feed.xml"),),
    listings=(ListingSpec(ENDLESS_LIST, ENDLESS_LIST + "?page={page}", 50, "Latest", "All the latest."),),
    first_id=100, id_step=1,
)


class HostileSite(OutletSite):
    """The hostile outlet: good articles behind traps, and the traps themselves."""

    def __init__(self, base_url: str, *, seed: int):
        super().__init__(HOSTILE, base_url, count=0, seed=seed)
        self._write_good_articles()

    def _write_good_articles(self) -> None:
        english = Newsroom(outlet=self.slug, outlet_name=self.spec.name, language="en", seed=self.seed)
        arabic = Newsroom(outlet=self.slug, outlet_name="«الموقع»", language="ar", seed=self.seed)
        good = {RATE_LIMITED: "politics", UNAVAILABLE: "oil", NUL_BYTES: "migration",
                FEED_ITEMS[0]: "derna", FEED_ITEMS[1]: "economy", SITEMAP_ITEMS[0]: "south", SITEMAP_ITEMS[1]: "military"}
        for index, (path, topic) in enumerate(good.items()):
            published = (DEMO_NOW - timedelta(hours=6 * (index + 1))).replace(microsecond=0)
            listed = path not in FEED_ITEMS + SITEMAP_ITEMS
            self.add(self.story_entry(english.write(topic, published, index=index), path=path,
                                      in_listing=listed, in_feed=False))
        for index, path in enumerate((ARABIC_CP1256, ARABIC_MISLABELLED), start=len(good)):
            published = (DEMO_NOW - timedelta(hours=6 * (index + 1))).replace(microsecond=0)
            for attempt in range(20):
                story = arabic.write("tripoli_clashes", published, index=index, attempt=attempt)
                if _encodable(story, "cp1256"):
                    break
            self.add(self.story_entry(story, path=path, in_feed=False))
        for path in REJECTED:
            self.add(Entry(kind="hostile", title=path.rsplit("/", 1)[-1], published=DEMO_NOW, path=path,
                           in_feed=False, reason=REJECTED[path]))

    def _entry_endpoint(self, entry: Entry) -> Endpoint:
        path = entry.path
        if path in REJECTED:
            return self._trap(path)
        if path in (ARABIC_CP1256, ARABIC_MISLABELLED):
            assert entry.story is not None
            body = _legacy_arabic_page(entry.story).encode("cp1256")
            content_type = "text/html" if path == ARABIC_CP1256 else "text/html; charset=utf-8"
            return Raw(body, (("Content-Type", content_type), ("Last-Modified", http_date(entry.story.modified))))
        if path == NUL_BYTES:
            page_bytes = self.spec.layout.article(self.masthead, self.article_view(entry)).encode()
            return Raw(_corrupt(page_bytes), (("Content-Type", HTML),))
        page = super()._entry_endpoint(entry)
        if path == RATE_LIMITED:
            return FirstRequestFails(429, page, http_date_header=False)
        if path == UNAVAILABLE:
            return FirstRequestFails(503, page, http_date_header=True)
        return page

    def _trap(self, path: str) -> Endpoint:
        if path == TARPIT:
            return Tarpit()
        if path == GZIP_BOMB:
            return Raw(gzip_bomb, (("Content-Type", HTML), ("Content-Encoding", "gzip")))
        if path == LOOP_A:
            return Redirect(self.url(LOOP_B), 302)
        if path == HUGE_PAGE:
            return Raw(huge_page, (("Content-Type", HTML),))
        if path == SHORT_BODY:
            return Truncated(self._short_body())
        if path == BINARY_PNG:
            return Raw(png_bytes(), (("Content-Type", HTML),))
        if path == BINARY_ZIP:
            return Raw(zip_bytes(), (("Content-Type", HTML),))
        return Fixed(500, b"<html><body><h1>Internal Server Error</h1></body></html>", (("Content-Type", HTML),))

    def _short_body(self) -> bytes:
        story = self.newsroom.write("politics", DEMO_NOW, index=99)
        view = self.article_view(Entry(kind="article", title=story.title, published=story.published, story=story,
                                       path=SHORT_BODY, section=("News", "/list")))
        return self.spec.layout.article(self.masthead, view).encode()

    def _feed(self, spec: FeedSpec) -> Endpoint:
        return Raw(_broken_feed(self), (("Content-Type", "application/rss+xml; charset=utf-8"),))

    def _listing_routes(self, spec: ListingSpec) -> dict[str, Endpoint]:
        return {ENDLESS_LIST: _endless_listing(self, 1)}

    def _build_routes(self) -> dict[str, Endpoint]:
        routes = super()._build_routes()
        routes[LOOP_B] = Redirect(self.url(LOOP_A), 302)
        routes["/sitemap.xml"] = Raw(_broken_sitemap(self), (("Content-Type", "application/xml"),))
        return routes

    def endpoint(self, path: str) -> Endpoint | None:
        match = LIST_PAGE.match(path)
        if match and int(match.group(1)) >= 1:
            return _endless_listing(self, int(match.group(1)))
        return super().endpoint(path)

    def listing_pages(self, spec: ListingSpec) -> int:
        return LIST_PAGE_LIMIT

    def sitemap_urls(self) -> list[str]:
        return [self.url("/sitemap.xml")]


def _encodable(story: Story, encoding: str) -> bool:
    try:
        _legacy_arabic_page(story).encode(encoding)
    except UnicodeEncodeError:
        return False
    return True
