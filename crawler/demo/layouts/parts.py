"""Markup shared by the CMS layouts: meta tags, JSON-LD, icons, share bar, newsletter box.

Real news pages weigh 50-200 KB, mostly around the article: inline CSS, icon sprites,
menus, script state. The generators here produce that weight deterministically, so the
crawler and the extractor work on pages of realistic size and noise.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from random import Random
from urllib.parse import quote

from crawler.demo.layouts.views import ArticleView, ListingView, Masthead, Teaser


def e(text: str) -> str:
    """HTML-escaped text (quotes too, so it is safe in attributes)."""
    return html.escape(text, quote=True)


def token(*parts: object, length: int = 8) -> str:
    """A stable pseudo-random token (image itok, cache busters, nonces)."""
    return hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()[:length]


def iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


_BLOCKS = (
    "site-header", "main-nav", "mega-menu", "teaser", "card", "article", "byline", "share", "site-footer",
    "newsletter", "related", "breadcrumb", "tags", "figure", "caption", "btn", "grid", "container", "ad-slot",
    "banner", "modal", "search", "logo", "social", "comments", "sidebar", "most-read", "pager", "hero",
    "label", "icon", "video", "gallery", "live-blog", "cookie", "topic-bar", "ticker", "author-card",
)
_ELEMENTS = (
    "", "__title", "__link", "__item", "__inner", "__wrapper", "__media", "__meta", "__text", "__list",
    "__icon", "--active", "--large", "--small", "--dark", "--featured", "__label", "__time",
)


@cache
def stylesheet(seed: str, size: int = 16000) -> str:
    """Plausible critical CSS of about ``size`` bytes, different per outlet."""
    rng = Random(seed)
    colors = [f"#{rng.randrange(0x1000000):06x}" for _ in range(8)] + ["#fff", "#000", "#222", "#f4f4f4", "transparent"]
    props = (
        lambda: f"margin:{rng.choice((0, 4, 8, 12, 16, 24, 32))}px {rng.choice(('0', 'auto', '8px', '16px'))}",
        lambda: f"padding:{rng.choice((0, 4, 6, 8, 12, 16, 20))}px {rng.choice((0, 8, 12, 16, 24))}px",
        lambda: f"color:{rng.choice(colors)}",
        lambda: f"background-color:{rng.choice(colors)}",
        lambda: f"font-size:{rng.choice((0.75, 0.875, 1, 1.125, 1.25, 1.5, 2))}rem",
        lambda: f"line-height:{rng.choice((1, 1.2, 1.35, 1.5, 1.65))}",
        lambda: f"display:{rng.choice(('block', 'flex', 'inline-block', 'grid', 'none'))}",
        lambda: f"font-weight:{rng.choice((400, 500, 600, 700))}",
        lambda: f"border-bottom:1px solid {rng.choice(colors)}",
        lambda: f"gap:{rng.choice((4, 8, 12, 16, 24))}px",
        lambda: f"max-width:{rng.choice((320, 640, 728, 970, 1140, 1280))}px",
        lambda: f"transition:{rng.choice(('opacity', 'transform', 'color'))} .{rng.randint(1, 4)}s ease-in-out",
        lambda: f"grid-template-columns:repeat({rng.randint(2, 4)},minmax(0,1fr))",
        lambda: f"letter-spacing:{rng.choice(('0', '.01em', '.02em', '-.01em'))}",
    )
    rules: list[str] = []
    total = 0
    while total < size:
        selector = f".{rng.choice(_BLOCKS)}{rng.choice(_ELEMENTS)}"
        if rng.random() < 0.3:
            selector += f" .{rng.choice(_BLOCKS)}{rng.choice(_ELEMENTS)}"
        body = ";".join(rng.choice(props)() for _ in range(rng.randint(2, 5)))
        rule = f"{selector}{{{body}}}"
        if rng.random() < 0.15:
            rule = f"@media (min-width:{rng.choice((576, 768, 992, 1200))}px){{{rule}}}"
        rules.append(rule)
        total += len(rule)
    return "".join(rules)


_ICONS = ("facebook", "x-twitter", "whatsapp", "telegram", "linkedin", "email", "print", "search",
          "menu", "close", "chevron", "clock", "play", "camera", "rss", "youtube", "instagram")


@cache
def icon_sprite(seed: str) -> str:
    """An inline SVG sprite of the site's icons (share buttons, menus), as CMS themes ship them."""
    rng = Random(seed + ":icons")
    symbols = []
    for name in _ICONS:
        commands = [f"M{rng.uniform(0, 24):.2f} {rng.uniform(0, 24):.2f}"]
        for _ in range(rng.randint(18, 34)):
            coords = " ".join(f"{rng.uniform(-6, 6):.3f}" for _ in range(6))
            commands.append(f"c{coords}")
        commands.append("z")
        symbols.append(f'<symbol id="icon-{name}" viewBox="0 0 24 24"><path d="{"".join(commands)}"/></symbol>')
    return '<svg xmlns="http://www.w3.org/2000/svg" style="display:none" aria-hidden="true">' + "".join(symbols) + "</svg>"


def icon(name: str, css: str = "icon") -> str:
    return f'<svg class="{css} {css}--{name}" aria-hidden="true" focusable="false"><use href="#icon-{name}"></use></svg>'


def meta_tags(site: Masthead, *, title: str, description: str, url: str, image: str, og_type: str,
              published: datetime | None = None, modified: datetime | None = None,
              section: str | None = None, tags: Iterable[str] = (), author: str | None = None) -> str:
    """Description, Open Graph, Twitter card and article:* tags."""
    lines = [
        f'<meta name="description" content="{e(description)}">',
        f'<meta property="og:site_name" content="{e(site.name)}">',
        f'<meta property="og:type" content="{og_type}">',
        f'<meta property="og:url" content="{e(url)}">',
        f'<meta property="og:title" content="{e(title)}">',
        f'<meta property="og:description" content="{e(description)}">',
        f'<meta property="og:image" content="{e(image)}">',
        '<meta property="og:image:width" content="1200">',
        '<meta property="og:image:height" content="675">',
        f'<meta property="og:locale" content="{"ar_LY" if site.language == "ar" else "en_GB"}">',
        '<meta name="twitter:card" content="summary_large_image">',
        f'<meta name="twitter:site" content="@{site.twitter}">',
        f'<meta name="twitter:title" content="{e(title)}">',
        f'<meta name="twitter:description" content="{e(description)}">',
        f'<meta name="twitter:image" content="{e(image)}">',
    ]
    if published:
        lines.append(f'<meta property="article:published_time" content="{iso(site.local(published))}">')
    if modified:
        lines.append(f'<meta property="article:modified_time" content="{iso(site.local(modified))}">')
    if section:
        lines.append(f'<meta property="article:section" content="{e(section)}">')
    lines += [f'<meta property="article:tag" content="{e(t)}">' for t in tags]
    if author:
        lines.append(f'<meta name="author" content="{e(author)}">')
    return "\n".join(lines)


def news_article_ld(site: Masthead, view: ArticleView, image: str, *, logo: str) -> dict[str, object]:
    story = view.story
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": site.url(view.canonical)},
        "headline": story.title,
        "description": story.standfirst,
        "image": {"@type": "ImageObject", "url": image, "width": 1200, "height": 675},
        "datePublished": iso(site.local(story.published)),
        "dateModified": iso(site.local(story.modified)),
        "author": ({"@type": "Organization", "name": story.author} if view.byline_org
                   else [{"@type": "Person", "name": story.author}]),
        "publisher": {"@type": "Organization", "name": site.name,
                      "logo": {"@type": "ImageObject", "url": logo, "width": 600, "height": 60}},
        "articleSection": view.section[0],
        "keywords": ", ".join(story.tags),
        "inLanguage": site.language,
        "isAccessibleForFree": True,
    }


def json_ld(data: object) -> str:
    return '<script type="application/ld+json">' + json.dumps(data, ensure_ascii=False, indent=1) + "</script>"


_SHARE = (
    ("facebook", "https://www.facebook.com/sharer/sharer.php?u={u}", "Facebook"),
    ("x-twitter", "https://twitter.com/intent/tweet?url={u}&text={t}", "X"),
    ("whatsapp", "https://api.whatsapp.com/send?text={t}%20{u}", "WhatsApp"),
    ("telegram", "https://t.me/share/url?url={u}&text={t}", "Telegram"),
    ("linkedin", "https://www.linkedin.com/shareArticle?mini=true&url={u}", "LinkedIn"),
    ("email", "mailto:?subject={t}&body={u}", "Email"),
)


def share_bar(url: str, title: str, css: str = "share") -> str:
    u, t = quote(url, safe=""), quote(title, safe="")
    items = "".join(
        f'<li class="{css}__item {css}__item--{name}"><a class="{css}__link" href="{e(tpl.format(u=u, t=t))}" '
        f'target="_blank" rel="noopener noreferrer" aria-label="Share on {label}" data-network="{name}">'
        f"{icon(name)}</a></li>"
        for name, tpl, label in _SHARE
    )
    return f'<div class="{css}" role="group" aria-label="Share this article"><ul class="{css}__list">{items}</ul></div>'


def teaser_list(site: Masthead, teasers: Iterable[Teaser], *, css: str, image_url, with_summary: bool = False) -> str:
    items = []
    for t in teasers:
        summary = f'<p class="{css}__text">{e(t.summary)}</p>' if with_summary else ""
        items.append(
            f'<article class="{css}__item"><a class="{css}__media" href="{e(site.url(t.path))}" tabindex="-1">'
            f'<img src="{e(image_url(t.image, "teaser"))}" alt="" loading="lazy" width="360" height="203"></a>'
            f'<div class="{css}__inner"><span class="{css}__label">{e(t.section)}</span>'
            f'<h3 class="{css}__title"><a href="{e(site.url(t.path))}">{e(t.title)}</a></h3>{summary}'
            f'<time class="{css}__time" datetime="{iso(site.local(t.published))}">{site.local(t.published):%d %b %Y}</time>'
            f"</div></article>"
        )
    return "".join(items)


def menu(site: Masthead, links: Iterable[tuple[str, str]], css: str) -> str:
    return "".join(
        f'<li class="{css}__item"><a class="{css}__link" href="{e(site.url(path) if path.startswith("/") else path)}">{e(label)}</a></li>'
        for label, path in links
    )


def analytics(site: Masthead) -> str:
    """Tag-manager and consent scripts every news page carries."""
    gtm = "GTM-" + token(site.slug, "gtm", length=7).upper()
    return (
        f"<script>(function(w,d,s,l,i){{w[l]=w[l]||[];w[l].push({{'gtm.start':new Date().getTime(),event:'gtm.js'}});"
        f"var f=d.getElementsByTagName(s)[0],j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;"
        f"j.src='https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);}})"
        f"(window,document,'script','dataLayer','{gtm}');</script>\n"
        f'<noscript><iframe src="https://www.googletagmanager.com/ns.html?id={gtm}" height="0" width="0" '
        f'style="display:none;visibility:hidden"></iframe></noscript>\n'
        '<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>\n'
        "<script>window.googletag=window.googletag||{cmd:[]};googletag.cmd.push(function(){"
        f"googletag.defineSlot('/{token(site.slug, 'dfp', length=6)}/{site.slug}/article',[[300,250],[728,90]],'ad-top')"
        ".addService(googletag.pubads());googletag.pubads().enableSingleRequest();googletag.enableServices();});</script>"
    )


def cookie_banner(site: Masthead) -> str:
    if site.language == "ar":
        text = "نستخدم ملفات تعريف الارتباط لتحسين تجربتك على موقعنا. بمتابعة التصفح فإنك توافق على ذلك."
        accept, more = "موافق", "المزيد"
    else:
        text = (f"{site.name} uses cookies to improve your experience, to measure audiences and to show you "
                "relevant advertising. You can change your choices at any time.")
        accept, more = "Accept all", "Manage preferences"
    return (
        f'<div class="cookie" id="cookie-consent" role="dialog" aria-live="polite" hidden><p class="cookie__text">{e(text)}</p>'
        f'<button class="btn btn--large cookie__accept" type="button">{accept}</button>'
        f'<button class="btn btn--small cookie__more" type="button">{more}</button></div>'
    )


def newsletter_box(site: Masthead) -> str:
    if site.language == "ar":
        heading, text, button = "النشرة البريدية", "اشترك ليصلك ملخص أهم الأخبار الليبية كل صباح.", "اشترك"
    else:
        heading = f"Sign up to {site.name} newsletters"
        text = "Get the day’s most important stories from Libya and the region delivered to your inbox every morning."
        button = "Subscribe"
    return (
        f'<aside class="newsletter" aria-labelledby="newsletter-title"><h2 class="newsletter__title" id="newsletter-title">{e(heading)}</h2>'
        f'<p class="newsletter__text">{e(text)}</p><form class="newsletter__form" action="{e(site.url("/newsletter"))}" method="post">'
        f'<label class="newsletter__label" for="nl-email">Email</label><input id="nl-email" type="email" name="email" required>'
        f'<button class="btn newsletter__btn" type="submit">{e(button)}</button></form></aside>'
    )


def copyright_line(site: Masthead, year: int) -> str:
    if site.language == "ar":
        return f"جميع الحقوق محفوظة © {site.founded}-{year} {e(site.name)}. محتوى تجريبي من newsmon، وليس أخبارا حقيقية."
    return (f"© {site.founded}-{year} {e(site.name)}. All rights reserved. "
            "Demo content generated by newsmon; the events described are fictional.")


def body_paragraphs(site: Masthead, view: ArticleView, *, read_more: str, css: str = "read-more") -> str:
    """The story's paragraphs, with a "read more" link box after the third as CMS editors add them."""
    out = []
    for number, paragraph in enumerate(view.story.paragraphs, start=1):
        out.append(f"<p>{e(paragraph)}</p>")
        if number == 3 and view.related and len(view.story.paragraphs) > 5:
            teaser = view.related[0]
            out.append(f'<div class="{css}"><span class="{css}__label">{e(read_more)}</span> '
                       f'<a class="{css}__link" href="{e(site.url(teaser.path))}">{e(teaser.title)}</a></div>')
    return "\n".join(out)


def figure_html(view: ArticleView, src: str, *, css: str = "figure") -> str:
    fig = view.story.figure
    return (f'<figure class="{css}"><img class="{css}__img" src="{e(src)}" alt="{e(fig.caption)}" width="1200" height="675">'
            f'<figcaption class="{css}__caption">{e(fig.caption)} <span class="{css}__credit">({e(fig.credit)})</span></figcaption></figure>')


def pager(site: Masthead, view: ListingView, *parts: tuple[str, str]) -> str:
    """A listing's pagination in the layout's own markup and order.

    ``parts`` are ("prev" | "next", template with {href}) or ("current", template with {page});
    links to pages that do not exist are left out.
    """
    targets = {"prev": view.prev_path, "next": view.next_path}
    out = []
    for kind, template in parts:
        if kind == "current":
            out.append(template.format(page=view.page))
        elif target := targets[kind]:
            out.append(template.format(href=e(site.url(target))))
    return "".join(out)
