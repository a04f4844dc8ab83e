"""Article metadata from the page head: JSON-LD, OpenGraph/article meta tags, then trafilatura.

Structured data is what publishers write for search engines and it carries full
timestamps with offsets, so it comes first; trafilatura's metadata heuristics (title
heuristics, bylines in the body, htmldate; :mod:`.heuristics`) fill what the page does
not declare, run only when title, byline or date is undeclared and only for those.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement
from trafilatura.settings import Document

from crawler.extraction.authors import clean_authors, name_key, publisher_keys
from crawler.extraction.dates import parse_datetime
from crawler.extraction.heuristics import heuristic_metadata
from storage.records import ArticleRecord
from storage.urls import normalize_url

_ARTICLE_TYPES = re.compile(r"(Article|BlogPosting|Report|LiveBlogPosting)$")
_LANG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_].*)?$")
_MAX_TAGS = 30
_TITLE_SEPARATORS = (" | ", " - ", " \u2013 ", " \u2014 ", " :: ", " \u00bb ")
_PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished",
                   "pubdate", "publishdate", "publish-date", "dc.date.issued", "dc.date", "date")
_MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "lastmod", "dc.date.modified")


@dataclass(slots=True)
class PageMetadata:
    """What the page says about itself, before its text is read: the article record with
    its metadata filled in, and the signals that tell articles from other pages."""

    record: ArticleRecord
    og_type: str | None = None
    ld_types: frozenset[str] = frozenset()


def _json_ld(tree: HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, ``@graph`` members flattened in."""
    found: list[dict[str, Any]] = []
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        raw = (script.text or "").strip().removeprefix("<!--").removesuffix("-->").strip()
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])
    return found


def _types(obj: dict[str, Any]) -> list[str]:
    value = obj.get("@type")
    return [t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)]


def _strings(value: Any, key: str = "name") -> list[str]:
    """Strings from a JSON-LD value that may be a string, an object or a list of either."""
    if isinstance(value, str):
        return [html.unescape(value).strip()] if value.strip() else []
    if isinstance(value, dict):
        return _strings(value.get(key), key) if key in value else _strings(value.get("url"), key)
    if isinstance(value, list):
        return [s for v in value for s in _strings(v, key)]
    return []


def _meta_tags(tree: HtmlElement) -> dict[str, list[str]]:
    """``<meta>`` contents by lowercased property / name / itemprop."""
    tags: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if content is None or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            if key := (meta.get(attr) or "").strip().lower():
                tags.setdefault(key, []).append(html.unescape(content).strip())
    # XPath filters in C; ElementPath would make a Python proxy of every element first.
    for el in tree.xpath(".//*[@itemprop]"):
        if el.tag != "meta" and (value := el.get("datetime") or el.get("content")):
            tags.setdefault(el.get("itemprop").strip().lower(), []).append(value.strip())
    return tags


def _first(tags: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        if tags.get(key):
            return tags[key][0]
    return None


def _absolute(url: str, value: str | None) -> str | None:
    """``value`` made absolute against the page URL, if it is a web URL."""
    if not value:
        return None
    absolute = urljoin(url, value.strip())
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def canonical_url(tree: HtmlElement, url: str, tags: dict[str, list[str]]) -> str | None:
    """rel=canonical, else og:url; normalized, and not a site's home page standing in for every page."""
    link = next((el.get("href") for el in tree.iterfind(".//link[@href]")
                 if "canonical" in (el.get("rel") or "").lower().split()), None)
    absolute = _absolute(url, link or _first(tags, "og:url"))
    if absolute is None:
        return None
    try:
        canonical = normalize_url(absolute)
    except ValueError:
        return None
    if urlsplit(canonical).path == "/" and urlsplit(normalize_url(url)).path != "/":
        return None
    return canonical


def language_code(value: str | None) -> str | None:
    """``en-US`` / ``ar_LY`` -> ``en`` / ``ar``."""
    m = _LANG.match((value or "").strip())
    return m.group(1).lower() if m else None


def strip_site_name(title: str, site_names: list[str]) -> str:
    """``Title | Outlet`` -> ``Title`` when the suffix is the outlet's name."""
    keys = {name_key(n) for n in site_names if n}
    for sep in _TITLE_SEPARATORS:
        head, _, tail = title.rpartition(sep)
        if head and name_key(tail) in keys:
            return head.strip()
    return title.strip()


def _tag_list(*values: list[str]) -> list[str]:
    out: dict[str, str] = {}
    for value in values:
        for item in value:
            for tag in re.split(r"[,;\u060c]", item):
                tag = " ".join(tag.split())
                if tag and len(tag) <= 80 and tag.casefold() not in out:
                    out[tag.casefold()] = tag
    return list(out.values())[:_MAX_TAGS]


def read_metadata(tree: HtmlElement, url: str, *, outlet: str) -> PageMetadata:
    """The page's metadata; the record's text fields are left for the text stage."""
    objects = _json_ld(tree)
    article = next((o for o in objects if any(_ARTICLE_TYPES.search(t) for t in _types(o))),
                   next((o for o in objects if "headline" in o), {}))
    tags = _meta_tags(tree)
    publisher = _strings(article.get("publisher")) + [n for o in objects if "WebSite" in _types(o)
                                                      for n in _strings(o.get("name"))]
    site_names = [n for n in (_first(tags, "og:site_name"), *publisher) if n]
    title = next((t for t in (*_strings(article.get("headline")), _first(tags, "og:title")) if t), "")
    byline = _strings(article.get("author")) or tags.get("author", []) or tags.get("article:author", [])
    authors = clean_authors(byline, publisher_keys(*site_names, url=url))
    published = (parse_datetime(next(iter(_strings(article.get("datePublished"))), None))
                 or parse_datetime(_first(tags, *_PUBLISHED_META)))
    section = next(iter(_strings(article.get("articleSection"))), None) or _first(tags, "article:section")
    # trafilatura's heuristics (title and byline in the body, htmldate) cost more than the
    # rest of this stage; declared data costs nothing. Ask them only for what is undeclared.
    doc = Document() if title and authors and published else heuristic_metadata(
        tree, url, title=not title, author=not authors, date=not published, categories=not section)
    if doc.sitename:
        site_names.append(doc.sitename)
    title = title or doc.title or ""
    authors = authors or clean_authors((doc.author or "").split(";"), publisher_keys(*site_names, url=url))
    published = published or parse_datetime(doc.date)
    updated = (parse_datetime(next(iter(_strings(article.get("dateModified"))), None))
               or parse_datetime(_first(tags, *_MODIFIED_META)))
    root = tree.getroottree().getroot()
    image = _first(tags, "og:image", "og:image:url", "og:image:secure_url", "twitter:image")
    record = ArticleRecord(
        url=url,
        outlet=outlet,
        title=strip_site_name(html.unescape(title), site_names),
        text="",
        canonical_url=canonical_url(tree, url, tags),
        authors=authors,
        published_at=published,
        updated_at=updated,
        language=language_code(root.get("lang") or root.get("xml:lang"))
        or language_code(_first(tags, "og:locale", "content-language", "language"))
        or language_code(next(iter(_strings(article.get("inLanguage"))), None)),
        description=next((d for d in (_first(tags, "description", "og:description", "twitter:description"),
                                      *_strings(article.get("description"))) if d), None),
        tags=_tag_list(tags.get("keywords", []), tags.get("news_keywords", []), tags.get("article:tag", []),
                       _strings(article.get("keywords"))),
        section=section or next(iter(doc.categories or []), None),
        image_url=_absolute(url, image or next(iter(_strings(article.get("image"), "url")), None)),
    )
    return PageMetadata(
        record=record,
        og_type=(_first(tags, "og:type") or "").lower() or None,
        ld_types=frozenset(t for o in objects for t in _types(o)),
    )
