"""The demo site's HTTP servers: one threaded server per outlet on 127.0.0.1, so every
outlet has its own host:port, robots.txt and politeness slot, and :class:`DemoSite`,
the context manager tests and ``newsmon demo`` use.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import tomllib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

from crawler.demo.hostile import HostileSite
from crawler.demo.responses import Fixed, Reply, Request
from crawler.demo.site import HTML, OutletSite
from crawler.demo.sites import OUTLETS
from crawler.demo.syndication import add_specials
from crawler.demo.truth import ExpectedPage, RequestRecord
from crawler.outlets import DEFAULT_OUTLETS_FILE

HOST = "127.0.0.1"
DEFAULT_ARTICLES_PER_OUTLET = 10
HEADERS_OF_INTEREST = ("User-Agent", "If-None-Match", "If-Modified-Since", "Accept-Encoding", "Referer")
_NOT_FOUND = Fixed(404, b"<!DOCTYPE html><html><head><title>Page not found</title></head>"
                        b"<body><h1>Page not found</h1></body></html>", (("Content-Type", HTML),))
_CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, socket.timeout, TimeoutError)


class OutletServer(ThreadingHTTPServer):
    """The HTTP server of one outlet; many concurrent connections, quiet, no crash on disconnects."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, port: int, demo: DemoSite):
        super().__init__((HOST, port), _Handler)
        self.demo = demo
        self.site: OutletSite | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}"

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-response is normal for a crawler target; say nothing."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    timeout = 30  # idle keep-alive connections are closed after this many seconds
    server: OutletServer

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: requests are in :meth:`DemoSite.request_log`."""

    def _serve(self) -> None:
        demo, site = self.server.demo, self.server.site
        assert site is not None
        if demo.latency:
            time.sleep(demo.latency)
        request = Request(self.command, self.path, self.headers)  # type: ignore[arg-type]
        endpoint = site.endpoint(self.path) or _NOT_FOUND
        reply = endpoint.respond(request)
        demo._record(site, request, reply.status)
        try:
            self._send(reply)
        except _CLIENT_GONE:
            self.close_connection = True

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        if reply.stream is None:
            length = reply.length if reply.length is not None else len(reply.body)
            self.send_header("Content-Length", str(length))
        if reply.close or reply.stream is not None:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command == "HEAD" or reply.status == 304:
            return
        if reply.body:
            self.wfile.write(reply.body)
        if reply.stream is not None:
            self.wfile.flush()
            reply.stream(self.wfile, self.server.demo._stopping)  # type: ignore[arg-type]


class DemoSite:
    """Real-looking outlet sites on 127.0.0.1 with a ground-truth manifest; a context manager.

    ``articles_per_outlet`` generated articles per outlet (default: a small site that a
    full crawl finishes quickly), plus the special pages (copies, non-articles, traps);
    ``hostile`` adds the hostile corner; ``latency`` delays every response (seconds);
    ``port_base`` serves outlet *i* on port ``port_base + i`` instead of free ports.
    """

    def __init__(self, *, articles_per_outlet: int | None = None, hostile: bool = True, seed: int = 0,
                 latency: float = 0.0, port_base: int | None = None) -> None:
        self.articles_per_outlet = articles_per_outlet or DEFAULT_ARTICLES_PER_OUTLET
        self.hostile = hostile
        self.seed = seed
        self.latency = latency
        self.port_base = port_base
        self.base_urls: dict[str, str] = {}
        self.expected: list[ExpectedPage] = []
        self._sites: dict[str, OutletSite] = {}
        self._servers: list[OutletServer] = []
        self._threads: list[threading.Thread] = []
        self._log: list[RequestRecord] = []
        self._log_lock = threading.Lock()
        self._stopping = threading.Event()

    # --- lifecycle --------------------------------------------------------------------------

    def start(self) -> DemoSite:
        if self._servers:
            return self
        slugs = [spec.slug for spec in OUTLETS] + (["hostile"] if self.hostile else [])
        try:
            for number, slug in enumerate(slugs):
                server = OutletServer(self.port_base + number if self.port_base else 0, self)
                self._servers.append(server)
                self.base_urls[slug] = server.base_url
            self._build_sites()
        except BaseException:
            self.stop()
            raise
        for slug, server in zip(slugs, self._servers):
            server.site = self._sites[slug]
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                      name=f"demo-{slug}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def _build_sites(self) -> None:
        count = self.articles_per_outlet
        for spec in OUTLETS:
            self._sites[spec.slug] = OutletSite(spec, self.base_urls[spec.slug], count=count, seed=self.seed)
        add_specials(self._sites)
        if self.hostile:
            self._sites["hostile"] = HostileSite(self.base_urls["hostile"], seed=self.seed)
        for site in self._sites.values():
            site.finalize()
            self.expected.extend(site.expected())

    def stop(self) -> None:
        self._stopping.set()
        # Each shutdown() waits out a poll interval: stop the outlets' servers side by side.
        stoppers = [threading.Thread(target=server.shutdown) for server, _ in zip(self._servers, self._threads)]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join()
        for server in self._servers:
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> DemoSite:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    # --- configuration ----------------------------------------------------------------------

    def outlets_toml(self) -> str:
        """A complete newsmon outlet file pointing every outlet at this server.

        Shipped outlets the demo does not serve are switched off, so a demo crawl never
        leaves 127.0.0.1.
        """
        parts = ["# newsmon demo site: every outlet served from 127.0.0.1 (python -m crawler.demo).", ""]
        parts += [site.toml() for site in self._sites.values()]
        with DEFAULT_OUTLETS_FILE.open("rb") as fh:
            shipped = tomllib.load(fh).get("outlets", {})
        home = next(iter(self.base_urls.values())) + "/"
        for slug, raw in shipped.items():
            if slug not in self._sites:
                # Complete but disabled, so the file also loads on its own (defaults=False).
                parts.append(f"[outlets.{slug}]\nname = {json.dumps(raw.get('name', slug))}\nhome = \"{home}\"\n"
                             "feeds = []\nsitemaps = []\nlistings = []\narticle_pattern = '^$'\nenabled = false\n")
        return "\n".join(parts)

    def write_outlets(self, path: Path) -> Path:
        path = Path(path)
        path.write_text(self.outlets_toml(), encoding="utf-8")
        return path

    def url(self, slug: str, path: str) -> str:
        return self.base_urls[slug] + path

    # --- what happened ----------------------------------------------------------------------

    def _record(self, site: OutletSite, request: Request, status: int) -> None:
        headers = {name: value for name in HEADERS_OF_INTEREST if (value := request.header(name)) is not None}
        record = RequestRecord(slug=site.slug, method=request.method, path=request.path, status=status,
                               headers=headers, at=time.time(), url=site.url(request.path))
        with self._log_lock:
            self._log.append(record)

    def request_log(self) -> list[RequestRecord]:
        with self._log_lock:
            return list(self._log)

    def hits(self, path_or_url: str) -> int:
        """Requests for a URL, or for a path on any outlet ("/robots.txt" counts every outlet's)."""
        return sum(1 for _ in self.records(path_or_url))

    def records(self, path_or_url: str) -> Iterator[RequestRecord]:
        """The log entries of one URL (or of one path on any outlet), oldest first."""
        key = "url" if path_or_url.startswith(("http://", "https://")) else "path"
        return (r for r in self.request_log() if getattr(r, key) == path_or_url)

    # --- edits after publication ------------------------------------------------------------

    @property
    def revisions(self) -> dict[str, str]:
        """URL of each article its outlet will revise -> a sentence only the revised text has."""
        return {url: note for site in self._sites.values() for url, note in site.revisions.items()}

    def publish_revisions(self) -> list[str]:
        """The outlets edit their revisable articles in place (same URL, new text and Last-Modified)."""
        return [url for site in self._sites.values() for url in site.revise()]
