"""URL normalization: every spelling of one article URL has one key."""

from __future__ import annotations

import pytest

from storage.urls import normalize_url, url_host, url_key


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("HTTPS://WWW.MiddleEastEye.net/news/Libya-Haftar", "https://www.middleeasteye.net/news/Libya-Haftar"),
        ("https://libyaherald.com/2026/06/slug/", "https://libyaherald.com/2026/06/slug"),
        ("https://libyaherald.com/2026/06/slug/?utm_source=tw&utm_medium=x&fbclid=abc#comments", "https://libyaherald.com/2026/06/slug"),
        ("https://libyareview.com/55614/ozon/amp/", "https://libyareview.com/55614/ozon"),
        ("https://www.example.com/amp/news/x", "https://www.example.com/news/x"),
        ("https://www.example.com/news/x.amp.html", "https://www.example.com/news/x.html"),
        ("https://lana.gov.ly/post.php?lang=ar&id=12", "https://lana.gov.ly/post.php?id=12&lang=ar"),
        ("https://lana.gov.ly/post.php?id=12&lang=ar", "https://lana.gov.ly/post.php?id=12&lang=ar"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://127.0.0.1:8123/news/a/", "http://127.0.0.1:8123/news/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a%20b", "https://example.com/a%20b"),
    ],
)
def test_normalize_url(raw: str, clean: str) -> None:
    assert normalize_url(raw) == clean


def test_url_key_folds_scheme_and_www() -> None:
    assert url_key("http://www.libyaherald.com/2026/06/x/") == url_key("https://libyaherald.com/2026/06/x")
    assert url_key("https://www.x.com/a?utm_campaign=1") == "https://x.com/a"


def test_amp_host_is_the_page() -> None:
    assert url_key("https://amp.example.com/news/a") == url_key("https://example.com/news/a")


def test_different_articles_keep_different_keys() -> None:
    assert url_key("https://libyareview.com/1/a") != url_key("https://libyareview.com/2/a")
    assert url_key("https://x.com/news?id=1") != url_key("https://x.com/news?id=2")


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "mailto:a@b.c", "ftp://x.com/a", "/relative/only", "https:///nohost"])
def test_non_web_urls_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        normalize_url(bad)


def test_url_host() -> None:
    assert url_host("https://WWW.Libyaobserver.ly/news/x") == "libyaobserver.ly"
