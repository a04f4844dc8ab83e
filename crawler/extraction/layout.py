"""Where the extracted paragraphs sit in the page, and what that says about the page.

Two page shapes defeat a container-picking extractor and both show in the position of
the paragraphs it returned:

* a *split body*: the article's paragraphs live in several sibling containers of the same
  kind (ad slots and embeds between them) and only the first one was taken;
* a *listing*: the "paragraphs" are excerpts, each in its own teaser box with a linked
  headline (tag, category and index pages).
"""

from __future__ import annotations

import re
from copy import deepcopy

from lxml.html import HtmlElement

from storage.text import normalize_text

_WORD = re.compile(r"\w+")
_MIN_SOURCE_WORDS = 8
_MAX_CHUNK_DISTANCE = 3
_LINK_LIST_SHARE = 0.9
_TEASER_DEPTH = 5
_TEASER_MAX_PARAGRAPHS = 2
_HEADING_LINK = ".//h1//a[@href] | .//h2//a[@href] | .//h3//a[@href] | .//h4//a[@href] | .//a[@href]//h2 | .//a[@href]//h3"
_CAPTIONS = ".//figcaption | .//*[contains(@class, 'caption')]"


def text_key(text: str) -> str:
    """Word tokens joined by one space: the same paragraph whatever the markup around it."""
    return " ".join(_WORD.findall(text))


def source_paragraphs(tree: HtmlElement, paragraphs: list[str]) -> list[HtmlElement]:
    """The ``<p>`` elements the extracted paragraphs came from (paragraphs of some length only)."""
    wanted = {k for k in map(text_key, paragraphs) if len(k.split()) >= _MIN_SOURCE_WORDS}
    return [p for p in tree.iter("p") if text_key(p.text_content()) in wanted]


def _ancestors(el: HtmlElement) -> list[HtmlElement]:
    chain = []
    while el is not None:
        chain.append(el)
        el = el.getparent()
    return chain


def _distance(ancestor: HtmlElement, el: HtmlElement) -> int:
    for steps, node in enumerate(_ancestors(el)):
        if node is ancestor:
            return steps
    return 1 << 30


def _common_ancestor(a: HtmlElement, b: HtmlElement) -> HtmlElement | None:
    # lxml hands out a new proxy per access and id()s of dropped proxies are reused,
    # so identities are compared while the chain keeps its proxies alive.
    chain = _ancestors(a)
    return next((n for n in _ancestors(b) if any(n is m for m in chain)), None)


def _is_teaser(el: HtmlElement) -> bool:
    return bool(el.xpath(_HEADING_LINK))


def split_body(tree: HtmlElement, sources: list[HtmlElement]) -> list[HtmlElement]:
    """All containers of a split article body in page order, or [] when the body is whole.

    A chunk has the tag and class of a container holding extracted paragraphs, sits at
    most a few levels from it, carries unextracted prose and is not a teaser box.
    """
    extracted = {id(p) for p in sources}
    holders = {id(parent): parent for parent in (p.getparent() for p in sources) if parent is not None}
    chunks: dict[int, HtmlElement] = {}
    for holder in holders.values():
        cls = holder.get("class")
        if not cls or _is_teaser(holder):
            continue
        chain = _ancestors(holder)
        for el in chain[min(_MAX_CHUNK_DISTANCE, len(chain) - 1)].iter(holder.tag):
            if el.get("class") != cls or id(el) in holders or id(el) in chunks:
                continue
            common = _common_ancestor(holder, el)
            if common is None or _distance(common, el) > _MAX_CHUNK_DISTANCE:
                continue
            prose = [p for p in el.iter("p") if id(p) not in extracted
                     and len(text_key(p.text_content()).split()) >= _MIN_SOURCE_WORDS]
            if prose and not _is_teaser(el):
                chunks[id(el)] = el
        if chunks:
            chunks[id(holder)] = holder
    if not chunks:
        return []
    page = list(tree.iter())
    order = {id(el): i for i, el in enumerate(page)}
    return sorted(chunks.values(), key=lambda el: order[id(el)])


def join_split_body(tree: HtmlElement, chunks: list[HtmlElement]) -> HtmlElement:
    """A copy of the page with the chunks' contents moved into the first chunk."""
    paths = [chunk.getroottree().getpath(chunk) for chunk in chunks]
    joined = deepcopy(tree)
    root = joined.getroottree()
    first, *rest = [root.xpath(path)[0] for path in paths]
    for chunk in rest:
        for child in list(chunk):
            first.append(child)
        chunk.getparent().remove(chunk)
    return joined


def _heading_link_holders(root: HtmlElement) -> dict[int, HtmlElement]:
    """Every element that contains a linked headline (keyed by id, proxies kept alive)."""
    holders: dict[int, HtmlElement] = {}
    for link in root.xpath(_HEADING_LINK):
        for el in _ancestors(link):
            if id(el) in holders:
                break
            holders[id(el)] = el
    return holders


def teaser_boxes(sources: list[HtmlElement]) -> list[list[HtmlElement]]:
    """Extracted paragraphs that are teaser excerpts, grouped by their teaser box.

    A teaser box is the nearest ancestor of a paragraph that has a linked headline and
    holds at most a couple of extracted paragraphs; an article whose sections carry
    linked subheadings has several paragraphs under each and does not count.
    """
    if not sources:
        return []
    holders = _heading_link_holders(sources[0].getroottree().getroot())
    groups: dict[int, tuple[HtmlElement, list[HtmlElement]]] = {}
    for p in sources:
        box = next((el for el in _ancestors(p)[1:_TEASER_DEPTH + 1] if id(el) in holders), None)
        if box is not None:
            groups.setdefault(id(box), (box, []))[1].append(p)
    return [members for _, members in groups.values() if len(members) <= _TEASER_MAX_PARAGRAPHS]


def link_list_keys(tree: HtmlElement) -> frozenset[str]:
    """List items that are nothing but a link ("related stories" lists), as normalized text keys."""
    keys = set()
    for li in tree.iter("li"):
        text = "".join(li.text_content().split())
        linked = "".join("".join(a.text_content().split()) for a in li.iter("a"))
        if text and len(linked) >= _LINK_LIST_SHARE * len(text):
            keys.add(normalize_text(li.text_content()))
    return frozenset(keys)


def caption_keys(tree: HtmlElement) -> frozenset[str]:
    """The page's image captions as :func:`storage.text.normalize_text` keys."""
    return frozenset(k for el in tree.xpath(_CAPTIONS) if (k := normalize_text(el.text_content())))
