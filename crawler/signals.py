"""newsmon's own Scrapy signals."""

# Sent with (url, outlet, reason, detail, http_status) when a URL is not stored.
url_rejected = object()
