"""The contract of a CMS layout: an article, a listing and a plain page, as whole HTML documents."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime

from crawler.demo.content import DEMO_NOW
from crawler.demo.layouts.parts import iso, json_ld, meta_tags, news_article_ld
from crawler.demo.layouts.views import ArticleView, ListingView, Masthead, PlainView


class Layout(ABC):
    """Renders an outlet's pages the way its CMS does; subclasses supply the markup."""

    title_separator = " | "

    @abstractmethod
    def image_url(self, site: Masthead, name: str, style: str, when: datetime = DEMO_NOW) -> str: ...

    @abstractmethod
    def document(self, site: Masthead, *, title: str, head: str, body_class: str, main: str, canonical: str) -> str:
        """The whole page around ``main``: doctype, head, header, footer, scripts."""

    @abstractmethod
    def article_main(self, site: Masthead, view: ArticleView) -> str: ...

    @abstractmethod
    def listing_main(self, site: Masthead, view: ListingView) -> str: ...

    @abstractmethod
    def plain_main(self, site: Masthead, view: PlainView) -> str: ...

    def structured_data(self, site: Masthead, view: ArticleView, image: str) -> str:
        """The article's JSON-LD script."""
        return json_ld(news_article_ld(site, view, image, logo=self.logo_url(site)))

    def logo_url(self, site: Masthead) -> str:
        return self.image_url(site, f"{site.slug}-logo", "logo")

    def page_title(self, site: Masthead, title: str) -> str:
        return f"{title}{self.title_separator}{site.name}"

    def article(self, site: Masthead, view: ArticleView) -> str:
        story = view.story
        image = self.image_url(site, story.figure.name, "og", story.published)
        head = meta_tags(
            site, title=story.title, description=story.standfirst, url=site.url(view.canonical), image=image,
            og_type="article", published=story.published, modified=story.modified, section=view.section[0],
            tags=story.tags, author=story.author,
        )
        head += "\n" + self.structured_data(site, view, image)
        if view.amp_path:
            head += f'\n<link rel="amphtml" href="{site.url(view.amp_path)}">'
        return self.document(site, title=self.page_title(site, story.title), head=head,
                             body_class="article", main=self.article_main(site, view), canonical=view.canonical)

    def listing(self, site: Masthead, view: ListingView) -> str:
        image = self.logo_url(site)
        head = meta_tags(site, title=view.title, description=view.description, url=site.url(view.path),
                         image=image, og_type="website")
        if view.prev_path:
            head += f'\n<link rel="prev" href="{site.url(view.prev_path)}">'
        if view.next_path:
            head += f'\n<link rel="next" href="{site.url(view.next_path)}">'
        title = view.title if view.page == 1 else f"{view.title} - Page {view.page}"
        return self.document(site, title=self.page_title(site, title), head=head, body_class="listing",
                             main=self.listing_main(site, view), canonical=view.path)

    def plain(self, site: Masthead, view: PlainView) -> str:
        image = self.logo_url(site)
        head = meta_tags(site, title=view.title, description=view.description, url=site.url(view.path),
                         image=image, og_type=view.og_type, published=view.published)
        if view.published:
            head += f'\n<meta itemprop="uploadDate" content="{iso(site.local(view.published))}">'
        return self.document(site, title=self.page_title(site, view.title), head=head, body_class="page",
                             main=self.plain_main(site, view), canonical=view.path)
