"""RSS 2.0, Atom 1.0 and sitemap XML as the outlets' CMSs print them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr


@dataclass(frozen=True, slots=True)
class FeedItem:
    title: str
    url: str
    published: datetime
    author: str
    summary: str
    categories: tuple[str, ...] = ()
    guid: str | None = None
    content_html: str | None = None


@dataclass(frozen=True, slots=True)
class Channel:
    title: str
    home: str
    feed_url: str
    description: str
    language: str
    generator: str
    updated: datetime


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    url: str
    modified: datetime
    # News sitemap fields; a plain <url> entry without them.
    title: str | None = None
    published: datetime | None = None


def _w3c(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def rss(channel: Channel, items: Iterable[FeedItem]) -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n',
        f"<title>{escape(channel.title)}</title>\n<link>{escape(channel.home)}</link>\n",
        f'<atom:link href={quoteattr(channel.feed_url)} rel="self" type="application/rss+xml" />\n',
        f"<description>{escape(channel.description)}</description>\n<language>{channel.language}</language>\n",
        f"<lastBuildDate>{format_datetime(channel.updated)}</lastBuildDate>\n<generator>{escape(channel.generator)}</generator>\n",
    ]
    for item in items:
        guid = item.guid or item.url
        permalink = "true" if guid == item.url else "false"
        parts.append(
            f"<item>\n<title>{escape(item.title)}</title>\n<link>{escape(item.url)}</link>\n"
            f"<dc:creator><![CDATA[{item.author}]]></dc:creator>\n<pubDate>{format_datetime(item.published)}</pubDate>\n"
            + "".join(f"<category><![CDATA[{c}]]></category>\n" for c in item.categories)
            + f'<guid isPermaLink="{permalink}">{escape(guid)}</guid>\n'
            f"<description>{escape(item.summary)}</description>\n"
            + (f"<content:encoded><![CDATA[{item.content_html}]]></content:encoded>\n" if item.content_html else "")
            + "</item>\n"
        )
    parts.append("</channel>\n</rss>\n")
    return "".join(parts)


def atom(channel: Channel, items: Iterable[FeedItem]) -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{channel.language}">\n',
        f'<title type="text">{escape(channel.title)}</title>\n<subtitle type="text">{escape(channel.description)}</subtitle>\n',
        f"<updated>{_w3c(channel.updated)}</updated>\n",
        f'<link rel="alternate" type="text/html" href={quoteattr(channel.home)} />\n',
        f"<id>{escape(channel.feed_url)}</id>\n",
        f'<link rel="self" type="application/atom+xml" href={quoteattr(channel.feed_url)} />\n',
        f"<generator>{escape(channel.generator)}</generator>\n",
    ]
    for item in items:
        parts.append(
            f"<entry>\n<author><name>{escape(item.author)}</name></author>\n"
            f'<title type="html"><![CDATA[{item.title}]]></title>\n'
            f'<link rel="alternate" type="text/html" href={quoteattr(item.url)} />\n'
            f"<id>{escape(item.guid or item.url)}</id>\n<updated>{_w3c(item.published)}</updated>\n"
            f"<published>{_w3c(item.published)}</published>\n"
            + "".join(f"<category scheme={quoteattr(channel.home)} term={quoteattr(c)} />\n" for c in item.categories)
            + f'<summary type="html"><![CDATA[{item.summary}]]></summary>\n</entry>\n'
        )
    parts.append("</feed>\n")
    return "".join(parts)


def sitemap_index(entries: Iterable[SitemapEntry]) -> str:
    body = "".join(
        f"<sitemap><loc>{escape(e.url)}</loc><lastmod>{_w3c(e.modified)}</lastmod></sitemap>\n" for e in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "</sitemapindex>\n"
    )


def urlset(entries: Iterable[SitemapEntry], *, publication: str, language: str) -> str:
    """A sitemap; entries with a title and publication date get a Google News block."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" '
        'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n'
    ]
    for entry in entries:
        news = ""
        if entry.title and entry.published:
            news = (
                f"<news:news><news:publication><news:name>{escape(publication)}</news:name>"
                f"<news:language>{language}</news:language></news:publication>"
                f"<news:publication_date>{_w3c(entry.published)}</news:publication_date>"
                f"<news:title>{escape(entry.title)}</news:title></news:news>"
            )
        parts.append(f"<url><loc>{escape(entry.url)}</loc><lastmod>{_w3c(entry.modified)}</lastmod>{news}</url>\n")
    parts.append("</urlset>\n")
    return "".join(parts)
