"""End-to-end crawl speed and memory vs. trafilatura alone, measured in one run.

Serves the local demo site scaled to >= 1,000 article pages, then:

1. downloads every article page once and times plain ``trafilatura.extract`` on them in
   this process (one core): the "extraction alone" rate;
2. times newsmon's own ``extract_article`` the same way (what the pipeline runs per page);
3. runs ``newsmon crawl`` (fetch, extract in the process pool, classify, dedup, store into
   a fresh SQLite file) and times it from process start to exit, sampling the resident
   memory of the crawl process and its extraction workers;
4. repeats 3 on a smaller site, so peak memory can be compared as the page count grows.

The demo site's generated pages are light for trafilatura (a few ms each); real news
pages cost it more. ``--real-pages DIR`` runs the same measurement on real pages instead:
the gzipped pages of ``DIR`` (e.g. ../shared/extraction-dev/html) served round-robin under
``--pages`` URLs of one outlet, listed in a sitemap. Every round after the first rewrites
half the longer words of each page's text (same markup, same weight), so each URL is a
distinct article, as on a real site, rather than fifteen exact copies of one.

The crawl's CPU time is split between the crawl process (Scrapy, the reactor) and its
pool workers (extraction, storage), read from /proc, to show where the time goes.

Usage: python bench/crawl_speed.py [--per-outlet 150] [--small 40] [--real-pages DIR --pages 1100]
Writes bench/results/crawl_speed.md (or crawl_speed_real.md).
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import lxml.html
import trafilatura

from crawler.demo import DemoSite
from crawler.extraction import NotAnArticle, extract_article
from crawler.extraction.decoding import decode_html

RESULTS = Path(__file__).with_name("results")
CRAWL_SETTINGS = (
    "DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=0", "CONCURRENT_REQUESTS=32", "CONCURRENT_REQUESTS_PER_DOMAIN=32",
    "NEWSMON_PROGRESS_INTERVAL=0",
)


@dataclass
class CrawlResult:
    pages: int
    seconds: float
    stored: int
    peak_rss_mb: float
    crawl_cpu_s: float
    worker_cpu_s: float
    steady_pages_s: float


_TICKS = os.sysconf("SC_CLK_TCK")


def process_tree(root: int) -> dict[int, tuple[int, float]]:
    """Resident memory (KB) and CPU seconds of ``root`` and each of its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    usage: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/status") as fh:
                rss = next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        usage[int(entry)] = (rss, (int(fields[11]) + int(fields[12])) / _TICKS)
    tree, stack = {}, [root]
    while stack:
        pid = stack.pop()
        if pid in usage:
            tree[pid] = usage[pid]
        stack.extend(children.get(pid, []))
    return tree


_WORD = re.compile(r"\w{4,}")


def distinct_variant(body: bytes, round_: int) -> bytes:
    """``body`` with half its longer words swapped for other words of the same page, so
    each round is a different article of the same weight; round 0 is the page itself."""
    if round_ == 0:
        return body
    tree = lxml.html.document_fromstring(decode_html(body, None))
    rnd = random.Random(round_)
    vocabulary = _WORD.findall(tree.text_content()) or ["news"]

    def rewrite(text: str | None) -> str | None:
        if not text:
            return text
        return _WORD.sub(lambda m: rnd.choice(vocabulary) if rnd.random() < 0.5 else m.group(), text)

    for element in tree.iter():
        if element.tag in ("script", "style") or not isinstance(element.tag, str):
            element.tail = rewrite(element.tail)
            continue
        element.text, element.tail = rewrite(element.text), rewrite(element.tail)
    return lxml.html.tostring(tree, encoding="utf-8", doctype="<!DOCTYPE html>")


class RealPagesSite:
    """Real news pages served round-robin as ``/a/<n>`` of one outlet, with a sitemap."""

    def __init__(self, directory: Path, count: int):
        originals = [gzip.decompress(p.read_bytes()) for p in sorted(directory.glob("*.html.gz"))]
        self.bodies = [distinct_variant(originals[n % len(originals)], n // len(originals)) for n in range(count)]
        self.count = count
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as news sites serve

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                if self.path == "/robots.txt":
                    body, kind = b"User-agent: *\nAllow: /\n", "text/plain"
                elif self.path == "/sitemap.xml":
                    urls = "".join(f"<url><loc>{site.base}/a/{n}</loc></url>" for n in range(site.count))
                    body, kind = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode(), "application/xml"
                elif self.path.startswith("/a/") and self.path[3:].isdigit():
                    body, kind = site.bodies[int(self.path[3:]) % len(site.bodies)], "text/html; charset=utf-8"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def pages(self) -> list[tuple[str, bytes]]:
        return [(f"{self.base}/a/{n}", self.bodies[n]) for n in range(self.count)]

    def write_outlets(self, path: Path) -> Path:
        pattern = self.base.replace(".", "\\.") + "/a/\\d+$"
        path.write_text(f'[outlets.realpages]\nname = "Real pages"\nhome = "{self.base}/"\nscope = "all"\n'
                        f'sitemaps = ["{self.base}/sitemap.xml"]\narticle_pattern = \'^{pattern}\'\n', encoding="utf-8")
        return path

    def stop(self) -> None:
        self.server.shutdown()


def article_pages(site: DemoSite) -> list[tuple[str, bytes]]:
    pages = []
    for page in site.expected:
        if page.kind in ("article", "irrelevant") and page.outlet != "hostile":
            with urllib.request.urlopen(page.url, timeout=30) as response:
                pages.append((page.url, response.read()))
    return pages


def time_extraction(pages: list[tuple[str, bytes]], extractor) -> float:  # type: ignore[no-untyped-def]
    start = time.process_time()
    for url, body in pages:
        extractor(url, body)
    return time.process_time() - start


def plain_trafilatura(url: str, body: bytes) -> None:
    trafilatura.extract(body, url=url)


def newsmon_extract(url: str, body: bytes) -> None:
    try:
        extract_article(body, url, outlet="bench")
    except NotAnArticle:
        pass


def crawl(site: DemoSite | RealPagesSite, workdir: Path) -> CrawlResult:
    workdir.mkdir(parents=True, exist_ok=True)
    outlets = site.write_outlets(workdir / "outlets.toml")
    db = workdir / "bench.db"
    argv = [sys.executable, "-m", "crawler", "--db", f"sqlite:///{db}", "--outlets", str(outlets), "--no-default-outlets",
            "crawl", "--quiet", "--log-file", str(workdir / "crawl.log")]
    for setting in CRAWL_SETTINGS:
        argv += ["-s", setting]
    peak = 0
    cpu: dict[int, float] = {}
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            tree = process_tree(proc.pid)
            peak = max(peak, sum(rss for rss, _ in tree.values()))
            for pid, (_, seconds) in tree.items():
                cpu[pid] = max(cpu.get(pid, 0.0), seconds)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate(timeout=3600)
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"crawl failed ({proc.returncode}): {err}")
    with sqlite3.connect(db) as conn:
        fetched, stored = conn.execute("SELECT SUM(fetched), SUM(stored) FROM crawl_run").fetchone()
        first, last, count = conn.execute("SELECT MIN(created_at), MAX(created_at), COUNT(*) FROM article").fetchone()
    span = (datetime.fromisoformat(last) - datetime.fromisoformat(first)).total_seconds() if count > 1 else 0.0
    crawl_cpu = cpu.pop(proc.pid, 0.0)
    return CrawlResult(pages=fetched, seconds=seconds, stored=stored, peak_rss_mb=peak / 1024,
                       crawl_cpu_s=crawl_cpu, worker_cpu_s=sum(cpu.values()),
                       # pages (stored or rejected) per second while articles were being stored
                       steady_pages_s=(count - 1) / span * fetched / stored if span > 0 else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-outlet", type=int, default=150, help="articles per outlet for the main run")
    parser.add_argument("--small", type=int, default=40, help="articles per outlet for the memory comparison run")
    parser.add_argument("--real-pages", type=Path, help="directory of real .html.gz pages to serve instead of the demo site")
    parser.add_argument("--pages", type=int, default=1100, help="URLs to serve with --real-pages (the small run: a quarter)")
    args = parser.parse_args()
    lines = [f"# Crawl speed ({os.cpu_count()} cores){' on real pages' if args.real_pages else ''}", ""]
    with tempfile.TemporaryDirectory() as tmp:
        if args.real_pages:
            real = RealPagesSite(args.real_pages, args.pages)
            pages = real.pages()
            plain_s = time_extraction(pages, plain_trafilatura)
            ours_s = time_extraction(pages, newsmon_extract)
            big = crawl(real, Path(tmp) / "big")
            real.stop()
            real = RealPagesSite(args.real_pages, args.pages // 4)
            small = crawl(real, Path(tmp) / "small")
            real.stop()
        else:
            with DemoSite(articles_per_outlet=args.per_outlet, hostile=False) as site:
                pages = article_pages(site)
                plain_s = time_extraction(pages, plain_trafilatura)
                ours_s = time_extraction(pages, newsmon_extract)
                big = crawl(site, Path(tmp) / "big")
            with DemoSite(articles_per_outlet=args.small, hostile=False) as site:
                small = crawl(site, Path(tmp) / "small")
    plain_rate, ours_rate = len(pages) / plain_s, len(pages) / ours_s
    crawl_rate = big.pages / big.seconds
    lines += [
        f"Article pages on the site: {len(pages)} (mean {sum(len(b) for _, b in pages) / len(pages) / 1024:.0f} KB)", "",
        "| measure | pages | seconds | pages/s | ratio to trafilatura alone |",
        "|---|---:|---:|---:|---:|",
        f"| plain trafilatura.extract, one process (CPU time) | {len(pages)} | {plain_s:.1f} | {plain_rate:.1f} | 1.00 |",
        f"| newsmon extract_article, one process (CPU time) | {len(pages)} | {ours_s:.1f} | {ours_rate:.1f} | {ours_rate / plain_rate:.2f} |",
        f"| newsmon crawl end to end (wall clock, incl. start-up) | {big.pages} | {big.seconds:.1f} | {crawl_rate:.1f} | {crawl_rate / plain_rate:.2f} |",
        "",
        f"End-to-end vs. newsmon's own extraction alone: {crawl_rate / ours_rate:.2f}x. Without start-up and "
        f"shutdown (first to last article stored): {big.steady_pages_s:.1f} pages/s, "
        f"{big.steady_pages_s / plain_rate:.2f}x trafilatura alone.",
        "",
        f"CPU of the large crawl: {big.crawl_cpu_s:.1f} s in the crawl process "
        f"({big.crawl_cpu_s / big.pages * 1000:.1f} ms/page), {big.worker_cpu_s:.1f} s in its workers "
        f"({big.worker_cpu_s / big.pages * 1000:.1f} ms/page), over {big.seconds:.1f} s of wall clock "
        f"({(big.crawl_cpu_s + big.worker_cpu_s) / big.seconds:.2f} cores busy).",
        "",
        "| crawl | pages fetched | stored | peak RSS, crawl process + workers |",
        "|---|---:|---:|---:|",
        f"| small site | {small.pages} | {small.stored} | {small.peak_rss_mb:.0f} MB |",
        f"| large site | {big.pages} | {big.stored} | {big.peak_rss_mb:.0f} MB |",
        "",
        f"Peak memory ratio (large / small crawl): {big.peak_rss_mb / small.peak_rss_mb:.2f} for "
        f"{big.pages / max(small.pages, 1):.1f}x the pages.",
    ]
    report = "\n".join(lines)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / ("crawl_speed_real.md" if args.real_pages else "crawl_speed.md")).write_text(report + "\n", encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
