"""RSS 2.0 / RSS 1.0 / Atom feeds -> listed article URLs."""

from __future__ import annotations

from crawler.discovery import Listed, web_url
from crawler.discovery.dates import parse_date
from crawler.discovery.xml import child_text, iter_blocks, local


def _entry_link(entry: object, base: str) -> str | None:
    for el in entry.iter():  # type: ignore[attr-defined]
        name = local(el.tag)
        if name == "link":
            href = el.get("href")
            if href is not None:  # Atom
                if el.get("rel", "alternate") == "alternate":
                    return web_url(href, base)
                continue
            if url := web_url(el.text, base):
                return url
    guid = next((el for el in entry.iter() if local(el.tag) == "guid"), None)  # type: ignore[attr-defined]
    if guid is not None and guid.get("isPermaLink", "true") != "false":
        return web_url(guid.text, base)
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
