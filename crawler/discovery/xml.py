"""Tolerant XML reading for feeds and sitemaps.

A broken feed is common; lxml's recovering parser alone can drop valid items after the
first error, so when a document is not well-formed each item block is parsed on its
own as well, and every block that parses contributes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

_PARSER_OPTS = dict(recover=True, resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(**_PARSER_OPTS)


def local(tag: object) -> str:
    """Tag name without namespace (``{ns}loc`` -> ``loc``)."""
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def child_text(element: etree._Element, *names: str) -> str | None:
    """Text of the first descendant whose local name is one of ``names``."""
    for el in element.iter():
        if local(el.tag) in names and el.text and el.text.strip():
            return el.text.strip()
    return None


def is_well_formed(body: bytes) -> bool:
    try:
        etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
        return True
    except etree.XMLSyntaxError:
        return False


def iter_blocks(body: bytes, names: tuple[str, ...]) -> Iterator[etree._Element]:
    """Elements named ``names`` (local names), recovered one by one from a broken document too."""
    root = etree.fromstring(body, _parser()) if body.strip() else None
    seen = 0
    if root is not None:
        for el in root.iter():
            if local(el.tag) in names:
                seen += 1
                yield el
    if is_well_formed(body):
        return
    # Broken document: re-parse every block separately so one bad item cannot hide the others.
    pattern = re.compile(
        rb"<(?:\w+:)?(" + b"|".join(n.encode() for n in names) + rb")\b[^>]*>.*?</(?:\w+:)?\1\s*>",
        re.DOTALL | re.IGNORECASE,
    )
    blocks = [m.group(0) for m in pattern.finditer(body)]
    if len(blocks) <= seen:
        return
    for block in blocks:
        el = etree.fromstring(block, _parser()) if block.strip() else None
        if el is not None:
            yield el
