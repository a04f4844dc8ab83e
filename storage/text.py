"""Text normalization shared by hashing and syndication detection.

Outlets re-type the same words: curly vs straight quotes, dashes, case, spacing, in
Arabic diacritics, tatweel and alef/yaa/taa-marbuta variants, and look-alike Cyrillic or
Greek letters in Latin words. Comparisons and the content hash work on
:func:`normalize_text` so those differences do not count.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_ARABIC_FOLD = str.maketrans(
    {
        "\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627", "\u0671": "\u0627",
        "\u0649": "\u064a", "\u06cc": "\u064a", "\u0629": "\u0647", "\u0624": "\u0648",
        "\u0626": "\u064a", "\u06a9": "\u0643",
    }
)
_PUNCT_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "\u00a0": " ", "\u200b": "", "\u200c": "",
        "\u200d": "", "\u200e": "", "\u200f": "", "\ufeff": "",
    }
)
# Cyrillic and Greek letters that look Latin: homoglyph "spins" of a copied text swap
# them in to defeat matching. Folded after casefold, so only lowercase forms are listed.
_CONFUSABLE_FOLD = str.maketrans(
    {
        "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c",
        "\u0443": "y", "\u0445": "x", "\u0456": "i", "\u0458": "j", "\u0455": "s",
        "\u0501": "d", "\u04bb": "h", "\u04cf": "l", "\u051b": "q", "\u051d": "w",
        "\u03b1": "a", "\u03bf": "o", "\u03b9": "i", "\u03ba": "k", "\u03bd": "v",
        "\u03c1": "p", "\u03c4": "t", "\u03c5": "u",
    }
)
_NON_WORD = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Case-, punctuation- and script-variant-insensitive form of ``text``, words separated by one space."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT_FOLD)
    text = _ARABIC_DIACRITICS.sub("", text).replace(_TATWEEL, "").translate(_ARABIC_FOLD)
    text = _NON_WORD.sub(" ", text.casefold().translate(_CONFUSABLE_FOLD))
    return _SPACE.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """Word tokens of the normalized text."""
    return normalize_text(text).split()


def content_hash(text: str) -> str:
    """SHA-256 of the normalized text: equal for texts that differ only in typography."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()
