"""Planning deliveries (изпращания): once per idempotency key, in the transaction that handles the event.

A handler *plans* deliveries inside the transaction that records the event as handled, so a
redelivered event finds its key taken and plans nothing; the ``deliver`` job (``tasks.py``) sends them.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.notifications import digests, paper
from services.notifications.models import Delivery
from services.notifications.rules.messages import Text
from services.notifications.rules.notices import About, Recipient
from services.notifications.rules.quiet_hours import release_time
from shared.db import dialect_insert
from shared.platform_models import utcnow
from shared.runtime import ServiceRuntime


def plan(session: Session, rt: ServiceRuntime, about: About, recipients: list[Recipient], text: Text) -> list[int]:
    """Create one queued delivery per recipient and channel unless its key exists; enqueue sending."""
    now = utcnow()  # real time: quiet hours and digests wait by the clock on the wall
    table = Delivery.__table__
    created = []
    for recipient in recipients:
        key = f"{about.key}:{recipient.channel}:{recipient.address}"
        digest_day = None
        if recipient.digest and not about.obligatory and not about.urgent:
            digest_day = digests.day_for(session, rt, recipient, now)
        not_before = None if about.urgent or digest_day else release_time(rt.settings, now)
        letter = None
        if about.letter:
            postal = paper.postal_address(session, about.student_id, recipient.guardian_id, recipient.name)
            letter = paper.addressed(about.letter, recipient.name, postal)
        statement = dialect_insert(session, table).values(
            idempotency_key=key, about_key=about.key, audience=about.audience, obligatory=about.obligatory,
            letter=letter, channel=recipient.channel, recipient=recipient.address, recipient_name=recipient.name,
            student_id=about.student_id, rule_id=about.rule_id, article=about.article, subject=text.subject,
            body=text.body, status="queued", urgent=about.urgent, kind=about.kind, guardian_id=recipient.guardian_id,
            user_id=recipient.user_id, event_occurred_at=about.occurred_at, created_at=rt.clock.now(), attempts=0,
            not_before=not_before, digest_day=digest_day,
        ).on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(table.c.id)
        delivery_id = session.execute(statement).scalar()
        if delivery_id is None:
            rt.components.metrics.suppressed.labels(recipient.channel).inc()
            continue
        created.append(delivery_id)
        if recipient.channel == paper.CHANNEL:
            paper.request(session, rt, session.get(Delivery, delivery_id), now)
        elif not_before is None and digest_day is None:
            rt.enqueue_job(session, "deliver", delivery_id)
    return created
