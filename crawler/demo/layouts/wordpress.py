"""WordPress 6 theme markup (Libyan Express, Libya Herald, Libya Review): ``entry-content``,
Yoast's JSON-LD graph, the emoji loader, native comments and post navigation."""

from __future__ import annotations

import json
from datetime import datetime

from crawler.demo.content import DEMO_NOW
from crawler.demo.layouts.base import Layout
from crawler.demo.layouts.parts import (
    analytics, body_paragraphs, cookie_banner, copyright_line, e, icon, icon_sprite, iso, menu,
    news_article_ld, newsletter_box, pager, share_bar, stylesheet, teaser_list, token,
)
from crawler.demo.layouts.views import ArticleView, ListingView, Masthead, PlainView

WP_VERSION = "6.6.2"


def _emoji_loader(site: Masthead) -> str:
    settings = {
        "baseUrl": "https://s.w.org/images/core/emoji/15.0.3/72x72/",
        "ext": ".png",
        "svgUrl": "https://s.w.org/images/core/emoji/15.0.3/svg/",
        "svgExt": ".svg",
        "source": {"concatemoji": site.url(f"/wp-includes/js/wp-emoji-release.min.js?ver={WP_VERSION}")},
    }
    return (
        "<script>\nwindow._wpemojiSettings = " + json.dumps(settings) + ";\n"
        "/*! This file is auto-generated */\n"
        "!function(i,n){var o,s,e;function c(e){try{var t={supportTests:e,timestamp:(new Date).valueOf()};"
        "sessionStorage.setItem(o,JSON.stringify(t))}catch(e){}}function p(e,t,n){e.clearRect(0,0,e.canvas.width,"
        "e.canvas.height),e.fillText(t,0,0);var t=new Uint32Array(e.getImageData(0,0,e.canvas.width,e.canvas.height)"
        ".data),r=(e.clearRect(0,0,e.canvas.width,e.canvas.height),e.fillText(n,0,0),new Uint32Array(e.getImageData"
        "(0,0,e.canvas.width,e.canvas.height).data));return t.every(function(e,t){return e===r[t]})}function u(e,t,n)"
        "{switch(t){case\"flag\":return n(e,\"\\ud83c\\udff3\\ufe0f\\u200d\\u26a7\\ufe0f\",\"\\ud83c\\udff3\\ufe0f"
        "\\u200b\\u26a7\\ufe0f\")?!1:!n(e,\"\\ud83c\\uddfa\\ud83c\\uddf3\",\"\\ud83c\\uddfa\\u200b\\ud83c\\uddf3\");"
        "case\"emoji\":return!n(e,\"\\ud83d\\udc26\\u200d\\u2b1b\",\"\\ud83d\\udc26\\u200b\\u2b1b\")}return!1}"
        "}((window,document),window._wpemojiSettings);\n</script>\n"
        "<style id='wp-emoji-styles-inline-css'>img.wp-smiley, img.emoji {display: inline !important;border: none "
        "!important;box-shadow: none !important;height: 1em !important;width: 1em !important;margin: 0 0.07em "
        "!important;vertical-align: -0.1em !important;background: none !important;padding: 0 !important;}</style>"
    )


class WordPressLayout(Layout):
    title_separator = " - "

    def __init__(self, theme: str, *, category: tuple[str, str] = ("Libya", "/category/libya/"),
                 related_title: str = "You might also like", comments: bool = True):
        self.theme = theme
        self.category = category
        self.related_title = related_title
        self.with_comments = comments

    def image_url(self, site: Masthead, name: str, style: str, when: datetime = DEMO_NOW) -> str:
        size = {"og": "", "teaser": "-360x203", "logo": "", "full": "-1024x576"}.get(style, "")
        return site.url(f"/wp-content/uploads/{when:%Y/%m}/{name}{size}.jpg")

    def structured_data(self, site: Masthead, view: ArticleView, image: str) -> str:
        """Yoast SEO's graph: the NewsArticle beside WebPage, BreadcrumbList, WebSite, Organization."""
        url = site.url(view.canonical)
        article = news_article_ld(site, view, image, logo=self.logo_url(site))
        article.pop("@context")
        article["@id"] = url + "#article"
        article["isPartOf"] = {"@id": url}
        graph = {
            "@context": "https://schema.org",
            "@graph": [
                article,
                {"@type": "WebPage", "@id": url, "url": url, "name": self.page_title(site, view.story.title),
                 "isPartOf": {"@id": site.url("/#website")}, "datePublished": article["datePublished"],
                 "breadcrumb": {"@id": url + "#breadcrumb"}, "inLanguage": "en-US"},
                {"@type": "BreadcrumbList", "@id": url + "#breadcrumb", "itemListElement": [
                    {"@type": "ListItem", "position": 1, "name": "Home", "item": site.url("/")},
                    {"@type": "ListItem", "position": 2, "name": view.story.title}]},
                {"@type": "WebSite", "@id": site.url("/#website"), "url": site.url("/"), "name": site.name,
                 "description": site.tagline, "potentialAction": [{"@type": "SearchAction",
                 "target": {"@type": "EntryPoint", "urlTemplate": site.url("/?s={search_term_string}")},
                 "query-input": {"@type": "PropertyValueSpecification", "valueRequired": True,
                                 "valueName": "search_term_string"}}]},
                {"@type": "Organization", "@id": site.url("/#organization"), "name": site.name, "url": site.url("/"),
                 "sameAs": [f"https://www.facebook.com/{site.twitter}", f"https://x.com/{site.twitter}"]},
            ],
        }
        return '<script type="application/ld+json" class="yoast-schema-graph">' + json.dumps(graph, ensure_ascii=False) + "</script>"

    def document(self, site: Masthead, *, title: str, head: str, body_class: str, main: str, canonical: str) -> str:
        ver = token(site.slug, self.theme, length=6)
        return f"""<!doctype html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="profile" href="https://gmpg.org/xfn/11">
<meta name='robots' content='index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1' />
<title>{e(title)}</title>
<link rel="canonical" href="{e(site.url(canonical))}" />
{head}
<link rel='dns-prefetch' href='//fonts.googleapis.com' />
<link rel="alternate" type="application/rss+xml" title="{e(site.name)} &raquo; Feed" href="{e(site.url(site.feed_path))}" />
<link rel="alternate" type="application/rss+xml" title="{e(site.name)} &raquo; Comments Feed" href="{e(site.url('/comments/feed/'))}" />
{_emoji_loader(site)}
<link rel='stylesheet' id='wp-block-library-css' href='{e(site.url(f"/wp-includes/css/dist/block-library/style.min.css?ver={WP_VERSION}"))}' media='all' />
<link rel='stylesheet' id='{self.theme}-style-css' href='{e(site.url(f"/wp-content/themes/{self.theme}/style.css?ver={ver}"))}' media='all' />
<style id='global-styles-inline-css'>{stylesheet(site.slug + ':' + self.theme)}</style>
<link rel="https://api.w.org/" href="{e(site.url('/wp-json/'))}" />
<link rel="EditURI" type="application/rsd+xml" title="RSD" href="{e(site.url('/xmlrpc.php?rsd'))}" />
<meta name="generator" content="WordPress {WP_VERSION}" />
{analytics(site)}
</head>
<body class="{body_class} wp-embed-responsive theme-{self.theme}">
{icon_sprite(site.slug)}
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#primary">Skip to content</a>
<header id="masthead" class="site-header">
<div class="site-branding"><p class="site-title"><a href="{e(site.url('/'))}" rel="home">{e(site.name)}</a></p><p class="site-description">{e(site.tagline)}</p></div>
<nav id="site-navigation" class="main-navigation"><button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">{icon('menu')} Menu</button>
<div class="menu-main-menu-container"><ul id="primary-menu" class="menu">{menu(site, site.nav, "menu-item")}</ul></div></nav>
<div class="ticker"><span class="ticker__label">Trending</span><ul class="ticker__list">{menu(site, site.topics, "ticker")}</ul></div>
</header>
<div id="content" class="site-content">
<div id="primary" class="content-area"><main id="main" class="site-main">
{main}
</main></div>
<aside id="secondary" class="widget-area">
<section id="search-2" class="widget widget_search"><form role="search" method="get" class="search-form" action="{e(site.url('/'))}"><label><span class="screen-reader-text">Search for:</span><input type="search" class="search-field" placeholder="Search &hellip;" value="" name="s" /></label><input type="submit" class="search-submit" value="Search" /></form></section>
<section class="widget widget_newsletter">{newsletter_box(site)}</section>
<section class="widget widget_categories"><h2 class="widget-title">Categories</h2><ul>{menu(site, site.topics, "cat-item")}</ul></section>
</aside>
</div>
<footer id="colophon" class="site-footer">
<nav class="footer-navigation"><ul class="menu">{menu(site, site.footer, "menu-item")}</ul></nav>
<div class="site-info">{copyright_line(site, DEMO_NOW.year)} <span class="sep"> | </span>Proudly powered by WordPress</div>
</footer>
</div>
{cookie_banner(site)}
<script src="{e(site.url('/wp-includes/js/jquery/jquery.min.js?ver=3.7.1'))}" id="jquery-core-js"></script>
<script src="{e(site.url('/wp-includes/js/jquery/jquery-migrate.min.js?ver=3.4.1'))}" id="jquery-migrate-js"></script>
<script src="{e(site.url(f'/wp-content/themes/{self.theme}/js/navigation.js?ver={ver}'))}" id="{self.theme}-navigation-js"></script>
<script src="{e(site.url(f'/wp-includes/js/comment-reply.min.js?ver={WP_VERSION}'))}" id="comment-reply-js" async data-wp-strategy="async"></script>
</body>
</html>
"""

    def _comments(self, site: Masthead, view: ArticleView) -> str:
        if not self.with_comments:
            return ""
        items = "".join(
            f'<li id="comment-{view.post_id * 10 + n}" class="comment even thread-even depth-1"><article class="comment-body">'
            f'<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">{e(c.author)}</b> <span class="says">says:</span></div>'
            f'<div class="comment-metadata"><time datetime="{iso(site.local(c.posted))}">{site.local(c.posted):%B %d, %Y at %H:%M}</time></div></footer>'
            f'<div class="comment-content"><p>{e(c.text)}</p></div><div class="reply"><a rel="nofollow" class="comment-reply-link" href="#respond">Reply</a></div></article></li>'
            for n, c in enumerate(view.comments, start=1)
        )
        heading = (f'<h2 class="comments-title">{len(view.comments)} thoughts on &ldquo;{e(view.story.title)}&rdquo;</h2>'
                   f'<ol class="comment-list">{items}</ol>') if view.comments else ""
        return (f'<div id="comments" class="comments-area">{heading}<div id="respond" class="comment-respond">'
                '<h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3><form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form">'
                '<p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> Required fields are marked <span class="required">*</span></p>'
                '<p class="comment-form-comment"><label for="comment">Comment</label><textarea id="comment" name="comment" cols="45" rows="8" required></textarea></p>'
                f'<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment" /><input type="hidden" name="comment_post_ID" value="{view.post_id}" id="comment_post_ID" /></p></form></div></div>')

    def article_main(self, site: Masthead, view: ArticleView) -> str:
        story = view.story
        local, modified = site.local(story.published), site.local(story.modified)
        tags = ", ".join(f'<a href="{e(site.url("/tag/" + "-".join(t.lower().split()) + "/"))}" rel="tag">{e(t)}</a>' for t in story.tags)
        author_slug = "-".join(story.author.lower().split())
        nav = ""
        if len(view.related) >= 2:
            prev, nxt = view.related[0], view.related[1]
            nav = (f'<nav class="navigation post-navigation" aria-label="Posts"><h2 class="screen-reader-text">Post navigation</h2><div class="nav-links">'
                   f'<div class="nav-previous"><a href="{e(site.url(prev.path))}" rel="prev"><span class="nav-subtitle">Previous:</span> <span class="nav-title">{e(prev.title)}</span></a></div>'
                   f'<div class="nav-next"><a href="{e(site.url(nxt.path))}" rel="next"><span class="nav-subtitle">Next:</span> <span class="nav-title">{e(nxt.title)}</span></a></div></div></nav>')
        return f"""<article id="post-{view.post_id}" class="post-{view.post_id} post type-post status-publish format-standard has-post-thumbnail hentry category-{e(self.category[0].lower())}">
<header class="entry-header">
<span class="cat-links"><a href="{e(site.url(view.section[1]))}" rel="category tag">{e(view.section[0])}</a></span>
<h1 class="entry-title">{e(story.title)}</h1>
<div class="entry-meta"><span class="posted-on">Posted on <a href="{e(site.url(view.canonical))}" rel="bookmark"><time class="entry-date published" datetime="{iso(local)}">{local:%B %d, %Y}</time><time class="updated" datetime="{iso(modified)}">{modified:%B %d, %Y}</time></a></span><span class="byline"> by <span class="author vcard"><a class="url fn n" href="{e(site.url('/author/' + author_slug + '/'))}">{e(story.author)}</a></span></span></div>
</header>
<div class="post-thumbnail"><img width="1024" height="576" src="{e(self.image_url(site, story.figure.name, 'full', story.published))}" class="attachment-post-thumbnail size-post-thumbnail wp-post-image" alt="" decoding="async" fetchpriority="high" /></div>
<div class="entry-content">
{view.prelude_html}{body_paragraphs(site, view, read_more="READ ALSO:", css="wp-block-read-also")}
{view.appendix_html}
</div>
<footer class="entry-footer"><span class="tags-links">Tagged {tags}</span></footer>
</article>
{share_bar(site.url(view.canonical), story.title, css="sharedaddy")}
{nav}
<div class="related-posts"><h3 class="related-posts__title">{e(self.related_title)}</h3><div class="related-posts__list">{teaser_list(site, view.related, css="related-post", image_url=lambda n, s: self.image_url(site, n, s))}</div></div>
{self._comments(site, view)}"""

    def listing_main(self, site: Masthead, view: ListingView) -> str:
        items = "".join(
            f'<article class="post type-post status-publish format-standard has-post-thumbnail hentry">'
            f'<div class="post-thumbnail"><a href="{e(site.url(t.path))}"><img width="360" height="203" src="{e(self.image_url(site, t.image, "teaser", t.published))}" alt="" loading="lazy" /></a></div>'
            f'<header class="entry-header"><h2 class="entry-title"><a href="{e(site.url(t.path))}" rel="bookmark">{e(t.title)}</a></h2>'
            f'<div class="entry-meta"><time class="entry-date published" datetime="{iso(site.local(t.published))}">{site.local(t.published):%B %d, %Y}</time></div></header>'
            f'<div class="entry-summary"><p>{e(t.summary)} [&hellip;]</p></div></article>'
            for t in view.teasers
        )
        links = pager(site, view, ("next", '<div class="nav-previous"><a href="{href}">Older posts</a></div>'),
                      ("prev", '<div class="nav-next"><a href="{href}">Newer posts</a></div>'))
        return (f'<header class="page-header"><h1 class="page-title">{e(view.title)}</h1><div class="archive-description"><p>{e(view.description)}</p></div></header>'
                f'{items}<nav class="navigation posts-navigation" aria-label="Posts"><h2 class="screen-reader-text">Posts navigation</h2><div class="nav-links">{links}</div></nav>')

    def plain_main(self, site: Masthead, view: PlainView) -> str:
        return (f'<article class="page type-page status-publish hentry"><header class="entry-header"><h1 class="entry-title">{e(view.title)}</h1></header>'
                f'<div class="entry-content">{view.body_html}</div></article>')
