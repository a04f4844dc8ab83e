"""trafilatura's metadata heuristics, run only for the fields the page head left open.

:func:`trafilatura.extract_metadata` computes every field it knows (title, byline, date,
site name, categories, tags, license) and its byline search alone copies and prunes the
whole tree. newsmon takes from it only what its own reading of the page head lacks, so
this runs the same steps, in the same order and with the same tree, but skips the ones
whose answer would be thrown away: the site name always (it names the outlet in titles
and bylines), the rest on request. Each field comes out as ``extract_metadata`` gives it.
"""

from __future__ import annotations

import logging

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_author,
    extract_catstags,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document, set_date_params

LOGGER = logging.getLogger(__name__)


def _site_name(tree: HtmlElement, doc: Document) -> str | None:
    """The declared site name, else the one in the ``<title>``, else the URL's host."""
    if name := doc.sitename or extract_sitename(tree):
        name = name.lstrip("@")
        return name.title() if name and "." not in name and not name[0].isupper() else name
    if doc.url and (m := META_URL.match(doc.url)):
        return m[1]
    return None


def heuristic_metadata(tree: HtmlElement, url: str, *, title: bool, author: bool, date: bool,
                       categories: bool) -> Document:
    """Site name plus the requested fields, as :func:`trafilatura.extract_metadata` finds them."""
    doc = examine_meta(tree)
    if doc.author and " " not in doc.author:
        doc.author = None
    try:
        doc = extract_meta_json(tree, doc)
    except Exception as err:  # noqa: BLE001 (trafilatura guards its JSON-LD reader the same way)
        LOGGER.debug("trafilatura JSON-LD metadata failed: %s", err)
    doc.title = (doc.title or extract_title(tree)) if title else None
    doc.author = (doc.author or extract_author(tree)) if author else None
    doc.url = doc.url or extract_url(tree, url)
    doc.date = find_date(tree, **set_date_params(), url=doc.url) if date else None
    doc.sitename = _site_name(tree, doc)
    doc.categories = (doc.categories or extract_catstags("category", tree)) if categories else []
    doc.clean_and_trim()
    return doc
