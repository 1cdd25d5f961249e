"""The paper letter (писмо на хартия): the fallback for an obligatory notice no other channel delivers.

Notifications does not print: it asks documents, through ``documents.document_requested`` (``on_paper``),
for the printable letter, and counts the delivery as sent when ``documents.document_ready`` says the
letter is drawn up. Documents gathers each day's paper letters into one print set (one PDF, the
addressee in the envelope's window: the guardian's postal address, or „чрез ученика“ without one)
that the office prints on „Печат“; the office posts the letters or the class teacher hands them over.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.notifications.models import Delivery, DeliveryAttempt, Guardian
from shared.messages import Envelope
from shared.platform_models import as_utc, utcnow
from shared.runtime import ServiceRuntime

#: The channel name of paper deliveries in the log.
CHANNEL = "paper"


def address(name: str) -> str:
    return f"на хартия: {name}"


#: The addressee's line of a letter the student carries home: the guardian has no postal address.
THROUGH_STUDENT = "чрез ученика"


def addressed(letter: dict, name: str, postal: str | None = None) -> dict:
    """The letter with its addressee in the envelope's window: the guardian's postal address, or,
    without one, the student carries it home."""
    return {"template": letter["template"],
            "context": {**letter["context"], "parent": {"name": name, "address": postal or THROUGH_STUDENT}}}


def postal_address(session: Session, student_id: int | None, guardian_id: int | None, name: str) -> str | None:
    """The postal address of the letter's addressee: the guardian's, or, for a parent's account
    (an unread notice in the inbox), that of the student's guardian with the parent's name."""
    if guardian_id is not None:
        guardian = session.get(Guardian, guardian_id)
        return guardian.address if guardian else None
    if student_id is None:
        return None
    return session.scalar(sa.select(Guardian.address).where(
        Guardian.student_id == student_id, Guardian.name == name, Guardian.active.is_(True),
        Guardian.address.is_not(None)).order_by(Guardian.id).limit(1))


def request(session: Session, rt: ServiceRuntime, row: Delivery, now) -> None:
    """Ask documents for the letter in the planning transaction, so it is asked for exactly once."""
    event_id = rt.publish(session, "documents.document_requested", {
        "template": row.letter["template"], "context": row.letter["context"],
        "reason": f"писмо на хартия до {row.recipient_name} (уведомление {row.id})", "student_id": row.student_id,
        "on_paper": True})
    row.document_ref = f"requested:{event_id}"
    row.attempts += 1
    session.add(DeliveryAttempt(delivery_id=row.id, at=now, outcome="requested",
                                detail="поискано писмо на хартия от модула „Документи“"))


def make_document_ready_handler(rt: ServiceRuntime):
    def on_document_ready(session: Session, payload: dict, _envelope: Envelope) -> None:
        """The letter we asked for is drawn up: the paper delivery is done."""
        if not payload.get("source_event_id"):
            return
        row = session.scalar(sa.select(Delivery).where(Delivery.document_ref == payload["source_event_id"]))
        if row is None or row.status != "queued":
            return
        now = utcnow()
        row.status, row.sent_at = "sent", now
        number = payload.get("number") or f"№ {payload['document_id']}"
        session.add(DeliveryAttempt(delivery_id=row.id, at=now, outcome="sent",
                                    detail=f"писмото е изготвено (документ {number})"))
        metrics = rt.components.metrics
        metrics.sent.labels(CHANNEL).inc()
        if row.event_occurred_at is not None:
            metrics.delay.labels(CHANNEL).observe(max(0.0, (now - as_utc(row.event_occurred_at)).total_seconds()))

    return on_document_ready


def on_document_failed(session: Session, payload: dict, _envelope: Envelope) -> None:
    """The letter we asked for cannot be drawn up: the paper delivery failed, with documents' reason,
    so the delivery log and the family's card say „неуспешно“ instead of waiting for ever."""
    if not payload.get("source_event_id"):
        return
    row = session.scalar(sa.select(Delivery).where(Delivery.document_ref == payload["source_event_id"]))
    if row is None or row.status != "queued":
        return
    row.status, row.error = "failed", payload["reason"]
    session.add(DeliveryAttempt(delivery_id=row.id, at=utcnow(), outcome="failed",
                                detail=f"писмото не може да бъде изготвено: {payload['reason']}"))
