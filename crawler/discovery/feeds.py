"""RSS 2.0 / RSS 1.0 / Atom feeds -> listed article URLs."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from crawler.discovery import Listed
from crawler.discovery.dates import parse_date
from crawler.discovery.xml import child_text, iter_blocks, local


def _web_url(href: str | None, base: str) -> str | None:
    """An absolute http(s) URL, or None for ``javascript:``, ``mailto:`` and garbage."""
    if not href:
        return None
    url = urljoin(base, href.strip())
    return url if urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname else None


def _entry_link(entry: object, base: str) -> str | None:
    for el in entry.iter():  # type: ignore[attr-defined]
        name = local(el.tag)
        if name == "link":
            href = el.get("href")
            if href is not None:  # Atom
                if el.get("rel", "alternate") == "alternate":
                    return _web_url(href, base)
                continue
            if url := _web_url(el.text, base):
                return url
    guid = next((el for el in entry.iter() if local(el.tag) == "guid"), None)  # type: ignore[attr-defined]
    if guid is not None and guid.get("isPermaLink", "true") != "false":
        return _web_url(guid.text, base)
    return None


def parse_feed(body: bytes, base_url: str) -> list[Listed]:
    """Items of a feed, in feed order, tolerant of broken XML."""
    found: dict[str, Listed] = {}
    for entry in iter_blocks(body, ("item", "entry")):
        url = _entry_link(entry, base_url)
        if not url or url in found:
            continue
        published = parse_date(child_text(entry, "pubdate", "published", "date", "issued", "updated", "modified"))
        found[url] = Listed(url=url, published_at=published, title=child_text(entry, "title"))
    return list(found.values())
