"""Alwasat's custom Arabic (right-to-left) markup: ``div.art-content`` body, ``div.art-info``
dates in Arabic, a section listing paginated with ``?page=N``."""

from __future__ import annotations

from datetime import datetime

from crawler.demo.content import DEMO_NOW, date_slots
from crawler.demo.layouts.base import Layout
from crawler.demo.layouts.parts import (
    analytics, body_paragraphs, cookie_banner, copyright_line, e, figure_html, icon, icon_sprite, iso, menu,
    newsletter_box, pager, share_bar, stylesheet, teaser_list, token,
)
from crawler.demo.layouts.views import ArticleView, ListingView, Masthead, PlainView


def arabic_date(when: datetime) -> str:
    slots = date_slots(when, "ar")
    period = "صباحا" if when.hour < 12 else "مساء"
    return f"{slots['weekday']} {slots['date']} {slots['year']}، {when:%I:%M} {period}"


class AlwasatLayout(Layout):
    def image_url(self, site: Masthead, name: str, style: str, when: datetime = DEMO_NOW) -> str:
        folder = {"teaser": "thumb", "og": "large", "full": "large"}.get(style, "large")
        return site.url(f"/assets/images/article/{folder}/{token(name, length=12)}.jpg")

    def document(self, site: Masthead, *, title: str, head: str, body_class: str, main: str, canonical: str) -> str:
        return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<link rel="canonical" href="{e(site.url(canonical))}">
{head}
<link rel="stylesheet" href="{e(site.url(f'/assets/css/main.min.css?v={token(site.slug, "css", length=6)}'))}">
<style>{stylesheet(site.slug + ':rtl')}</style>
{analytics(site)}
</head>
<body class="{body_class} rtl">
{icon_sprite(site.slug)}
<div class="top-bar"><div class="container"><span class="top-bar__date">{arabic_date(site.local(DEMO_NOW))}</span>
<ul class="social">{''.join(f'<li><a href="https://{n}.com/{site.twitter}" aria-label="{n}">{icon(n)}</a></li>' for n in ('facebook', 'x-twitter', 'youtube', 'telegram'))}</ul></div></div>
<header class="site-header"><div class="container"><a class="logo" href="{e(site.url('/'))}"><img src="{e(self.logo_url(site))}" alt="{e(site.name)}" width="220" height="60"></a>
<nav class="main-nav"><ul class="main-nav__list">{menu(site, site.nav, "main-nav")}</ul></nav></div></header>
<div class="ticker"><span class="ticker__label">عاجل</span><ul class="ticker__list">{menu(site, site.topics, "ticker")}</ul></div>
<div id="maincol" class="container">
{main}
</div>
<footer class="site-footer"><div class="container"><ul class="site-footer__links">{menu(site, site.footer, "site-footer")}</ul>
<p class="site-footer__copy">{copyright_line(site, DEMO_NOW.year)}</p></div></footer>
{cookie_banner(site)}
<script src="{e(site.url(f'/assets/js/app.min.js?v={token(site.slug, "js", length=6)}'))}"></script>
</body>
</html>
"""

    def article_main(self, site: Masthead, view: ArticleView) -> str:
        story = view.story
        local = site.local(story.published)
        tags = "".join(f'<a class="tags__item" href="{e(site.url("/tags/" + token(t, length=6)))}">{e(t)}</a>' for t in story.tags)
        return f"""<div class="breadcrumb"><a href="{e(site.url('/'))}">الرئيسية</a> / <a href="{e(site.url(view.section[1]))}">{e(view.section[0])}</a></div>
<div class="art-block">
<h1 class="art-title">{e(story.title)}</h1>
<div class="art-info"><span class="art-info__author">{e(story.author)}</span> <time datetime="{iso(local)}">{arabic_date(local)}</time></div>
{share_bar(site.url(view.canonical), story.title, css="art-share")}
<div class="art-img">{figure_html(view, self.image_url(site, story.figure.name, 'full', story.published), css='art-figure')}</div>
<div class="art-content">
{view.prelude_html}{body_paragraphs(site, view, read_more="طالع:", css="read-also")}{view.appendix_html}
</div>
<div class="tags"><span class="tags__label">كلمات مفتاحية:</span>{tags}</div>
<div class="fb-comments" data-href="{e(site.url(view.canonical))}" data-numposts="5" data-width="100%"></div>
</div>
<section class="related"><h2 class="related__title">اقرأ أيضا</h2><div class="related__list">{teaser_list(site, view.related, css="section-item", image_url=lambda n, s: self.image_url(site, n, s))}</div></section>
<aside class="most-read"><h2>الأكثر قراءة</h2><ol>{''.join(f'<li><a href="{e(site.url(t.path))}">{e(t.title)}</a></li>' for t in view.popular)}</ol></aside>
{newsletter_box(site)}"""

    def listing_main(self, site: Masthead, view: ListingView) -> str:
        items = teaser_list(site, view.teasers, css="section-item", image_url=lambda n, s: self.image_url(site, n, s), with_summary=True)
        links = pager(site, view, ("prev", '<a class="pager__prev" href="{href}" rel="prev">السابق</a>'),
                      ("current", '<span class="pager__current">{page}</span>'),
                      ("next", '<a class="pager__next" href="{href}" rel="next">التالي</a>'))
        return (f'<h1 class="section-title">{e(view.title)}</h1><div class="mainInBlock"><div class="section-list">{items}</div></div>'
                f'<nav class="pager">{links}</nav>')

    def plain_main(self, site: Masthead, view: PlainView) -> str:
        return f'<div class="art-block"><h1 class="art-title">{e(view.title)}</h1><div class="art-content">{view.body_html}</div></div>'
