"""Al Jazeera English's server-rendered React markup: ``div.wysiwyg`` body, emotion CSS
class names and the ``window.__APOLLO_STATE__`` blob that carries the page's data again."""

from __future__ import annotations

import json
from datetime import datetime

from crawler.demo.content import DEMO_NOW
from crawler.demo.layouts.base import Layout
from crawler.demo.layouts.parts import (
    analytics, body_paragraphs, cookie_banner, copyright_line, e, icon, icon_sprite, iso, menu,
    newsletter_box, share_bar, stylesheet, teaser_list, token,
)
from crawler.demo.layouts.views import ArticleView, ListingView, Masthead, PlainView, Teaser


class AlJazeeraLayout(Layout):
    def image_url(self, site: Masthead, name: str, style: str, when: datetime = DEMO_NOW) -> str:
        size = {"teaser": "?resize=370%2C208&quality=80", "og": "?resize=1200%2C675", "full": "?resize=770%2C513&quality=80"}
        return site.url(f"/wp-content/uploads/{when:%Y/%m}/{name}.jpg{size.get(style, '')}")

    def page_title(self, site: Masthead, title: str) -> str:
        return f"{title} | News | {site.name}"

    def _apollo_state(self, site: Masthead, teasers: tuple[Teaser, ...], canonical: str) -> str:
        """The client cache the React app hydrates from: every teaser on the page, as data."""
        state: dict[str, object] = {"ROOT_QUERY": {"__typename": "Query", "article({\"name\":\"" + canonical + "\"})": {"__ref": "Post:" + token(canonical)}}}
        for n, t in enumerate(teasers):
            state[f"Post:{token(t.path)}"] = {
                "__typename": "Post", "id": token(t.path), "title": t.title, "link": site.url(t.path),
                "excerpt": t.summary, "date": iso(t.published), "type": "post",
                "featuredImage": {"__typename": "Image", "sourceUrl": self.image_url(site, t.image, "teaser", t.published),
                                  "alt": "", "caption": ""},
                "primaryCategory": {"__typename": "Category", "name": t.section, "slug": t.section.lower()},
                "position": n, "readingTime": 3 + n % 5, "isSponsored": False,
            }
        return "<script>window.__APOLLO_STATE__=" + json.dumps(state, ensure_ascii=False) + ";</script>"

    def document(self, site: Masthead, *, title: str, head: str, body_class: str, main: str, canonical: str) -> str:
        return f"""<!DOCTYPE html><html lang="{site.language}" dir="ltr"><head><meta charSet="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>{e(title)}</title>
<link rel="canonical" href="{e(site.url(canonical))}"/>
{head}
<link rel="alternate" type="application/rss+xml" href="{e(site.url(site.feed_path))}" title="{e(site.name)}"/>
<link rel="preload" href="/static/fonts/Al-Jazeera-Arabic-Bold.woff2" as="font" type="font/woff2" crossorigin=""/>
<style data-emotion="css" data-s="">{stylesheet(site.slug + ':emotion', size=22000)}</style>
{analytics(site)}
</head><body class="{body_class}">{icon_sprite(site.slug)}<div id="__next"><div id="root"><div class="site-layout">
<header class="site-header css-{token(site.slug, 'hdr', length=6)}"><div class="site-header__logo"><a href="{e(site.url('/'))}" aria-label="{e(site.name)}"><img src="{e(self.logo_url(site))}" alt="{e(site.name)}" width="140" height="40"/></a></div>
<nav class="site-header__navigation" aria-label="Primary navigation menu"><ul class="menu menu--primary">{menu(site, site.nav, "menu")}</ul></nav>
<div class="site-header__live-menu"><a class="live-button" href="{e(site.url('/live/'))}">{icon('play')}<span>Live</span></a></div>
<button class="site-header__search-trigger" type="button" aria-label="Show Search">{icon('search')}</button></header>
<div class="trending-articles"><span class="trending-articles__label">Trending</span><ul class="trending-articles__list">{menu(site, site.topics, "trending-articles")}</ul></div>
<div class="container container--grid"><main id="main-content-area" class="container__inner">
{main}
</main></div>
<footer class="site-footer css-{token(site.slug, 'ftr', length=6)}"><div class="site-footer__inner"><ul class="site-footer__social-links">{''.join(f'<li><a href="https://{n}.com/{site.twitter}" aria-label="{n}">{icon(n)}</a></li>' for n in ('facebook', 'x-twitter', 'youtube', 'instagram'))}</ul>
<ul class="menu menu--footer">{menu(site, site.footer, "menu")}</ul>
<p class="site-footer__copyright">{copyright_line(site, DEMO_NOW.year)}</p></div></footer>
</div></div></div>
{cookie_banner(site)}
<script src="{e(site.url(f'/static/js/main.{token(site.slug, "main", length=8)}.js'))}" defer=""></script>
</body></html>
"""

    def article(self, site: Masthead, view: ArticleView) -> str:
        page = super().article(site, view)
        return page.replace("</body>", self._apollo_state(site, view.related + view.popular, view.canonical) + "</body>", 1)

    def article_main(self, site: Masthead, view: ArticleView) -> str:
        story = view.story
        local = site.local(story.published)
        byline = (f'<div class="article-source">Source: {e(story.author)}</div>' if view.byline_org else
                  f'<div class="article-author"><div class="article-author-name"><span>By </span><a class="author-link" href="{e(site.url("/author/" + "-".join(story.author.lower().split())))}">{e(story.author)}</a></div></div>')
        return f"""<div class="article-header"><div class="article-header__topics"><a class="topic" href="{e(site.url(view.section[1]))}">{e(view.section[0])}</a></div>
<header class="article-header-title"><h1>{e(story.title)}</h1></header>
<p class="article__subhead css-{token('subhead', length=6)}"><em>{e(story.standfirst)}</em></p></div>
<div class="article-info-block css-{token('info', length=6)}">{byline}
<div class="article-dates"><div class="date-simple css-1yjq2zp"><span class="screen-reader-text">Published On {local:%d %b %Y}</span><span aria-hidden="true">{local.day} {local:%b %Y}</span></div></div>
{share_bar(site.url(view.canonical), story.title, css="article-share")}</div>
<figure class="article-featured-image"><div class="responsive-image"><img loading="lazy" src="{e(self.image_url(site, story.figure.name, 'full', story.published))}" alt="{e(story.figure.caption)}"/></div><figcaption>{e(story.figure.caption)} [{e(story.figure.credit)}]</figcaption></figure>
<div class="wysiwyg wysiwyg--all-content css-{token('wysiwyg', length=6)}" aria-live="polite" aria-atomic="true">
{view.prelude_html}{body_paragraphs(site, view, read_more="Read more", css="more-on")}{view.appendix_html}
</div>
<time class="article-published" datetime="{iso(local)}" hidden></time>
{newsletter_box(site)}
<section class="more-on-section" aria-labelledby="more-on"><h2 id="more-on" class="more-on-section__title">More from News</h2><div class="more-on-section__list">{teaser_list(site, view.related, css="gc", image_url=lambda n, s: self.image_url(site, n, s))}</div></section>
<aside class="most-popular"><h2 class="most-popular__title">Most Popular</h2><ol>{''.join(f'<li><a href="{e(site.url(t.path))}"><span>{e(t.title)}</span></a></li>' for t in view.popular)}</ol></aside>"""

    def listing_main(self, site: Masthead, view: ListingView) -> str:
        items = teaser_list(site, view.teasers, css="gc", image_url=lambda n, s: self.image_url(site, n, s), with_summary=True)
        return (f'<div class="section-header"><h1 class="section-header__title">{e(view.title)}</h1><p class="section-header__description">{e(view.description)}</p></div>'
                f'<section class="section-content"><div class="section-content__list">{items}</div>'
                '<button class="show-more-button" type="button" data-testid="show-more-button">Show more</button></section>'
                + self._apollo_state(site, view.teasers, view.path))

    def plain_main(self, site: Masthead, view: PlainView) -> str:
        return f'<div class="article-header"><h1>{e(view.title)}</h1></div><div class="wysiwyg">{view.body_html}</div>'
