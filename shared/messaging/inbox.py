"""Idempotent consumption of events: the handled id is recorded with the handler's effect."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.db import Database
from shared.messages import Envelope, event_type
from shared.platform_models import PlatformTables

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
    payload = event_type(envelope.type).schema().load(envelope.payload)
    try:
        with db.transaction() as session:
            seen = session.scalar(
                sa.select(tables.processed.message_id).where(tables.processed.message_id == envelope.id)
            )
            if seen is not None:
                return "duplicate"
            session.add(tables.processed(message_id=envelope.id, name=envelope.type))
            session.flush()
            handler(session, payload, envelope)
    except IntegrityError:
        # Two deliveries raced; the other one committed the effect.
        with db.engine.connect() as conn:
            exists = conn.scalar(
                sa.select(tables.processed.message_id).where(tables.processed.message_id == envelope.id)
            )
        if exists is None:
            raise
        return "duplicate"
    return "handled"
