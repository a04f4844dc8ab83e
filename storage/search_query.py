"""The search language of ``newsmon articles --search`` and :func:`storage.query.articles`.

Web-search style, parsed here once so SQLite FTS5 and PostgreSQL answer the same
question: every word is required, ``"a phrase"`` in double quotes, ``OR`` between
alternatives, ``-word`` (or ``NOT word``) excludes, ``word*`` matches a prefix.
Handing raw text to FTS5 instead would turn ordinary input such as ``al-Sarraj`` or
``U.N.`` into operators and column filters; here every term reaches the index as a
quoted phrase, and the mistakes a user can make get one readable error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r'(?P<neg>-)?(?:"(?P<phrase>[^"]*)"|(?P<word>[^\s"]+))(?P<star>\*)?')
_SPACE = re.compile(r"\s+")
SYNTAX_HELP = 'words are all required; use "a phrase", OR, -word to exclude, word* for a prefix'


class SearchQueryError(ValueError):
    """A search the user typed cannot be run; the message says why in one line."""


@dataclass(frozen=True, slots=True)
class Term:
    """One word or phrase as typed (the index's tokenizer splits it further)."""

    text: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """An AND of OR-groups, minus the excluded terms."""

    required: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()


@dataclass(slots=True)
class _Operand:
    term: Term
    negated: bool


def _scan(text: str) -> list[_Operand | str]:
    """Operands and the operator ``OR``, in order; ``AND`` is implicit and dropped."""
    items: list[_Operand | str] = []
    negate_next = False
    pos = 0
    while True:
        space = _SPACE.match(text, pos)
        pos = space.end() if space else pos
        if pos >= len(text):
            break
        match = _TOKEN.match(text, pos)
        if match is None:
            raise SearchQueryError(f"malformed search query {text!r}: a double quote is not closed")
        pos = match.end()
        phrase, word = match.group("phrase"), match.group("word")
        if phrase is None and match.group("neg") is None and word in ("OR", "AND", "NOT"):
            if word == "OR":
                items.append("OR")
            negate_next = word == "NOT"
            continue
        raw = phrase if phrase is not None else word
        prefix = match.group("star") is not None or raw.endswith("*")
        raw = raw.rstrip("*").strip()
        if not any(ch.isalnum() for ch in raw):
            continue
        items.append(_Operand(Term(raw, prefix), negated=negate_next or match.group("neg") is not None))
        negate_next = False
    return items


def parse_search(text: str) -> SearchQuery:
    """Parse ``text``; raises :class:`SearchQueryError` naming the mistake."""
    items = _scan(text or "")
    if not any(isinstance(item, _Operand) for item in items):
        raise SearchQueryError(f"empty search query {text!r}: give at least one word ({SYNTAX_HELP})")
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    after_or = False
    for index, item in enumerate(items):
        if item == "OR":
            if after_or or index == 0 or index == len(items) - 1 or items[index - 1] == "OR":
                raise SearchQueryError(f"malformed search query {text!r}: OR needs a word on each side")
            after_or = True
            continue
        assert isinstance(item, _Operand)
        if item.negated:
            if after_or or (index + 1 < len(items) and items[index + 1] == "OR"):
                raise SearchQueryError(f"malformed search query {text!r}: an excluded word cannot be part of OR")
            excluded.append(item.term)
        elif after_or:
            groups[-1].append(item.term)
        else:
            groups.append([item.term])
        after_or = False
    if not groups:
        raise SearchQueryError(f"malformed search query {text!r}: only excluded words; say what to look for too")
    return SearchQuery(tuple(tuple(g) for g in groups), tuple(excluded))


def _fts5_term(term: Term) -> str:
    return '"' + term.text.replace('"', '""') + '"' + ("*" if term.prefix else "")


def _fts5_any(terms: tuple[Term, ...] | list[Term]) -> str:
    inner = " OR ".join(_fts5_term(t) for t in terms)
    return f"({inner})" if len(terms) > 1 else inner


def fts5_match(query: SearchQuery) -> str:
    """The FTS5 MATCH expression for ``query`` (every term quoted, so no term is an operator)."""
    expression = " AND ".join(_fts5_any(group) for group in query.required)
    if query.excluded:
        expression = f"({expression}) NOT {_fts5_any(list(query.excluded))}"
    return expression
