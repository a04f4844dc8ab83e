"""Section / listing pages -> article links and the next page."""

from __future__ import annotations

from scrapy.http import HtmlResponse

from crawler.discovery import Listed


def article_links(response: HtmlResponse, is_article_url) -> list[Listed]:  # type: ignore[no-untyped-def]
    """Links on a listing page that match the outlet's article pattern, in page order."""
    found: dict[str, Listed] = {}
    for anchor in response.css("a[href]"):
        href = anchor.attrib.get("href", "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = response.urljoin(href).split("#", 1)[0]
        if url not in found and is_article_url(url):
            title = " ".join(anchor.css("::text").getall()).strip() or None
            found[url] = Listed(url=url, title=title)
    return list(found.values())


def next_page_link(response: HtmlResponse) -> str | None:
    """The page's rel=next link, if any."""
    href = response.css('link[rel="next"]::attr(href), a[rel~="next"]::attr(href)').get()
    return response.urljoin(href) if href else None
