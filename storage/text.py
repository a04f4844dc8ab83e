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

_ARABIC_DIACRITICS = "".join(map(chr, (*range(0x610, 0x61B), *range(0x64B, 0x660), 0x670,
                                       *range(0x6D6, 0x6EE))))
_TATWEEL = "\u0640"
_ARABIC_FOLD = {
    "\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627", "\u0671": "\u0627",
    "\u0649": "\u064a", "\u06cc": "\u064a", "\u0629": "\u0647", "\u0624": "\u0648",
    "\u0626": "\u064a", "\u06a9": "\u0643",
}
_PUNCT_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\u00a0": " ", "\u200b": "", "\u200c": "",
    "\u200d": "", "\u200e": "", "\u200f": "", "\ufeff": "",
}
# Cyrillic and Greek letters that look Latin: homoglyph "spins" of a copied text swap
# them in to defeat matching. Folded after casefold, so only lowercase forms are listed.
_CONFUSABLE_FOLD = {
    "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c",
    "\u0443": "y", "\u0445": "x", "\u0456": "i", "\u0458": "j", "\u0455": "s",
    "\u0501": "d", "\u04bb": "h", "\u04cf": "l", "\u051b": "q", "\u051d": "w",
    "\u03b1": "a", "\u03bf": "o", "\u03b9": "i", "\u03ba": "k", "\u03bd": "v",
    "\u03c1": "p", "\u03c4": "t", "\u03c5": "u",
}
# The three folds before casefolding are one character map (their keys and values do
# not overlap), applied to the characters present only: str.translate looks every
# character of a non-ASCII text up in a dict, several times slower than a few replaces.
_FOLD = {**_PUNCT_FOLD, **dict.fromkeys(_ARABIC_DIACRITICS + _TATWEEL, ""), **_ARABIC_FOLD}
_FOLD_CHARS = re.compile(f"[{re.escape(''.join(_FOLD))}]+")
_CONFUSABLE_CHARS = re.compile(f"[{re.escape(''.join(_CONFUSABLE_FOLD))}]+")
_WORD = re.compile(r"\w+")


def _replace_present(text: str, chars: re.Pattern[str], table: dict[str, str]) -> str:
    for char in set("".join(chars.findall(text))):
        text = text.replace(char, table[char])
    return text


def folded(text: str) -> str:
    """``text`` with every variant folded, punctuation and spacing not yet collapsed.

    Every step maps characters one by one (NFKC composes only within a line), so line
    breaks stay where they were: the lines of the result are the folded lines of ``text``.
    """
    text = _replace_present(unicodedata.normalize("NFKC", text), _FOLD_CHARS, _FOLD)
    return _replace_present(text.casefold(), _CONFUSABLE_CHARS, _CONFUSABLE_FOLD)


def folded_words(folded_text: str) -> list[str]:
    """The words of a :func:`folded` text: runs of word characters (the rest separates)."""
    return _WORD.findall(folded_text)


def words(text: str) -> list[str]:
    """Word tokens of the normalized text."""
    return folded_words(folded(text))


def normalize_text(text: str) -> str:
    """Case-, punctuation- and script-variant-insensitive form of ``text``, words separated by one space."""
    return " ".join(words(text))


def content_hash(text: str) -> str:
    """SHA-256 of the normalized text: equal for texts that differ only in typography."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()
