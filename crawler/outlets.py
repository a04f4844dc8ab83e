"""Outlet configuration: the TOML file shipped with newsmon plus the user's own files.

Outlets are data, not code: each becomes a spider (see :mod:`crawler.spiderloader`).
A user file merges over the defaults outlet by outlet and key by key. Every problem is
reported as :class:`OutletConfigError` naming the file, the outlet and the key, before
anything is crawled.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_OUTLETS_FILE = Path(__file__).with_name("outlets.toml")
ENV_OUTLETS = "NEWSMON_OUTLETS"
SCOPES = ("all", "filter")
_SLUG = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_DURATION_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}


class OutletConfigError(ValueError):
    """A bad outlet file; the message names the file, the outlet and the key."""

    def __init__(self, path: Path | str, outlet: str | None, key: str | None, problem: str):
        where = str(path)
        if outlet:
            where += f": outlet {outlet!r}"
        if key:
            where += f", key {key!r}"
        super().__init__(f"{where}: {problem}")
        self.path, self.outlet, self.key = str(path), outlet, key


@dataclass(frozen=True, slots=True)
class Listing:
    """A section page; ``next`` is a URL template for page 2.. ({page} 1-based, {page0} 0-based)."""

    url: str
    pages: int = 1
    next: str | None = None

    def page_url(self, number: int) -> str:
        """URL of page ``number`` (1 is :attr:`url` itself)."""
        if number == 1 or not self.next:
            return self.url
        return self.next.format(page=number, page0=number - 1)


@dataclass(frozen=True, slots=True)
class OutletConfig:
    slug: str
    name: str
    home: str
    language: str | None
    scope: str
    article_pattern: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[Listing, ...] = ()
    interval: timedelta = timedelta(hours=1)
    jitter: timedelta = timedelta(minutes=5)
    enabled: bool = True
    source_file: str = ""
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_pattern", re.compile(self.article_pattern))

    def is_article_url(self, url: str) -> bool:
        return self._pattern.search(url) is not None

    @property
    def domains(self) -> tuple[str, ...]:
        """Hosts the outlet's spider may visit, from every URL in its configuration."""
        urls = [self.home, *self.feeds, *self.sitemaps, *(li.url for li in self.listings)]
        hosts = {(urlsplit(u).hostname or "").removeprefix("www.") for u in urls}
        return tuple(sorted(h for h in hosts if h))

    @property
    def discovery_sources(self) -> list[tuple[str, str]]:
        """(kind, URL) of every discovery source, as ``newsmon outlets`` shows them."""
        found = [("feed", u) for u in self.feeds] + [("sitemap", u) for u in self.sitemaps]
        found += [(f"listing x{li.pages}", li.url) for li in self.listings]
        return found


def parse_duration(value: Any, *, path: Path | str, outlet: str | None, key: str) -> timedelta:
    """``"30m"``, ``"2h"``, ``"1.5s"`` or a number of seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str) and (m := _DURATION.match(value)):
        seconds = float(m.group(1)) * _DURATION_UNITS[m.group(2)]
    else:
        raise OutletConfigError(path, outlet, key, f"expected a duration like '30m' or '2h', got {value!r}")
    if seconds < 0:
        raise OutletConfigError(path, outlet, key, "a duration cannot be negative")
    return timedelta(seconds=seconds)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise OutletConfigError(path, None, None, "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise OutletConfigError(path, None, None, f"not valid TOML: {exc}") from None


_OUTLET_KEYS = {
    "name", "home", "language", "scope", "feeds", "sitemaps", "listings",
    "article_pattern", "interval", "jitter", "enabled",
}


def _check_url(value: Any, path: Path | str, slug: str, key: str) -> str:
    if not isinstance(value, str):
        raise OutletConfigError(path, slug, key, f"expected a URL string, got {value!r}")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OutletConfigError(path, slug, key, f"not an http(s) URL: {value!r}")
    return value


def _url_list(raw: dict[str, Any], key: str, path: str, slug: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise OutletConfigError(path, slug, key, "expected a list of URLs")
    return tuple(_check_url(v, path, slug, key) for v in value)


def _listings(raw: dict[str, Any], path: str, slug: str) -> tuple[Listing, ...]:
    value = raw.get("listings", [])
    if not isinstance(value, list):
        raise OutletConfigError(path, slug, "listings", "expected a list of {url, pages, next} tables")
    listings = []
    for item in value:
        if isinstance(item, str):
            item = {"url": item}
        if not isinstance(item, dict):
            raise OutletConfigError(path, slug, "listings", f"expected a table, got {item!r}")
        unknown = set(item) - {"url", "pages", "next"}
        if unknown:
            raise OutletConfigError(path, slug, "listings", f"unknown key(s) {sorted(unknown)}")
        url = _check_url(item.get("url"), path, slug, "listings.url")
        pages = item.get("pages", 1)
        if not isinstance(pages, int) or isinstance(pages, bool) or not 1 <= pages <= 1000:
            raise OutletConfigError(path, slug, "listings.pages", f"expected 1..1000, got {pages!r}")
        nxt = item.get("next")
        if nxt is not None:
            if not isinstance(nxt, str) or ("{page}" not in nxt and "{page0}" not in nxt):
                raise OutletConfigError(path, slug, "listings.next", "expected a URL template with {page} or {page0}")
            _check_url(nxt.replace("{page0}", "0").replace("{page}", "1"), path, slug, "listings.next")
        listings.append(Listing(url=url, pages=pages, next=nxt))
    return tuple(listings)


def _build(slug: str, raw: dict[str, Any], defaults: dict[str, Any], path: str) -> OutletConfig:
    if not _SLUG.match(slug):
        raise OutletConfigError(path, slug, None, "outlet slugs are lowercase letters, digits and _ (they are spider names)")
    unknown = set(raw) - _OUTLET_KEYS
    if unknown:
        raise OutletConfigError(path, slug, sorted(unknown)[0], f"unknown key (known: {', '.join(sorted(_OUTLET_KEYS))})")
    for key in ("name", "home", "article_pattern"):
        if key not in raw:
            raise OutletConfigError(path, slug, key, "missing")
    if not isinstance(raw["name"], str) or not raw["name"].strip():
        raise OutletConfigError(path, slug, "name", "expected a non-empty string")
    scope = raw.get("scope", "all")
    if scope not in SCOPES:
        raise OutletConfigError(path, slug, "scope", f"expected one of {SCOPES}, got {scope!r}")
    pattern = raw["article_pattern"]
    try:
        re.compile(pattern)
    except (re.error, TypeError) as exc:
        raise OutletConfigError(path, slug, "article_pattern", f"not a regular expression: {exc}") from None
    language = raw.get("language")
    if language is not None and (not isinstance(language, str) or not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z]{2,4})?", language)):
        raise OutletConfigError(path, slug, "language", f"expected a language code like 'en' or 'ar', got {language!r}")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise OutletConfigError(path, slug, "enabled", "expected true or false")
    outlet = OutletConfig(
        slug=slug,
        name=raw["name"],
        home=_check_url(raw["home"], path, slug, "home"),
        language=language,
        scope=scope,
        article_pattern=pattern,
        feeds=_url_list(raw, "feeds", path, slug),
        sitemaps=_url_list(raw, "sitemaps", path, slug),
        listings=_listings(raw, path, slug),
        interval=parse_duration(raw.get("interval", defaults.get("interval", "1h")), path=path, outlet=slug, key="interval"),
        jitter=parse_duration(raw.get("jitter", defaults.get("jitter", "5m")), path=path, outlet=slug, key="jitter"),
        enabled=enabled,
        source_file=path,
    )
    if outlet.enabled and not (outlet.feeds or outlet.sitemaps or outlet.listings):
        raise OutletConfigError(path, slug, "feeds", "an outlet needs at least one feed, sitemap or listing")
    return outlet


def outlet_files(extra: list[str | Path] | str | Path | None = None, *, defaults: bool = True) -> list[Path]:
    """The shipped defaults and ``NEWSMON_OUTLETS`` (``:``-separated) unless ``defaults`` is
    false, then ``extra``."""
    files = [DEFAULT_OUTLETS_FILE] if defaults else []
    env = os.environ.get(ENV_OUTLETS)
    if env and defaults:
        files += [Path(p) for p in env.split(os.pathsep) if p]
    if extra:
        files += [Path(p) for p in ([extra] if isinstance(extra, (str, Path)) else extra)]
    return files


def load_outlets(extra: list[str | Path] | str | Path | None = None, *, defaults: bool = True,
                 include_disabled: bool = False) -> dict[str, OutletConfig]:
    """Every configured outlet by slug; raises :class:`OutletConfigError` on any problem.

    With ``defaults=False`` only the ``extra`` files count (a self-contained outlet file,
    such as the local demo site's)."""
    merged: dict[str, dict[str, Any]] = {}
    origin: dict[str, str] = {}
    shared: dict[str, Any] = {}
    for path in outlet_files(extra, defaults=defaults):
        data = _read_toml(path)
        unknown = set(data) - {"defaults", "outlets"}
        if unknown:
            raise OutletConfigError(path, None, sorted(unknown)[0], "unknown top-level table (expected [defaults] and [outlets.<slug>])")
        file_defaults = data.get("defaults", {})
        if not isinstance(file_defaults, dict):
            raise OutletConfigError(path, None, "defaults", "expected a table")
        bad = set(file_defaults) - {"interval", "jitter"}
        if bad:
            raise OutletConfigError(path, None, f"defaults.{sorted(bad)[0]}", "unknown key (known: interval, jitter)")
        for key, value in file_defaults.items():
            parse_duration(value, path=path, outlet=None, key=f"defaults.{key}")
        shared.update(file_defaults)
        outlets = data.get("outlets", {})
        if not isinstance(outlets, dict):
            raise OutletConfigError(path, None, "outlets", "expected [outlets.<slug>] tables")
        for slug, raw in outlets.items():
            if not isinstance(raw, dict):
                raise OutletConfigError(path, slug, None, "expected a table of keys")
            merged.setdefault(slug, {}).update(raw)
            origin[slug] = str(path)
    built = {slug: _build(slug, raw, shared, origin[slug]) for slug, raw in merged.items()}
    return {s: o for s, o in built.items() if include_disabled or o.enabled}
