"""The bundled prose material of the demo site (``crawler/demo/data/*.toml``), typed.

Each language has slot pools, topics (titles, ledes, body sentences, quotes) and
backgrounds (context sentences, closings and photo captions shared by several topics).
The files are data so that writers can extend the demo news without touching code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

MATERIAL_FILES = {
    "en": ("pools_en.toml", "libya_en.toml", "world_en.toml"),
    "ar": ("libya_ar.toml",),
}
SPECIALS_FILE = "specials_en.toml"


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    relevant: bool
    section: str
    tags: tuple[str, ...]
    background: str
    titles: tuple[str, ...]
    standfirsts: tuple[str, ...]
    ledes: tuple[str, ...]
    details: tuple[str, ...]
    quotes: tuple[str, ...]
    captions: tuple[str, ...] = ()
    mention: str | None = None


@dataclass(frozen=True, slots=True)
class Background:
    sentences: tuple[str, ...]
    closings: tuple[str, ...]
    captions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Material:
    language: str
    pools: dict[str, tuple[str, ...]]
    topics: dict[str, Topic]
    backgrounds: dict[str, Background]

    def topic_names(self, *, relevant: bool, mention: bool = False) -> list[str]:
        """Topics of one kind: Libya coverage, other news, or Libya named in passing."""
        return [
            t.name for t in self.topics.values()
            if t.relevant == relevant and (t.mention is not None) == mention
        ]


def read_data(name: str) -> dict[str, Any]:
    return tomllib.loads(files("crawler.demo").joinpath("data", name).read_text(encoding="utf-8"))


def _tuple(raw: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(raw.get(key, ()))


@cache
def load_material(language: str) -> Material:
    pools: dict[str, tuple[str, ...]] = {}
    topics: dict[str, Topic] = {}
    backgrounds: dict[str, Background] = {}
    for name in MATERIAL_FILES[language]:
        data = read_data(name)
        pools.update({k: tuple(v) for k, v in data.get("pools", {}).items()})
        for key, raw in data.get("backgrounds", {}).items():
            backgrounds[key] = Background(_tuple(raw, "sentences"), _tuple(raw, "closings"), _tuple(raw, "captions"))
        for key, raw in data.get("topics", {}).items():
            topics[key] = Topic(
                name=key,
                relevant=raw.get("relevant", True),
                section=raw["section"],
                tags=_tuple(raw, "tags"),
                background=raw["background"],
                titles=_tuple(raw, "titles"),
                standfirsts=_tuple(raw, "standfirsts"),
                ledes=_tuple(raw, "ledes"),
                details=_tuple(raw, "details"),
                quotes=_tuple(raw, "quotes"),
                captions=_tuple(raw, "captions"),
                mention=raw.get("mention"),
            )
    return Material(language, pools, topics, backgrounds)
