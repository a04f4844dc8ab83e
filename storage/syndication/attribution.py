"""Who an article says it comes from: "..., Middle East Eye reported", "Source: Reuters",
"originally published by ...", "(AFP)" datelines, and their Arabic forms.

Only phrases that credit a whole article count. "According to Reuters" or "Reuters
reported that ..." inside a story cite a fact, and "AFP PHOTO" in a caption credits a
picture, so neither makes an article a copy.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from storage.text import normalize_text

# Normalized alias -> display name of the wire agencies newsmon's outlets repost.
AGENCIES = {
    "reuters": "Reuters", "afp": "AFP", "a f p": "AFP", "agence france presse": "AFP",
    "ap": "AP", "associated press": "AP", "the associated press": "AP",
    "anadolu": "Anadolu Agency", "anadolu agency": "Anadolu Agency", "aa": "Anadolu Agency",
    "lana": "LANA", "libya news agency": "LANA", "libyan news agency": "LANA",
    "xinhua": "Xinhua", "dpa": "dpa", "ansa": "ANSA", "efe": "EFE", "upi": "UPI",
    "wam": "WAM", "qna": "QNA", "spa": "SPA", "mena": "MENA", "bloomberg": "Bloomberg",
    "\u0631\u0648\u064a\u062a\u0631\u0632": "Reuters",  # rwytrz
    "\u0627 \u0641 \u0628": "AFP",  # a f b
    "\u0641\u0631\u0627\u0646\u0633 \u0628\u0631\u0633": "AFP",  # frans brs
    "\u0627\u0644\u0627\u0646\u0627\u0636\u0648\u0644": "Anadolu Agency",  # al-anadol
    "\u0648\u0627\u0644": "LANA",  # wal
    "\u0634\u064a\u0646\u062e\u0648\u0627": "Xinhua",
}
_MAX_NAME_WORDS = 6
_TITLE_CREDIT = re.compile(r"[,\u060c]\s*(?P<name>[^,\u060c]{2,60}?)\s+(?:has\s+)?report(?:ed|s)\s*[.!]?\s*$", re.I)
_SOURCE_LINE = re.compile(
    r"(?:^|[(\[])\s*(?:sources?|\u0627\u0644\u0645\u0635\u062f\u0631)\s*[:\uff1a]\s*(?P<name>[^\n)\]]{2,80})",
    re.I | re.M,
)
_PUBLISHED_BY = re.compile(
    r"\b(?:originally|first)\s+(?:published|appeared|posted|ran)\s+(?:by|on|in|at)\s+(?:the\s+)?(?P<name>[^\n,;:()]{2,80})",
    re.I,
)
_QUOTING = re.compile(r"\u0646\u0642\u0644\u0627\s+\u0639\u0646\s+(?P<name>[^\n,\u060c.:()]{2,60})")  # "naqlan 'an"
_PARENTHESIZED = re.compile(r"\(\s*(?P<name>[^()\n]{1,30}?)\s*\)")
_CUT = re.compile(r"\.\s|\s+(?:on|and|with|at)\s+|\s+[-\u2013\u2014|]\s+", re.I)
_DATELINE_CHARS = 300


def _clean(raw: str) -> str | None:
    name = _CUT.split(raw.strip(), maxsplit=1)[0].strip(" \t\"'\u201c\u201d\u2018\u2019.!-")
    key = normalize_text(name)
    if not key or len(key.split()) > _MAX_NAME_WORDS:
        return None
    return AGENCIES.get(key, name)


def credited_sources(title: str, text: str) -> list[str]:
    """Names the article credits as its source, most explicit first, without repeats."""
    return list(_credited_sources(title, text))


@lru_cache(maxsize=1024)
def _credited_sources(title: str, text: str) -> tuple[str, ...]:
    """Cached per process: an article is read again as the candidate of later ones."""
    found: list[str | None] = []
    if m := _TITLE_CREDIT.search(title or ""):
        found.append(_clean(m.group("name")))
    for pattern in (_SOURCE_LINE, _PUBLISHED_BY, _QUOTING):
        found += [_clean(m.group("name")) for m in pattern.finditer(text)]
    edges = text[:_DATELINE_CHARS] + "\n" + text[-_DATELINE_CHARS:]
    for m in _PARENTHESIZED.finditer(edges):
        agency = AGENCIES.get(normalize_text(m.group("name")))
        if agency:
            found.append(agency)
    return tuple(dict.fromkeys(name for name in found if name))


def _host_names(url: str | None) -> set[str]:
    host = (urlsplit(url).hostname or "") if url else ""
    host = host.removeprefix("www.")
    if not host:
        return set()
    labels = host.split(".")
    core = labels[:-1]
    if len(labels) > 2 and len(labels[-1]) == 2 and labels[-2] in ("co", "com", "org", "net", "gov", "ac"):
        core = labels[:-2]
    return {host, core[-1]} if core else {host}


@lru_cache(maxsize=1024)
def outlet_aliases(name: str | None, slug: str | None, *urls: str | None) -> frozenset[str]:
    """Normalized names an outlet may be credited under: its name, slug and hosts."""
    raw = {name or "", (slug or "").replace("_", " "), (slug or "").replace("_", "")}
    for url in urls:
        raw |= _host_names(url)
    return frozenset(key for key in map(normalize_text, raw) if key)


def credit_to(credits: list[str], aliases: frozenset[str]) -> str | None:
    """The first credited name that names the outlet with ``aliases``."""
    for name in credits:
        if normalize_text(name) in aliases:
            return name
    return None
