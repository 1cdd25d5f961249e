"""A delivery claimed by a sender that died mid-send is sent once its claim ends, not dropped."""

from __future__ import annotations

import datetime as dt
import time
import uuid

import pytest
import sqlalchemy as sa
from dramatiq import Message

from services.notifications import claims
from services.notifications.models import Delivery, DeliveryAttempt
from shared.messaging.recovery import worker_is_dead
from shared.platform_models import utcnow
from tests.conftest import drain
from tests.notifications.support import attempts_of, deliveries, publish_from_register, rule_fired
from tests.support.school import setup_small_school


def test_a_letter_a_killed_sender_held_goes_out_when_its_claim_ends(api, make_user, process, smtp):
    school = setup_small_school(api, make_user, guardians=[{"name": "Петър Иванов", "email": "petar@example.bg"}])
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 3))
    api.drain()
    [letter] = [d for d in deliveries(api, student_id=school.student_id) if d["channel"] == "email"]
    # As a sender killed between its claim and the SMTP server: the letter is still to be sent, the
    # claim has two seconds left, and the broker's recovery gives the sender's job back.
    notifications = process.runtime("notifications")
    with notifications.db.transaction() as s:
        s.execute(sa.update(Delivery).where(Delivery.id == letter["id"]).values(
            status="queued", sent_at=None, claimed_until=utcnow() + dt.timedelta(seconds=2)))
    smtp.received.clear()
    process.broker.enqueue(Message(queue_name="notifications_jobs", actor_name="notifications.deliver",
                                   args=(letter["id"],), kwargs={}, options={}))
    drain(process, timeout=60)
    assert len(smtp.to("petar@example.bg")) == 1
    [again] = [d for d in deliveries(api, student_id=school.student_id) if d["channel"] == "email"]
    assert again["status"] == "sent"


# -- a sender killed mid-send, its claim held by a dead worker (issue 17) ------------------------


@pytest.fixture
def settings(settings):
    # The least the settings allow: a worker silent 5 s is dead (the default is 10 s).
    return settings.replace(worker_dead_after_s=5)


def _killed_mid_send(process, delivery_id: int, *, handed_over: bool) -> None:
    """As a sender killed holding the delivery: claimed for 120 s by a worker that no longer beats,
    and, when ``handed_over``, after it recorded that the content was going to the server."""
    notifications = process.runtime("notifications")
    with notifications.db.transaction() as s:
        s.execute(sa.update(Delivery).where(Delivery.id == delivery_id).values(
            status="queued", sent_at=None, claimed_until=utcnow() + dt.timedelta(seconds=claims.CLAIM_S)))
        if handed_over:
            s.add(DeliveryAttempt(delivery_id=delivery_id, at=utcnow(), outcome=claims.SUBMITTING, detail="предава се"))
    process.broker.client.set(claims.CLAIM_HOLDER_KEY.format(delivery_id=delivery_id),
                              f"killed-worker-{uuid.uuid4().hex} its-message", ex=claims.CLAIM_S)
    # This process judges others only once it has itself been connected for the dead-after time.
    deadline = time.monotonic() + 30
    while not worker_is_dead(process.broker, "killed-worker", notifications.settings.worker_dead_after_s):
        assert time.monotonic() < deadline, "the keep-alive never ran"
        time.sleep(0.2)


def _send_again(process, delivery_id: int) -> None:
    # Another job for the delivery (a sweep's, or the broker's copy): not the one that held the claim.
    process.broker.enqueue(Message(queue_name="notifications_jobs", actor_name="notifications.deliver",
                                   args=(delivery_id,), kwargs={}, options={}))
    # Settled well within the claim's 120 s: the dead sender's claim is taken over, not waited out.
    deadline = time.monotonic() + 60
    while _status(process, delivery_id) == "queued":
        assert time.monotonic() < deadline, "the dead sender's claim was never taken over"
        time.sleep(0.2)
    drain(process, timeout=60)


def _status(process, delivery_id: int) -> str:
    with process.runtime("notifications").db.sessions() as s:
        return s.scalar(sa.select(Delivery.status).where(Delivery.id == delivery_id))


def _letter(api, make_user, process):
    school = setup_small_school(api, make_user, guardians=[{"name": "Петър Иванов", "email": "petar@example.bg"}])
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 3))
    api.drain()
    [letter] = [d for d in deliveries(api, student_id=school.student_id) if d["channel"] == "email"]
    return school, letter


def test_a_dead_senders_claim_is_taken_over_at_once_not_after_120_s(api, make_user, process, smtp):
    school, letter = _letter(api, make_user, process)
    smtp.received.clear()
    _killed_mid_send(process, letter["id"], handed_over=False)
    _send_again(process, letter["id"])
    assert len(smtp.to("petar@example.bg")) == 1
    [again] = [d for d in deliveries(api, student_id=school.student_id) if d["channel"] == "email"]
    assert again["status"] == "sent"


def test_a_letter_the_server_already_holds_is_not_sent_again_after_a_crash(api, make_user, process, smtp):
    """Killed between DATA and "sent": the server is asked by Message-ID and the parent gets one letter."""
    school, letter = _letter(api, make_user, process)
    [mail] = smtp.to("petar@example.bg")
    _killed_mid_send(process, letter["id"], handed_over=True)
    _send_again(process, letter["id"])
    assert smtp.to("petar@example.bg") == [mail]
    [again] = [d for d in deliveries(api, student_id=school.student_id) if d["channel"] == "email"]
    assert again["status"] == "sent"
    assert attempts_of(process, letter["id"])[-1] == "sent"


def test_a_letter_the_server_never_got_is_sent_after_a_crash_with_the_same_message_id(api, make_user, process,
                                                                                        smtp):
    _school, letter = _letter(api, make_user, process)
    [first] = smtp.to("petar@example.bg")
    smtp.received.clear()  # as if the kill came before the server stored it
    _killed_mid_send(process, letter["id"], handed_over=True)
    _send_again(process, letter["id"])
    [mail] = smtp.to("petar@example.bg")
    assert mail["Message-ID"] == first["Message-ID"]
    assert attempts_of(process, letter["id"])[-2:] == ["interrupted", "sent"]
