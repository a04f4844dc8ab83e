"""Copies and look-alikes across the demo outlets, from the hand-written stories in
``data/specials_en.toml``: the ground truth for syndication detection.

* an exclusive on Middle East Eye and Libyan Express's repost of its first paragraphs
  (new title, photo caption printed twice, op-ed boilerplate), published hours later;
* one Reuters story run by Libya Herald, Libya Review and Al Jazeera with datelines,
  spelling changes and a dropped or an added paragraph;
* two independent reports of the same event (Libya Observer, Libya Herald): NOT copies;
* an original the outlet edits later at the same URL (:meth:`DemoSite.publish_revisions`);
* an AMP twin of a Middle East Eye article (``/amp``, rel=canonical to the main URL).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from crawler.demo.content import Figure, Story, short_date
from crawler.demo.layouts.parts import e
from crawler.demo.material import SPECIALS_FILE, read_data
from crawler.demo.site import OutletSite

UTC = timezone.utc
EXCLUSIVE_AT = datetime(2026, 11, 20, 11, 30, tzinfo=UTC)
WIRE_AT = datetime(2026, 11, 16, 10, 5, tzinfo=UTC)  # a Monday: the wire text says "on Monday"
SHARARA_AT = datetime(2026, 11, 22, 13, 40, tzinfo=UTC)  # a Sunday
REVISED_AT = datetime(2026, 11, 19, 13, 20, tzinfo=UTC)  # a Thursday

OP_ED_BOILERPLATE = (
    "The views expressed in Op-Ed pieces are those of the author and do not purport to reflect the opinions or views of Libyan Express.",
    "How to submit an Op-Ed: Libyan Express accepts opinion articles on a wide range of topics. Submissions may be sent to "
    "oped@libyanexpress.com. Please include ‘Op-Ed’ in the subject line.",
)


def add_specials(sites: Mapping[str, OutletSite]) -> None:
    """Add the special stories to the outlets that publish them (before they are finalized)."""
    specials = read_data(SPECIALS_FILE)
    _exclusive_and_repost(sites["middleeasteye"], sites["libyanexpress"], specials["exclusive"])
    _wire_copies(sites, specials["wire"])
    _same_event(sites, specials["same_event"])
    _revised(sites["libyaobserver"], specials["revised"])
    _amp_twin(sites["middleeasteye"])


def _story(key: str, raw: Mapping[str, Any], *, published: datetime, paragraphs: list[str] | None = None,
           topic: str = "military", section: str = "News", author: str | None = None,
           figure: Figure | None = None, title: str | None = None, modified: timedelta = timedelta(minutes=20)) -> Story:
    paragraphs = paragraphs if paragraphs is not None else list(raw["paragraphs"])
    return Story(
        key=key, title=title or raw["title"], standfirst=raw.get("standfirst") or paragraphs[0],
        paragraphs=tuple(paragraphs), language="en", relevant=True, topic=topic, section=section,
        tags=("Libya",), author=author or raw.get("author", "Staff"), published=published,
        modified=published + modified, figure=figure or Figure(key, raw["title"], "AFP"),
    )


def _exclusive_and_repost(mee: OutletSite, le: OutletSite, raw: Mapping[str, Any]) -> None:
    figure = Figure(raw["image"], raw["caption"], "AFP")
    original = _story("exclusive-jufra-drones", raw, published=EXCLUSIVE_AT, figure=figure)
    mee.add(mee.story_entry(original))
    repost_raw = raw["repost"]
    kept = list(raw["paragraphs"][: repost_raw["kept_paragraphs"]])
    repost = _story("exclusive-jufra-drones", raw, published=EXCLUSIVE_AT + timedelta(hours=repost_raw["hours_later"]),
                    paragraphs=kept, title=repost_raw["title"], author=repost_raw["author"], figure=figure)
    # Libyan Express prints the caption twice (typewriter then typographic apostrophes) above the text.
    captions = f"<p>{e(raw['caption'].replace('’', chr(39)))}</p>\n<p>{e(raw['caption'])}</p>\n"
    boilerplate = "".join(f"<p>{e(line)}</p>\n" for line in OP_ED_BOILERPLATE) + "<h3>You might also like</h3>\n"
    le.add(le.story_entry(repost, prelude_html=captions, appendix_html=boilerplate, byline_org=True))


def _wire_copies(sites: Mapping[str, OutletSite], raw: Mapping[str, Any]) -> None:
    for slug, copy in raw["copies"].items():
        site = sites[slug]
        published = WIRE_AT + timedelta(minutes=copy["minutes_later"])
        paragraphs = list(raw["paragraphs"])
        for old, new in copy["replace"]:
            paragraphs = [p.replace(old, new) for p in paragraphs]
        if copy["drop_last"]:
            paragraphs = paragraphs[: -copy["drop_last"]]
        paragraphs += copy["extra"]
        paragraphs[0] = copy["dateline"].format(date=short_date(WIRE_AT)) + paragraphs[0]
        story = _story("wire-zawiya-refinery", raw, published=published, paragraphs=paragraphs, topic="oil",
                       title=copy["title"], author=raw["agency"], section="Economy")
        site.add(site.story_entry(story, byline_org=True))


def _same_event(sites: Mapping[str, OutletSite], raw: Mapping[str, Any]) -> None:
    for offset, (slug, report) in enumerate(raw.items()):
        site = sites[slug]
        story = _story(f"sharara-restart-{slug}", report, topic="oil", section="Economy",
                       published=SHARARA_AT + timedelta(hours=17 * offset))
        site.add(site.story_entry(story))


def _revised(site: OutletSite, raw: Mapping[str, Any]) -> None:
    original = _story("zawiya-clashes-revised", raw, published=REVISED_AT, topic="tripoli_clashes")
    updated = list(raw["paragraphs"])
    updated[1:1] = raw["update_paragraphs"]
    revision = original.revised(paragraphs=tuple(updated), modified=REVISED_AT + timedelta(hours=8, minutes=20))
    site.add(site.story_entry(original, revision=revision, revision_note=raw["update_paragraphs"][0]))


def _amp_twin(site: OutletSite) -> None:
    """The newest generated Libya article of the outlet also gets an AMP page."""
    for entry in sorted(site.stories, key=lambda en: en.published, reverse=True):
        if entry.kind == "article" and entry.story and entry.story.key.startswith(site.slug):
            entry.amp = True
            return
