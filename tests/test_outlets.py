"""Outlet configuration: defaults, user overrides, and errors that name file, outlet and key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from crawler.outlets import OutletConfigError, load_outlets

REQUIRED = {"middleeasteye", "libyanexpress", "libyaobserver", "libyaherald", "libyareview", "aljazeera", "alwasat"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "outlets.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_cover_the_required_outlets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSMON_OUTLETS", raising=False)
    outlets = load_outlets()
    assert REQUIRED <= set(outlets)
    assert outlets["alwasat"].language == "ar"
    assert outlets["middleeasteye"].scope == "filter" and outlets["aljazeera"].scope == "filter"
    assert outlets["libyaherald"].scope == "all"
    for outlet in outlets.values():
        assert outlet.feeds or outlet.sitemaps or outlet.listings
        assert outlet.home.startswith("https://")
    assert outlets["libyaherald"].is_article_url("https://libyaherald.com/2026/04/tunisias-new-corridor/")
    assert outlets["libyareview"].is_article_url("https://libyareview.com/55614/ozon-company-to-operate/")
    assert not outlets["libyareview"].is_article_url("https://libyareview.com/category/libya/")
    assert outlets["aljazeera"].is_article_url("https://www.aljazeera.com/news/2026/3/7/libya-talks")


def test_user_file_overrides_key_by_key_and_adds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSMON_OUTLETS", raising=False)
    path = write(tmp_path, """
[defaults]
interval = "15m"
[outlets.libyaherald]
feeds = ["http://127.0.0.1:9999/feed/"]
interval = "2h"
[outlets.alwasat]
enabled = false
[outlets.libyaupdate]
name = "The Libya Update"
home = "https://libyaupdate.com/"
feeds = ["https://libyaupdate.com/feed/"]
article_pattern = '^https://libyaupdate\\.com/[a-z0-9-]+/$'
""")
    outlets = load_outlets([path])
    assert outlets["libyaherald"].feeds == ("http://127.0.0.1:9999/feed/",)
    assert outlets["libyaherald"].name == "Libya Herald"
    assert outlets["libyaherald"].interval == timedelta(hours=2)
    assert outlets["libyareview"].interval == timedelta(minutes=15)
    assert "alwasat" not in outlets
    assert outlets["libyaupdate"].source_file == str(path)


def test_env_variable_adds_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, '[outlets.libyareview]\nname = "LR"\n')
    monkeypatch.setenv("NEWSMON_OUTLETS", str(path))
    assert load_outlets()["libyareview"].name == "LR"


@pytest.mark.parametrize(
    ("text", "outlet", "key"),
    [
        ('[outlets.x]\nname = "X"\nhome = "https://x.ly/"\nfeeds = ["https://x.ly/f"]\n', "x", "article_pattern"),
        ('[outlets.x]\nname = "X"\nhome = "https://x.ly/"\nfeeds = ["notaurl"]\narticle_pattern = "x"\n', "x", "feeds"),
        ('[outlets.x]\nname = "X"\nhome = "https://x.ly/"\nfeeds = ["https://x.ly/f"]\narticle_pattern = "(unclosed"\n', "x", "article_pattern"),
        ('[outlets.libyaherald]\nscope = "some"\n', "libyaherald", "scope"),
        ('[outlets.libyaherald]\nfeedz = []\n', "libyaherald", "feedz"),
        ('[outlets.libyaherald]\ninterval = "soon"\n', "libyaherald", "interval"),
        ('[outlets.libyaherald]\nlistings = [{ url = "https://libyaherald.com/c/", pages = 0 }]\n', "libyaherald", "listings.pages"),
        ('[outlets.libyaherald]\nlistings = [{ url = "https://libyaherald.com/c/", next = "https://libyaherald.com/c/2" }]\n', "libyaherald", "listings.next"),
        ('[outlets.libyaherald]\nlanguage = "English"\n', "libyaherald", "language"),
        ('[outlets.Bad-Slug]\nname = "X"\n', "Bad-Slug", None),
    ],
)
def test_errors_name_file_outlet_and_key(tmp_path: Path, text: str, outlet: str, key: str | None) -> None:
    path = write(tmp_path, text)
    with pytest.raises(OutletConfigError) as info:
        load_outlets([path])
    assert info.value.path == str(path)
    assert info.value.outlet == outlet
    assert info.value.key == key
    assert str(path) in str(info.value) and outlet in str(info.value)


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(OutletConfigError, match="not valid TOML"):
        load_outlets([write(tmp_path, "[outlets.x\nname=")])
    with pytest.raises(OutletConfigError, match="file not found"):
        load_outlets([tmp_path / "missing.toml"])


def test_listing_page_urls() -> None:
    observer = load_outlets()["libyaobserver"].listings[0]
    assert observer.page_url(1) == "https://www.libyaobserver.ly/news"
    assert observer.page_url(2) == "https://www.libyaobserver.ly/news?page=1"
