"""The daily digest (дневно обобщение): a guardian's optional notices of a day as one message.

A guardian who chose the digest gets optional notices (e.g. each recorded absence) held with the
day they wait for; the digest sweep sends one combined message per guardian, channel and day at
``SCHOOL_DIGEST_TIME``.  Obligatory and urgent notices never wait for a digest.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.notifications.models import Delivery
from services.notifications.rules.notices import Recipient
from shared.runtime import ServiceRuntime

#: ``Delivery.kind`` of the combined message.
KIND = "digest"


def _local(rt: ServiceRuntime, now: dt.datetime) -> dt.datetime:
    return now.astimezone(ZoneInfo(rt.settings.timezone))


def _digest_time(rt: ServiceRuntime) -> dt.time:
    return dt.time.fromisoformat(rt.settings.digest_time)


def about_key(guardian_id: int | None, day: dt.date) -> str:
    return f"{KIND}:{guardian_id}:{day.isoformat()}"


def day_for(session: Session, rt: ServiceRuntime, recipient: Recipient, now: dt.datetime) -> dt.date:
    """The digest a notice planned ``now`` joins: today's if it has not gone yet, else the next one."""
    local = _local(rt, now)
    day = local.date() if local.time() < _digest_time(rt) else local.date() + dt.timedelta(days=1)
    while session.scalar(sa.select(Delivery.id).where(
            Delivery.about_key == about_key(recipient.guardian_id, day), Delivery.channel == recipient.channel)):
        day += dt.timedelta(days=1)
    return day


def due(session: Session, rt: ServiceRuntime, now: dt.datetime) -> dict[tuple, list[Delivery]]:
    """Held notices whose digest is due, by (guardian, channel, address, day)."""
    local = _local(rt, now)
    today = local.date()
    condition = Delivery.digest_day < today
    if local.time() >= _digest_time(rt):
        condition = Delivery.digest_day <= today
    rows = session.scalars(sa.select(Delivery).where(
        Delivery.status == "queued", Delivery.digest_day.is_not(None), Delivery.digest_id.is_(None), condition,
    ).order_by(Delivery.id)).all()
    groups: dict[tuple, list[Delivery]] = defaultdict(list)
    for row in rows:
        groups[(row.guardian_id, row.channel, row.recipient, row.digest_day)].append(row)
    return groups


def settle_items(session: Session, digest: Delivery) -> None:
    """The notices in a digest share its outcome."""
    session.execute(sa.update(Delivery).where(Delivery.digest_id == digest.id).values(
        status=digest.status, sent_at=digest.sent_at, error=digest.error))
