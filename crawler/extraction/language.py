"""The language of an article: what the page declares, unless its text plainly says otherwise.

Templates are shared across editions, so an Arabic article can sit in a page marked
``lang="en"``; a confident identification of a long enough text overrides the markup.
"""

from __future__ import annotations

from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

_SAMPLE_CHARS = 1500
_MIN_CHARS = 200
_OVERRIDE_CONFIDENCE = 0.99
_DETECT_CONFIDENCE = 0.5


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, probability) of the text's language."""
    lang, prob = _identifier().classify(text[:_SAMPLE_CHARS])
    return lang, float(prob)


def article_language(text: str, declared: str | None, hint: str | None) -> str | None:
    """Declared language, else identified from the text, else the outlet's configured language."""
    if len(text) < _MIN_CHARS:
        return declared or hint
    detected, confidence = identify(text)
    if declared and (declared == detected or confidence < _OVERRIDE_CONFIDENCE):
        return declared
    if confidence >= _DETECT_CONFIDENCE:
        return detected
    return declared or hint
