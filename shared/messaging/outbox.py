"""Transactional outbox (изходяща кутия) and the relay that empties it into the broker.

A service never talks to the broker inside a request.  It adds a row to its ``outbox`` table in
the same transaction as the change; if the transaction rolls back, nothing is announced.  After
commit the relay wakes (or, for rows written by another process such as ``schoolctl users add``,
finds them on its periodic pass), enqueues one Dramatiq message per subscriber, and marks the row
published.  A crash between the enqueue and the mark re-sends the message on restart; consumers
are idempotent on the event id, so nothing is lost and nothing is done twice.
"""

from __future__ import annotations

import logging
import threading
import uuid
from typing import Any

import sqlalchemy as sa
from dramatiq import Message
from sqlalchemy.orm import Session

from shared.db import Database
from shared.db_bulk.append_only import add_row
from shared.messages import Envelope, event_type
from shared.messages.registry import URGENT_EVENTS
from shared.messaging.broker import event_actor_name, events_queue, identity_actor_name, identity_queue
from shared.platform_models import PlatformTables, as_utc, utcnow

log = logging.getLogger(__name__)

#: Rows moved per pass; a burst larger than this is moved in several passes.
BATCH_SIZE = 200

#: Seconds between passes when no commit in this process woke the relay.
FALLBACK_INTERVAL_S = 1.0

#: ``session.info`` key listing the urgent (identity) events a transaction wrote, as ``(id, name)``.
URGENT_KEY = "outbox_urgent"


def publish_event(session: Session, tables: PlatformTables, name: str, payload: dict[str, Any],
                  message_id: str | None = None) -> str:
    """Add an event to the outbox in the caller's transaction; returns its id.

    The payload is validated against the event's declared schema now, so a malformed event fails
    the request that produced it instead of a consumer later.  ``message_id`` is for a caller that
    stores the event's id with its own row before publishing (a new UUID otherwise).
    """
    row = _event_row(name, payload, message_id)
    add_row(session, tables.outbox.__table__, row)
    session.info["outbox_dirty"] = True
    if name in URGENT_EVENTS:
        session.info.setdefault(URGENT_KEY, []).append((row["message_id"], name))
    return row["message_id"]


def urgent_events(session: Session) -> list[tuple[str, str]]:
    """The identity events this session's transaction wrote, ``(id, name)``: what a writer waits for."""
    return list(session.info.get(URGENT_KEY, ()))


def publish_events(session: Session, tables: PlatformTables, name: str, payloads: list[dict[str, Any]]) -> list[str]:
    """Add many events of one type to the outbox in one statement (a job announcing hundreds); returns their ids."""
    rows = [_event_row(name, payload) for payload in payloads]
    if rows:
        session.execute(tables.outbox.__table__.insert(), rows)
        session.info["outbox_dirty"] = True
    return [row["message_id"] for row in rows]


def _event_row(name: str, payload: dict[str, Any], message_id: str | None = None) -> dict[str, Any]:
    etype = event_type(name)
    errors = etype.errors(payload)
    if errors:
        raise ValueError(f"invalid payload for {name}: {errors}")
    return {"message_id": message_id or str(uuid.uuid4()), "kind": "event", "name": name,
            "payload": {"version": etype.version, "data": payload}, "created_at": utcnow()}


def enqueue_job(session: Session, tables: PlatformTables, actor: str, queue: str, *args: Any) -> str:
    """Schedule one of this service's own jobs, sent only if the transaction commits."""
    message_id = str(uuid.uuid4())
    add_row(session, tables.outbox.__table__, {
        "message_id": message_id, "kind": "job", "name": actor,
        "payload": {"queue": queue, "args": list(args)}, "created_at": utcnow()})
    session.info["outbox_dirty"] = True
    return message_id


def _messages_for(row, producer: str) -> list[Message]:
    if row.kind == "job":
        return [Message(queue_name=row.payload["queue"], actor_name=row.name,
                        args=tuple(row.payload["args"]), kwargs={}, options={})]
    etype = event_type(row.name)
    queue, actor = (identity_queue, identity_actor_name) if etype.urgent else (events_queue, event_actor_name)
    envelope = Envelope(
        id=row.message_id, type=row.name, version=row.payload["version"], producer=producer,
        occurred_at=as_utc(row.created_at),
        payload=row.payload["data"],
    ).to_wire()
    return [
        Message(queue_name=queue(service), actor_name=actor(service), args=(envelope,), kwargs={}, options={})
        for service in etype.subscribers
    ]


class OutboxRelay:
    """Moves committed outbox rows to the broker, in order, from one service's database.

    Parameters:
      db: the service's database.
      tables: its platform tables.
      broker: where messages go.
      service: producer name written into envelopes.
    """

    def __init__(self, db: Database, tables: PlatformTables, broker, service: str) -> None:
        self.db = db
        self.tables = tables
        self.broker = broker
        self.service = service
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pass_lock = threading.Lock()
        self._urgent_lock = threading.Lock()
        db.on_commit(self._wake.set)

    def publish_pending(self) -> int:
        """One pass: enqueue every unpublished row (in batches); returns how many were moved.

        Identity events go first, and again before every batch of the rest: a user added or
        signed out while thousands of rows of a bulk import wait is relayed after at most one batch.
        """
        moved = 0
        with self._pass_lock:
            while True:
                moved += self.publish_urgent()
                batch = self._publish_batch(self.tables.outbox.name.not_in(URGENT_EVENTS))
                moved += batch
                if batch < BATCH_SIZE:
                    return moved

    def publish_urgent(self) -> int:
        """Enqueue the unpublished identity events only; returns how many were moved.

        A writer that waits for every service to apply its change calls this itself rather than
        wait for the relay's next pass (``schoolctl`` has no relay running; a running one may send
        the same row too, which the consumers' inbox drops).
        """
        moved = 0
        with self._urgent_lock:
            while True:
                batch = self._publish_batch(self.tables.outbox.name.in_(URGENT_EVENTS))
                moved += batch
                if batch < BATCH_SIZE:
                    return moved

    def _publish_batch(self, which: sa.ColumnElement[bool]) -> int:
        outbox = self.tables.outbox
        query = (sa.select(outbox).where(outbox.published_at.is_(None), which)
                 .order_by(outbox.id).limit(BATCH_SIZE))
        if not self.db.is_sqlite:
            # PostgreSQL: rows stay locked while they are enqueued, so parallel relays skip them.
            with self.db.transaction() as session:
                rows = session.scalars(query.with_for_update(skip_locked=True)).all()
                self._enqueue(rows)
                for row in rows:
                    row.published_at = utcnow()
                return len(rows)
        # SQLite has one writer for the whole file: enqueue outside the write lock so that requests
        # are not held up by broker round trips, then mark the rows in a short transaction.  This
        # process has the only relay of its database; only a `schoolctl users` command may send
        # the same identity event too (publish_urgent), a duplicate that the consumers' inbox drops.
        with self.db.sessions() as session:
            rows = session.scalars(query).all()
        self._enqueue(rows)
        if rows:
            with self.db.transaction() as session:
                session.execute(sa.update(outbox).where(outbox.id.in_([r.id for r in rows]))
                                .values(published_at=utcnow()))
        return len(rows)

    def _enqueue(self, rows) -> None:
        messages = [m for row in rows for m in _messages_for(row, self.service)]
        if hasattr(self.broker, "enqueue_batch"):
            if messages:
                self.broker.enqueue_batch(messages)
            return
        for message in messages:  # brokers without batches (the StubBroker of unit tests)
            self.broker.enqueue(message)

    def backlog(self) -> tuple[int, float | None]:
        """Unpublished rows and the age in seconds of the oldest, for metrics."""
        outbox = self.tables.outbox
        with self.db.engine.connect() as conn:
            count, oldest = conn.execute(
                sa.select(sa.func.count(), sa.func.min(outbox.created_at)).where(outbox.published_at.is_(None))
            ).one()
        if not oldest:
            return count, None
        return count, max(0.0, (utcnow() - as_utc(oldest)).total_seconds())

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name=f"outbox-relay-{self.service}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(FALLBACK_INTERVAL_S)
            self._wake.clear()
            try:
                self.publish_pending()
            except Exception:
                # The broker or database is away; rows stay in the outbox and the next pass retries.
                log.exception("outbox relay of %s could not publish; will retry", self.service)
                self._stop.wait(FALLBACK_INTERVAL_S)
        # A last pass so that a clean stop leaves nothing behind that could have gone.
        try:
            self.publish_pending()
        except Exception:
            log.exception("outbox relay of %s: final pass failed; rows stay queued", self.service)
