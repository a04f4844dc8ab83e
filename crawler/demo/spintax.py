"""The template language of the bundled news material.

``{a|b|c}`` picks one alternative (alternatives nest; an empty one makes a phrase optional),
``{name}`` fills a slot. A slot keeps one value for the whole article, so the town named in
the lede is the town of the quotes; ``{name2}`` draws a *different* value from the same
pool. Writing sentences this way gives thousands of phrasings from a few hundred
sentences, which keeps unrelated demo articles from looking like copies of each other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from random import Random

_SLOT = re.compile(r"^([a-z_]+?)(\d*)$")


@dataclass(frozen=True, slots=True)
class _Slot:
    name: str


@dataclass(frozen=True, slots=True)
class _Choice:
    options: tuple[tuple[object, ...], ...]


class TemplateError(ValueError):
    """A template with unbalanced braces or an unknown slot."""


@lru_cache(maxsize=None)
def _parse(template: str) -> tuple[object, ...]:
    """The template as a sequence of text, :class:`_Slot` and :class:`_Choice` nodes."""
    nodes, end = _parse_seq(template, 0, top=True)
    if end != len(template):
        raise TemplateError(f"unbalanced '}}' in template: {template!r}")
    return nodes


def _parse_seq(text: str, pos: int, *, top: bool) -> tuple[tuple[object, ...], int]:
    nodes: list[object] = []
    start = pos
    while pos < len(text):
        char = text[pos]
        if char == "{":
            if pos > start:
                nodes.append(text[start:pos])
            node, pos = _parse_group(text, pos + 1)
            nodes.append(node)
            start = pos
            continue
        if char in "|}" and not top:
            break
        pos += 1
    if pos > start:
        nodes.append(text[start:pos])
    return tuple(nodes), pos


def _parse_group(text: str, pos: int) -> tuple[object, int]:
    options: list[tuple[object, ...]] = []
    while True:
        seq, pos = _parse_seq(text, pos, top=False)
        options.append(seq)
        if pos >= len(text):
            raise TemplateError(f"unclosed '{{' in template: {text!r}")
        if text[pos] == "}":
            break
        pos += 1
    pos += 1
    if len(options) == 1 and len(options[0]) == 1 and isinstance(options[0][0], str):
        if _SLOT.match(options[0][0]):
            return _Slot(options[0][0]), pos
    return _Choice(tuple(options)), pos


class Slots:
    """The slot values of one article: fixed context values plus draws from named pools."""

    def __init__(self, pools: Mapping[str, Sequence[str]], rng: Random, fixed: Mapping[str, str] | None = None):
        self._pools = pools
        self._rng = rng
        self._values: dict[str, str] = dict(fixed or {})
        self._drawn: dict[str, set[str]] = {}

    def get(self, name: str) -> str:
        if name in self._values:
            return self._values[name]
        match = _SLOT.match(name)
        pool_name = match.group(1) if match else name
        pool = self._pools.get(pool_name)
        if not pool:
            raise TemplateError(f"unknown slot {{{name}}}")
        used = self._drawn.setdefault(pool_name, set())
        fresh = [v for v in pool if v not in used] or list(pool)
        raw = self._rng.choice(fresh)
        used.add(raw)
        value = expand(raw, self)
        self._values[name] = value
        return value

    @property
    def rng(self) -> Random:
        return self._rng


def expand(template: str, slots: Slots) -> str:
    """One phrasing of ``template`` with its slots filled."""
    return "".join(_render(_parse(template), slots))


def _render(nodes: tuple[object, ...], slots: Slots) -> list[str]:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, _Slot):
            out.append(slots.get(node.name))
        else:
            assert isinstance(node, _Choice)
            out.extend(_render(slots.rng.choice(node.options), slots))
    return out


def sentence(template: str, slots: Slots) -> str:
    """:func:`expand` tidied into a sentence: single spaces, first letter upper case."""
    text = " ".join(expand(template, slots).split())
    text = re.sub(r"\s+([,.;:،؛])", r"\1", text)
    for i, char in enumerate(text):
        if char.isalpha():
            return text[:i] + char.upper() + text[i + 1:]
    return text
