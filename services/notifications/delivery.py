"""Deliveries (изпращания): planned once per idempotency key, sent by a job, every attempt recorded.

A handler *plans* deliveries inside the transaction that records the event as handled, so a
redelivered event finds its key taken and plans nothing.  The ``deliver`` job sends one delivery;
it claims the row first, so a redelivered job never sends a message twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import Any

import sqlalchemy as sa
from dramatiq.middleware import CurrentMessage
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from services.notifications.channels import OutgoingMessage, PermanentDeliveryError, TemporaryDeliveryError
from services.notifications.messages import Text
from services.notifications.models import Delivery, DeliveryAttempt
from services.notifications.quiet_hours import release_time
from shared.platform_models import as_utc, utcnow
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Recipient:
    channel: str
    address: str
    name: str
    guardian_id: int | None = None
    user_id: int | None = None
    #: For the paper channel: ``{"template", "context"}`` of the printable letter documents draws up.
    letter: dict | None = None


@dataclasses.dataclass(frozen=True)
class About:
    """What a message is about, for the delivery log and the idempotency key."""

    key: str
    kind: str
    student_id: int | None = None
    rule_id: str | None = None
    article: str | None = None
    urgent: bool = False
    occurred_at: dt.datetime | None = None


def plan(session: Session, rt: ServiceRuntime, about: About, recipients: list[Recipient], text: Text) -> list[int]:
    """Create one queued delivery per recipient and channel unless its key exists; enqueue sending."""
    now = utcnow()
    not_before = None if about.urgent else release_time(rt.settings, now)
    table = Delivery.__table__
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
    created = []
    for recipient in recipients:
        key = f"{about.key}:{recipient.channel}:{recipient.address}"
        statement = insert(table).values(
            idempotency_key=key, channel=recipient.channel, recipient=recipient.address,
            recipient_name=recipient.name, student_id=about.student_id, rule_id=about.rule_id,
            article=about.article, subject=text.subject, body=text.body, status="queued", urgent=about.urgent,
            kind=about.kind, guardian_id=recipient.guardian_id, user_id=recipient.user_id,
            event_occurred_at=about.occurred_at, created_at=now, attempts=0, not_before=not_before,
        ).on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(table.c.id)
        delivery_id = session.execute(statement).scalar()
        if delivery_id is None:
            rt.services["metrics"].suppressed.labels(recipient.channel).inc()
            continue
        created.append(delivery_id)
        if recipient.letter is not None:
            _request_letter(session, rt, delivery_id, about, recipient, now)
        elif not_before is None:
            rt.enqueue_job(session, "deliver", delivery_id)
    return created


def _request_letter(session: Session, rt: ServiceRuntime, delivery_id: int, about: About, recipient: Recipient,
                    now: dt.datetime) -> None:
    """Paper: ask documents for the printable letter in this transaction, so it is asked for exactly once."""
    rt.publish(session, "documents.document_requested", {
        "template": recipient.letter["template"], "context": recipient.letter["context"],
        "reason": f"писмо на хартия до {recipient.name} (уведомление {delivery_id})", "student_id": about.student_id})
    row = session.get(Delivery, delivery_id)
    row.status, row.sent_at, row.attempts = "sent", now, 1
    session.add(DeliveryAttempt(delivery_id=delivery_id, at=now, outcome="sent",
                                detail="поискано писмо на хартия от модула „Документи“"))
    rt.services["metrics"].sent.labels("paper").inc()


def deliver(rt: ServiceRuntime, delivery_id: int) -> None:
    """The ``deliver`` job: send one delivery once; temporary failures raise so Dramatiq retries."""
    channels = rt.services["channels"]
    with rt.db.transaction() as s:
        row = s.get(Delivery, delivery_id)
        if row is None or row.status != "queued":
            return  # already sent or given up: a redelivered job does nothing
        if row.not_before is not None and as_utc(row.not_before) > utcnow():
            return  # quiet hours: the release sweep enqueues it again
        channel_name = row.channel
        channel = channels.get(channel_name)
        message = OutgoingMessage(delivery_id=row.id, recipient=row.recipient, recipient_name=row.recipient_name,
                                  subject=row.subject, body=row.body, occurred_at=row.event_occurred_at)
    metrics = rt.services["metrics"]
    if channel is None:
        # Not configured here (e.g. no SMTP server): retrying cannot help, the office must act.
        _record_attempt(rt, delivery_id, "permanent", f"каналът „{channel_name}“ не е настроен", final=True)
        metrics.failed.labels(channel_name).inc()
        return
    try:
        detail = channel.send(message)
    except TemporaryDeliveryError as exc:
        retries = CurrentMessage.get_current_message().options.get("retries", 0) if _in_worker() else 0
        exhausted = retries >= rt.settings.delivery_max_retries
        _record_attempt(rt, delivery_id, "temporary", str(exc), final=exhausted)
        if exhausted:
            metrics.failed.labels(channel.name).inc()
        raise
    except PermanentDeliveryError as exc:
        _record_attempt(rt, delivery_id, "permanent", str(exc), final=True)
        metrics.failed.labels(channel.name).inc()
        raise
    sent_at = utcnow()
    _record_attempt(rt, delivery_id, "sent", detail, final=False, sent_at=sent_at)
    metrics.sent.labels(channel.name).inc()
    if message.occurred_at is not None:
        metrics.delay.labels(channel.name).observe(max(0.0, (sent_at - as_utc(message.occurred_at)).total_seconds()))


def _in_worker() -> bool:
    return CurrentMessage.get_current_message() is not None


def _record_attempt(rt: ServiceRuntime, delivery_id: int, outcome: str, detail: str, *, final: bool,
                    sent_at: dt.datetime | None = None) -> None:
    with rt.db.transaction() as s:
        row = s.get(Delivery, delivery_id)
        row.attempts += 1
        s.add(DeliveryAttempt(delivery_id=delivery_id, at=utcnow(), outcome=outcome, detail=detail[:2000]))
        if sent_at is not None:
            row.status, row.sent_at, row.error = "sent", sent_at, None
        elif final:
            row.status, row.error = "failed", detail[:2000]
        else:
            row.error = detail[:2000]


def release_quiet(rt: ServiceRuntime) -> int:
    """Sweep: enqueue the deliveries held back by quiet hours whose time has come (safe to run twice)."""
    now = utcnow()
    with rt.db.transaction() as s:
        due = s.scalars(sa.select(Delivery).where(
            Delivery.status == "queued", Delivery.not_before.is_not(None), Delivery.not_before <= now)).all()
        for row in due:
            row.not_before = None  # released: a second sweep finds nothing to do
            rt.enqueue_job(s, "deliver", row.id)
        return len(due)


def as_dict(row: Delivery) -> dict[str, Any]:
    return {c.name: getattr(row, c.name) for c in Delivery.__table__.columns}
