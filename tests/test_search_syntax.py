"""The search language: what users type, what FTS5 receives, and the mistakes reported."""

from __future__ import annotations

import pytest

from storage.search_query import SearchQuery, SearchQueryError, Term, fts5_match, parse_search


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("haftar", '"haftar"'),
        ("Haftar Tripoli", '"Haftar" AND "Tripoli"'),
        ("Haftar AND Tripoli", '"Haftar" AND "Tripoli"'),
        ('"Government of National Unity"', '"Government of National Unity"'),
        ("dbeib*", '"dbeib"*'),
        ('"central bank"*', '"central bank"*'),
        ("haftar -wagner", '("haftar") NOT "wagner"'),
        ("haftar NOT wagner", '("haftar") NOT "wagner"'),
        ("haftar -wagner -jufra", '("haftar") NOT ("wagner" OR "jufra")'),
        ("salame OR zuwara", '("salame" OR "zuwara")'),
        ("tripoli salame OR zuwara", '"tripoli" AND ("salame" OR "zuwara")'),
        ("al-Sarraj U.N.", '"al-Sarraj" AND "U.N."'),
        ("1=1 --", '"1=1"'),
        ("حفتر", '"حفتر"'),
        ("a:b NEAR(x)", '"a:b" AND "NEAR(x)"'),
    ],
)
def test_every_term_reaches_fts5_quoted(text: str, match: str) -> None:
    assert fts5_match(parse_search(text)) == match


def test_parse_structure() -> None:
    assert parse_search('tripoli "oil ports" OR sharara* -football') == SearchQuery(
        required=((Term("tripoli"),), (Term("oil ports"), Term("sharara", prefix=True))),
        excluded=(Term("football"),),
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty search query"),
        ("   ", "empty search query"),
        ("-- ;", "empty search query"),
        ('" OR 1=1', "double quote is not closed"),
        ('haftar "tripoli', "double quote is not closed"),
        ("OR haftar", "OR needs a word on each side"),
        ("haftar OR", "OR needs a word on each side"),
        ("haftar OR OR tripoli", "OR needs a word on each side"),
        ("-haftar", "only excluded words"),
        ("haftar OR -tripoli", "cannot be part of OR"),
        ("-haftar OR tripoli", "cannot be part of OR"),
    ],
)
def test_mistakes_get_one_line(text: str, problem: str) -> None:
    with pytest.raises(SearchQueryError) as err:
        parse_search(text)
    message = str(err.value)
    assert problem in message
    assert "\n" not in message
