"""Is the page an article? Tag/category/index pages, video pages and photo galleries are not.

Crawls reach such pages through section links and sitemaps; storing them as articles
would put teaser excerpts and captions into the database as news. Each test names the
evidence in the rejection's detail, so a wrong rejection can be traced to one signal.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from crawler.extraction.errors import NotAnArticle
from crawler.extraction.layout import teaser_boxes
from crawler.extraction.metadata import PageMetadata

MIN_WORDS = 40
_MEDIA_PAGE_MAX_WORDS = 120
_PROSE_WORDS = 20
_MIN_PROSE_PARAGRAPHS = 3
_MIN_TEASER_BOXES = 3
_MIN_HEADLINE_LINKS = 10
_MIN_GALLERY_IMAGES = 5
_LISTING_TYPES = frozenset({"CollectionPage", "ItemList", "SearchResultsPage", "ProfilePage"})
_ARTICLE_TYPE = re.compile(r"(Article|BlogPosting|Report)$")
_VIDEO_EMBED = (
    ".//video | .//iframe[contains(@src, 'youtube') or contains(@src, 'youtu.be') or contains(@src, 'vimeo')"
    " or contains(@src, 'dailymotion') or contains(@src, 'facebook.com/plugins/video')"
    " or contains(@src, 'brightcove') or contains(@src, 'jwplayer')]"
)
_HEADLINE_LINKS = ".//h2//a[@href] | .//h3//a[@href] | .//h4//a[@href]"
_GALLERY_IMAGES = ".//*[contains(@class, 'gallery') or contains(@id, 'gallery')]//img | .//figure//img"
_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"\w+")


def count_words(text: str) -> int:
    """Words of the text; CJK scripts, written without spaces, count two characters a word."""
    if not _CJK.search(text):
        return len(_WORD.findall(text))
    cjk = len(_CJK.findall(text))
    return len(_WORD.findall(_CJK.sub(" ", text))) + cjk // 2


def _is_declared_article(meta: PageMetadata) -> bool:
    return meta.og_type == "article" or any(_ARTICLE_TYPE.search(t) for t in meta.ld_types)


def _listing_evidence(tree: HtmlElement, meta: PageMetadata, sources: list[HtmlElement],
                      paragraphs: list[str]) -> str | None:
    boxes = teaser_boxes(sources)
    # A page that calls itself a "website" is a listing on less evidence: a tag page may hold one teaser.
    min_boxes = 1 if meta.og_type == "website" and not _is_declared_article(meta) else _MIN_TEASER_BOXES
    if len(boxes) >= min_boxes and 2 * sum(map(len, boxes)) > len(sources):
        return f"listing page: the text is excerpts from {len(boxes)} teaser box{'es' if len(boxes) != 1 else ''}"
    prose = sum(1 for p in paragraphs if count_words(p) >= _PROSE_WORDS)
    if prose >= _MIN_PROSE_PARAGRAPHS:
        return None
    if meta.ld_types & _LISTING_TYPES and not _is_declared_article(meta):
        return f"index page ({', '.join(sorted(meta.ld_types & _LISTING_TYPES))}) with {prose} prose paragraphs"
    headlines = len(tree.xpath(_HEADLINE_LINKS))
    # A page that calls itself a "website" rather than an article needs less evidence.
    needed = _MIN_HEADLINE_LINKS // 2 if meta.og_type == "website" else _MIN_HEADLINE_LINKS
    if headlines >= needed and not _is_declared_article(meta):
        return f"index page: {headlines} linked headlines, {prose} prose paragraphs"
    return None


def _media_evidence(tree: HtmlElement, meta: PageMetadata) -> str | None:
    og_type = meta.og_type or ""
    if og_type.startswith("video") or ("VideoObject" in meta.ld_types and not _is_declared_article(meta)) \
            or tree.xpath(_VIDEO_EMBED):
        return "video page without article text"
    images = len(tree.xpath(_GALLERY_IMAGES))
    if "gallery" in og_type or meta.ld_types & {"ImageGallery", "MediaGallery"} or images >= _MIN_GALLERY_IMAGES:
        return f"photo gallery without article text ({images} images)"
    return None


def reject_non_article(tree: HtmlElement, meta: PageMetadata, sources: list[HtmlElement],
                       paragraphs: list[str], words: int) -> None:
    """Raise :class:`NotAnArticle` unless the extracted text is an article's."""
    if words < _MEDIA_PAGE_MAX_WORDS and (evidence := _media_evidence(tree, meta)):
        raise NotAnArticle("not_article", evidence)
    if evidence := _listing_evidence(tree, meta, sources, paragraphs):
        raise NotAnArticle("not_article", evidence)
    if words == 0:
        raise NotAnArticle("not_article", "no article text on the page")
    if words < MIN_WORDS:
        raise NotAnArticle("too_short", f"only {words} word{'s' if words != 1 else ''} of text (minimum {MIN_WORDS})")
