"""A delivery claimed by a sender that died mid-send is sent once its claim ends, not dropped."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from dramatiq import Message

from services.notifications.models import Delivery
from shared.platform_models import utcnow
from tests.conftest import drain
from tests.notifications.support import deliveries, publish_from_register, rule_fired
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
