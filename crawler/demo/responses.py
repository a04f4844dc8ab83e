"""What the demo server answers: requests, replies and the endpoints that make them.

An endpoint turns a :class:`Request` into a :class:`Reply`. :class:`Document` is the
ordinary case (a page or feed with validators, 304 answers and gzip); the hostile corner
adds endpoints that misbehave on purpose. A reply either carries its body or *streams* it
(a tarpit, a truncated body), in which case the server hands over the socket.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import cached_property
from typing import BinaryIO, Protocol

Stream = Callable[[BinaryIO, threading.Event], None]


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    headers: Mapping[str, str]

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    @property
    def accepts_gzip(self) -> bool:
        return "gzip" in (self.header("Accept-Encoding") or "").lower()


@dataclass(slots=True)
class Reply:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    stream: Stream | None = None
    close: bool = False
    # Content-Length to announce when it is not len(body) (a streamed or truncated body).
    length: int | None = None


class Endpoint(Protocol):
    def respond(self, request: Request) -> Reply: ...


def http_date(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC), usegmt=True)


def parse_http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _etag_matches(header: str, etag: str) -> bool:
    """RFC 9110 weak comparison; our gzip variant ``"x-gzip"`` matches ``"x"`` too."""
    if header.strip() == "*":
        return True
    bare = etag.strip('"')
    for candidate in header.split(","):
        tag = candidate.strip().removeprefix("W/").strip('"').removesuffix("-gzip")
        if tag == bare:
            return True
    return False


class Document:
    """A page or feed with a fixed body: Last-Modified (and optionally an ETag), 304, gzip, HEAD."""

    def __init__(self, render: Callable[[], str | bytes], *, content_type: str, modified: datetime,
                 etag: bool = False, encoding: str = "utf-8", extra_headers: tuple[tuple[str, str], ...] = ()):
        self._render = render
        self.content_type = content_type
        self.modified = modified.replace(microsecond=0)
        self.use_etag = etag
        self.encoding = encoding
        self.extra_headers = extra_headers

    @cached_property
    def body(self) -> bytes:
        rendered = self._render()
        return rendered.encode(self.encoding) if isinstance(rendered, str) else rendered

    @cached_property
    def gzipped(self) -> bytes:
        return gzip.compress(self.body, compresslevel=6, mtime=0)

    @cached_property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:20] + '"'

    def _not_modified(self, request: Request) -> bool:
        if_none_match = request.header("If-None-Match")
        if if_none_match is not None:
            return self.use_etag and _etag_matches(if_none_match, self.etag)
        since = parse_http_date(request.header("If-Modified-Since"))
        return since is not None and self.modified <= since

    def respond(self, request: Request) -> Reply:
        headers = [("Last-Modified", http_date(self.modified)), ("Cache-Control", "public, max-age=300")]
        if self.use_etag:
            headers.append(("ETag", self.etag))
        headers.extend(self.extra_headers)
        if self._not_modified(request):
            return Reply(304, headers)
        headers += [("Content-Type", self.content_type), ("Vary", "Accept-Encoding")]
        if request.accepts_gzip and len(self.body) > 1024:
            if self.use_etag:
                headers = [(k, self.etag[:-1] + '-gzip"' if k == "ETag" else v) for k, v in headers]
            return Reply(200, headers + [("Content-Encoding", "gzip")], self.gzipped)
        return Reply(200, headers, self.body)


class Fixed:
    """The same status, headers and body every time (errors, robots.txt of a broken site)."""

    def __init__(self, status: int, body: bytes = b"", headers: tuple[tuple[str, str], ...] = ()):
        self.status, self.body, self.headers = status, body, headers

    def respond(self, request: Request) -> Reply:
        return Reply(self.status, list(self.headers), self.body)


class Redirect:
    def __init__(self, location: str, status: int = 301):
        self.location, self.status = location, status

    def respond(self, request: Request) -> Reply:
        return Reply(self.status, [("Location", self.location), ("Content-Type", "text/html; charset=utf-8")],
                     b"<html><body>Moved</body></html>")


class Revisable:
    """An article the outlet edits later: serves ``original`` until :meth:`revise` is called."""

    def __init__(self, original: Endpoint, revision: Endpoint):
        self._original, self._revision = original, revision
        self._revised = threading.Event()

    def revise(self) -> None:
        self._revised.set()

    def respond(self, request: Request) -> Reply:
        return (self._revision if self._revised.is_set() else self._original).respond(request)
