"""Byline strings -> a clean list of person names.

Bylines arrive as "By A and B", "A; B", "A, B", profile URLs, or the outlet's own name
standing in for a writer. Queries group by author, so each name must come out alone and
the same way every time; the outlet's name is not an author.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_PREFIX = re.compile(
    r"^(?:(?:written|reported|reporting|posted|published|compiled|edited|story|text|words)\s+by|by|from|author|"
    r"\u0628\u0642\u0644\u0645|\u0643\u062a\u0628(?:\u062a)?|\u0625\u0639\u062f\u0627\u062f)\s*[:\-\u2013]?\s+",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*(?:;|\||\s&\s|\s+and\s+|\s+\u0648\s+)\s*", re.IGNORECASE)
_TRAILER = re.compile(r"\s*(?:[-\u2013\u2014|/]\s*|,\s*|\bfor\s+)(?P<tail>[^,\-\u2013\u2014|/]+)$", re.IGNORECASE)
_HANDLE_OR_EMAIL = re.compile(r"\S+@\S+|(?<!\w)@\w+|https?://\S+")
_NOT_A_NAME = re.compile(r"\d|[<>{}=]")
_MAX_WORDS = 6
_MAX_CHARS = 60


def name_key(text: str) -> str:
    """Letters and digits only, lowercased: "Libyan Express" == "libyanexpress.com"'s brand."""
    return re.sub(r"\W+|_", "", text).casefold()


def publisher_keys(*names: str | None, url: str | None = None) -> set[str]:
    """Keys of every name under which the outlet itself appears in bylines."""
    keys = {name_key(n) for n in names if n}
    if url:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        keys.add(name_key(host.split(".")[0]))
        keys.add(name_key(host))
    return {k for k in keys if k}


def _split(raw: str) -> list[str]:
    parts = [p for p in _SEPARATORS.split(raw) if p.strip()]
    out: list[str] = []
    for part in parts:
        pieces = [p.strip() for p in part.split(",")]
        # "Smith, John" is one name; "John Smith, Jane Doe" is two.
        if len(pieces) > 1 and all(len(p.split()) >= 2 for p in pieces if p):
            out.extend(p for p in pieces if p)
        else:
            out.append(part)
    return out


def _clean(name: str, publishers: set[str]) -> str | None:
    name = _HANDLE_OR_EMAIL.sub(" ", name)
    name = " ".join(name.replace("\u00a0", " ").split()).strip(" .,:;-\u2013\u2014|")
    name = _PREFIX.sub("", name).strip(" .,:;-")
    if (m := _TRAILER.search(name)) and name_key(m.group("tail")) in publishers:
        name = name[: m.start()].strip()
    if not name or _NOT_A_NAME.search(name) or len(name) > _MAX_CHARS or len(name.split()) > _MAX_WORDS:
        return None
    if name_key(name) in publishers:
        return None
    if name.isupper() and name.isascii():
        name = name.title()
    return name


def clean_authors(raw: list[str], publishers: set[str] | None = None) -> list[str]:
    """Person names from byline strings, in order, without duplicates or outlet names."""
    publishers = publishers or set()
    names: list[str] = []
    seen: set[str] = set()
    for entry in raw:
        if not entry or urlsplit(entry.strip()).scheme in ("http", "https"):
            continue
        for part in _split(entry):
            name = _clean(part, publishers)
            if name and (key := name_key(name)) not in seen:
                seen.add(key)
                names.append(name)
    return names
