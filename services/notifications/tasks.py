"""The ``deliver`` job (изпращане): sends one planned delivery, every attempt recorded.

It claims the row first (check-and-mark), so a redelivered job never sends a message twice; the
same job given back by the broker after its worker died (crash recovery) takes its own claim over;
temporary failures raise so Dramatiq retries, and an obligatory notice that fails for good on a
guardian's last channel goes on paper.
"""

from __future__ import annotations

import datetime as dt
import logging

import dramatiq
import sqlalchemy as sa
from dramatiq.middleware import CurrentMessage
from sqlalchemy.orm import Session

from services.notifications import digests, paper
from services.notifications.channels import OutgoingMessage, PermanentDeliveryError, TemporaryDeliveryError
from services.notifications.delivery import plan
from services.notifications.models import Delivery, DeliveryAttempt
from services.notifications.rules.messages import Text
from services.notifications.rules.notices import About, Recipient
from shared.platform_models import as_utc, utcnow
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

#: Seconds a sender holds a delivery; longer than any channel's own timeout.
CLAIM_S = 120


#: Redis key naming the broker message (its ``redis_message_id``) whose job holds a delivery's claim.
CLAIM_HOLDER_KEY = "school:delivery-claim:{delivery_id}"


class ClaimHeldError(dramatiq.Retry):
    """Another sender holds the delivery: retried when its claim ends (sent by then, or the sender died).

    Dropping the job instead would lose the message when that sender was killed mid-send.
    """


def _claim(rt: ServiceRuntime, delivery_id: int) -> OutgoingMessage | None:
    """Check-and-mark: take the delivery if it is still to be sent now and nobody else holds it."""
    now = utcnow()
    due = (Delivery.id == delivery_id, Delivery.status == "queued", Delivery.digest_day.is_(None),
           sa.or_(Delivery.not_before.is_(None), Delivery.not_before <= now))
    with rt.db.transaction() as s:
        taken = s.execute(sa.update(Delivery).where(
            *due, sa.or_(Delivery.claimed_until.is_(None), Delivery.claimed_until < now),
        ).values(claimed_until=now + dt.timedelta(seconds=CLAIM_S))).rowcount
        if not taken:
            held_until = s.scalar(sa.select(Delivery.claimed_until).where(*due))
            if held_until is None:
                return None  # sent, given up, or waiting (quiet hours, digest)
            if not _held_by_this_message(rt, delivery_id):
                wait_ms = int((as_utc(held_until) - now).total_seconds() * 1000) + 1000
                raise ClaimHeldError(f"delivery {delivery_id} is held by another sender", delay=max(wait_ms, 1000))
            # This very message held the claim and the broker gave it back, which it does only when
            # the worker holding it died: the claim is a dead sender's, take it over now.
            s.execute(sa.update(Delivery).where(*due).values(claimed_until=now + dt.timedelta(seconds=CLAIM_S)))
        _record_holder(rt, delivery_id)
        row = s.get(Delivery, delivery_id)
        return OutgoingMessage(delivery_id=row.id, recipient=row.recipient, recipient_name=row.recipient_name,
                               subject=row.subject, body=row.body, occurred_at=row.event_occurred_at,
                               channel=row.channel)


def deliver(rt: ServiceRuntime, delivery_id: int) -> None:
    """The ``deliver`` job: send one delivery once; temporary failures raise so Dramatiq retries."""
    message = _claim(rt, delivery_id)
    if message is None:
        return
    metrics = rt.components.metrics
    channel = rt.components.channels.get(message.channel)
    if channel is None:
        # Not configured here (e.g. no SMTP server): retrying cannot help, the office must act.
        _record_attempt(rt, delivery_id, "permanent", f"каналът „{message.channel}“ не е настроен", final=True)
        metrics.failed.labels(message.channel).inc()
        return
    try:
        detail = channel.send(message)
    except PermanentDeliveryError as exc:
        _record_attempt(rt, delivery_id, "permanent", str(exc), final=True)
        metrics.failed.labels(channel.name).inc()
        raise
    except Exception as exc:
        # Temporary by its nature, or a channel's unforeseen error: recorded, and retried with backoff.
        outcome = "temporary" if isinstance(exc, TemporaryDeliveryError) else "error"
        exhausted = _retries() >= rt.settings.delivery_max_retries
        _record_attempt(rt, delivery_id, outcome, str(exc) or type(exc).__name__, final=exhausted)
        if exhausted:
            metrics.failed.labels(channel.name).inc()
        raise
    except BaseException:
        _release(rt, delivery_id)  # interrupted (shutdown, time limit): let the retry take it again
        raise
    sent_at = utcnow()
    _record_attempt(rt, delivery_id, "sent", detail, final=False, sent_at=sent_at)
    metrics.sent.labels(channel.name).inc()
    if message.occurred_at is not None:
        metrics.delay.labels(channel.name).observe(max(0.0, (sent_at - as_utc(message.occurred_at)).total_seconds()))


def _this_message() -> str | None:
    current = CurrentMessage.get_current_message()
    return current.options.get("redis_message_id") if current is not None else None


def _record_holder(rt: ServiceRuntime, delivery_id: int) -> None:
    message = _this_message()
    if message is not None and rt.broker is not None:
        rt.broker.client.set(CLAIM_HOLDER_KEY.format(delivery_id=delivery_id), message, ex=CLAIM_S)


def _held_by_this_message(rt: ServiceRuntime, delivery_id: int) -> bool:
    """Whether the claim was taken by this broker message (every enqueue has its own id; a retry too)."""
    message = _this_message()
    if message is None or rt.broker is None:
        return False
    holder = rt.broker.client.get(CLAIM_HOLDER_KEY.format(delivery_id=delivery_id))
    return holder is not None and holder.decode() == message


def release_claims(rt: ServiceRuntime) -> int:
    """Void every claim: called at start when no other sender can be alive (the embedded layout).

    A sender killed mid-send leaves its claim for :data:`CLAIM_S`; its job, given back by the broker,
    would wait that long.  The message may or may not have reached the SMTP server before the kill
    (the mail's Message-ID is the delivery's, so a mail client shows a repeat as one message).
    """
    with rt.db.transaction() as s:
        return s.execute(sa.update(Delivery).where(
            Delivery.status == "queued", Delivery.claimed_until.is_not(None)).values(claimed_until=None)).rowcount


def _retries() -> int:
    current = CurrentMessage.get_current_message()
    return current.options.get("retries", 0) if current is not None else 0


def _release(rt: ServiceRuntime, delivery_id: int) -> None:
    with rt.db.transaction() as s:
        s.execute(sa.update(Delivery).where(Delivery.id == delivery_id).values(claimed_until=None))


def _record_attempt(rt: ServiceRuntime, delivery_id: int, outcome: str, detail: str, *, final: bool,
                    sent_at: dt.datetime | None = None) -> None:
    with rt.db.transaction() as s:
        row = s.get(Delivery, delivery_id)
        row.attempts += 1
        row.claimed_until = None
        s.add(DeliveryAttempt(delivery_id=delivery_id, at=utcnow(), outcome=outcome, detail=detail[:2000]))
        if sent_at is not None:
            row.status, row.sent_at, row.error = "sent", sent_at, None
        elif final:
            row.status, row.error = "failed", detail[:2000]
        else:
            row.error = detail[:2000]
        if row.kind == digests.KIND and row.status != "queued":
            digests.settle_items(s, row)
        if row.status == "failed":
            _paper_after_failure(s, rt, row)


def _paper_after_failure(session: Session, rt: ServiceRuntime, row: Delivery) -> None:
    """An obligatory notice that failed for good on a guardian's last working channel goes on paper."""
    if not (row.obligatory and row.letter and row.guardian_id is not None) or row.channel == paper.CHANNEL:
        return
    pending = session.scalar(sa.select(sa.func.count()).select_from(Delivery).where(
        Delivery.about_key == row.about_key, Delivery.guardian_id == row.guardian_id, Delivery.id != row.id,
        Delivery.status.in_(("queued", "sent"))))
    if pending:
        return
    about = About(key=row.about_key, kind=row.kind, student_id=row.student_id, rule_id=row.rule_id,
                  article=row.article, urgent=True, obligatory=True, occurred_at=row.event_occurred_at,
                  letter=row.letter)
    recipient = Recipient(paper.CHANNEL, paper.address(row.recipient_name), row.recipient_name,
                          guardian_id=row.guardian_id)
    plan(session, rt, about, [recipient], Text(row.subject, row.body))
