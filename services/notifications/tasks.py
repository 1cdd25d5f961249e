"""The ``deliver`` job (изпращане): sends one planned delivery, every attempt recorded.

It claims the row first (check-and-mark, ``claims.py``), so a redelivered job never sends a message
twice; a dead sender's claim is taken over at once, and an attempt it may have handed to the server
is settled by asking the server before anything goes again; temporary failures raise so Dramatiq
retries, and an obligatory notice that fails for good on a guardian's last channel goes on paper.
"""

from __future__ import annotations

import datetime as dt
import logging

import sqlalchemy as sa
from dramatiq.middleware import CurrentMessage
from sqlalchemy.orm import Session

from services.notifications import claims, digests, paper
from services.notifications.channels import OutgoingMessage, PermanentDeliveryError, TemporaryDeliveryError
from services.notifications.delivery import plan
from services.notifications.models import Delivery, DeliveryAttempt
from services.notifications.rules.messages import Text
from services.notifications.rules.notices import About, Recipient
from shared.platform_models import as_utc, utcnow
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

# The claim and what a dead sender left behind live in claims.py; re-exported for older callers.
CLAIM_S = claims.CLAIM_S
CLAIM_HOLDER_KEY = claims.CLAIM_HOLDER_KEY
ClaimHeldError = claims.ClaimHeldError
release_claims = claims.release_claims


def _outgoing(rt: ServiceRuntime, row: Delivery) -> OutgoingMessage:
    channel = rt.components.channels.get(row.channel)
    if getattr(channel, "marks_handover", False):
        def before_handover() -> None:
            claims.mark_submitting(rt, row.id, channel.message_id(message))
    else:
        before_handover = None
    message = OutgoingMessage(delivery_id=row.id, recipient=row.recipient, recipient_name=row.recipient_name,
                              subject=row.subject, body=row.body, occurred_at=row.event_occurred_at,
                              channel=row.channel, key=f"{row.idempotency_key}|{as_utc(row.created_at).isoformat()}",
                              before_handover=before_handover)
    return message


def deliver(rt: ServiceRuntime, delivery_id: int) -> None:
    """The ``deliver`` job: send one delivery once; temporary failures raise so Dramatiq retries."""
    row = claims.claim(rt, delivery_id)
    if row is None:
        return
    message = _outgoing(rt, row)
    metrics = rt.components.metrics
    channel = rt.components.channels.get(message.channel)
    if channel is None:
        # Not configured here (e.g. no SMTP server): retrying cannot help, the office must act.
        _record_attempt(rt, delivery_id, "permanent", f"каналът „{message.channel}“ не е настроен", final=True)
        metrics.failed.labels(message.channel).inc()
        return
    if _settled_by_the_server(rt, channel, message):
        return
    if message.before_handover is None:
        # A channel that cannot say when it hands the content over: the whole send is uncertain.
        claims.mark_submitting(rt, delivery_id, "")
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


def _settled_by_the_server(rt: ServiceRuntime, channel, message: OutgoingMessage) -> bool:
    """After a crash mid-send: True when the server already holds the letter (then it is marked sent).

    A dead sender's attempt ``submitting`` means the content may have been handed over.  The
    server is asked; if it holds the mail nothing is sent again.  If it does not, or cannot tell
    (a real SMTP server), the letter goes again with the same Message-ID: a parent's letter is
    never dropped on a guess (ARCHITECTURE.md, "Crash recovery").
    """
    uncertain = claims.uncertain_attempt(rt, message.delivery_id)
    if uncertain is None:
        return False
    held = claims.settle_uncertain(channel, message)
    if held:
        _record_attempt(rt, message.delivery_id, "sent",
                        "приет от сървъра преди прекъсването (проверено по Message-ID); не се изпраща отново",
                        final=False, sent_at=utcnow())
        rt.components.metrics.sent.labels(channel.name).inc()
        return True
    detail = ("прекъснато; сървърът не го е получил" if held is False else
              "прекъснато; сървърът не може да каже дали го е получил: изпраща се отново със същия Message-ID")
    _record_attempt(rt, message.delivery_id, "interrupted", detail, final=False)
    return False


def _retries() -> int:
    current = CurrentMessage.get_current_message()
    return current.options.get("retries", 0) if current is not None else 0


def _release(rt: ServiceRuntime, delivery_id: int) -> None:
    """Interrupted (shutdown, time limit): the claim goes; an attempt left ``submitting`` is settled
    by the next sender as after a crash."""
    with rt.db.transaction() as s:
        s.execute(sa.update(Delivery).where(Delivery.id == delivery_id).values(claimed_until=None))


def _record_attempt(rt: ServiceRuntime, delivery_id: int, outcome: str, detail: str, *, final: bool,
                    sent_at: dt.datetime | None = None) -> None:
    with rt.db.transaction() as s:
        row = s.get(Delivery, delivery_id)
        row.attempts += 1
        if outcome != "interrupted":
            row.claimed_until = None  # an interrupted attempt is followed at once by this sender's own
        # The attempt recorded before the hand-over gets its outcome (one row per attempt).
        attempt = s.scalars(sa.select(DeliveryAttempt).where(
            DeliveryAttempt.delivery_id == delivery_id, DeliveryAttempt.outcome == claims.SUBMITTING)
            .order_by(DeliveryAttempt.id.desc()).limit(1)).first()
        if attempt is None:
            attempt = DeliveryAttempt(delivery_id=delivery_id)
            s.add(attempt)
        attempt.at, attempt.outcome, attempt.detail = utcnow(), outcome, detail[:2000]
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
