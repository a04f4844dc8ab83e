"""One fetched page (raw bytes) -> one normalized :class:`~storage.records.ArticleRecord`.

:func:`extract_article` is pure and top-level so the crawler can run it in a process
pool: bytes in, a record or :class:`NotAnArticle` out, nothing kept between calls but
caches. The stages, cheapest first so bad input costs little:

1. refuse oversized, empty and binary bodies; decode the bytes (:mod:`.decoding`);
2. parse once; read the head's metadata (:mod:`.metadata`), then drop what no later
   stage reads (scripts, styles, SVG, head tags: :func:`drop_inert`);
3. main text by trafilatura in its fast mode without comments (the setting that scored
   best on the extraction sample, see :data:`TRAFILATURA_OPTIONS`), once more on the
   rejoined body when the article is split across containers (:mod:`.layout`);
4. drop boilerplate paragraphs (:mod:`.boilerplate`);
5. refuse listings, media pages and short texts (:mod:`.pagekind`).
"""

from __future__ import annotations

from datetime import datetime

import trafilatura
from lxml.etree import LxmlError, XPath
from lxml.html import HtmlElement

from crawler.extraction.boilerplate import prune_teaser_lists, remove_boilerplate
from crawler.extraction.decoding import check_body, decode_html, gunzip
from crawler.extraction.errors import NotAnArticle
from crawler.extraction.language import article_language
from crawler.extraction.layout import caption_keys, join_split_body, link_list_keys, source_paragraphs, split_body
from crawler.extraction.metadata import read_metadata
from crawler.extraction.pagekind import count_words, reject_non_article
from storage.records import ArticleRecord
from storage.text import content_hash

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# Measured inside this pipeline on the 73-page extraction sample (F1 / pages failed):
# fast, no comments 0.978 / 0; default (readability+justext fallbacks) 0.972 / 1;
# favor_precision 0.961 / 2; favor_recall 0.977 / 0. Plain trafilatura.extract: 0.951 / 1.
# Retrying thin pages with the fallbacks on was tried and dropped: on truncated pages it
# turned correct "too short" rejections into cookie banners and icon labels.
TRAFILATURA_OPTIONS = {
    "fast": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "output_format": "python",
}
_LEAD_CHARS = 300
# Elements trafilatura deletes unread (its tree cleaning, html2txt and baseline alike) and
# no later stage looks at, once the metadata stage is done with them. JSON-LD stays:
# trafilatura reads it for forum detection and as its baseline's text.
_INERT = XPath("//script[not(@type='application/ld+json')] | //style | //svg | //head/meta | //head/link | //head/title")


def main_paragraphs(tree: HtmlElement, url: str) -> list[str]:
    """trafilatura's main text of the page, one string per paragraph."""
    document = trafilatura.bare_extraction(tree, url=url, **TRAFILATURA_OPTIONS)
    if document is None or not document.text:
        return []
    return [line.strip() for line in document.text.split("\n") if line.strip()]


def drop_inert(tree: HtmlElement) -> None:
    """Remove :data:`_INERT`, tails kept as trafilatura keeps them: trafilatura copies and
    searches the page several times, and these are about two thirds of its bytes."""
    for el in _INERT(tree):
        el.drop_tree()


def _main_text(tree: HtmlElement, url: str) -> tuple[list[str], list[HtmlElement]]:
    """Paragraphs of the main text and the page elements they came from."""
    paragraphs = main_paragraphs(tree, url)
    sources = source_paragraphs(tree, paragraphs)
    if chunks := split_body(tree, sources):
        paragraphs = main_paragraphs(join_split_body(tree, chunks), url)
        sources = source_paragraphs(tree, paragraphs)
    return paragraphs, sources


def _lead(paragraphs: list[str]) -> str | None:
    """The first paragraph, cut at a word boundary: the description of pages without one."""
    if not paragraphs:
        return None
    first = paragraphs[0]
    if len(first) <= _LEAD_CHARS:
        return first
    return first[:_LEAD_CHARS].rsplit(" ", 1)[0] + "\u2026"


def extract_article(
    body: bytes,
    url: str,
    *,
    outlet: str,
    content_type: str | None = None,
    language: str | None = None,
    fetched_at: datetime | None = None,
    http_status: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ArticleRecord:
    """The article on the page at ``url``; raises :class:`NotAnArticle` with the reason."""
    body = gunzip(body, max_bytes)
    check_body(body, max_bytes)
    try:
        tree = trafilatura.load_html(decode_html(body, content_type))
        if tree is None:
            raise NotAnArticle("parse_error", "the body is not an HTML document")
        meta = read_metadata(tree, url, outlet=outlet)
        prune_teaser_lists(tree)
        drop_inert(tree)
        paragraphs, sources = _main_text(tree, url)
    except (LxmlError, ValueError, TypeError, RecursionError) as exc:
        # Malformed markup can make lxml or trafilatura fail anywhere; for the crawler
        # that is one unreadable page, not a crashed worker.
        raise NotAnArticle("parse_error", f"{type(exc).__name__}: {exc}") from exc
    record = meta.record
    has_lists = any(p.startswith("- ") for p in paragraphs)
    paragraphs = remove_boilerplate(paragraphs, title=record.title, captions=caption_keys(tree),
                                    link_items=link_list_keys(tree) if has_lists else frozenset())
    record.text = "\n\n".join(paragraphs)
    record.word_count = count_words(record.text)
    reject_non_article(tree, meta, sources, paragraphs, record.word_count)
    record.language = article_language(record.text, record.language, language)
    record.description = record.description or _lead(paragraphs)
    record.content_hash = content_hash(record.text)
    record.fetched_at = fetched_at
    record.http_status = http_status
    return record


_WARM_UP_PAGE = (
    b"<!DOCTYPE html><html lang='en'><head><title>Warm-up</title></head><body><article><h1>Warm-up</h1>"
    b"<p class='byline'>By Jane Doe</p><time datetime='2024-01-02'>2 January 2024</time><p>"
    + b"A paragraph of ordinary prose for the extractor and the language model to read. " * 6
    + b"</p></article></body></html>"
)


def warm_up() -> None:
    """Extract a built-in page. The first page of a process costs about 0.45 s of CPU more
    than the others (the language model, trafilatura's and htmldate's lazy set-up); done in
    the process extraction workers are forked from, every worker starts warm."""
    extract_article(_WARM_UP_PAGE, "https://example.com/warm-up", outlet="warm-up")
