"""Raw response bytes -> HTML text, or a rejection before any parsing.

Headers lie: a page served as ``charset=utf-8`` may be windows-1256, and many Arabic
pages declare nothing at all. UTF-8 validates itself, so the bytes decide first: a body
that decodes strictly as UTF-8, or whose non-ASCII bytes are mostly well-formed UTF-8,
is (damaged) UTF-8 whatever the labels say. Then a declared non-UTF-8 charset is used;
a page declared UTF-8 with a handful of stray bytes is UTF-8 with damage; anything else
is detected from the bytes. Binary files served as text/html are refused here, before
lxml or trafilatura spend time on them.
"""

from __future__ import annotations

import codecs
import re
import zlib

import charset_normalizer

from crawler.extraction.errors import NotAnArticle

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (
    (b"\x89PNG", "PNG image"), (b"GIF8", "GIF image"), (b"\xff\xd8\xff", "JPEG image"),
    (b"%PDF", "PDF document"), (b"PK\x03\x04", "ZIP archive"), (b"\x1f\x8b", "gzip data"),
    (b"BZh", "bzip2 data"), (b"7z\xbc\xaf", "7z archive"), (b"Rar!", "RAR archive"),
    (b"RIFF", "RIFF media"), (b"OggS", "Ogg media"), (b"ID3", "MP3 audio"),
    (b"\x7fELF", "executable"), (b"wOFF", "web font"), (b"wOF2", "web font"),
    (b"\x00\x00\x01\x00", "icon"), (b"\xd0\xcf\x11\xe0", "MS Office document"),
)
_SNIFF_BYTES = 4096
_MAX_CONTROL_SHARE = 0.1
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f") + b"\x7f"
_STRIPPED_BYTES = bytes(range(0x09)) + b"\x0b" + bytes(range(0x0e, 0x20))
_STRIP_CONTROLS = re.compile(f"[{re.escape(_STRIPPED_BYTES.decode('ascii'))}]")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{2,40})""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{2,40})""", re.IGNORECASE)
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_NON_ASCII = re.compile(rb"[\x80-\xff]")
# A mostly-UTF-8 page with the odd truncated sequence is UTF-8 with damage, not another
# charset; so is a page declared UTF-8 with a handful of stray bytes. A page in another
# charset mislabelled UTF-8 has stray bytes in every word.
_MIN_UTF8_SHARE = 0.9
_MAX_UTF8_DAMAGE = 32
# The web's "latin-1" is windows-1252 (WHATWG encoding standard).
_ALIASES = {"latin_1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252"}


def gunzip(body: bytes, max_bytes: int) -> bytes:
    """The page inside a gzip-wrapped body (servers do double-encode); other bodies as they are."""
    if not body.startswith(b"\x1f\x8b\x08"):
        return body
    inflater = zlib.decompressobj(31)
    try:
        inflated = inflater.decompress(body, max_bytes + 1)
    except zlib.error:
        return body
    if len(inflated) > max_bytes:
        raise NotAnArticle("too_large", f"gzip body inflates beyond {max_bytes:,} bytes")
    return inflated


def check_body(body: bytes, max_bytes: int) -> None:
    """Refuse oversized, empty and binary bodies before anything parses them."""
    if len(body) > max_bytes:
        raise NotAnArticle("too_large", f"body is {len(body):,} bytes, limit {max_bytes:,}")
    if not body.strip():
        raise NotAnArticle("empty", "body is empty")
    if any(body.startswith(bom) for bom, _ in _BOMS):
        return
    head = body[:_SNIFF_BYTES].lstrip()
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise NotAnArticle("binary", f"body is {kind}, not HTML")
    controls = sum(head.count(c) for c in _CONTROL_BYTES)
    if controls > _MAX_CONTROL_SHARE * len(head):
        raise NotAnArticle("binary", f"body is binary ({controls} control bytes in the first {len(head)})")


def _codec(label: str | None) -> str | None:
    """Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return _ALIASES.get(name, name)


def declared_charsets(body: bytes, content_type: str | None) -> list[str]:
    """Codecs named by the HTTP header and the page's ``<meta>``, in that order."""
    labels = []
    if content_type and (m := _HEADER_CHARSET.search(content_type)):
        labels.append(m.group(1))
    if m := _META_CHARSET.search(body[:_SNIFF_BYTES * 2]):
        labels.append(m.group(1).decode("ascii"))
    return [c for c in map(_codec, labels) if c]


def _utf8_damage(body: bytes) -> tuple[int, int]:
    """(non-ASCII bytes, those of them outside well-formed UTF-8 sequences)."""
    non_ascii = len(_NON_ASCII.findall(body))
    valid = sum(len(m) for m in _UTF8_SEQUENCE.findall(body))
    return non_ascii, non_ascii - valid


def _decode(body: bytes, content_type: str | None) -> tuple[str, str]:
    """(the page's text, the codec it was decoded with)."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(codec, errors="replace"), codec
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    non_ascii, broken = _utf8_damage(body)
    if broken <= (1 - _MIN_UTF8_SHARE) * non_ascii:
        return body.decode("utf-8", errors="replace"), "utf-8"
    declared = declared_charsets(body, content_type)
    for codec in declared:
        if codec != "utf-8":
            return body.decode(codec, errors="replace"), codec
    if "utf-8" in declared and broken <= _MAX_UTF8_DAMAGE:
        return body.decode("utf-8", errors="replace"), "utf-8"
    guess = charset_normalizer.from_bytes(body).best()
    codec = (_codec(guess.encoding) if guess else None) or "utf-8"
    return body.decode(codec, errors="replace"), codec


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """The page as text, with NUL and other control characters (which break lxml) removed."""
    text, codec = _decode(body, content_type)
    # In UTF-8 a control character can only come from a control byte, and deleting bytes
    # is five times cheaper than scanning the text: most pages skip the scan.
    if codec == "utf-8" and len(body.translate(None, _STRIPPED_BYTES)) == len(body):
        return text
    return _STRIP_CONTROLS.sub("", text)
