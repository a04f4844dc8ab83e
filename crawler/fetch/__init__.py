"""Fetching: polite retries, conditional requests, skipping known articles, and naming
why a request failed."""
