"""The comparable form of an article: normalized lines, word shingles and anchors.

Texts are compared as sets of 5-word shingles of :func:`storage.text.normalize_text`
words, so typography, case, Arabic spelling variants and look-alike letters do not
count, and a re-wrapped paragraph still matches. Lines are kept apart because
boilerplate (footers, disclaimers, share bars) comes in whole lines: a line can be left
out of a comparison without touching the rest of the text.

Anchors are the shingles whose hash is divisible by :data:`ANCHOR_SAMPLING`. The choice
depends on the shingle alone, so a copy that reproduces part of an original holds the
anchors of that part: an indexed lookup on anchors finds partial copies, which MinHash
bands (estimating the Jaccard similarity of whole texts) miss.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from storage.text import folded, folded_words

VERSION = 1
SHINGLE_WORDS = 5
ANCHOR_SAMPLING = 4
MIN_LINE_WORDS = 4
CACHED_FINGERPRINTS = 256
_KEPT_SHINGLE_SETS = 4


def stable_hash(text: str) -> int:
    """A signed 64-bit hash that is the same in every process (SQL ``BIGINT`` range)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


@dataclass(frozen=True, slots=True)
class Line:
    """A line of a text: the hash of its normalized words, and the hash of each word (an
    integer shared by every occurrence of the word is smaller than the word itself)."""

    hash: int
    word_hashes: tuple[int, ...]


@dataclass(slots=True)
class Fingerprint:
    """The lines of one text; shingles (without chosen lines), anchors and line hashes
    are computed on demand and kept. Shared through the cache of :func:`fingerprint`, so
    read only."""

    lines: tuple[Line, ...]
    title_words: tuple[str, ...]
    _cache: dict[frozenset[int], frozenset[int]] = field(default_factory=dict, repr=False)
    _anchors: list[int] | None = field(default=None, repr=False)
    _line_hashes: list[int] | None = field(default=None, repr=False)

    @property
    def words(self) -> int:
        return sum(len(line.word_hashes) for line in self.lines)

    @property
    def line_hashes(self) -> list[int]:
        """Distinct hashes of the lines long enough to count, in text order."""
        if self._line_hashes is None:
            self._line_hashes = list(dict.fromkeys(line.hash for line in self.lines))
        return self._line_hashes

    def shingles(self, without: frozenset[int] = frozenset()) -> frozenset[int]:
        """Shingle hashes of the text, leaving out the lines whose hash is in ``without``
        (the last few sets asked for are kept: fingerprints are cached across articles)."""
        cached = self._cache.get(without)
        if cached is None:
            stream = [h for line in self.lines if line.hash not in without for h in line.word_hashes]
            cached = frozenset(_shingles(stream))
            if len(self._cache) >= _KEPT_SHINGLE_SETS:
                del self._cache[next(k for k in self._cache if k)]
            self._cache[without] = cached
        return cached

    def anchors(self) -> list[int]:
        if self._anchors is None:
            self._anchors = sorted(h for h in self.shingles() if h % ANCHOR_SAMPLING == 0)
        return self._anchors


_MASK = (1 << 64) - 1
_BASE = 0x100000001B3
_BASE_OUT = pow(_BASE, SHINGLE_WORDS - 1, 1 << 64)


@lru_cache(maxsize=1 << 16)
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def _shingles(hashes: list[int]) -> list[int]:
    """Hashes of the 5-word windows, rolled over word hashes (a window costs a few integer
    operations instead of a digest); a text of fewer words is one shingle."""
    if not hashes:
        return []
    h = 0
    for value in hashes[:SHINGLE_WORDS]:
        h = (h * _BASE + value) & _MASK
    found = [h]
    append = found.append
    for value_out, value in zip(hashes, hashes[SHINGLE_WORDS:]):
        h = ((h - value_out * _BASE_OUT) * _BASE + value) & _MASK
        append(h)
    return list(struct.unpack(f"<{len(found)}q", struct.pack(f"<{len(found)}Q", *found)))


@lru_cache(maxsize=CACHED_FINGERPRINTS)
def fingerprint(title: str, text: str) -> Fingerprint:
    """Lines of ``text`` with at least :data:`MIN_LINE_WORDS` words (shorter ones are
    navigation, datelines and labels, never content on their own).

    Cached per process: an article is fingerprinted before its transaction and read back
    while linking, and the candidates of a new article are mostly recent articles. Callers
    must not change the result."""
    lines = []
    for raw in folded(text).splitlines():
        words = folded_words(raw)
        if len(words) >= MIN_LINE_WORDS:
            lines.append(Line(stable_hash(" ".join(words)), tuple(map(_word_hash, words))))
    return Fingerprint(lines=tuple(lines), title_words=tuple(folded_words(folded(title))))


def pack(values: Iterable[int]) -> bytes:
    """Signed 64-bit integers as little-endian bytes (a database file may change machine)."""
    items = list(values)
    return struct.pack(f"<{len(items)}q", *items)


def unpack(blob: bytes | None) -> list[int]:
    if not blob:
        return []
    return list(struct.unpack(f"<{len(blob) // 8}q", blob))
