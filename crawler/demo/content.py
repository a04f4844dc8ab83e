"""News stories of the demo site: what an article says, independent of how an outlet prints it.

:class:`Newsroom` writes an outlet's generated stories from the bundled material, one
seeded random stream per story, so a seed always gives the same site and adding articles
never changes the earlier ones.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from random import Random

from crawler.demo.material import Material, load_material
from crawler.demo.spintax import Slots, sentence

# The demo site's "now": fixed, so that every date on the site is deterministic.
DEMO_NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "ar": ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
           "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"),
}
_WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "ar": ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
}
_CREDITS = {
    "en": ("AFP", "Reuters", "AP", "Anadolu Agency", "Getty Images", "EPA"),
    "ar": ("أ ف ب", "رويترز", "الإنترنت", "بوابة الوسط", "أرشيفية"),
}
_SENTENCE_END = re.compile(r"(?<=[.!?])[”’\"]?\s+(?=[“‘\"(A-Z0-9\u0600-\u06ff])")


@dataclass(frozen=True, slots=True)
class Figure:
    """The lead photo: an image name (the layouts build CMS-style URLs from it) and its caption."""

    name: str
    caption: str
    credit: str


@dataclass(frozen=True, slots=True)
class Story:
    key: str
    title: str
    standfirst: str
    paragraphs: tuple[str, ...]
    language: str
    relevant: bool
    topic: str
    section: str
    tags: tuple[str, ...]
    author: str
    published: datetime
    modified: datetime
    figure: Figure
    first_sentence: str = field(default="")
    last_sentence: str = field(default="")

    def __post_init__(self) -> None:
        if not self.first_sentence:
            object.__setattr__(self, "first_sentence", split_sentences(self.paragraphs[0])[0])
        if not self.last_sentence:
            object.__setattr__(self, "last_sentence", split_sentences(self.paragraphs[-1])[-1])

    def revised(self, **changes: object) -> Story:
        """A copy with ``changes``; first and last sentences are recomputed from the text."""
        return replace(self, first_sentence="", last_sentence="", **changes)  # type: ignore[arg-type]


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of a paragraph of hand-written news prose."""
    parts = [p.strip() for p in _SENTENCE_END.split(paragraph)]
    return [p for p in parts if p] or [paragraph]


def slugify(text: str, *, max_length: int = 80) -> str:
    """ASCII URL slug of a headline, cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("’", "").replace("'", "")).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or "story"


def date_slots(when: datetime, language: str) -> dict[str, str]:
    """The derived slots {weekday} {date} {month} {year} of a story's local publication time."""
    return {
        "weekday": _WEEKDAYS[language][when.weekday()],
        "date": f"{when.day} {_MONTHS[language][when.month - 1]}",
        "month": _MONTHS[language][when.month - 1],
        "year": str(when.year),
    }


def short_date(when: datetime) -> str:
    """``Nov 16``: the date style of wire datelines."""
    return f"{_MONTHS['en'][when.month - 1][:3]} {when.day}"


class Newsroom:
    """Writes the generated stories of one outlet."""

    def __init__(self, *, outlet: str, outlet_name: str, language: str, seed: int, staff: tuple[str, ...] = ()):
        self.outlet = outlet
        self.outlet_name = outlet_name
        self.language = language
        self.seed = seed
        self.material: Material = load_material(language)
        self.staff = staff or self._hire(5)

    def _hire(self, count: int) -> tuple[str, ...]:
        rng = Random(f"{self.seed}:{self.outlet}:staff")
        firsts = rng.sample(self.material.pools["first_name"], count)
        lasts = rng.sample(self.material.pools["last_name"], count)
        return tuple(f"{f} {l}" for f, l in zip(firsts, lasts))

    def write(self, topic_name: str, published: datetime, *, index: int, attempt: int = 0) -> Story:
        """Story number ``index`` of the outlet, on ``topic_name``, published at ``published``."""
        rng = Random(f"{self.seed}:{self.outlet}:{index}:{attempt}")
        topic = self.material.topics[topic_name]
        background = self.material.backgrounds[topic.background]
        fixed = date_slots(published, self.language) | {"outlet": self.outlet_name}
        slots = Slots(self.material.pools, rng, fixed)

        def say(template: str) -> str:
            return sentence(template, slots)

        lede = say(rng.choice(topic.ledes))
        details = [say(t) for t in rng.sample(topic.details, min(len(topic.details), rng.randint(8, 12)))]
        if topic.mention:
            details.insert(rng.randint(1, 3), say(topic.mention))
        quotes = [say(t) for t in rng.sample(topic.quotes, min(len(topic.quotes), rng.randint(2, 3)))]
        context = [say(t) for t in rng.sample(background.sentences, min(len(background.sentences), rng.randint(3, 5)))]
        closing = say(rng.choice(background.closings))
        paragraphs = _compose(rng, lede, details, quotes, context, closing)
        figure = Figure(
            name=f"{self.outlet}-{index}-{topic_name}",
            caption=say(rng.choice(topic.captions or background.captions)),
            credit=rng.choice(_CREDITS[self.language]),
        )
        return Story(
            key=f"{self.outlet}-{index}",
            title=say(rng.choice(topic.titles)).rstrip("."),
            standfirst=say(rng.choice(topic.standfirsts)),
            paragraphs=tuple(paragraphs),
            language=self.language,
            relevant=topic.relevant,
            topic=topic_name,
            section=topic.section,
            tags=topic.tags,
            author=rng.choice(self.staff),
            published=published,
            modified=published + timedelta(minutes=rng.choice((0, 0, 12, 45, 130))),
            figure=figure,
            first_sentence=lede,
            last_sentence=closing,
        )


def _compose(rng: Random, lede: str, details: list[str], quotes: list[str], context: list[str], closing: str) -> list[str]:
    """Paragraphs in news order: the lede alone, facts, quotes on their own, context, a closing line."""
    body: list[list[str]] = []
    facts = iter(details)
    pending_context = list(context)
    for position, fact in enumerate(facts):
        group = [fact]
        if rng.random() < 0.55:
            group.append(next(facts, ""))
        body.append([s for s in group if s])
        if quotes and position % 2 == 0:
            body.append([quotes.pop(0)])
        if pending_context and position >= 2 and rng.random() < 0.5:
            take = rng.randint(1, 2)
            body.append(pending_context[:take])
            del pending_context[:take]
    body.extend([q] for q in quotes)
    if pending_context:
        body.append(pending_context)
    paragraphs = [lede, *(" ".join(group) for group in body), closing]
    return paragraphs
