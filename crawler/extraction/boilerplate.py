"""Outlet furniture that survives main-text extraction, removed paragraph by paragraph.

trafilatura finds the article's container, but CMS templates put more inside it: op-ed
disclaimers, "You might also like" blocks, share and follow prompts, newsletter boxes,
correction forms, copyright lines, captions printed twice, the headline repeated. Each
kind is one row of :data:`RULES`: patterns anchored at the paragraph's start plus a
length cap, so a sentence of real prose that merely mentions a newsletter stays. The
rows are data, general across outlets (English and Arabic), never a fix for one page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from storage.text import normalize_text


@dataclass(frozen=True, slots=True)
class Rule:
    """A paragraph that starts like one of ``patterns`` and has at most ``max_words``
    words is boilerplate.

    ``heading`` rules head a block of teasers ("Related", "You might also like"): the
    short headline-like paragraphs right after them go too.
    """

    name: str
    patterns: tuple[str, ...]
    max_words: int
    heading: bool = False

    def compiled(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in self.patterns), re.IGNORECASE)


RULES: tuple[Rule, ...] = (
    Rule("opinion_disclaimer", (
        r"(the )?(views|opinions)( and opinions)? expressed (in|by)\b"
        r"(?=.*\b(author|writer|contributor|columnist|reflect|represent|editorial|policy))",
        r"(this|the) (article|piece|op-?ed|column|opinion|content) (does not|doesn'?t) (necessarily )?(reflect|represent)",
        r"(المقال|المقالات|الآراء)\b.{0,60}(تعبر|يعبر) عن (رأي|آراء|وجهة نظر)",
    ), 70),
    Rule("opinion_submission", (
        r"how to submit an op-?ed",
        r".{0,60}\baccepts (opinion|op-?ed) (articles|pieces)",
        r"(submissions|op-?eds) may be sent to",
    ), 70),
    Rule("related", (
        r"you (might|may) (also )?(like|enjoy|be interested in)\b",
        r"recommended( for you| stories| articles| reading)?\b",
        r"related( articles| posts| stories| news| content| coverage| reading| links| topics)?\b",
        r"more( \w+){0,2} (stories|news|articles|reads|coverage)\b",
        r"more (from|on|in)\b",
        r"(read|see|watch) (more|also|next)\b",
        r"also (read|see|watch|on)\b",
        r"most (read|popular|viewed|shared)\b",
        r"trending( now| stories)?\b",
        r"editor'?s picks?\b",
        r"don'?t miss\b",
        r"(top|latest) (stories|news|articles)\b",
        r"(اقرأ|شاهد) (أيضا|ايضا|أيضاً|ايضاً)",
        r"(أخبار|مواضيع|مقالات) ذات صلة",
        r"قد يعجبك",
        r"الأكثر (قراءة|مشاهدة)",
    ), 20, heading=True),
    Rule("correction_form", (r"(submit|suggest|report) an? (correction|error|typo)",), 8),
    Rule("form_message", (
        r"your (suggestion|message|comment|submission|request)s? (has|have) been (successfully )?(submitted|sent|received)",
        r"there was an (error|problem) .{0,60}(try again|your request)",
        r".{0,80}\bwill use the information you provide on this form",
    ), 40),
    Rule("form_message", (r"(please )?(fill in|complete) (all )?(the )?(required|mandatory) fields",), 15),
    Rule("share", (r"share (this|on|via)\b", r"(click|tap) (here )?to share"), 6),
    Rule("share", (
        r"(like|enjoy(ed)?|love) this (story|article|post)\?",
        r"share (it )?with (a friend|your friends)",
    ), 10),
    Rule("follow", (
        r"follow (us|him|her|them|@\S+|[\w.@ ]{1,40}?) on "
        r"(twitter|facebook|instagram|telegram|youtube|linkedin|google news|tiktok|whatsapp|x)\b",
    ), 45),
    Rule("follow", (
        r"(?=.*@\w).{0,200}\bfollow (us|him|her|them) (on|at) "
        r"(twitter|facebook|instagram|telegram|youtube|linkedin|tiktok|x)\b",
    ), 60),
    Rule("follow", (r"(تابعونا|تابعنا|تابعوا) (على|عبر)",), 20),
    Rule("newsletter", (
        r"(.{0,40}\b)?(sign up|subscribe|register) (now |today |here )?(for|to) .{0,60}"
        r"(newsletter|briefing|digest|alerts|updates|mailing list)",
        r"(.{0,40}\b)?subscribe (now|today|here)\b",
        r"(.{0,40}\b)?get (the|our) .{0,40}newsletter",
        r"(.{0,40}\b)?get .{0,60} delivered (to|through|in) your (inbox|letterbox|door)",
        r"(enter|type) your (e-?mail|email address)",
    ), 40),
    Rule("newsletter", (r"اشترك (في|الآن)",), 20),
    Rule("copyright", (
        r"©|\(c\)|copyright\s*(©|\(c\))?\s*\d{4}",
        r".{0,80}\ball rights reserved",
        r"جميع الحقوق محفوظة",
    ), 25),
    Rule("comments", (
        r"(\d+\s+)?comments?( \(\d+\))?$",
        r"tell us what you think",
        r"leave a (comment|reply)",
        r"comments are closed",
        r"(join|start) the (conversation|discussion)",
        r"(show|view|load) (all )?comments",
    ), 10),
    Rule("cookie_notice", (
        r"(we|this (site|website)|our (site|website|partners)) (and our partners )?uses? cookies",
        r"by (continuing to use|using|browsing) (this|our) (site|website)",
        r"(accept|manage) (all )?cookies",
    ), 80),
    Rule("call_to_action", (r".{0,120}\b((click|tap)(ing)? here( to| for)?\b|download (our|the) app)",), 30),
    Rule("advertisement", (
        r"(advertisement|sponsored( content)?|paid (content|post)|ad feedback)$",
        r"(continue reading (below|the main story)|story continues below( advertisement)?|scroll (down )?to continue)$",
    ), 6),
    # The lookahead fails most paragraphs in one scan before the 800 start positions are tried.
    Rule("photo_caption", (
        r"(?=[^/]*/).{0,800}\b(AFP PHOTO|AP Photo|REUTERS|Getty Images|EPA|Anadolu Agency|AA)\s*/\s*[^\W\d][\w .'/-]{1,80}\)?$",
    ), 150),
    Rule("media_credit", (
        r"(image|photo|picture|video|file photo|featured image|header image)s?( source| credit)?s?\s*[:/]",
    ), 15),
    Rule("bare_link", (r"(\w+\s*:\s*)?(https?://|www\.)\S+$",), 4),
)

_COMPILED = tuple((rule, rule.compiled()) for rule in RULES)
_SENTENCE_END = re.compile("[.!?\u061f\u06d4\u201d\"\u00bb)]$")
_LIST_ITEM = re.compile(r"^[-*\u2022\u25aa\u25cf]\s")
_TEASER_MAX_WORDS = 16
_HEADING_MAX_CHARS = 80
# A caption or box printed twice repeats within a few paragraphs; a recipe or Q&A
# repeating its labels further down is content.
_REPEAT_WINDOW = 3


def matching_rule(paragraph: str) -> Rule | None:
    """The first rule this paragraph is boilerplate under, if any."""
    text = paragraph.strip().lstrip("-*\u2022 ").strip()
    words = len(text.split())
    for rule, pattern in _COMPILED:
        if words <= rule.max_words and pattern.match(text):
            if rule.heading and _SENTENCE_END.search(text) and words > 3:
                continue
            return rule
    return None


def prune_teaser_lists(tree: HtmlElement) -> None:
    """Remove "More stories"-style headings together with the link list right after them.

    Extractors often drop the short heading and keep the list, which then reads like the
    article's own closing bullet points; in the tree the two still sit side by side.
    """
    for listing in list(tree.iter("ul", "ol")):
        heading = listing.getprevious()
        if heading is None or heading.tag in ("ul", "ol") or listing.getparent() is None:
            continue
        text = " ".join(heading.text_content().split())
        rule = matching_rule(text) if 0 < len(text) <= _HEADING_MAX_CHARS else None
        if rule is not None and rule.heading:
            heading.drop_tree()
            listing.drop_tree()


def _is_teaser(paragraph: str) -> bool:
    """A headline-like line: a list item, or short and not ending like a sentence."""
    text = paragraph.strip()
    if _LIST_ITEM.match(text):
        return True
    return len(text.split()) <= _TEASER_MAX_WORDS and not _SENTENCE_END.search(text)


def _repeats_title(key: str, title_key: str) -> bool:
    """The headline again, alone or behind a short label ("For: <headline>")."""
    if not title_key or not key.endswith(title_key):
        return False
    return len(key[: -len(title_key)].split()) <= 2


def remove_boilerplate(paragraphs: list[str], *, title: str = "", captions: frozenset[str] = frozenset(),
                       link_items: frozenset[str] = frozenset()) -> list[str]:
    """The article's own paragraphs: boilerplate rows, paragraphs printed twice, captions,
    list items that are only a link, and the repeated headline dropped, in their order."""
    title_key = normalize_text(title)
    kept: list[str] = []
    recent: list[str] = []
    in_teasers = False
    for paragraph in paragraphs:
        key = normalize_text(paragraph)
        if not key:
            continue
        if in_teasers and _is_teaser(paragraph):
            continue
        in_teasers = False
        rule = matching_rule(paragraph)
        if rule is not None:
            in_teasers = rule.heading
            continue
        if key in recent or key in captions or _repeats_title(key, title_key):
            continue
        if _LIST_ITEM.match(paragraph) and key in link_items:
            continue
        recent = [*recent[1 - _REPEAT_WINDOW:], key]
        kept.append(paragraph.strip())
    return kept
