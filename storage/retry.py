"""Transactions that survive concurrent writers.

With several crawler processes on one PostgreSQL database, a transaction can lose a race
that a lone process never meets: two processes insert the same URL (unique violation),
wait on each other's rows (deadlock) or trip serializable isolation. Each of these
aborts the whole transaction and leaves the database unchanged, so the cure is to run
the transaction again from the start: the second run sees the winner's committed rows
and takes the update path. :func:`run_in_transaction` does that, a bounded number of
times with a jittered backoff so the racers do not collide again.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")
logger = logging.getLogger(__name__)

# SQLSTATEs of a lost race: serialization failure, deadlock, unique violation.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "23505"})
DEFAULT_ATTEMPTS = 8
BACKOFF_SECONDS = 0.02


def is_race(exc: BaseException) -> bool:
    """True when ``exc`` is an error that running the same transaction again can cure."""
    if not isinstance(exc, DBAPIError):
        return False
    return getattr(exc.orig, "sqlstate", None) in RETRYABLE_SQLSTATES


def run_in_transaction(sessions: sessionmaker[Session], fn: Callable[[Session], T], *,
                       attempts: int = DEFAULT_ATTEMPTS) -> T:
    """``fn(session)`` in a fresh transaction, committed; run again on a lost race.

    ``fn`` must do all its writing through the session it is given (a retry discards
    everything the failed attempt did). Other errors, and a race lost ``attempts``
    times, propagate.
    """
    for attempt in range(1, attempts + 1):
        try:
            with sessions.begin() as session:
                return fn(session)
        except DBAPIError as exc:
            if attempt == attempts or not is_race(exc):
                raise
            logger.debug("transaction lost a race (%s), attempt %d of %d", exc.orig, attempt, attempts)
            time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))
    raise AssertionError("unreachable")
