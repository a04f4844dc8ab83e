"""Drupal 10 theme markup (Middle East Eye, Libya Observer): node templates, field classes,
``drupal-settings-json``, image styles under ``/sites/default/files/styles/...?itok=``, and
the AMP version of an article."""

from __future__ import annotations

import json
from datetime import datetime

from crawler.demo.content import DEMO_NOW
from crawler.demo.layouts.base import Layout
from crawler.demo.layouts.parts import (
    analytics, body_paragraphs, cookie_banner, copyright_line, e, figure_html, icon, icon_sprite, iso,
    json_ld, menu, news_article_ld, newsletter_box, pager, share_bar, stylesheet, teaser_list, token,
)
from crawler.demo.layouts.views import ArticleView, ListingView, Masthead, PlainView

_LIBRARIES = (
    "core/drupal.dialog.ajax", "core/once", "core/drupalSettings", "classy/base", "classy/messages",
    "google_tag/gtag", "google_tag/gtag.ajax", "google_tag/gtm", "paragraphs/drupal.paragraphs.unpublished",
    "social_media/basic", "system/base", "views/views.module", "lazy/lazy", "media/filter.caption",
    "ckeditor5/internal.drupal.ckeditor5.stylesheets", "responsive_image/ajax", "simple_popup_blocks/simple_popup_blocks",
)


class DrupalLayout(Layout):
    def __init__(self, theme: str, *, read_more: str = "Read more", comments: str = "disqus"):
        self.theme = theme
        self.read_more = read_more
        self.comments = comments

    def image_url(self, site: Masthead, name: str, style: str, when: datetime = DEMO_NOW) -> str:
        styles = {"og": "max_1200x675", "teaser": "crop_360x203", "logo": "logo_600x60", "full": "max_650x650"}
        return site.url(f"/sites/default/files/styles/{styles.get(style, 'max_650x650')}/public/"
                        f"{when:%Y-%m}/{name}.jpg?itok={token(name, style)}")

    def _settings(self, site: Masthead, canonical: str) -> str:
        settings = {
            "path": {"baseUrl": "/", "pathPrefix": "", "currentPath": canonical.lstrip("/"),
                     "currentPathIsAdmin": False, "isFront": canonical == "/", "currentLanguage": site.language},
            "pluralDelimiter": "\u0003",
            "suppressDeprecationErrors": True,
            "ajaxPageState": {"libraries": ",".join(_LIBRARIES * 3), "theme": self.theme,
                              "theme_token": None},
            "ajaxTrustedUrl": {"/search": True},
            "gtag": {"tagId": "", "consentMode": True, "otherIds": [], "events": [], "additionalConfigInfo": []},
            "gtm": {"tagId": None, "settings": {"data_layer": "dataLayer", "include_environment": False},
                    "tagIds": ["GTM-" + token(site.slug, length=7).upper()]},
            "dataLayer": {"defaultLang": site.language, "languages": {site.language: {"id": site.language}}},
            "simple_popup_blocks": {"settings": [{"identifier": "block-newsletterpopup", "uid": "newsletter_popup",
                                                  "type": "0", "css_selector": "1", "layout": "4", "delay": 45,
                                                  "minimize": False, "close": True, "use_time_frequency": True}]},
            "user": {"uid": 0, "permissionsHash": token(site.slug, "perm", length=64)},
        }
        return json.dumps(settings)

    def document(self, site: Masthead, *, title: str, head: str, body_class: str, main: str, canonical: str) -> str:
        css_token = token(site.slug, "css", length=43)
        return f"""<!DOCTYPE html>
<html lang="{site.language}" dir="{site.direction}" prefix="og: https://ogp.me/ns#">
<head>
<meta charset="utf-8" />
<meta name="Generator" content="Drupal 10 (https://www.drupal.org)" />
<meta name="MobileOptimized" content="width" />
<meta name="HandheldFriendly" content="true" />
<meta name="viewport" content="width=device-width, initial-scale=1.0" />
<title>{e(title)}</title>
<link rel="canonical" href="{e(site.url(canonical))}" />
{head}
<link rel="alternate" type="application/rss+xml" title="{e(site.name)}" href="{e(site.url(site.feed_path))}" />
<link rel="icon" href="/themes/custom/{self.theme}/favicon.ico" type="image/vnd.microsoft.icon" />
<link rel="stylesheet" media="all" href="/sites/default/files/css/css_{css_token}.css?delta=0&amp;language={site.language}&amp;theme={self.theme}" />
<style>{stylesheet(site.slug + ':' + self.theme)}</style>
{analytics(site)}
</head>
<body class="path-{body_class} page-node-type-{body_class} theme-{self.theme}">
<a href="#main-content" class="visually-hidden focusable skip-link">Skip to main content</a>
{icon_sprite(site.slug)}
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
<header class="site-header" role="banner">
<div class="site-header__inner container">
<a class="logo" href="{e(site.url('/'))}" rel="home" title="{e(site.name)}"><img src="{e(self.logo_url(site))}" alt="{e(site.name)}" width="300" height="30"></a>
<button class="btn main-nav__toggle" type="button" aria-expanded="false" aria-controls="main-nav">{icon('menu')}<span class="visually-hidden">Menu</span></button>
<nav role="navigation" aria-labelledby="block-mainnavigation-menu" id="main-nav" class="main-nav">
<h2 class="visually-hidden" id="block-mainnavigation-menu">Main navigation</h2>
<ul class="main-nav__list menu">{menu(site, site.nav, "main-nav")}</ul>
</nav>
<form class="search" action="/search" method="get" accept-charset="UTF-8"><label class="visually-hidden" for="edit-keys">Search</label><input type="search" id="edit-keys" name="keys" size="15" maxlength="128"><button class="btn search__btn" type="submit">{icon('search')}</button></form>
</div>
<nav class="topic-bar" aria-label="Topics"><ul class="topic-bar__list">{menu(site, site.topics, "topic-bar")}</ul></nav>
</header>
<div class="region region-highlighted"><div data-drupal-messages-fallback class="hidden"></div></div>
<main id="main-content" role="main" class="main container">
{main}
</main>
<footer class="site-footer" role="contentinfo">
<div class="site-footer__inner container">
<div class="site-footer__about"><img src="{e(self.logo_url(site))}" alt="{e(site.name)}" width="200" height="20" loading="lazy"><p class="site-footer__text">{e(site.tagline)}</p>
<ul class="social">{''.join(f'<li class="social__item"><a class="social__link" href="https://{n}.com/{site.twitter}" rel="noopener" aria-label="{n}">{icon(n)}</a></li>' for n in ('facebook', 'x-twitter', 'youtube', 'instagram', 'telegram'))}</ul></div>
<nav class="site-footer__nav" aria-label="Footer"><ul class="menu">{menu(site, site.footer, "site-footer")}</ul></nav>
<p class="site-footer__copyright">{copyright_line(site, DEMO_NOW.year)}</p>
</div>
</footer>
</div>
{cookie_banner(site)}
<script type="application/json" data-drupal-selector="drupal-settings-json">{self._settings(site, canonical)}</script>
<script src="/core/assets/vendor/jquery/jquery.min.js?v=3.7.1"></script>
<script src="/core/misc/drupalSettingsLoader.js?v=10.3.6"></script>
<script src="/sites/default/files/js/js_{token(site.slug, 'js', length=43)}.js?scope=footer&amp;delta=0&amp;language={site.language}&amp;theme={self.theme}"></script>
</body>
</html>
"""

    def _byline(self, site: Masthead, view: ArticleView) -> str:
        story = view.story
        local = site.local(story.published)
        updated = ""
        if story.modified > story.published:
            updated = (f'<span class="byline__updated">Last update: <time datetime="{iso(site.local(story.modified))}">'
                       f"{site.local(story.modified):%d %B %Y %H:%M}</time></span>")
        author_path = "/users/" + "-".join(story.author.lower().split())
        return (f'<div class="byline"><span class="byline__author">By <a href="{e(site.url(author_path))}">{e(story.author)}</a></span>'
                f'<span class="byline__date">Published date: <time datetime="{iso(local)}">{local:%d %B %Y %H:%M} {local:%Z}</time></span>{updated}</div>')

    def article_main(self, site: Masthead, view: ArticleView) -> str:
        story = view.story
        url = site.url(view.canonical)
        tags = "".join(f'<li class="tags__item"><a href="{e(site.url("/topics/" + "-".join(t.lower().split())))}" hreflang="{site.language}">{e(t)}</a></li>'
                       for t in story.tags)
        comments = ('<section class="comments"><h2 class="comments__title">Comments</h2><div id="disqus_thread"></div>'
                    f'<noscript>Please enable JavaScript to view the comments.</noscript></section>') if self.comments == "disqus" else ""
        return f"""<nav class="breadcrumb" role="navigation" aria-labelledby="system-breadcrumb"><h2 id="system-breadcrumb" class="visually-hidden">Breadcrumb</h2>
<ol class="breadcrumb__list"><li class="breadcrumb__item"><a href="{e(site.url('/'))}">Home</a></li><li class="breadcrumb__item"><a href="{e(site.url(view.section[1]))}">{e(view.section[0])}</a></li></ol></nav>
<div class="layout layout--twocol">
<div class="layout__region layout__region--first">
<article role="article" about="{e(view.canonical)}" class="node node--type-article node--promoted node--view-mode-full">
<header class="article__header">
<div class="field field--name-field-section"><a href="{e(site.url(view.section[1]))}">{e(view.section[0])}</a></div>
<h1 class="page-title"><span class="field field--name-title field--type-string field--label-hidden">{e(story.title)}</span></h1>
<div class="field field--name-field-subtitle field--type-string-long"><p class="article__summary">{e(story.standfirst)}</p></div>
{self._byline(site, view)}
</header>
{share_bar(url, story.title)}
<div class="field field--name-field-image field--type-entity-reference">{figure_html(view, self.image_url(site, story.figure.name, 'full', story.published), css='media-image')}</div>
<div class="clearfix text-formatted field field--name-body field--type-text-with-summary field--label-hidden field__item">
{view.prelude_html}{body_paragraphs(site, view, read_more=self.read_more)}{view.appendix_html}
</div>
<div class="field field--name-field-tags field--type-entity-reference"><ul class="tags">{tags}</ul></div>
{share_bar(url, story.title, css="share share--bottom")}
</article>
{newsletter_box(site)}
<section class="related" aria-labelledby="related-title"><h2 class="related__title" id="related-title">Related Articles</h2>
<div class="related__list">{teaser_list(site, view.related, css="card", image_url=lambda n, s: self.image_url(site, n, s))}</div></section>
{comments}
</div>
<aside class="layout__region layout__region--second sidebar"><section class="most-read"><h2 class="most-read__title">Most read</h2>
<ol class="most-read__list">{''.join(f'<li class="most-read__item"><a href="{e(site.url(t.path))}">{e(t.title)}</a></li>' for t in view.popular)}</ol></section>
<div class="ad-slot ad-slot--mpu" id="ad-top" data-ad-unit="mpu"></div></aside>
</div>"""

    def listing_main(self, site: Masthead, view: ListingView) -> str:
        links = pager(
            site, view,
            ("prev", '<li class="pager__item pager__item--previous"><a href="{href}" title="Go to previous page" rel="prev">‹ Previous</a></li>'),
            ("current", '<li class="pager__item is-active">Page {page}</li>'),
            ("next", '<li class="pager__item pager__item--next"><a href="{href}" title="Go to next page" rel="next">Next ›</a></li>'),
        )
        items = teaser_list(site, view.teasers, css="teaser", image_url=lambda n, s: self.image_url(site, n, s), with_summary=True)
        if not view.teasers:
            items = '<div class="view-empty"><p>No content has been published yet.</p></div>'
        return f"""<h1 class="page-title">{e(view.title)}</h1>
<div class="taxonomy-term__description"><p>{e(view.description)}</p></div>
<div class="views-element-container"><div class="view view-taxonomy-term view-display-id-page_1">
<div class="view-content">{items}</div>
<nav class="pager" role="navigation" aria-labelledby="pagination-heading"><h4 id="pagination-heading" class="visually-hidden">Pagination</h4><ul class="pager__items js-pager__items">{links}</ul></nav>
</div></div>"""

    def plain_main(self, site: Masthead, view: PlainView) -> str:
        return f"""<article role="article" about="{e(view.path)}" class="node node--type-{e(view.og_type.replace('.', '-'))} node--view-mode-full">
<h1 class="page-title"><span class="field field--name-title">{e(view.title)}</span></h1>
{view.body_html}
{share_bar(site.url(view.path), view.title)}
</article>"""

    def amp_article(self, site: Masthead, view: ArticleView) -> str:
        """The AMP twin of an article: same text, AMP markup, rel=canonical to the main URL."""
        story = view.story
        image = self.image_url(site, story.figure.name, "og", story.published)
        paragraphs = "\n".join(f"<p>{e(p)}</p>" for p in story.paragraphs)
        local = site.local(story.published)
        return f"""<!doctype html>
<html ⚡ lang="{site.language}">
<head>
<meta charset="utf-8">
<title>{e(self.page_title(site, story.title))}</title>
<link rel="canonical" href="{e(site.url(view.canonical))}">
<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
<meta name="description" content="{e(story.standfirst)}">
{json_ld(news_article_ld(site, view, image, logo=self.logo_url(site)))}
<script async src="https://cdn.ampproject.org/v0.js"></script>
<script async custom-element="amp-analytics" src="https://cdn.ampproject.org/v0/amp-analytics-0.1.js"></script>
<style amp-boilerplate>body{{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;animation:-amp-start 8s steps(1,end) 0s 1 normal both}}@keyframes -amp-start{{from{{visibility:hidden}}to{{visibility:visible}}}}</style><noscript><style amp-boilerplate>body{{-webkit-animation:none;animation:none}}</style></noscript>
<style amp-custom>{stylesheet(site.slug + ':amp', size=6000)}</style>
</head>
<body>
<header class="amp-header"><a href="{e(site.url('/'))}"><amp-img src="{e(self.logo_url(site))}" width="200" height="20" alt="{e(site.name)}"></amp-img></a></header>
<article class="amp-article">
<h1>{e(story.title)}</h1>
<p class="amp-article__summary">{e(story.standfirst)}</p>
<div class="amp-article__byline">By {e(story.author)} · <time datetime="{iso(local)}">{local:%d %B %Y}</time></div>
<figure><amp-img src="{e(image)}" width="1200" height="675" layout="responsive" alt="{e(story.figure.caption)}"></amp-img><figcaption>{e(story.figure.caption)} ({e(story.figure.credit)})</figcaption></figure>
<div class="amp-article__body">
{paragraphs}
</div>
</article>
<footer class="amp-footer"><p>{copyright_line(site, DEMO_NOW.year)}</p></footer>
<amp-analytics type="gtag" data-credentials="include"><script type="application/json">{{"vars":{{"gtag_id":"G-{token(site.slug, 'ga4', length=10).upper()}"}}}}</script></amp-analytics>
</body>
</html>
"""
