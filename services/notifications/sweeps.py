"""Periodic sweeps of notifications (the scheduler runs them; each is safe to run twice).

- quiet hours: release the non-urgent deliveries whose wait is over;
- digests: send each guardian's daily digest when it is due;
- paper letters: an obligatory in-app notice nobody read within ``SCHOOL_PAPER_LETTER_AFTER_DAYS``
  days, and that no written channel delivered, goes on paper.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from services.notifications import digests, paper
from services.notifications.delivery import plan
from services.notifications.models import Delivery, Guardian
from services.notifications.rules import messages
from services.notifications.rules.messages import Text
from services.notifications.rules.notices import About, Recipient
from shared.platform_models import as_utc, utcnow
from shared.runtime import ServiceRuntime


def release_quiet(rt: ServiceRuntime, now: dt.datetime | None = None) -> int:
    """Enqueue the deliveries held back by quiet hours whose time has come."""
    now = now or utcnow()
    with rt.db.transaction() as s:
        due = s.scalars(sa.select(Delivery).where(
            Delivery.status == "queued", Delivery.not_before.is_not(None), Delivery.not_before <= now)).all()
        for row in due:
            row.not_before = None  # released: a second sweep finds nothing to do
            rt.enqueue_job(s, "deliver", row.id)
        return len(due)


def send_digests(rt: ServiceRuntime, now: dt.datetime | None = None) -> int:
    """One combined message per guardian, channel and day for the held optional notices."""
    now = now or utcnow()
    sent = 0
    with rt.db.transaction() as s:
        for (guardian_id, channel, address, day), items in digests.due(s, rt, now).items():
            guardian = s.get(Guardian, guardian_id) if guardian_id is not None else None
            name = guardian.name if guardian else items[0].recipient_name
            occurred = [as_utc(i.event_occurred_at) for i in items if i.event_occurred_at is not None]
            about = About(key=digests.about_key(guardian_id, day), kind=digests.KIND, student_id=items[0].student_id,
                          occurred_at=min(occurred) if occurred else None)
            text = messages.render(messages.DIGEST, day=day, items=[{"subject": i.subject, "body": i.body}
                                                                   for i in items],
                                   student_name=guardian.student_name if guardian else "ученика")
            created = plan(s, rt, about, [Recipient(channel, address, name, guardian_id=guardian_id)], text)
            digest_id = created[0] if created else s.scalar(sa.select(Delivery.id).where(
                Delivery.about_key == about.key, Delivery.channel == channel, Delivery.recipient == address))
            for item in items:
                item.digest_id = digest_id
            sent += 1
    return sent


def paper_for_unread(rt: ServiceRuntime, now: dt.datetime | None = None) -> int:
    """Paper letters for obligatory in-app notices left unread, unless a written channel delivered them."""
    now = now or utcnow()
    cutoff = now - dt.timedelta(days=rt.settings.paper_letter_after_days)
    requested = 0
    with rt.db.transaction() as s:
        unread = s.scalars(sa.select(Delivery).where(
            Delivery.channel == "inbox", Delivery.obligatory.is_(True), Delivery.status == "sent",
            Delivery.read_at.is_(None), Delivery.letter.is_not(None), Delivery.sent_at <= cutoff,
        ).order_by(Delivery.id)).all()
        for row in unread:
            about = About(key=f"{row.about_key}:unread:{row.user_id}", kind=row.kind, student_id=row.student_id,
                          rule_id=row.rule_id, article=row.article, urgent=True, obligatory=True,
                          occurred_at=row.event_occurred_at, letter=row.letter)
            recipient = Recipient(paper.CHANNEL, paper.address(row.recipient_name), row.recipient_name,
                                  user_id=row.user_id)
            if s.scalar(sa.select(Delivery.id).where(
                    Delivery.idempotency_key == f"{about.key}:{recipient.channel}:{recipient.address}")):
                continue  # already on paper
            if s.scalar(sa.select(Delivery.id).where(
                    Delivery.about_key == row.about_key, Delivery.audience == "guardian", Delivery.status == "sent",
                    Delivery.channel.not_in(("inbox", paper.CHANNEL))).limit(1)):
                continue  # a written channel (e-mail, SMS) delivered it: the rulebook's notice is given
            requested += len(plan(s, rt, about, [recipient], Text(row.subject, row.body)))
    return requested
