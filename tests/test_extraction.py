"""Extraction stage: saved pages -> ArticleRecord, rejections, and ``newsmon extract``.

Pages and what they must yield are in ``tests/fixtures/pages`` (see its README): exact
metadata, sentences that must be there, boilerplate that must not.
"""

from __future__ import annotations

import gzip
import json
import pickle
import zlib
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
import trafilatura
from click.testing import CliRunner

from crawler.cli import cli
from crawler.extraction import NotAnArticle, extract_article, warm_up
from crawler.extraction.authors import clean_authors, publisher_keys
from crawler.extraction.boilerplate import matching_rule, remove_boilerplate
from crawler.extraction.dates import parse_datetime
from crawler.extraction.decoding import decode_html
from crawler.extraction.heuristics import heuristic_metadata
from crawler.extraction.language import article_language
from storage.records import ArticleRecord
from storage.text import content_hash

PAGES = Path(__file__).parent / "fixtures" / "pages"
EXPECTED: dict[str, dict] = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
ARTICLES = sorted(name for name, case in EXPECTED.items() if "reason" not in case)
REJECTED = sorted(name for name, case in EXPECTED.items() if "reason" in case)
LIBYAN_EXPRESS = "libyanexpress-mee-repost.html"


def page_bytes(name: str) -> bytes:
    data = (PAGES / name).read_bytes()
    return gzip.decompress(data) if name.endswith(".gz") else data


def extract_case(name: str) -> ArticleRecord:
    case = EXPECTED[name]
    return extract_article(page_bytes(name), case["url"], outlet=case.get("outlet", "test"),
                           content_type=case.get("content_type"), language=case.get("language_hint"))


def iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


@pytest.mark.parametrize("name", ARTICLES)
def test_article_text_keeps_the_story_and_drops_boilerplate(name: str) -> None:
    case = EXPECTED[name]
    record = extract_case(name)
    paragraphs = record.text.split("\n\n")
    if "paragraphs" in case:
        assert paragraphs == case["paragraphs"]
    if "first" in case:
        assert paragraphs[0].startswith(case["first"]) or case["first"] in paragraphs[0]
    if "last" in case:
        assert paragraphs[-1].endswith(case["last"])
    for sentence in case.get("contains", []):
        assert sentence in record.text
    for junk in case.get("absent", []):
        assert junk not in record.text, junk
    assert all(p.strip() == p and p for p in paragraphs)
    assert "\n\n\n" not in record.text


@pytest.mark.parametrize("name", ARTICLES)
def test_article_metadata_is_exact(name: str) -> None:
    case = EXPECTED[name]
    record = extract_case(name)
    for field, expected in case["fields"].items():
        value = getattr(record, field)
        if field in ("published_at", "updated_at"):
            assert value is None or value.tzinfo is UTC
            value = iso(value)
        assert value == expected, field
    assert record.url == case["url"]
    assert record.outlet == case.get("outlet", "test")
    assert record.word_count > 40
    assert record.content_hash == content_hash(record.text)
    assert record.relevance_score is None and record.relevance_terms == [] and record.is_relevant is None


@pytest.mark.parametrize("name", REJECTED)
def test_non_articles_are_rejected_with_their_reason(name: str) -> None:
    case = EXPECTED[name]
    with pytest.raises(NotAnArticle) as caught:
        extract_case(name)
    assert caught.value.reason == case["reason"]
    assert case["detail"] in caught.value.detail


def test_libyan_express_repost_is_exactly_the_five_paragraphs() -> None:
    record = extract_case(LIBYAN_EXPRESS)
    assert len(record.text.split("\n\n")) == 5
    assert record.text.count("Halifa Haftar") == 0
    assert record.description.startswith("Leaked air traffic recordings obtained by Middle East Eye")


def test_boilerplate_rules_clean_the_whole_page_scrape_of_the_repost() -> None:
    """The text of the real page as scraped whole: title, caption twice, story, furniture."""
    lines = [line for line in (PAGES / "libyan-express-repost-of-mee.txt").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    kept = remove_boilerplate(lines, title=lines[0])
    assert kept == EXPECTED[LIBYAN_EXPRESS]["paragraphs"]


@pytest.mark.parametrize("line", [
    "Like this story? Share it with a friend!",
    "Also on rt.com Journalists & politicians from Morales\u2019 party threatened with sedition arrests",
    "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
    "Email Tariq Malik at tmalik@space.com or follow him @tariqjmalik. Follow us on Twitter @Spacedotcom.",
    "Get Motor Cycle Monthly delivered through your letterbox every month. Click here for more information.",
    "Sign up for our daily Libya briefing newsletter",
    "\u00a9 2019 Libyan Express. All rights reserved.",
    "We use cookies and other tracking technologies to improve your browsing experience on our site.",
    "Image Source: Neil Godwin / Future Publishing/Shutterstock",
    "Listen: http://po.st/TP_615",
    "\u0627\u0642\u0631\u0623 \u0623\u064a\u0636\u0627: \u0627\u0646\u0642\u0637\u0627\u0639 \u0627\u0644\u0643\u0647\u0631\u0628\u0627\u0621 \u0641\u064a \u0627\u0644\u062c\u0646\u0648\u0628",
    "\u062a\u0627\u0628\u0639\u0648\u0646\u0627 \u0639\u0644\u0649 \u0641\u064a\u0633\u0628\u0648\u0643",
])
def test_boilerplate_rules_drop_outlet_furniture(line: str) -> None:
    assert matching_rule(line) is not None


@pytest.mark.parametrize("line", [
    "More than 100 protesters were killed, Amnesty said.",
    "Copyright law in Libya dates from 1968 and was never reformed.",
    "Protesters urged supporters to follow them on Facebook for updates.",
    "The views expressed by the minister are not shared by the council.",
    "Related talks in Geneva ended without agreement on Sunday, the UN mission said in a statement.",
    "The minister told Reuters that the talks would resume next week in Geneva, AFP reported.",
])
def test_boilerplate_rules_keep_prose(line: str) -> None:
    assert matching_rule(line) is None


def test_paragraph_printed_twice_goes_but_repeated_labels_far_apart_stay() -> None:
    caption = "Smoke rises over the southern suburbs of Tripoli after shelling on Sunday evening, residents said."
    story = [f"Paragraph {n} of the story, long enough to be real prose about the fighting." for n in range(6)]
    assert remove_boilerplate([caption, caption.replace("'", "\u2019"), *story]) == [caption, *story]
    labels = ["Morning session", story[0], story[1], story[2], "Morning session", story[3]]
    assert remove_boilerplate(labels) == labels


def test_windows_1256_page_decodes_without_any_charset_or_with_a_lying_header() -> None:
    body = page_bytes("alwasat-cp1256-nocharset.html")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    title = EXPECTED["alwasat-cp1256-nocharset.html"]["fields"]["title"]
    for content_type in (None, "text/html", "text/html; charset=utf-8", "text/html; charset=windows-1256"):
        assert title in decode_html(body, content_type)


def test_declared_charset_is_used_when_the_bytes_are_not_utf8() -> None:
    body = '<html><head><meta charset="iso-8859-1"><title>Caf\u00e9</title></head></html>'.encode("cp1252")
    assert "Caf\u00e9" in decode_html(body)
    assert "Caf\u00e9" in decode_html(body.replace(b'<meta charset="iso-8859-1">', b""), "text/html; charset=latin-1")


def test_nul_bytes_are_stripped_and_broken_utf8_replaced() -> None:
    html = decode_html(page_bytes("libyaherald-nul-broken-utf8.html"))
    assert "\x00" not in html
    assert "\ufffd" in html
    assert "Running water returned to most districts of Tripoli" in html


def test_oversized_body_is_refused_before_parsing() -> None:
    body = b"<html><body>" + b"<p>Tripoli news paragraph with many words in it.</p>" * 200_000 + b"</body></html>"
    with pytest.raises(NotAnArticle) as caught:
        extract_article(body, "https://example.com/big", outlet="test", max_bytes=5 * 1024 * 1024)
    assert caught.value.reason == "too_large"
    with pytest.raises(NotAnArticle) as caught:
        extract_article(gzip.compress(body), "https://example.com/big", outlet="test", max_bytes=5 * 1024 * 1024)
    assert caught.value.reason == "too_large"


@pytest.mark.parametrize(("body", "reason"), [
    (b"", "empty"),
    (b"  \n\t ", "empty"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary"),
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "binary"),
    (bytes(range(32)) * 64, "binary"),
    (b"just some words, no markup at all", "parse_error"),
])
def test_empty_binary_and_unparsable_bodies(body: bytes, reason: str) -> None:
    with pytest.raises(NotAnArticle) as caught:
        extract_article(body, "https://example.com/x", outlet="test")
    assert caught.value.reason == reason


def test_gzip_wrapped_page_is_read() -> None:
    body = zlib.compress(page_bytes(LIBYAN_EXPRESS), wbits=31)
    record = extract_article(body, EXPECTED[LIBYAN_EXPRESS]["url"], outlet="libyanexpress")
    assert record.text.split("\n\n") == EXPECTED[LIBYAN_EXPRESS]["paragraphs"]


def test_extraction_runs_in_a_process_pool_and_rejections_pickle() -> None:
    url = EXPECTED[LIBYAN_EXPRESS]["url"]
    rejected = pickle.loads(pickle.dumps(NotAnArticle("too_short", "only 3 words")))
    assert (rejected.reason, rejected.detail) == ("too_short", "only 3 words")
    with ProcessPoolExecutor(max_workers=2) as pool:
        record = pool.submit(extract_article, page_bytes(LIBYAN_EXPRESS), url, outlet="libyanexpress").result()
        failure = pool.submit(extract_article, page_bytes("libyareview-tag-page.html"),
                              "https://libyareview.com/tag/tripoli/", outlet="libyareview").exception()
    assert record.text.split("\n\n") == EXPECTED[LIBYAN_EXPRESS]["paragraphs"]
    assert isinstance(failure, NotAnArticle) and failure.reason == "not_article"


def test_fetch_facts_are_carried_and_undeclared_language_is_identified() -> None:
    fetched = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    page = EXPECTED["libyaobserver-jsonld-offset.html"]
    body = page_bytes("libyaobserver-jsonld-offset.html").replace(b'lang="en" ', b"")
    record = extract_article(body, page["url"], outlet="libyaobserver", fetched_at=fetched, http_status=200,
                             language="fr")
    assert (record.fetched_at, record.http_status) == (fetched, 200)
    assert record.language == "en"  # identified from the text, which outranks the outlet's hint


def test_language_declared_unless_the_text_plainly_says_otherwise() -> None:
    english = EXPECTED[LIBYAN_EXPRESS]["paragraphs"][0] * 2
    assert article_language(english, "en", "ar") == "en"
    assert article_language(english, "ar", None) == "en"  # a shared template's lang="ar" on English text
    assert article_language("Tripoli", None, "ar") == "ar"  # too little text to identify
    assert article_language("Tripoli", "en", "ar") == "en"


@pytest.mark.parametrize(("value", "expected"), [
    ("2019-04-07T23:15:00+02:00", "2019-04-07T21:15:00Z"),
    ("2019-04-08T09:02:11+0200", "2019-04-08T07:02:11Z"),
    ("2019-04-07T21:15:00Z", "2019-04-07T21:15:00Z"),
    ("2020-01-12 21:35:00", "2020-01-12T21:35:00Z"),
    ("2020/01/12 21:35", "2020-01-12T21:35:00Z"),
    ("2020-01-12", "2020-01-12T00:00:00Z"),
    ("Sun, 12 Jan 2020 21:35:00 +0100", "2020-01-12T20:35:00Z"),
    ("yesterday", None),
    ("", None),
    ("0001-01-01T00:00:00", None),
])
def test_dates_become_utc(value: str, expected: str | None) -> None:
    assert iso(parse_datetime(value)) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    (["By John Smith and Jane Doe"], ["John Smith", "Jane Doe"]),
    (["Libyan Express"], []),
    (["JOHN SMITH - Libyan Express"], ["John Smith"]),
    (["Written by: Mary Ann Evans, Tom Jones"], ["Mary Ann Evans", "Tom Jones"]),
    (["Smith, John"], ["Smith, John"]),
    (["https://www.facebook.com/someone"], []),
    (["Salem Bensaud; Salem Bensaud"], ["Salem Bensaud"]),
    (["\u0628\u0642\u0644\u0645: \u0623\u062d\u0645\u062f \u0639\u0644\u064a \u0648 \u0648\u0644\u064a\u062f \u062d\u0633\u0646"],
     ["\u0623\u062d\u0645\u062f \u0639\u0644\u064a", "\u0648\u0644\u064a\u062f \u062d\u0633\u0646"]),
])
def test_authors_are_cleaned(raw: list[str], expected: list[str]) -> None:
    publishers = publisher_keys("Libyan Express", url="https://www.libyanexpress.com/x")
    assert clean_authors(raw, publishers) == expected


# ---------------------------------------------------------------- newsmon extract

# The two outlets as the shipped file has them (repeated so the test does not depend on it).
OUTLETS_TOML = """
[outlets.libyaobserver]
name = "The Libya Observer"
home = "https://www.libyaobserver.ly/"
language = "en"
feeds = ["https://www.libyaobserver.ly/rss.xml"]
article_pattern = '^https://www\\.libyaobserver\\.ly/news/'

[outlets.alwasat]
name = "Alwasat"
home = "https://alwasat.ly/"
language = "ar"
listings = ["https://alwasat.ly/section/libya"]
article_pattern = '^https://alwasat\\.ly/news/'
"""


@pytest.fixture
def outlets_file(tmp_path: Path) -> Path:
    path = tmp_path / "outlets.toml"
    path.write_text(OUTLETS_TOML, encoding="utf-8")
    return path


def run_cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_cli_prints_one_page_as_json_with_utc_dates(outlets_file: Path) -> None:
    case = EXPECTED["libyaobserver-jsonld-offset.html"]
    code, out, _ = run_cli("--outlets", str(outlets_file), "extract",
                           str(PAGES / "libyaobserver-jsonld-offset.html"), "--url", case["url"])
    assert code == 0
    data = json.loads(out)
    assert data["published_at"] == "2019-04-07T21:15:00Z"
    assert data["updated_at"] == "2019-04-08T07:02:11Z"
    assert data["authors"] == ["Salem Bensaud", "Mariam Ghariani"]
    assert data["outlet"] == "libyaobserver"  # the configured outlet of the URL's host
    assert data["text"].startswith(case["first"])


def test_cli_reads_gzipped_pages_and_takes_the_outlet_name(outlets_file: Path) -> None:
    case = EXPECTED["wired-split-body.html.gz"]
    code, out, _ = run_cli("--outlets", str(outlets_file), "extract", str(PAGES / "wired-split-body.html.gz"),
                           "--url", case["url"], "--outlet", "alwasat")
    assert code == 0
    data = json.loads(out)
    assert data["outlet"] == "alwasat"
    assert data["text"].endswith(case["last"])
    assert data["language"] == "en"  # the outlet's "ar" is only a hint


def test_cli_page_of_an_unknown_host_is_filed_under_the_host() -> None:
    case = EXPECTED["space-related-list.html.gz"]
    code, out, _ = run_cli("extract", str(PAGES / "space-related-list.html.gz"), "--url", case["url"])
    assert code == 0
    assert json.loads(out)["outlet"] == "space.com"


def test_cli_non_article_is_one_error_line_and_exit_1() -> None:
    code, out, err = run_cli("extract", str(PAGES / "libyareview-tag-page.html"),
                             "--url", "https://libyareview.com/tag/tripoli/")
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "not_article" in err


def test_cli_usage_errors(outlets_file: Path) -> None:
    assert run_cli("extract")[0] == 2
    assert run_cli("extract", str(PAGES / LIBYAN_EXPRESS))[0] == 2
    assert run_cli("extract", str(PAGES / LIBYAN_EXPRESS), "--manifest", str(PAGES / "expected.json"))[0] == 2
    code, _, err = run_cli("--outlets", str(outlets_file), "extract", str(PAGES / LIBYAN_EXPRESS),
                           "--url", "https://x.ly/a", "--outlet", "nope")
    assert code == 2 and "unknown outlet" in err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_manifest_writes_one_line_per_page_and_goes_on_after_failures(
        tmp_path: Path, outlets_file: Path, jobs: str) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "repost.html.gz").write_bytes(gzip.compress(page_bytes(LIBYAN_EXPRESS)))
    entries = [
        {"id": "repost", "path": "pages/repost.html.gz", "url": EXPECTED[LIBYAN_EXPRESS]["url"]},
        {"id": 7, "path": str(PAGES / "libyareview-tag-page.html"), "url": "https://libyareview.com/tag/tripoli/"},
        {"id": "missing", "path": "pages/nope.html", "url": "https://example.com/nope"},
        {"id": "arabic", "path": str(PAGES / "alwasat-cp1256-nocharset.html"), "url": "https://alwasat.ly/news/libya/270001"},
    ]
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text("\n".join(json.dumps(e) for e in entries) + "\n{broken\n", encoding="utf-8")
    code, out, _ = run_cli("--outlets", str(outlets_file), "extract", "--manifest", str(manifest),
                           "--jobs", jobs, "--timings")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["id"] for line in lines] == ["repost", 7, "missing", "arabic", None]
    repost, tag, missing, arabic, broken = lines
    assert repost["text"].split("\n\n") == EXPECTED[LIBYAN_EXPRESS]["paragraphs"]
    assert repost["published_at"] == "2016-07-13T14:05:22Z" and repost["ms"] > 0
    assert (tag["error"], missing["error"], broken["error"]) == ("not_article", "unreadable", "bad_manifest_line")
    assert "teaser boxes" in tag["detail"]
    assert arabic["language"] == "ar" and arabic["outlet"] == "alwasat"


def test_warm_up_page_is_an_article() -> None:
    warm_up()


@pytest.mark.parametrize("name", ARTICLES)
def test_heuristics_give_what_trafilatura_extract_metadata_gives(name: str) -> None:
    # heuristics.py runs trafilatura's own steps; an upgrade that changes them shows here.
    tree = trafilatura.load_html(page_bytes(name))
    url = EXPECTED[name]["url"]
    expected = trafilatura.extract_metadata(tree, default_url=url)
    got = heuristic_metadata(tree, url, title=True, author=True, date=True, categories=True)
    fields = ("sitename", "title", "author", "date", "categories")
    assert [getattr(got, f) for f in fields] == [getattr(expected, f) for f in fields]
