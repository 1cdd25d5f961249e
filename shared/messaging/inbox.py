"""Idempotent consumption of events: the handled id is recorded with the handler's effect."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from shared.db import Database
from shared.messages import Envelope, event_type
from shared.platform_models import PlatformTables, utcnow

log = logging.getLogger(__name__)

#: handler(session, payload, envelope) — runs inside the transaction that records the id.
Handler = Callable[[Session, dict[str, Any], Envelope], None]


def handle_envelope(
    db: Database, tables: PlatformTables, wire: dict[str, Any], handlers: dict[str, Handler],
) -> str:
    """Handle one delivered event once; returns ``handled``, ``duplicate`` or ``ignored``.

    Raises whatever the handler raises, so the broker retries and, in the end, dead-letters it.
    """
    envelope = Envelope.from_wire(wire)
    handler = handlers.get(envelope.type)
    if handler is None:
        return "ignored"
    payload = event_type(envelope.type).load(envelope.payload, envelope.version)
    processed = tables.processed.__table__
    with db.transaction() as session:
        # Claim the id first; a second delivery finds it taken and does nothing.  ON CONFLICT
        # keeps this to one statement and never aborts a PostgreSQL transaction.
        insert = _insert_for(db)(processed).values(
            message_id=envelope.id, name=envelope.type, processed_at=utcnow()
        ).on_conflict_do_nothing(index_elements=["message_id"]).returning(processed.c.message_id)
        if session.execute(insert).scalar() is None:
            return "duplicate"
        handler(session, payload, envelope)
    return "handled"


def _insert_for(db: Database):
    return sqlite_insert if db.is_sqlite else pg_insert
