"""The in-app inbox (входяща кутия) as its owner reads it: the notices, how many are unread, and
opening one, which is the read receipt the sender sees (``read_at``).

One set of functions for the API and the pages, so that whose notices they are is decided once.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.notifications.models import TABLES, Delivery
from shared import audit
from shared.auth.principal import Principal
from shared.errors import NotFoundError
from shared.platform_models import utcnow


def _mine(who: Principal):
    return (Delivery.channel == "inbox", Delivery.user_id == who.id, Delivery.status == "sent")


def messages(session: Session, who: Principal, limit: int | None = None) -> list[Delivery]:
    """The caller's notices, the newest first (``limit`` of them, or all)."""
    return list(session.scalars(sa.select(Delivery).where(*_mine(who)).order_by(Delivery.id.desc()).limit(limit)))


def unread_count(session: Session, who: Principal) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(Delivery).where(
        *_mine(who), Delivery.read_at.is_(None))) or 0


def message(session: Session, who: Principal, delivery_id: int) -> Delivery:
    """One of the caller's notices; another's is as unknown as a missing one (404), never shown."""
    row = session.get(Delivery, delivery_id)
    if row is None or row.channel != "inbox" or row.user_id != who.id:
        raise NotFoundError("Няма такова съобщение във Вашата входяща кутия.")
    return row


def mark_read(session: Session, who: Principal, delivery_id: int) -> Delivery:
    """Open a notice: the first time is recorded as its read receipt, and audited."""
    row = message(session, who, delivery_id)
    if row.read_at is None:
        row.read_at = utcnow()
        audit.record(session, TABLES, who, "inbox.read", "delivery", row.id)
    return row
