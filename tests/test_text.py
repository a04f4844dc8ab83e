"""Text normalization and fingerprints: the one-pass forms must equal the per-line ones."""

from __future__ import annotations

import random

from storage.syndication.fingerprint import MIN_LINE_WORDS, fingerprint, stable_hash
from storage.text import folded, folded_words, normalize_text, words

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def test_normalize_folds_typography_scripts_and_look_alikes() -> None:
    assert normalize_text("  \u201cHaftar\u2019s\u201d  forces\u2014LNA\u00a0said ") == "haftar s forces lna said"
    assert normalize_text("\u0623\u062d\u0645\u062f \u0640\u0640\u0644\u064a\u0628\u064a\u0627") == \
        normalize_text("\u0627\u062d\u0645\u062f \u0644\u064a\u0628\u064a\u0627")
    assert normalize_text("\u0644\u064e\u064a\u0628\u0650\u064a\u064e\u0627") == "\u0644\u064a\u0628\u064a\u0627"
    assert normalize_text("Tr\u0456\u0440\u043eli") == "tripoli"  # Cyrillic look-alikes
    assert normalize_text("zero\u200bwidth \ufb01le") == "zerowidth file"
    assert words("a-b, c") == ["a", "b", "c"]


def test_folding_a_whole_text_keeps_its_lines() -> None:
    """fingerprint() folds the whole text once and splits lines afterwards."""
    pieces = [*LINE_BREAKS, "\r\n", "\r\u200b\n", " ", "word", "Word", "\u0301", "\u0323", "e\u0301",
              "\u1100", "\u1161", "\u0627\u064b", "\u0623", "\u0440", "\u2019", "\u00bd", "\ufb01", "_", ".",
              "\u0130", "\u00df", "\uff21"]
    rng = random.Random(7)
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        assert [folded_words(line) for line in folded(text).splitlines() if folded_words(line)] == \
            [normalize_text(line).split() for line in text.splitlines() if normalize_text(line)]


def test_fingerprint_lines_are_the_normalized_lines() -> None:
    text = "One two three four five.\r\nshort line\n\u201cSix seven eight nine\u201d ten\u2029eleven"
    fp = fingerprint("A Title", text)
    kept = [normalize_text(line) for line in text.splitlines() if len(normalize_text(line).split()) >= MIN_LINE_WORDS]
    assert [line.hash for line in fp.lines] == [stable_hash(line) for line in kept]
    assert fp.words == sum(len(line.split()) for line in kept)
    assert fp.title_words == ("a", "title")


def test_fingerprints_are_cached_and_keep_few_shingle_sets() -> None:
    text = "\n".join(f"paragraph {i} has some words in it" for i in range(10))
    fp = fingerprint("cached", text)
    assert fingerprint("cached", text) is fp
    full = fp.shingles()
    for line in fp.lines:
        fp.shingles(frozenset({line.hash}))
    assert len(fp._cache) <= 4 and fp.shingles() is full
    assert fp.anchors() == sorted(h for h in full if h % 4 == 0)
