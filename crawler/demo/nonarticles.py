"""Pages that share an outlet's article URL shape but are not articles: a video with a
one-line caption, a photo gallery, a topic hub listing stories, a corporate page.

An extractor that keeps them produces junk "articles"; the crawler must reject them as
``not_article``. Each builder returns the page body; the outlet's layout adds the chrome.
"""

from __future__ import annotations

from collections.abc import Iterable

from crawler.demo.layouts.parts import e, icon, token
from crawler.demo.layouts.views import Masthead, Teaser


def video_body(site: Masthead, *, caption: str, duration: str) -> str:
    vid = token(site.slug, caption, length=11)
    return (
        f'<div class="video-player" data-video-id="{vid}">'
        f'<iframe class="video-player__frame" src="https://www.youtube-nocookie.com/embed/{vid}?rel=0&amp;modestbranding=1" '
        'width="1280" height="720" title="Video player" frameborder="0" allow="accelerometer; autoplay; encrypted-media; '
        'picture-in-picture" allowfullscreen></iframe>'
        f'<button class="video-player__play" type="button">{icon("play")}<span class="video-player__duration">{e(duration)}</span></button></div>'
        f'<p class="video-caption">{e(caption)}</p>'
    )


def gallery_body(site: Masthead, *, images: Iterable[tuple[str, str]], image_url) -> str:
    """Photos and one-line captions, nothing else: no prose for an extractor to keep."""
    slides = "".join(
        f'<figure class="wp-block-image size-large gallery__slide"><img src="{e(image_url(name))}" alt="" loading="lazy" width="1024" height="683">'
        f'<figcaption class="wp-element-caption">{e(caption)}</figcaption></figure>'
        for name, caption in images
    )
    return (f'<figure class="wp-block-gallery has-nested-images columns-2 is-cropped gallery">{slides}</figure>'
            f'<div class="gallery__count">{icon("camera")}<span>Photos</span></div>')


def hub_body(site: Masthead, *, intro: str, teasers: Iterable[Teaser]) -> str:
    """A topic or tag index page: a line of introduction, then teaser cards (headline, standfirst, date)."""
    items = "".join(
        f'<div class="views-row"><article class="node node--view-mode-teaser hub__item">'
        f'<h3 class="hub__title"><a href="{e(site.url(t.path))}" rel="bookmark">{e(t.title)}</a></h3>'
        f'<div class="hub__summary"><p>{e(t.summary)}</p></div>'
        f'<time datetime="{site.local(t.published).isoformat(timespec="seconds")}">{site.local(t.published):%d %b %Y}</time>'
        f"</article></div>"
        for t in teasers
    )
    return f'<div class="hub view view-taxonomy-term"><p class="hub__intro">{e(intro)}</p><div class="view-content">{items}</div></div>'


def info_body(site: Masthead, *, lines: Iterable[str]) -> str:
    """A corporate page (about, contact, privacy): short boilerplate lines."""
    return "".join(f"<p>{e(line)}</p>" for line in lines)
