"""URL identity: one normalized form per article URL.

:func:`normalize_url` is the clean URL shown to users (scheme and host case, default
ports, tracking parameters, fragments, trailing slashes and AMP markers folded away).
:func:`url_key` goes further (``http``/``https`` and ``www.`` folded too) and is the
unique key under which an article URL is stored, so two spellings of one page are one
article.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid",
        "mc_cid", "mc_eid", "_ga", "_gl", "ref", "ref_src", "cmpid", "ocid", "smid",
        "share", "amp", "outputtype", "utm",
    }
)
TRACKING_PREFIXES = ("utm_", "hsa_", "pk_", "mtm_", "itm_")
_AMP_PATH = re.compile(r"(/amp/?$)|(/amp(?=/))|(\.amp(?=\.html?$|$))", re.IGNORECASE)
_SAFE_PATH = "/%:@!$&'()*+,;=-._~"


def _strip_amp(path: str) -> str:
    """``/news/x/amp``, ``/amp/news/x`` and ``/news/x.amp.html`` are the page ``/news/x``."""
    stripped = _AMP_PATH.sub("", path)
    return stripped or "/"


def normalize_url(url: str) -> str:
    """The clean form of a web URL; raises ValueError for anything else."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"not a web URL: {url!r}")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise ValueError(f"URL has no host: {url!r}")
    if host.startswith("amp."):
        host = host[4:]
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = quote(unquote(parts.path), safe=_SAFE_PATH) or "/"
    path = _strip_amp(path)
    if len(path) > 1:
        path = path.rstrip("/")
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
    ]
    query.sort()
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def url_key(url: str) -> str:
    """The storage key of a URL: :func:`normalize_url` with ``http``/``https`` and ``www.`` folded."""
    parts = urlsplit(normalize_url(url))
    netloc = parts.netloc[4:] if parts.netloc.startswith("www.") else parts.netloc
    return urlunsplit(("https", netloc, parts.path, parts.query, ""))


def url_host(url: str) -> str:
    """Host of a URL without ``www.``, for comparing outlets."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host
