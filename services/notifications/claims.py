"""Claims on a delivery (заявка за изпращане): who is sending it, and what a dead sender may have done.

A sender *claims* a delivery (check-and-mark in one UPDATE) before sending, so two jobs for the
same delivery never send it twice.  A claim names its holder in the broker (the key
:data:`CLAIM_HOLDER_KEY`: the holding worker process's broker id and the broker message of the
job's message), written in the claim's own transaction.  It is taken over at once, instead of after
:data:`CLAIM_S`, when

- the same job runs again (its retry, or the broker giving back a dead worker's message), or
- the holder's worker process is dead by the recovery pass's own judgement (its heartbeat is
  older than ``SCHOOL_WORKER_DEAD_AFTER_S``: ``shared.messaging.recovery.worker_is_dead``).

**What a dead sender may have done.** Just before the mail's content is handed over (the SMTP
``DATA`` command) the sender records an attempt ``submitting`` (committed).  A claim taken over
without such an attempt certainly sent nothing: it is sent now.  With one, the letter may be at
the server already; the channel is asked (:func:`settle_uncertain`, a channel's ``accepted``):
held → the delivery is sent and nothing goes again; not held → sent now; the channel cannot tell
(a real SMTP server) → sent again with the same Message-ID (at least once; ARCHITECTURE.md
"Crash recovery" gives the reasons).
"""

from __future__ import annotations

import datetime as dt
import logging

import dramatiq
import sqlalchemy as sa
from dramatiq.middleware import CurrentMessage

from services.notifications.models import Delivery, DeliveryAttempt
from shared.messaging.recovery import worker_is_dead
from shared.platform_models import as_utc, utcnow
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

#: Seconds a sender holds a delivery; longer than any channel's own timeout.
CLAIM_S = 120

#: Redis key naming the holder of a delivery's claim: ``<worker's broker id> <Dramatiq message id>``.
CLAIM_HOLDER_KEY = "school:delivery-claim:{delivery_id}"

#: The outcome of an attempt whose content may have reached the channel's server (before DATA).
SUBMITTING = "submitting"


class ClaimHeldError(dramatiq.Retry):
    """Another sender holds the delivery: retried when it may have ended (sent by then, or the sender died).

    Dropping the job instead would lose the message when that sender was killed mid-send.
    """


def due(delivery_id: int, now: dt.datetime) -> tuple:
    return (Delivery.id == delivery_id, Delivery.status == "queued", Delivery.digest_day.is_(None),
            sa.or_(Delivery.not_before.is_(None), Delivery.not_before <= now))


def claim(rt: ServiceRuntime, delivery_id: int) -> Delivery | None:
    """Check-and-mark: take the delivery if it is still to be sent now and no live sender holds it.

    Returns the row (detached) or ``None`` when there is nothing to send; raises
    :class:`ClaimHeldError` when a live sender holds it.
    """
    now = utcnow()
    until = now + dt.timedelta(seconds=CLAIM_S)
    with rt.db.transaction() as s:
        taken = s.execute(sa.update(Delivery).where(
            *due(delivery_id, now), sa.or_(Delivery.claimed_until.is_(None), Delivery.claimed_until < now),
        ).values(claimed_until=until)).rowcount
        if not taken:
            held_until = s.scalar(sa.select(Delivery.claimed_until).where(*due(delivery_id, now)))
            if held_until is None:
                return None  # sent, given up, or waiting (quiet hours, digest)
            if not _holder_is_gone(rt, delivery_id):
                # Asked again when the holder could have been judged dead, not only when the claim ends.
                wait_ms = int((as_utc(held_until) - now).total_seconds() * 1000) + 1000
                recheck_ms = int(rt.settings.worker_dead_after_s * 1000) + 2000
                raise ClaimHeldError(f"delivery {delivery_id} is held by another sender",
                                     delay=max(min(wait_ms, recheck_ms), 1000))
            log.warning("delivery %s: taking over the claim of a dead sender", delivery_id)
            s.execute(sa.update(Delivery).where(*due(delivery_id, now)).values(claimed_until=until))
        _record_holder(rt, delivery_id)
        row = s.get(Delivery, delivery_id)
        s.expunge(row)
        return row


def _this_message() -> str | None:
    """The job's Dramatiq message id: the same on its retries and when the broker gives it back.

    Either way the run that took the claim is over (a retry is enqueued only after its run ended;
    a message is given back only when its worker died), so the claim is this job's to take over.
    """
    current = CurrentMessage.get_current_message()
    return current.message_id if current is not None else None


def _record_holder(rt: ServiceRuntime, delivery_id: int) -> None:
    message = _this_message()
    if message is not None and rt.broker is not None:
        rt.broker.client.set(CLAIM_HOLDER_KEY.format(delivery_id=delivery_id), f"{rt.broker.broker_id} {message}",
                             ex=CLAIM_S)


def _holder_is_gone(rt: ServiceRuntime, delivery_id: int) -> bool:
    """The claim's holder is this very job (run again), or its worker process is dead."""
    if rt.broker is None:
        return False
    holder = rt.broker.client.get(CLAIM_HOLDER_KEY.format(delivery_id=delivery_id))
    if holder is None:
        return False  # no holder known: wait for the claim to end
    worker, _, message = holder.decode().partition(" ")
    if message and message == _this_message():
        return True
    return worker_is_dead(rt.broker, worker, rt.settings.worker_dead_after_s)


def release_claims(rt: ServiceRuntime) -> int:
    """Void every claim: called at start when no other sender can be alive (the embedded layout).

    A sender killed mid-send leaves its claim for :data:`CLAIM_S`; its job, given back by the
    broker, would wait that long.  Whether its letter reached the server is settled by the attempt
    it left (:func:`settle_uncertain`), not here.
    """
    with rt.db.transaction() as s:
        return s.execute(sa.update(Delivery).where(
            Delivery.status == "queued", Delivery.claimed_until.is_not(None)).values(claimed_until=None)).rowcount


def mark_submitting(rt: ServiceRuntime, delivery_id: int, message_id: str) -> None:
    """Record, committed, that the content is about to be handed over (before SMTP ``DATA``)."""
    with rt.db.transaction() as s:
        s.add(DeliveryAttempt(delivery_id=delivery_id, at=utcnow(), outcome=SUBMITTING,
                              detail="предава се" + (f", Message-ID {message_id}" if message_id else "")))


def uncertain_attempt(rt: ServiceRuntime, delivery_id: int) -> DeliveryAttempt | None:
    """The attempt a dead sender left between handing the content over and recording the outcome."""
    with rt.db.sessions() as s:
        attempt = s.scalars(sa.select(DeliveryAttempt).where(
            DeliveryAttempt.delivery_id == delivery_id, DeliveryAttempt.outcome == SUBMITTING)
            .order_by(DeliveryAttempt.id.desc()).limit(1)).first()
        if attempt is not None:
            s.expunge(attempt)
        return attempt


def settle_uncertain(channel, message) -> bool | None:
    """Whether the channel's server already holds ``message`` (``None``: it cannot tell)."""
    accepted = getattr(channel, "accepted", None)
    if accepted is None:
        return None
    try:
        return accepted(message)
    except Exception:  # the server unreachable now: unknown, like a server that cannot tell
        log.warning("delivery %s: could not ask the server whether it holds the letter", message.delivery_id,
                    exc_info=True)
        return None
