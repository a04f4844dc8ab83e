"""Durations as people read them in tables and log lines: ``0.5s``, ``42s``, ``4m05s``, ``2h03m``."""

from __future__ import annotations


def human_duration(seconds: float | None) -> str:
    """Short and exact enough; empty when unknown."""
    if seconds is None:
        return ""
    if seconds < 10:
        return f"{seconds:.1f}s".replace(".0s", "s")
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m{whole % 60:02d}s"
    if whole < 86400:
        return f"{whole // 3600}h{whole % 3600 // 60:02d}m"
    return f"{whole // 86400}d{whole % 86400 // 3600:02d}h"
