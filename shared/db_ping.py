"""Checking a pooled PostgreSQL connection before use, only when it has been idle.

SQLAlchemy's ``pool_pre_ping`` pings on every checkout: one more round trip for every session, and a
page's request opens two or three (the signed-in user, the page, its transaction).  On a saturated
server each round trip waits for PostgreSQL's backend to be scheduled, so in the start-of-lesson rush
(``bench/bench_rush.py``, issue 17) the pings were a fifth of a lesson save's round trips.  A
connection given back less than :data:`PING_AFTER_IDLE_S` ago is used without one: what the ping
is for, a server restarted or a connection cut while it sat in the pool, takes longer than that to
happen and be over (``bench/fault_matrix.py``'s PostgreSQL restart is back after 2–5 s, so every
pooled connection is pinged then).  A connection lost within that second fails its first statement
instead: SQLAlchemy then refreshes the whole pool, and that one request is a 503 (``shared/outage.py``)
or a job retried without using up its retries, as during the outage itself.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

#: Seconds a connection may sit in the pool and still be used without a ping.
PING_AFTER_IDLE_S = 1.0

_SINCE = "school_idle_since"


def ping_idle_connections(engine: Engine) -> None:
    """Ping a connection on checkout when it has been idle :data:`PING_AFTER_IDLE_S` or more (the
    engine is made without ``pool_pre_ping``)."""
    dialect = engine.dialect

    @event.listens_for(engine, "connect")
    def _connected(_dbapi_connection, record) -> None:
        record.info[_SINCE] = time.monotonic()  # just made: nothing to check

    @event.listens_for(engine, "checkin")
    def _given_back(_dbapi_connection, record) -> None:
        if record is not None:
            record.info[_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _taken(dbapi_connection, record, _proxy) -> None:
        if time.monotonic() - record.info.get(_SINCE, 0.0) < PING_AFTER_IDLE_S:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            if dialect.is_disconnect(exc, dbapi_connection, None):
                # As pool_pre_ping does: every connection made before now is replaced, and the pool
                # tries again with a new one (a database still away raises its OperationalError).
                raise sa.exc.InvalidatePoolError() from exc
            raise
        record.info[_SINCE] = time.monotonic()
