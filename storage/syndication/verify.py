"""Is one article a copy of another? Text overlap decides, declared credit can help.

The measure is containment: the share of the shorter text's shingles found in the other
(a repost of the first 5 paragraphs of a 30-paragraph story is fully contained in it,
with a Jaccard resemblance near 0.15). Boilerplate lines are left out before counting.
False links are worse than missed ones, so a plain text match needs most of the shorter
text *and* a long verbatim overlap (half of it when the overlap is some 150 words: a copy
may add paragraphs of its own); an attribution to the other article's outlet or a
rel=canonical pointing at it lowers the containment needed, never the overlap; texts
under ~60 words link only with such evidence or a matching title, and almost whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storage.syndication.attribution import credit_to
from storage.syndication.fingerprint import Fingerprint

MIN_SHARED = 40
CONTAINMENT = 0.7
LONG_SHARED = 150
LONG_CONTAINMENT = 0.5
CREDITED_CONTAINMENT = 0.4
SHORT_TEXT = 56
SHORT_MIN_SHARED = 12
SHORT_CONTAINMENT = 0.75
CANONICAL_MIN_SHARED = 20
CANONICAL_CONTAINMENT = 0.3
SAME_OUTLET_CONTAINMENT = 0.8
SAME_OUTLET_RESEMBLANCE = 0.6
TITLE_MIN_WORDS = 4
TITLE_SHARE = 0.6


@dataclass(slots=True)
class Side:
    """One article as the verifier sees it."""

    article_id: int
    outlet_id: int | None
    fingerprint: Fingerprint
    boilerplate: frozenset[int]
    credits: list[str]
    aliases: frozenset[str]
    url_keys: frozenset[str]
    canonical_key: str | None

    def content(self) -> frozenset[int]:
        return self.fingerprint.shingles(self.boilerplate)


@dataclass(frozen=True, slots=True)
class Verdict:
    """A verified match of ``a`` and ``b``: shared shingles and declared evidence."""

    a: int
    b: int
    shared: int
    a_in_b: float
    b_in_a: float
    resemblance: float
    evidence: dict[str, Any]


def _common_run(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """Length of the longest run of words found in both titles."""
    best = 0
    previous = [0] * (len(b) + 1)
    for word in a:
        current = [0] * (len(b) + 1)
        for j, other in enumerate(b, 1):
            if word == other:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def titles_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """One title reproduces most of the other ("Must read: <title>", "<title>, X reported")."""
    shorter = min(len(a), len(b))
    if shorter < TITLE_MIN_WORDS:
        return False
    run = _common_run(a, b)
    return run >= TITLE_MIN_WORDS and run >= TITLE_SHARE * shorter


def _declared(a: Side, b: Side) -> dict[str, Any]:
    """Credit and canonical evidence between the two, in either direction."""
    evidence: dict[str, Any] = {}
    for copy, original in ((a, b), (b, a)):
        name = credit_to(copy.credits, original.aliases)
        if name and "credit" not in evidence:
            evidence["credit"] = {"by": copy.article_id, "name": name}
        if copy.canonical_key and copy.canonical_key in original.url_keys and "canonical" not in evidence:
            evidence["canonical"] = {"by": copy.article_id, "url": copy.canonical_key}
    return evidence


def verify(a: Side, b: Side) -> Verdict | None:
    """The match of ``a`` and ``b``, or None when they are not copies of each other."""
    sa, sb = a.content(), b.content()
    if not sa or not sb:
        return None
    shared = len(sa & sb)
    if not shared:
        return None
    shorter = min(len(sa), len(sb))
    containment = shared / shorter
    resemblance = shared / len(sa | sb)
    if a.outlet_id is not None and a.outlet_id == b.outlet_id and (
            containment < SAME_OUTLET_CONTAINMENT or resemblance < SAME_OUTLET_RESEMBLANCE):
        return None
    evidence = _declared(a, b)
    title = titles_match(a.fingerprint.title_words, b.fingerprint.title_words)
    if title:
        evidence["title"] = True
    credited = "credit" in evidence or "canonical" in evidence
    if shorter < SHORT_TEXT:
        accepted = (credited or title) and shared >= SHORT_MIN_SHARED and containment >= SHORT_CONTAINMENT
    else:
        needed = CREDITED_CONTAINMENT if credited else LONG_CONTAINMENT if shared >= LONG_SHARED else CONTAINMENT
        accepted = shared >= MIN_SHARED and containment >= needed
    if not accepted and "canonical" in evidence:
        accepted = shared >= CANONICAL_MIN_SHARED and containment >= CANONICAL_CONTAINMENT
    if not accepted:
        return None
    evidence["shared_shingles"] = shared
    return Verdict(
        a=a.article_id, b=b.article_id, shared=shared, a_in_b=round(shared / len(sa), 4),
        b_in_a=round(shared / len(sb), 4), resemblance=round(resemblance, 4), evidence=evidence,
    )
