"""Why a request failed, as one short reason key and one readable line."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as tx_error
from twisted.internet.defer import CancelledError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed

def classify_failure(failure: Failure) -> tuple[str, str, int | None]:
    """(reason, detail, http status) of a failed request."""
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        reason = "rate_limited" if status == 429 else f"http_{status}"
        return reason, f"HTTP {status}", status
    if isinstance(exc, IgnoreRequest):
        message = str(exc)
        if "redirection" in message or "redirect loop" in message:
            return "redirect_loop", message, None
        if "robots.txt" in message:
            return "robots_disallowed", message, None
        if "larger than" in message or "DOWNLOAD_MAXSIZE" in message:
            return "too_large", message, None
        return "ignored", message, None
    if isinstance(exc, (DownloadTimeoutError, tx_error.TimeoutError, tx_error.TCPTimedOutError)):
        return "timeout", str(exc) or "download timed out", None
    if isinstance(exc, (CannotResolveHostError, tx_error.DNSLookupError)):
        return "dns", str(exc) or "DNS lookup failed", None
    if isinstance(exc, (DownloadConnectionRefusedError, tx_error.ConnectionRefusedError)):
        return "connection_refused", str(exc) or "connection refused", None
    if isinstance(exc, (DownloadCancelledError, CancelledError)):
        return "too_large", str(exc) or "download cancelled (larger than DOWNLOAD_MAXSIZE)", None
    if isinstance(exc, ResponseDataLossError):
        return "data_loss", str(exc) or "body shorter than its Content-Length", None
    if isinstance(exc, ResponseFailed):
        if any("PotentialDataLoss" in repr(r.value) or "DataLoss" in repr(r.value) for r in exc.reasons):
            return "data_loss", "body shorter than its Content-Length", None
        return "connection_lost", "; ".join(str(r.value) for r in exc.reasons) or "response failed", None
    if isinstance(exc, (DownloadFailedError, tx_error.ConnectionLost, tx_error.ConnectionDone)):
        return "connection_lost", str(exc) or "connection lost", None
    return "error", f"{type(exc).__name__}: {exc}", None
