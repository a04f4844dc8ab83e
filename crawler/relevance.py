"""Is an article coverage of the Libya conflict? A weighted English/Arabic lexicon decides.

Each lexicon term found contributes ``weight x sum over fields of field_weight x
log2(1 + mentions)`` (title 3, lead 2, body 1), so a repeated name saturates instead of
adding up; a mention inside a list of three or more countries counts as 0.2 of a mention,
and an ambiguous term (Tripoli, NOC, GNA, Wagner, ...) is multiplied by 0.05 unless the
article also names Libya unambiguously (for Tripoli: more often than it names Lebanon, and
then still by 0.5). The score is the sum over terms; the article is relevant when it reaches
the threshold (3.0 by default: one core actor such as Haftar in the body, "Libya" in the
title, or a city plus "Libya" in the body).

Pure functions over :mod:`storage.text` folding, no Scrapy: the pipeline and ``newsmon
import`` call it, possibly in worker processes, so the compiled lexicon is picklable.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from storage.records import ArticleRecord
from storage.text import normalize_text

DEFAULT_LEXICON_FILE = Path(__file__).with_name("lexicon.toml")
DEFAULT_THRESHOLD = 3.0

_SEPARATOR = re.compile(r"[,;\u060c\u061b]|[.:](?=\s|$)|[!?\u061f()\[\]{}\n]")
_COMMA_LIKE = frozenset(",;\u060c\u061b")
# Attached Arabic prefixes: conjunction (wa, fa), preposition (bi, ka, li), article (al);
# li + al is written "lil".
_ARABIC_PREFIX = (
    "[\u0648\u0641]?(?:[\u0628\u0643]?\u0627\u0644|\u0644\u0644|[\u0628\u0644\u0643])?"
)
_ARTICLE = "\u0627\u0644"
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
# What may stand between two items of a list of countries.
_LIST_GLUE = frozenset(
    {",", "and", "or", "&", "as", "well", "the", "plus", "\u0648", "\u0627\u0648"}  # wa, aw
)
_FIELDS = ("title", "lead", "body")
_LEAD_MAX = 400
_TERM_KEYS = {"name", "weight", "en", "ar", "ambiguous", "acronyms", "rivals", "country"}


class LexiconError(ValueError):
    """A bad lexicon file; the message names the file and the term."""


@dataclass(frozen=True, slots=True)
class Relevance:
    """The verdict on one article: its score, the terms behind it, and the decision."""

    score: float
    terms: list[str]
    is_relevant: bool


@dataclass(frozen=True, slots=True)
class Term:
    name: str
    weight: float
    rivals: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Scoring:
    title: float = 3.0
    lead: float = 2.0
    body: float = 1.0
    in_list: float = 0.2
    no_context: float = 0.05

    @property
    def field_weights(self) -> tuple[float, float, float]:
        return (self.title, self.lead, self.body)


@dataclass(frozen=True, slots=True)
class Rival:
    """A context that pulls ambiguous terms elsewhere (Lebanon for Tripoli)."""

    pattern: re.Pattern[str]
    factor: float


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The compiled lexicon: one regular expression for every variant, one for acronyms."""

    terms: tuple[Term, ...]
    variants: dict[str, tuple[int, bool]]  # folded variant -> (term index, ambiguous)
    acronyms: dict[str, int]
    pattern: re.Pattern[str]
    acronym_pattern: re.Pattern[str] | None
    countries: re.Pattern[str]
    rivals: dict[str, Rival]
    scoring: Scoring


@dataclass(slots=True)
class _Hit:
    term: int
    field: int
    ambiguous: bool
    in_list: bool


def fold(text: str) -> str:
    """:func:`normalize_text` that keeps clause punctuation as "," and "." tokens.

    Lists of countries are told by their commas, and a phrase must not match across a
    sentence end, so those survive the folding that removes every other mark.
    """
    parts: list[str] = []
    start = 0
    for m in _SEPARATOR.finditer(text):
        parts += [normalize_text(text[start : m.start()]), "," if m.group() in _COMMA_LIKE else "."]
        start = m.end()
    parts.append(normalize_text(text[start:]))
    return " ".join(p for p in parts if p)


def _fold_variant(variant: str) -> str:
    """The folded form a variant is searched under; Arabic loses its article (a prefix)."""
    folded = fold(variant)
    if _ARABIC_LETTER.match(folded) and folded.startswith(_ARTICLE) and len(folded.split()[0]) > 3:
        folded = folded[len(_ARTICLE) :]
    return folded


def _alternation(cores: list[str]) -> str:
    """A regex for any of ``cores``, the longest where several match, written as a trie of
    their common prefixes: Python's ``re`` tries the alternatives of a group one by one at
    every position, so a flat list of hundreds of variants was the classifier's main cost."""
    trie: dict[str, dict] = {}
    for core in cores:
        node = trie
        for char in core:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict[str, dict]) -> str:
    branches = [re.escape(char) + _trie_regex(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    # Greedy: a longer variant is tried before the shorter one it extends.
    return f"(?:{body})?" if "" in node else body


def _compile(cores: list[str]) -> re.Pattern[str]:
    """Whole-word search for folded variants, Arabic ones with their attached prefixes."""
    arabic = [c for c in cores if _ARABIC_LETTER.match(c)]
    latin = [c for c in cores if not _ARABIC_LETTER.match(c)]
    branches = []
    if arabic:
        branches.append(f"{_ARABIC_PREFIX}(?P<ar>{_alternation(arabic)})")
    if latin:
        branches.append(f"(?P<la>{_alternation(latin)})")
    if not branches:
        return re.compile(r"(?!)")
    return re.compile(rf"(?<!\w)(?:{'|'.join(branches)})(?!\w)")


def _core(match: re.Match[str]) -> str:
    groups = match.groupdict()
    return groups.get("ar") or groups.get("la") or ""


def _strings(raw: dict[str, Any], key: str, where: str) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LexiconError(f"{where}, key {key!r}: expected a list of non-empty strings")
    return value


def _number(raw: dict[str, Any], key: str, where: str, default: float) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise LexiconError(f"{where}, key {key!r}: expected a non-negative number, got {value!r}")
    return float(value)


def _read_scoring(raw: dict[str, Any], path: Path) -> Scoring:
    where = f"{path}: [scoring]"
    keys = Scoring.__slots__
    if set(raw) - set(keys):
        raise LexiconError(f"{where}: unknown key {sorted(set(raw) - set(keys))[0]!r}")
    defaults = Scoring()
    return Scoring(**{k: _number(raw, k, where, getattr(defaults, k)) for k in keys})


def _folded(raw: dict[str, Any], keys: tuple[str, ...], where: str) -> list[str]:
    return [_fold_variant(v) for key in keys for v in _strings(raw, key, where)]


@dataclass(slots=True)
class _Draft:
    """The lexicon being read, term by term, with the checks that span terms."""

    path: Path
    rivals: dict[str, Rival]
    countries: list[str]
    terms: list[Term] = field(default_factory=list)
    variants: dict[str, tuple[int, bool]] = field(default_factory=dict)
    acronyms: dict[str, int] = field(default_factory=dict)

    def add(self, raw: dict[str, Any]) -> None:
        index, name = len(self.terms), raw.get("name")
        where = f"{self.path}: term {name or index + 1!r}"
        if not isinstance(name, str) or not name.strip():
            raise LexiconError(f"{where}: missing 'name'")
        if set(raw) - _TERM_KEYS:
            raise LexiconError(f"{where}: unknown key {sorted(set(raw) - _TERM_KEYS)[0]!r}")
        if any(t.name == name for t in self.terms):
            raise LexiconError(f"{where}: defined twice")
        if "weight" not in raw:
            raise LexiconError(f"{where}: missing 'weight'")
        if not isinstance(raw.get("country", False), bool):
            raise LexiconError(f"{where}, key 'country': expected true or false")
        rivals = tuple(_strings(raw, "rivals", where))
        for rival in rivals:
            if rival not in self.rivals:
                raise LexiconError(f"{where}, key 'rivals': no [rival.{rival}] table")
        plain = _folded(raw, ("en", "ar"), where)
        ambiguous = _folded(raw, ("ambiguous",), where)
        acronyms = _strings(raw, "acronyms", where)
        if not plain and not ambiguous and not acronyms:
            raise LexiconError(f"{where}: no variants (en, ar, ambiguous or acronyms)")
        for core, is_ambiguous in [(v, False) for v in plain] + [(v, True) for v in ambiguous]:
            if not core:
                raise LexiconError(f"{where}: a variant is empty once folded")
            owner = self.variants.setdefault(core, (index, is_ambiguous))[0]
            if owner != index:
                other = self.terms[owner].name
                raise LexiconError(f"{where}: variant {core!r} already belongs to {other!r}")
        for acronym in acronyms:
            owner = self.acronyms.setdefault(acronym, index)
            if owner != index:
                other = self.terms[owner].name
                raise LexiconError(f"{where}: acronym {acronym!r} already belongs to {other!r}")
        if raw.get("country", False):
            self.countries += plain
        self.terms.append(Term(name=name, weight=_number(raw, "weight", where, 0.0), rivals=rivals))

    def compile(self, scoring: Scoring) -> Lexicon:
        acronym_pattern = None
        if self.acronyms:
            acronym_pattern = re.compile(rf"(?<!\w)(?:{_alternation(list(self.acronyms))})(?!\w)")
        return Lexicon(
            terms=tuple(self.terms),
            variants=self.variants,
            acronyms=self.acronyms,
            pattern=_compile(list(self.variants)),
            acronym_pattern=acronym_pattern,
            countries=_compile(self.countries),
            rivals=self.rivals,
            scoring=scoring,
        )


def _build(data: dict[str, Any], path: Path) -> Lexicon:
    unknown = set(data) - {"scoring", "rival", "countries", "term"}
    if unknown:
        raise LexiconError(
            f"{path}: unknown table {sorted(unknown)[0]!r} "
            "(expected scoring, rival, countries, term)"
        )
    rivals = {}
    for name, raw in data.get("rival", {}).items():
        where = f"{path}: [rival.{name}]"
        pattern = _compile(_folded(raw, ("en", "ar"), where))
        rivals[name] = Rival(pattern, _number(raw, "factor", where, 0.5))
    countries = _folded(data.get("countries", {}), ("en", "ar"), f"{path}: [countries]")
    draft = _Draft(path, rivals, countries)
    for raw in data.get("term", []):
        draft.add(raw)
    return draft.compile(_read_scoring(data.get("scoring", {}), path))


@lru_cache(maxsize=8)
def load_lexicon(path: Path | None = None) -> Lexicon:
    """The lexicon in ``path`` (default: the one shipped with newsmon), compiled once."""
    path = Path(path) if path is not None else DEFAULT_LEXICON_FILE
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise LexiconError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{path}: not valid TOML: {exc}") from None
    return _build(data, path)


def _listed_spans(folded: str, countries: re.Pattern[str]) -> list[tuple[int, int]]:
    """Spans of the country names that stand in a list of three or more countries."""
    spans = [m.span() for m in countries.finditer(folded)]
    listed: list[tuple[int, int]] = []
    chain = spans[:1]
    for prev, span in zip(spans, spans[1:]):
        if set(folded[prev[1] : span[0]].split()) <= _LIST_GLUE:
            chain.append(span)
            continue
        if len(chain) >= 3:
            listed += chain
        chain = [span]
    if len(chain) >= 3:
        listed += chain
    return listed


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def _split_fields(title: str, text: str, description: str | None) -> tuple[str, str, str]:
    """Title, lead (the description, else the first paragraph) and body.

    Some extractions are one long paragraph; their lead ends at the last sentence that
    fits in ``_LEAD_MAX`` characters so that the whole article is not weighed as a lead.
    """
    if description and description.strip():
        return title, description, text
    lead, _, body = text.strip().partition("\n")
    if len(lead) > _LEAD_MAX:
        cut = lead.rfind(". ", 0, _LEAD_MAX) + 1 or lead.rfind(" ", 0, _LEAD_MAX) + 1 or _LEAD_MAX
        lead, body = lead[:cut], f"{lead[cut:]}\n{body}"
    return title, lead, body


def _find(lex: Lexicon, fields: tuple[str, str, str]) -> tuple[list[_Hit], dict[str, int]]:
    """Every lexicon hit by field, and how often each rival context is mentioned."""
    hits: list[_Hit] = []
    rival_mentions: dict[str, int] = defaultdict(int)
    for position, raw in enumerate(fields):
        if not raw:
            continue
        folded = fold(raw)
        listed = _listed_spans(folded, lex.countries)
        for m in lex.pattern.finditer(folded):
            term, ambiguous = lex.variants[_core(m)]
            hits.append(_Hit(term, position, ambiguous, _overlaps(m.span(), listed)))
        if lex.acronym_pattern is not None:
            for m in lex.acronym_pattern.finditer(raw):
                hits.append(_Hit(lex.acronyms[m.group()], position, True, False))
        for name, rival in lex.rivals.items():
            rival_mentions[name] += sum(1 for _ in rival.pattern.finditer(folded))
    return hits, rival_mentions


def _contributions(
    lex: Lexicon, hits: list[_Hit], rival_mentions: dict[str, int]
) -> dict[str, float]:
    """Each matched term's share of the score (the formula of the module docstring)."""
    anchors = sum(1 for h in hits if not h.ambiguous and not h.in_list)
    mentions: dict[int, list[float]] = defaultdict(lambda: [0.0] * len(_FIELDS))
    ambiguous_terms = set()
    for hit in hits:
        mentions[hit.term][hit.field] += lex.scoring.in_list if hit.in_list else 1.0
        if hit.ambiguous:
            ambiguous_terms.add(hit.term)
    contributions: dict[str, float] = {}
    for index, per_field in mentions.items():
        term = lex.terms[index]
        factor = 1.0
        if index in ambiguous_terms and anchors <= sum(rival_mentions[r] for r in term.rivals):
            factor *= lex.scoring.no_context
        for rival in term.rivals:
            if rival_mentions[rival]:
                factor *= lex.rivals[rival].factor
        saturated = sum(w * math.log2(1 + n) for w, n in zip(lex.scoring.field_weights, per_field))
        contributions[term.name] = term.weight * factor * saturated
    return contributions


def classify(
    title: str,
    text: str,
    description: str | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    lexicon: Lexicon | None = None,
) -> Relevance:
    """Score an article against the lexicon (default: the shipped one)."""
    lex = lexicon or load_lexicon()
    hits, rival_mentions = _find(lex, _split_fields(title or "", text or "", description))
    contributions = _contributions(lex, hits, rival_mentions)
    score = round(sum(contributions.values()), 3)
    terms = sorted(contributions, key=lambda name: (-contributions[name], name))
    return Relevance(score=score, terms=terms, is_relevant=score >= threshold)


def classify_record(
    record: ArticleRecord, *, threshold: float = DEFAULT_THRESHOLD
) -> ArticleRecord:
    """Fill the record's relevance fields from its title, text and description."""
    result = classify(record.title, record.text, record.description, threshold=threshold)
    record.relevance_score = result.score
    record.relevance_terms = result.terms
    record.is_relevant = result.is_relevant
    return record
