"""The seven outlets the demo site mimics: URL schemes, CMS layouts, feeds, listings,
robots.txt and the non-article pages each one carries (see ``notes/outlets.md``)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from crawler.demo.content import DEMO_NOW
from crawler.demo.layouts import AlJazeeraLayout, AlwasatLayout, DrupalLayout, WordPressLayout
from crawler.demo.layouts.parts import e
from crawler.demo.layouts.views import PlainView
from crawler.demo.nonarticles import gallery_body, hub_body, info_body, video_body
from crawler.demo.site import Entry, FeedSpec, ListingSpec, OutletSite, OutletSpec

_ECONOMY_TOPICS = {"oil", "economy", "gulf", "grain"}
_PAGES_DATE = datetime(2024, 3, 4, 10, 0, tzinfo=timezone.utc)

DRUPAL_ROBOTS = """#
# robots.txt
#
# This file is to prevent the crawling and indexing of certain parts
# of your site by web crawlers and spiders run by sites like Yahoo!
# and Google. By telling these "robots" where not to go on your site,
# you save bandwidth and server resources.
#
# For more information about the robots.txt standard, see:
# http://www.robotstxt.org/robotstxt.html

User-agent: *
# CSS, JS, Images
Allow: /core/*.css$
Allow: /core/*.css?
Allow: /core/*.js$
Allow: /core/*.js?
Allow: /core/*.gif
Allow: /core/*.jpg
Allow: /core/*.png
Allow: /core/*.svg
# Directories
Disallow: /core/
Disallow: /profiles/
# Files
Disallow: /README.md
Disallow: /composer/Metapackage/README.txt
Disallow: /web.config
# Paths (clean URLs)
Disallow: /admin/
Disallow: /comment/reply/
Disallow: /filter/tips
Disallow: /node/add/
Disallow: /search/
Disallow: /user/register
Disallow: /user/password
Disallow: /user/login
Disallow: /user/logout
# Paths (no clean URLs)
Disallow: /index.php/admin/
Disallow: /index.php/comment/reply/
Disallow: /index.php/node/add/
Disallow: /index.php/search/
Disallow: /index.php/user/login
"""

WORDPRESS_ROBOTS = """User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php
"""

ALJAZEERA_ROBOTS = """User-agent: *
Disallow: /api
Disallow: /search/
Disallow: /asset-manifest.json

User-agent: anthropic-ai
Disallow: /

User-agent: ChatGPT-User
Disallow: /

User-agent: ClaudeBot
Disallow: /

User-agent: Claude-Web
Disallow: /

User-agent: cohere-ai
Disallow: /

User-agent: GPTBot
Disallow: /

User-agent: PerplexityBot
Disallow: /

User-agent: Bytespider
Disallow: /

Sitemap: {base}/sitemap.xml
"""

ALWASAT_ROBOTS = """User-agent: *
Disallow: /admin
Disallow: /search
Disallow: /user
"""

# Middle East Eye keeps paid partner content out of search engines.
MEE_SPONSORED_PREFIX = "/news/sponsored-"


def _local(site: OutletSite, entry: Entry) -> datetime:
    return site.masthead.local(entry.published)


# --- Middle East Eye ----------------------------------------------------------------------

def _mee_extras(site: OutletSite) -> list[Entry]:
    video_caption = "Residents of southern Tripoli filmed gunfire lighting up the sky over Ain Zara as rival armed groups clashed overnight."
    video = Entry(
        kind="non_article", title="Video: Families flee as gunfire echoes across southern Tripoli",
        published=(DEMO_NOW - timedelta(days=2, hours=5)).replace(microsecond=0), summary=video_caption,
        image="mee-video-tripoli-gunfire", libya=True, path="/news/video-families-flee-gunfire-southern-tripoli",
        body=lambda s, en: PlainView(en.title, en.path, video_caption, video_body(s.masthead, caption=video_caption, duration="1:47"),
                                     og_type="video.other", published=en.published),
    )
    gulf = site.newsroom.write("gulf", (DEMO_NOW - timedelta(days=4, hours=2)).replace(microsecond=0), index=900)
    sponsored = site.story_entry(gulf, kind="disallowed", title="Sponsored: " + gulf.title, libya=False,
                                 path=MEE_SPONSORED_PREFIX + "gulf-logistics-partners-forum")
    return [video, sponsored]


MIDDLE_EAST_EYE = OutletSpec(
    slug="middleeasteye", name="Middle East Eye", language="en", scope="filter", mix="filter",
    layout=DrupalLayout("mee"),
    article_regex=r"/(news|opinion|discover|big-story|explainers|live-blog)/[a-z0-9-]+(/amp)?",
    path_for=lambda site, en: f"/news/{site.slug_of(en)}",
    section_for=lambda en: ("News", "/news"),
    robots=DRUPAL_ROBOTS + "# Paid partner content is not for indexing\nDisallow: " + MEE_SPONSORED_PREFIX + "\n",
    nav=(("News", "/news"), ("Opinion", "/opinion"), ("Explainers", "/explainers"), ("Discover", "/discover"),
         ("Video", "/video"), ("Big Story", "/big-story"), ("Newsletters", "/newsletters")),
    topics=(("Libya", "/countries/libya"), ("Palestine", "/topics/palestine"), ("Sudan", "/countries/sudan"),
            ("Lebanon", "/countries/lebanon"), ("Gulf", "/topics/gulf"), ("Egypt", "/countries/egypt"),
            ("Turkey", "/countries/turkey"), ("Iran", "/countries/iran")),
    footer=(("About", "/about-us"), ("Contact", "/contact"), ("Privacy", "/privacy-policy"),
            ("Terms and conditions", "/terms-and-conditions"), ("Cookie policy", "/cookie-policy")),
    tagline="Independent, in-depth news and analysis of the Middle East and North Africa.",
    twitter="MiddleEastEye", founded=2014, utc_offset=timedelta(0),
    feeds=(FeedSpec("/rss", size=20),),
    listings=(
        ListingSpec("/countries/libya", "/countries/libya?page={page0}", 8, "Libya",
                    "The latest news and analysis from Libya.", libya_only=True, past_end_status=200),
        ListingSpec("/news", "/news?page={page0}", 12, "News", "All the latest news from Middle East Eye.",
                    past_end_status=200),
    ),
    first_id=380000, id_step=7, extras=_mee_extras, generator="Drupal 10 (https://www.drupal.org)",
)


# --- Libyan Express -----------------------------------------------------------------------

def _le_pages(site: OutletSite) -> list[Entry]:
    def page(title: str, path: str, lines: tuple[str, ...]) -> Entry:
        return Entry(kind="non_article", title=title, published=_PAGES_DATE, path=path, in_feed=False,
                     in_listing=False, body=lambda s, en: PlainView(en.title, en.path, lines[0], info_body(s.masthead, lines=lines)))

    def hub(s: OutletSite, en: Entry) -> PlainView:
        teasers = [x.teaser() for x in s.stories if x.story and x.story.topic == "politics"][:8] or [x.teaser() for x in s.stories[:8]]
        intro = "All our coverage of the long road to national elections in Libya."
        return PlainView(en.title, en.path, intro, hub_body(s.masthead, intro=intro, teasers=teasers))

    return [
        page("About Us", "/about-us/", ("Libyan Express is an independent news website covering Libya.",
                                        "Our reporters work in Tripoli, Benghazi, Misrata and Sabha.")),
        page("Contact Us", "/contact-us/", ("Write to us at news@libyanexpress.com.", "For advertising, use the form below.")),
        page("Privacy Policy", "/privacy-policy/", ("We respect your privacy.", "This policy explains which data we collect.")),
        Entry(kind="non_article", title="Libya Elections 2026", published=_PAGES_DATE, path="/libya-elections-2026/",
              in_feed=False, in_listing=False, body=hub),
    ]


def _le_correction_form(site: OutletSite, entry: Entry) -> str:
    """The correction form Libyan Express prints inside every post, repeated boilerplate for extractors."""
    return (
        '<div class="submit-correction"><h4 class="submit-correction__title">Submit a Correction</h4>'
        f'<p class="submit-correction__for">For: {e(entry.title)}</p>'
        '<form class="submit-correction__form" method="post"><textarea name="correction" rows="4"></textarea>'
        '<input type="email" name="email" placeholder="Email"><button type="submit">Send</button></form>'
        '<p class="submit-correction__ok">Your suggestion have been successfully submitted</p>'
        '<p class="submit-correction__error">There was an error while trying to send your request. Please try again.</p>'
        '<p class="submit-correction__gdpr">Libyan Express will use the information you provide on this form to be in touch with you and to provide updates and marketing.</p></div>'
    )


LIBYAN_EXPRESS = OutletSpec(
    slug="libyanexpress", name="Libyan Express", language="en", scope="all",
    layout=WordPressLayout("libyanexpress"),
    article_regex=r"/[a-z0-9-]+/?",
    path_for=lambda site, en: f"/{site.slug_of(en)}/",
    section_for=lambda en: ("Economy", "/category/economy/") if en.story and en.story.topic in _ECONOMY_TOPICS else ("Libya", "/category/libya/"),
    robots=WORDPRESS_ROBOTS,
    nav=(("Home", "/"), ("Libya", "/category/libya/"), ("Politics", "/category/politics/"), ("Economy", "/category/economy/"),
         ("Op-Ed", "/category/op-ed/"), ("Elections 2026", "/libya-elections-2026/")),
    topics=(("Tripoli", "/tag/tripoli/"), ("Haftar", "/tag/haftar/"), ("Oil", "/tag/oil/"), ("Migration", "/tag/migration/")),
    footer=(("About Us", "/about-us/"), ("Contact Us", "/contact-us/"), ("Privacy Policy", "/privacy-policy/")),
    tagline="Libya news, politics and analysis", twitter="LibyanExpress", founded=2015, utc_offset=timedelta(hours=2),
    feeds=(FeedSpec("/feed/", guid="/?p={id}"),),
    listings=(ListingSpec("/", "/page/{page}/", 10, "Libyan Express", "Latest news from Libya"),),
    first_id=61000, id_step=3, comments=True, extras=_le_pages, appendix=_le_correction_form,
    generator="https://wordpress.org/?v=6.6.2",
)


# --- The Libya Observer ---------------------------------------------------------------------

def _lo_section(entry: Entry) -> tuple[str, str]:
    topic = entry.story.topic if entry.story else ""
    if topic in _ECONOMY_TOPICS:
        return ("Economy", "/economy")
    if topic == "politics":
        return ("Politics", "/politics")
    return ("News", "/news")


def _lo_extras(site: OutletSite) -> list[Entry]:
    def index(s: OutletSite, en: Entry) -> PlainView:
        intro = "Coverage of the Libyan elections and the political process."
        return PlainView(en.title, en.path, intro, hub_body(s.masthead, intro=intro, teasers=[x.teaser() for x in s.stories[:10]]))

    return [Entry(kind="non_article", title="Elections 2026", published=_PAGES_DATE, path="/news/elections-2026",
                  in_feed=False, in_listing=False, body=index)]


LIBYA_OBSERVER = OutletSpec(
    slug="libyaobserver", name="The Libya Observer", language="en", scope="all",
    layout=DrupalLayout("libyaobserver", read_more="Related", comments="none"),
    article_regex=r"/(news|inbrief|economy|politics|sports|opinions)/[a-z0-9-]{3,}",
    path_for=lambda site, en: f"{en.section[1]}/{site.slug_of(en)}",
    section_for=_lo_section,
    robots=DRUPAL_ROBOTS,
    nav=(("Home", "/"), ("News", "/news"), ("Politics", "/politics"), ("Economy", "/economy"), ("In Brief", "/inbrief"),
         ("Opinions", "/opinions"), ("Sports", "/sports")),
    topics=(("Elections 2026", "/news/elections-2026"), ("Tripoli", "/tags/tripoli"), ("Oil", "/tags/oil"), ("Derna", "/tags/derna")),
    footer=(("About", "/about"), ("Contact", "/contact"), ("Archive", "/archive")),
    tagline="Libya’s independent English-language news source", twitter="Lyobserver", founded=2016,
    utc_offset=timedelta(hours=2),
    feeds=(FeedSpec("/rss.xml"),),
    listings=(ListingSpec("/news", "/news?page={page0}", 10, "News", "Latest news from Libya", past_end_status=200),),
    first_id=41000, id_step=5, extras=_lo_extras, generator="Drupal 10 (https://www.drupal.org)",
)


# --- Libya Herald -----------------------------------------------------------------------------

LIBYA_HERALD = OutletSpec(
    slug="libyaherald", name="Libya Herald", language="en", scope="all",
    layout=WordPressLayout("libyaherald", related_title="Related Posts"),
    article_regex=r"/20\d{2}/\d{2}/(\d{2}/)?[^/?#]+/?",
    path_for=lambda site, en: f"/{_local(site, en):%Y/%m}/{site.slug_of(en)}/",
    section_for=lambda en: ("Business", "/category/business/") if en.story and en.story.topic in _ECONOMY_TOPICS else ("Libya", "/category/libya/"),
    robots=WORDPRESS_ROBOTS,
    nav=(("Home", "/"), ("Libya", "/category/libya/"), ("Business", "/category/business/"), ("Politics", "/category/politics/"),
         ("Security", "/category/security/"), ("Opinion", "/category/opinion/")),
    topics=(("Tripoli", "/tag/tripoli/"), ("NOC", "/tag/noc/"), ("UNSMIL", "/tag/unsmil/"), ("CBL", "/tag/cbl/")),
    footer=(("About", "/about/"), ("Advertise", "/advertise/"), ("Contact", "/contact/")),
    tagline="Libya’s first independent English-language news website", twitter="LibyaHerald", founded=2012,
    utc_offset=timedelta(hours=1),
    feeds=(FeedSpec("/feed/atom/", format="atom"), FeedSpec("/feed/", guid="/?p={id}")),
    listings=(ListingSpec("/category/libya/", "/category/libya/page/{page}/", 10, "Libya", "News from Libya"),),
    first_id=172000, id_step=4, comments=True, generator="https://wordpress.org/?v=6.6.2",
)


# --- Libya Review -----------------------------------------------------------------------------

def _lr_extras(site: OutletSite) -> list[Entry]:
    images = [(f"derna-bridge-{n}", caption) for n, caption in enumerate((
        "The new bridge over Wadi Derna on its opening day.",
        "Residents cross the bridge on foot.",
        "Engineers inspect the riverbank works.",
        "Evening traffic on the rebuilt corniche.",
        "Children on the steps of the new school.",
        "A view of the valley from the eastern bank.",
    ))]

    def gallery(s: OutletSite, en: Entry) -> PlainView:
        body = gallery_body(s.masthead, images=images, image_url=lambda n: s.spec.layout.image_url(s.masthead, n, "full"))
        return PlainView(en.title, en.path, "Photos", body, published=en.published)

    return [Entry(kind="non_article", title="In pictures: Derna’s new bridges open over the valley",
                  published=(DEMO_NOW - timedelta(days=5, hours=3)).replace(microsecond=0), summary="Photos from Derna.",
                  image="derna-bridge-0", body=gallery)]


LIBYA_REVIEW = OutletSpec(
    slug="libyareview", name="Libya Review", language="en", scope="all",
    layout=WordPressLayout("libyareview", related_title="Related Articles", comments=False),
    article_regex=r"/\d+/[a-z0-9-]+/?",
    path_for=lambda site, en: f"/{en.post_id}/{site.slug_of(en)}/",
    section_for=lambda en: ("Economy", "/category/economy/") if en.story and en.story.topic in _ECONOMY_TOPICS else ("Libya", "/category/libya/"),
    robots=WORDPRESS_ROBOTS,
    nav=(("Home", "/"), ("Libya", "/category/libya/"), ("Economy", "/category/economy/"), ("World", "/category/world/"),
         ("Gallery", "/category/gallery/")),
    topics=(("Haftar", "/tag/haftar/"), ("Dbeibah", "/tag/dbeibah/"), ("Oil", "/tag/oil/")),
    footer=(("About", "/about-us/"), ("Contact", "/contact-us/")),
    tagline="Libya news from Libya Review", twitter="LibyaReview", founded=2018, utc_offset=timedelta(hours=3),
    feeds=(FeedSpec("/feed/", guid="/?p={id}"),),
    listings=(ListingSpec("/category/libya/", "/category/libya/page/{page}/", 10, "Libya", "All news from Libya"),),
    first_id=55000, id_step=11, extras=_lr_extras, generator="https://wordpress.org/?v=6.6.2",
)


# --- Al Jazeera English -----------------------------------------------------------------------

def _aj_path(site: OutletSite, entry: Entry) -> str:
    local = _local(site, entry)
    return f"{entry.section[1].rstrip('/')}/{local.year}/{local.month}/{local.day}/{site.slug_of(entry)}"


ALJAZEERA = OutletSpec(
    slug="aljazeera", name="Al Jazeera", language="en", scope="filter", mix="filter",
    layout=AlJazeeraLayout(),
    article_regex=r"/(news|features|opinions|economy)/\d{4}/\d{1,2}/\d{1,2}/[a-z0-9-]+/?",
    path_for=_aj_path,
    section_for=lambda en: ("Economy", "/economy/") if en.story and en.story.topic in _ECONOMY_TOPICS else ("News", "/news/"),
    robots=ALJAZEERA_ROBOTS,
    nav=(("News", "/news/"), ("Middle East", "/middle-east/"), ("Africa", "/africa/"), ("Libya", "/where/libya/"),
         ("Features", "/features/"), ("Economy", "/economy/"), ("Opinion", "/opinion/"), ("Video", "/video/")),
    topics=(("Gaza", "/where/palestine/"), ("Sudan", "/where/sudan/"), ("Lebanon", "/where/lebanon/"), ("Libya", "/where/libya/")),
    footer=(("About", "/about/"), ("Contact us", "/contact/"), ("Code of ethics", "/code-of-ethics/"),
            ("Privacy policy", "/privacy/"), ("Cookie preferences", "/cookie-preferences/")),
    tagline="News, analysis from the Middle East and worldwide", twitter="AJEnglish", founded=2006,
    utc_offset=timedelta(hours=3),
    feeds=(FeedSpec("/xml/rss/all.xml", size=25),),
    listings=(ListingSpec("/where/libya/", "", 15, "Libya", "Libya news and headlines", libya_only=True),),
    news_sitemap=True, first_id=3100000, id_step=13,
)


# --- Alwasat (Arabic) -----------------------------------------------------------------------

ALWASAT = OutletSpec(
    slug="alwasat", name="بوابة الوسط", language="ar", scope="all",
    layout=AlwasatLayout(),
    article_regex=r"/news/libya/\d+",
    path_for=lambda site, en: f"/news/libya/{en.post_id}",
    section_for=lambda en: ("ليبيا", "/section/libya"),
    robots=ALWASAT_ROBOTS,
    nav=(("الرئيسية", "/"), ("ليبيا", "/section/libya"), ("اقتصاد", "/section/economy"), ("دولي", "/section/international"),
         ("رياضة", "/section/sports"), ("ثقافة وفنون", "/section/art-culture")),
    topics=(("طرابلس", "/tags/tripoli"), ("النفط", "/tags/oil"), ("الانتخابات", "/tags/elections")),
    footer=(("من نحن", "/about"), ("اتصل بنا", "/contact"), ("سياسة الخصوصية", "/privacy")),
    tagline="بوابة الوسط: أخبار ليبيا والعالم", twitter="alwasatly", founded=2013, utc_offset=timedelta(hours=2),
    listings=(ListingSpec("/section/libya", "/section/libya?page={page}", 8, "ليبيا", "آخر أخبار ليبيا", past_end_status=200),),
    first_id=480000, id_step=9, outlet_mention="«بوابة الوسط»", config_name="Alwasat",
)

OUTLETS: tuple[OutletSpec, ...] = (
    MIDDLE_EAST_EYE, LIBYAN_EXPRESS, LIBYA_OBSERVER, LIBYA_HERALD, LIBYA_REVIEW, ALJAZEERA, ALWASAT,
)
